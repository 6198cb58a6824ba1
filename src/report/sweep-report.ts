/**
 * Renders a sweep's results: a Markdown summary (best trial, the metric by parameter combination
 * over seeds, every trial, every failure) and an SVG plot of the metric against the swept
 * parameter. Rendering only: the sweep runner decides what finished.
 */
import { formatMarkdownTable } from './markdown-table.js';
import { renderLinePlotSvg, type LinePlotSeries } from './line-plot-svg.js';

/** A finished trial as the report shows it. */
export interface SweepReportTrial {
  /** Trial id. */
  id: string;
  /** Swept values by parameter name. */
  params: Record<string, unknown>;
  /** Seed. */
  seed: number;
  /** The metric: mean return of the final evaluation. */
  finalEvalMeanReturn: number;
  /** Its standard deviation over episodes. */
  finalEvalStdReturn: number;
  /** Run folder. */
  runDir: string;
}

/** A failed trial as the report shows it. */
export interface SweepReportFailure {
  /** Trial id. */
  id: string;
  /** Swept values by parameter name. */
  params: Record<string, unknown>;
  /** Seed. */
  seed: number;
  /** What went wrong. */
  error: string;
}

/** What {@link sweepMarkdown} and {@link sweepPlotSvg} show. */
export interface SweepReport {
  /** Name of the sweep (e.g. its file). */
  title: string;
  /** Trials in the sweep, finished or not. */
  total: number;
  /** Finished trials, in sweep order. */
  trials: readonly SweepReportTrial[];
  /** Failed trials. */
  failed: readonly SweepReportFailure[];
  /** The best finished trial (highest metric), when any finished. */
  best?: SweepReportTrial | undefined;
}

/** One parameter combination's metric over its seeds. */
interface Group {
  params: Record<string, unknown>;
  values: number[];
}

/** A value in a table cell or legend: numbers as written, everything else as JSON. */
function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function paramNames(trials: readonly { params: Record<string, unknown> }[]): string[] {
  const names: string[] = [];
  for (const t of trials) for (const k of Object.keys(t.params)) if (!names.includes(k)) names.push(k);
  return names;
}

function groupBy(trials: readonly SweepReportTrial[], names: readonly string[]): Group[] {
  const groups = new Map<string, Group>();
  for (const t of trials) {
    const params = Object.fromEntries(names.map((n) => [n, t.params[n]]));
    const key = JSON.stringify(names.map((n) => t.params[n]));
    const g = groups.get(key) ?? { params, values: [] };
    g.values.push(t.finalEvalMeanReturn);
    groups.set(key, g);
  }
  return [...groups.values()];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The Markdown summary of a sweep (see the module doc). */
export function sweepMarkdown(report: SweepReport): string {
  const names = paramNames(report.trials.length > 0 ? report.trials : report.failed);
  const lines = [
    `# Sweep ${report.title}`,
    '',
    `${report.trials.length} of ${report.total} trials finished, ${report.failed.length} failed. ` +
      'Metric: mean return of the final deterministic evaluation on held-out seeds (higher is better).',
    '',
  ];
  const b = report.best;
  if (b !== undefined)
    lines.push(
      `Best: trial \`${b.id}\` (${names.map((n) => `${n} = ${show(b.params[n])}`).join(', ') || 'no parameters'}, seed ${b.seed}): ` +
        `${b.finalEvalMeanReturn.toFixed(2)} ± ${b.finalEvalStdReturn.toFixed(2)}, run folder \`${b.runDir}\``,
      '',
    );
  if (report.trials.length > 0) {
    const groups = groupBy(report.trials, names).sort((x, y) => mean(y.values) - mean(x.values));
    lines.push(
      '## By parameters (over seeds, best first)',
      '',
      formatMarkdownTable(
        [...names, 'seeds', 'mean', 'min', 'max'],
        groups.map((g) => [
          ...names.map((n) => show(g.params[n])),
          g.values.length,
          mean(g.values),
          Math.min(...g.values),
          Math.max(...g.values),
        ]),
      ),
      '',
      '## Trials',
      '',
      formatMarkdownTable(
        ['trial', ...names, 'seed', 'final eval', 'std', 'run folder'],
        report.trials.map((t) => [
          t.id,
          ...names.map((n) => show(t.params[n])),
          t.seed,
          t.finalEvalMeanReturn,
          t.finalEvalStdReturn,
          t.runDir,
        ]),
      ),
      '',
    );
  }
  if (report.failed.length > 0)
    lines.push(
      '## Failed',
      '',
      formatMarkdownTable(
        ['trial', ...names, 'seed', 'error'],
        report.failed.map((f) => [f.id, ...names.map((n) => show(f.params[n])), f.seed, f.error]),
      ),
      '',
    );
  return lines.join('\n');
}

/**
 * The metric against the first numeric swept parameter, one curve per combination of the other
 * parameters (when there are at most 10, each at two values or more; else one curve over all),
 * each point the mean over seeds with a min–max band. Without a numeric parameter the abscissa
 * is the combination's rank in the Markdown summary's order of appearance.
 */
export async function sweepPlotSvg(report: SweepReport): Promise<string> {
  const names = paramNames(report.trials);
  const numeric = names.filter((n) => {
    const vs = report.trials.map((t) => t.params[n]);
    return vs.every((v) => typeof v === 'number' && Number.isFinite(v)) && new Set(vs).size > 1;
  });
  const xName = numeric[0];
  const xOf = (t: SweepReportTrial, i: number): number =>
    xName !== undefined ? (t.params[xName] as number) : i;
  const rest = names.filter((n) => n !== xName);
  let curves = groupCurves(report.trials, rest, xOf);
  if (curves.length > 10 || curves.some((c) => new Set(c.trials.map((t) => t.x)).size < 2))
    curves = groupCurves(report.trials, [], xOf);
  const series: LinePlotSeries[] = curves.map((c) => {
    const xs = [...new Set(c.trials.map((t) => t.x))].sort((a, b) => a - b);
    const at = (x: number): number[] => c.trials.filter((t) => t.x === x).map((t) => t.y);
    return {
      name: c.name,
      x: xs,
      y: xs.map((x) => mean(at(x))),
      band: { lo: xs.map((x) => Math.min(...at(x))), hi: xs.map((x) => Math.max(...at(x))) },
    };
  });
  return renderLinePlotSvg({
    title: `Sweep ${report.title}: final evaluation (mean over seeds, min–max band)`,
    xLabel: xName ?? 'parameter combination',
    yLabel: 'final eval mean return',
    series,
  });
}

interface Curve {
  name: string;
  trials: { x: number; y: number }[];
}

function groupCurves(
  trials: readonly SweepReportTrial[],
  by: readonly string[],
  xOf: (t: SweepReportTrial, combination: number) => number,
): Curve[] {
  const curves = new Map<string, Curve>();
  const combos = new Map<string, number>();
  for (const t of trials) {
    const combo = JSON.stringify(Object.entries(t.params).filter(([k]) => k !== 'seed'));
    if (!combos.has(combo)) combos.set(combo, combos.size + 1);
    const key = by.map((n) => `${n} = ${show(t.params[n])}`).join(', ') || 'all trials';
    const c = curves.get(key) ?? { name: key, trials: [] };
    c.trials.push({ x: xOf(t, combos.get(combo)!), y: t.finalEvalMeanReturn });
    curves.set(key, c);
  }
  return [...curves.values()];
}
