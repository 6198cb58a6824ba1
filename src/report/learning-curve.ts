/**
 * Learning curves of training runs: metric series read from `metrics.jsonl`, averaged over seeds with
 * a min–max band, and written as SVG.
 */
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ValidationError } from '../core/errors.js';
import { readMetricsJsonl, type MetricsRecord } from './jsonl-metrics-sink.js';
import { renderLinePlotSvg, type LinePlotSeries } from './line-plot-svg.js';
import { readRunConfig, runPaths } from './run-directory.js';

/** The metric keys plotted by default: mean training-episode return and mean evaluation return. */
export const DEFAULT_CURVE_KEYS: readonly string[] = ['rollout/ep_rew_mean', 'eval/mean_return'];

/** A curve: ordinates `y` at increasing abscissae `x` (env steps). */
export interface Curve {
  /** Env steps, strictly increasing. */
  x: number[];
  /** Metric value at each step. */
  y: number[];
}

/** Several runs' curves of one metric summarised on a common step grid. */
export interface AggregatedCurve {
  /** Env steps, strictly increasing. */
  x: number[];
  /** Mean over the runs at each step. */
  mean: number[];
  /** Minimum over the runs at each step. */
  lo: number[];
  /** Maximum over the runs at each step. */
  hi: number[];
}

/** Options of {@link writeLearningCurve}. */
export interface LearningCurveOptions {
  /** Run folders holding `metrics.jsonl`; several (e.g. one per seed) are averaged. */
  runDirs: readonly string[];
  /** Metric keys to plot, one series each. Default {@link DEFAULT_CURVE_KEYS}. */
  keys?: readonly string[];
  /**
   * Output SVG path. Default `learning-curve.svg` in the run folder when there is one run; required
   * when there are several.
   */
  out?: string;
  /** Plot heading. Default `<algo> on <env>` from the first run's config.json, else the run id. */
  title?: string;
  /** Vertical axis title. Default `"return"`. */
  yLabel?: string;
  /** A horizontal reference line, e.g. `{ y: 475, label: 'target 475' }`. */
  hline?: { y: number; label: string };
  /** Picture size in pixels. Defaults of {@link renderLinePlotSvg}. */
  width?: number;
  /** Picture size in pixels. Defaults of {@link renderLinePlotSvg}. */
  height?: number;
}

/** What {@link writeLearningCurve} drew. */
export interface LearningCurveResult {
  /** The SVG file written. */
  path: string;
  /** The series plotted (with band when several runs had the key). */
  series: LinePlotSeries[];
  /** Requested keys that no run had a finite value of (not plotted). */
  missingKeys: string[];
}

/**
 * The finite values of `key` in a run's records, by increasing step. When several records share
 * a step (a resumed run that kept its old entries), the last one wins.
 */
export function curveOf(records: readonly MetricsRecord[], key: string): Curve {
  const byStep = new Map<number, number>();
  for (const r of records) {
    const v = r.metrics[key];
    if (v !== undefined && Number.isFinite(v) && Number.isFinite(r.step)) byStep.set(r.step, v);
  }
  const x = [...byStep.keys()].sort((a, b) => a - b);
  return { x, y: x.map((s) => byStep.get(s)!) };
}

/**
 * Mean and min–max of several curves on a common grid: the union of their steps within the range
 * that every curve covers (from the latest first step to the earliest last step), each curve
 * linearly interpolated there. So no run drops out of the mean part-way, which would make the
 * mean jump. Empty when the ranges do not overlap or a curve is empty.
 */
export function aggregateCurves(curves: readonly Curve[]): AggregatedCurve {
  const out: AggregatedCurve = { x: [], mean: [], lo: [], hi: [] };
  if (curves.length === 0 || curves.some((c) => c.x.length === 0)) return out;
  const start = Math.max(...curves.map((c) => c.x[0]!));
  const end = Math.min(...curves.map((c) => c.x[c.x.length - 1]!));
  if (start > end) return out;
  const grid = [...new Set(curves.flatMap((c) => c.x.filter((s) => s >= start && s <= end)))].sort(
    (a, b) => a - b,
  );
  const cursor = new Array<number>(curves.length).fill(0);
  for (const s of grid) {
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    curves.forEach((c, k) => {
      let i = cursor[k]!;
      while (c.x[i + 1] !== undefined && c.x[i + 1]! <= s) i++; // grid is increasing: cursors only advance
      cursor[k] = i;
      const x0 = c.x[i]!;
      const y0 = c.y[i]!;
      const v =
        x0 === s || c.x[i + 1] === undefined ? y0 : y0 + ((c.y[i + 1]! - y0) * (s - x0)) / (c.x[i + 1]! - x0);
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
    out.x.push(s);
    out.mean.push(sum / curves.length);
    out.lo.push(lo);
    out.hi.push(hi);
  }
  return out;
}

/**
 * Reads the `metrics.jsonl` of one or more runs and writes their learning curve as SVG: one
 * series per key against env steps; with several runs (seeds), the mean over runs with a shaded
 * min–max band (see {@link aggregateCurves}). Keys found in no run are reported, not plotted.
 */
export async function writeLearningCurve(options: LearningCurveOptions): Promise<LearningCurveResult> {
  const dirs = options.runDirs;
  if (dirs.length === 0) throw new ValidationError('learning-curve', 'give at least one run folder');
  if (dirs.length > 1 && options.out === undefined)
    throw new ValidationError('learning-curve', 'several runs need an output path (out)');
  const runs = dirs.map((d) => readMetricsJsonl(runPaths(d).jsonl));
  const keys = options.keys ?? DEFAULT_CURVE_KEYS;
  const series: LinePlotSeries[] = [];
  const missingKeys: string[] = [];
  for (const key of keys) {
    const curves = runs.map((r) => curveOf(r, key)).filter((c) => c.x.length > 0);
    if (curves.length === 0) missingKeys.push(key);
    else if (curves.length === 1) series.push({ name: key, x: curves[0]!.x, y: curves[0]!.y });
    else {
      const agg = aggregateCurves(curves);
      series.push({
        name: `${key} (mean of ${curves.length} runs, min–max band)`,
        x: agg.x,
        y: agg.mean,
        band: { lo: agg.lo, hi: agg.hi },
      });
    }
  }
  const path = options.out ?? join(runPaths(dirs[0]!).dir, 'learning-curve.svg');
  const svg = await renderLinePlotSvg({
    title: options.title ?? defaultTitle(dirs),
    xLabel: 'env steps',
    yLabel: options.yLabel ?? 'return',
    series,
    ...(options.hline !== undefined ? { hline: options.hline } : {}),
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
  });
  await writeFileAtomic(path, svg);
  return { path, series, missingKeys };
}

/** `<algo> on <env>` from the first run's config (plus the run count), else the run id. */
function defaultTitle(dirs: readonly string[]): string {
  const first = dirs[0]!;
  let name = basename(runPaths(first).dir);
  try {
    const c = readRunConfig<{ algo?: unknown; env?: unknown }>(first);
    if (typeof c.algo === 'string' && typeof c.env === 'string') name = `${c.algo} on ${c.env}`;
  } catch {
    // no readable config.json: the folder name will do
  }
  return dirs.length > 1 ? `${name} (${dirs.length} runs)` : name;
}
