/**
 * The EGS evaluation harness behind `arbiter bench egs` (issue 4): every method on held-out DAG
 * sets, every timetable checked with the shared checker, and per set the mean cores, the gap to
 * proven optima, the acceptance curve (fraction of DAGs schedulable on M cores, M = 1…16) and the
 * time per DAG. A bound-based method that cannot prove the deadline counts as n cores (the task
 * runs one node per core).
 */
import { Rng } from '../core/rng.js';
import type { Dag } from '../dag/dag-task.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import { scheduleDag, type ScheduleMethod } from '../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import type { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { DagSampler } from '../envs/egs/dag-sampler.js';
import { renderLinePlotSvg } from './line-plot-svg.js';
import { formatMarkdownTable } from './markdown-table.js';
import { formatTable } from './table.js';

/** A named set of DAG tasks with deadlines. */
export interface EgsBenchmarkSet {
  /** Name in tables and file names. */
  name: string;
  /** The tasks (each with a deadline). */
  dags: Dag[];
}

/** Every method of the benchmark, in report order. */
export const EGS_BENCHMARK_METHODS = [
  'egs',
  'egs-search',
  'egs-greedy',
  'listsched',
  'graham',
  'he2019',
  'zhao2020',
  'he2021',
  'optimal',
] as const;

/** Options of {@link runEgsBenchmark}. */
export interface EgsBenchmarkOptions {
  /** The learned policy of `egs` (and of `egs-search` unless `searchScheduler` is given). */
  scheduler: EgsPolicyScheduler;
  /** The learned policy of `egs-search` (default: `scheduler`). */
  searchScheduler?: EgsPolicyScheduler;
  /** `egs-search`: policy episodes besides the beam (default 16). */
  searchSamples?: number;
  /** `optimal` runs on DAGs with at most this many nodes (default 20). */
  optimalMaxNodes?: number;
  /** `optimal` solver time limit per DAG in seconds (default 5). */
  optimalTimeLimitS?: number;
  /** Called after each DAG. */
  onDag?: (done: number, total: number) => void;
}

/** One method on one DAG. */
export interface EgsBenchmarkRow {
  /** Set name. */
  set: string;
  /** DAG name. */
  dag: string;
  /** Node count. */
  n: number;
  /** Method. */
  method: string;
  /** Cores (n when the method found no timetable). */
  cores: number;
  /** Whether the method produced a timetable. */
  feasible: boolean;
  /** `optimal` only: proved. */
  optimal?: boolean;
  /** Wall time in ms. */
  timeMs: number;
  /** The timetable passed `checkSchedule` (always true for infeasible answers, which have none). */
  valid: boolean;
}

/**
 * Held-out DAG sets in three size bands (10–20, 21–35, 36–50 nodes) with slack factor in
 * [0, slack], drawn from `seed` (the default seed is used nowhere in training).
 */
export function heldOutEgsSets(count: number, seed = 0xbe4c_0e65, slack = 0.3): EgsBenchmarkSet[] {
  const rng = new Rng(seed);
  const bands: [number, number][] = [
    [10, 20],
    [21, 35],
    [36, 50],
  ];
  return bands.map(([lo, hi]) => {
    const sampler = new DagSampler({ nodes: [lo, hi], slack: [0, slack] });
    return { name: `gen-${lo}-${hi}`, dags: Array.from({ length: count }, () => sampler.sample(rng)) };
  });
}

/** Runs every method on every DAG of `sets` (see the file comment). */
export async function runEgsBenchmark(
  sets: readonly EgsBenchmarkSet[],
  options: EgsBenchmarkOptions,
): Promise<EgsBenchmarkRow[]> {
  const rows: EgsBenchmarkRow[] = [];
  const total = sets.reduce((s, x) => s + x.dags.length, 0);
  const optimalMax = options.optimalMaxNodes ?? 20;
  let done = 0;
  for (const set of sets) {
    for (const dag of set.dags) {
      const add = (method: string, r: ScheduleResult): void => {
        rows.push({
          set: set.name,
          dag: dag.name,
          n: dag.n,
          method,
          cores: r.feasible ? r.cores : dag.n,
          feasible: r.feasible,
          ...(r.optimal !== undefined && { optimal: r.optimal }),
          timeMs: r.timeMs,
          valid: !r.feasible || checkSchedule(dag, r).ok,
        });
      };
      add('egs', options.scheduler.greedy(dag));
      add(
        'egs-search',
        (options.searchScheduler ?? options.scheduler).search(dag, { samples: options.searchSamples ?? 16 }),
      );
      for (const m of EGS_BENCHMARK_METHODS.slice(2) as readonly ScheduleMethod[]) {
        if (m === 'optimal' && dag.n > optimalMax) continue;
        add(m, await scheduleDag(dag, m, { timeLimitS: options.optimalTimeLimitS ?? 5 }));
      }
      options.onDag?.(++done, total);
    }
  }
  return rows;
}

/** Per set and method: the figures of the report. */
export interface EgsBenchmarkSummary {
  /** Set name. */
  set: string;
  /** Method. */
  method: string;
  /** DAGs run. */
  count: number;
  /** Mean cores. */
  meanCores: number;
  /** Mean of (cores − optimum) / optimum over the DAGs where `optimal` proved optimality. */
  gapToOptimal?: number;
  /** DAGs where `optimal` proved optimality (the gap's denominator count). */
  provedCount?: number;
  /** Fraction of DAGs schedulable on M cores, M = 1…16. */
  acceptance: number[];
  /** Mean wall time per DAG (ms). */
  meanTimeMs: number;
  /** Timetables that failed the checker (must be 0). */
  invalid: number;
}

/** Summarizes rows per set and method. */
export function summarizeEgsBenchmark(rows: readonly EgsBenchmarkRow[]): EgsBenchmarkSummary[] {
  const out: EgsBenchmarkSummary[] = [];
  const sets = [...new Set(rows.map((r) => r.set))];
  for (const set of sets) {
    const inSet = rows.filter((r) => r.set === set);
    const proved = new Map<string, number>();
    for (const r of inSet) if (r.method === 'optimal' && r.optimal) proved.set(r.dag, r.cores);
    for (const method of EGS_BENCHMARK_METHODS) {
      const rs = inSet.filter((r) => r.method === method);
      if (rs.length === 0) continue;
      const gaps = rs
        .filter((r) => proved.has(r.dag))
        .map((r) => (r.cores - proved.get(r.dag)!) / proved.get(r.dag)!);
      out.push({
        set,
        method,
        count: rs.length,
        meanCores: mean(rs.map((r) => r.cores)),
        ...(gaps.length > 0 && { gapToOptimal: mean(gaps), provedCount: gaps.length }),
        acceptance: Array.from(
          { length: 16 },
          (_, m) => rs.filter((r) => r.cores <= m + 1).length / rs.length,
        ),
        meanTimeMs: mean(rs.map((r) => r.timeMs)),
        invalid: rs.filter((r) => !r.valid).length,
      });
    }
  }
  return out;
}

/** A Markdown table per set (method, DAGs, mean cores, gap to proven optimum, time, invalid). */
export function egsBenchmarkTables(summary: readonly EgsBenchmarkSummary[]): string {
  const parts: string[] = [];
  for (const set of [...new Set(summary.map((s) => s.set))]) {
    const rows = summary
      .filter((s) => s.set === set)
      .map((s) => [
        s.method,
        String(s.count),
        s.meanCores.toFixed(3),
        s.gapToOptimal !== undefined ? `${(s.gapToOptimal * 100).toFixed(1)}% (${s.provedCount})` : '-',
        s.meanTimeMs.toFixed(1),
        String(s.invalid),
      ]);
    parts.push(
      `### ${set}\n\n` +
        formatMarkdownTable(
          ['method', 'DAGs', 'mean cores', 'gap to proven optimum (DAGs)', 'ms per DAG', 'invalid'],
          rows,
        ),
    );
  }
  return parts.join('\n\n') + '\n';
}

/** The same tables for a terminal. */
export function egsBenchmarkText(summary: readonly EgsBenchmarkSummary[]): string {
  const rows = summary.map((s) => [
    s.set,
    s.method,
    s.meanCores.toFixed(3),
    s.gapToOptimal !== undefined ? `${(s.gapToOptimal * 100).toFixed(1)}%` : '-',
    s.meanTimeMs.toFixed(1),
    String(s.invalid),
  ]);
  return formatTable(['set', 'method', 'mean cores', 'gap', 'ms/DAG', 'invalid'], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
  ]);
}

/** SVG of the acceptance curves of one set (fraction schedulable vs cores M). */
export async function egsAcceptanceSvg(
  summary: readonly EgsBenchmarkSummary[],
  set: string,
): Promise<string> {
  const M = Array.from({ length: 16 }, (_, m) => m + 1);
  return renderLinePlotSvg({
    title: `Acceptance: ${set}`,
    xLabel: 'cores M',
    yLabel: 'fraction of DAGs schedulable on M cores',
    series: summary.filter((s) => s.set === set).map((s) => ({ name: s.method, x: M, y: s.acceptance })),
  });
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}
