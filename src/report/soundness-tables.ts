/**
 * The tables of the soundness benchmark's report from its rows: the analytic bounds under dynamic
 * dispatch (overall and per shape) and the timetables under static-order dispatch. Used by
 * `npm run bench -- soundness` and by the summary of a soundness cell sweep, so both read alike.
 */
import { formatMarkdownTable } from './markdown-table.js';

/** One row of the soundness benchmark: one method, dispatch rule and shape (or `all`). */
export interface SoundnessRow {
  /** Method (`graham (random order)` for graham under a random priority order). */
  method: string;
  /** Dispatch rule the check simulated. */
  dispatch: 'dynamic' | 'static-order';
  /** DAG shape, or `all`. */
  shape: string;
  /** Tasks checked (dynamic: proved by the bound; static-order: timetables). */
  dags: number;
  /** Simulated schedules. */
  simulations: number;
  /** Checks that failed. */
  violations: number;
  /** dynamic: mean boundCores of the tasks the bound proved. */
  meanBoundCores?: number;
  /** dynamic: max of (worst makespan − L)/(R − L) over tasks with R > L. */
  tightnessMax?: number;
  /** dynamic: the mean of the same. */
  tightnessMean?: number;
  /** dynamic: the same max over tasks with boundCores ≥ 2 (on one core every bound is reached). */
  tightnessMaxMulticore?: number;
  /** static-order: max of worst makespan / WCET makespan. */
  worstRatio?: number;
}

const SHAPES = ['layered', 'fork-join', 'sparse', 'chains'];

/** The bounds under dynamic dispatch, over all shapes. */
export function soundnessDynamicTable(rows: readonly SoundnessRow[]): string {
  return formatMarkdownTable(
    [
      'method',
      'tasks proved',
      'simulations',
      'violations',
      'mean boundCores',
      'tightness max',
      'max, boundCores ≥ 2',
      'tightness mean',
    ],
    rows
      .filter((r) => r.dispatch === 'dynamic' && r.shape === 'all')
      .map((r) => [
        r.method,
        r.dags,
        r.simulations,
        r.violations,
        r.meanBoundCores!,
        r.tightnessMax!,
        r.tightnessMaxMulticore!,
        r.tightnessMean!,
      ]),
  );
}

/** The mean tightness of each bound per shape (with the tasks proved). */
export function soundnessShapeTable(rows: readonly SoundnessRow[]): string {
  return formatMarkdownTable(
    ['method', ...SHAPES],
    rows
      .filter((r) => r.dispatch === 'dynamic' && r.shape === 'all')
      .map((r) => [
        r.method,
        ...SHAPES.map((s) => {
          const x = rows.find((y) => y.method === r.method && y.dispatch === 'dynamic' && y.shape === s);
          return x ? `${x.tightnessMean} (${x.dags} tasks)` : '–';
        }),
      ]),
  );
}

/** The timetables under static-order dispatch, over all shapes. */
export function soundnessStaticTable(rows: readonly SoundnessRow[]): string {
  return formatMarkdownTable(
    ['method', 'timetables', 'simulations', 'violations', 'max worst/WCET makespan'],
    rows
      .filter((r) => r.dispatch === 'static-order' && r.shape === 'all')
      .map((r) => [r.method, r.dags, r.simulations, r.violations, r.worstRatio!]),
  );
}

/** The three tables under short headings (a sweep summary's figures). */
export function soundnessTables(rows: readonly SoundnessRow[]): string {
  return [
    '## Analytic bounds, dynamic dispatch on boundCores\n',
    soundnessDynamicTable(rows),
    '\nPer shape (tightness mean):\n',
    soundnessShapeTable(rows),
    '\n## Timetables, static-order dispatch\n',
    soundnessStaticTable(rows),
    '',
  ].join('\n');
}
