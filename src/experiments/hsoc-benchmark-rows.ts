/**
 * The rows of the HSoC benchmark's tables from per-seed episode figures, and their comparison with
 * the control and the ideal static split: written once, for the whole benchmark in one process and
 * for its cells run one by one elsewhere (a sweep), so both give the same tables.
 */
import { mean, pairedDifference, sampleStd } from '../core/statistics.js';
import type { HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import type { HsocWorkload } from '../envs/hsoc/hsoc-workloads.js';
import type { HsocBenchmarkRow } from '../report/hsoc-benchmark-result.js';

/** The control every row is compared with (paired, on the same seeds). */
export const HSOC_CONTROL_POLICY = 'uniform';

/** The reference of the gap column. */
export const HSOC_IDEAL_POLICY = 'ideal-static';

/**
 * One row: a policy's mean DAG completion per seed (`perSeed`, seed order) and deadline-miss
 * ratio per seed, before the comparisons ({@link compareHsocRows} fills those in).
 */
export function hsocRow(
  workload: HsocWorkload,
  load: HsocLoad,
  policy: string,
  perSeed: number[],
  missPerSeed: readonly number[],
): HsocBenchmarkRow {
  let miss = 0;
  for (const x of missPerSeed) miss += x;
  const m = mean(perSeed);
  return {
    workload,
    load,
    policy,
    meanCompletion: m,
    stdCompletion: sampleStd(perSeed, m),
    missRatio: miss / perSeed.length,
    gapToIdeal: NaN,
    perSeed,
    vsUniform: { mean: NaN, std: NaN, t: NaN, significant: false, ci95: [NaN, NaN] },
  };
}

/**
 * Fills in the gap to the ideal static split and the paired difference to the control of the rows
 * of one workload and load (each left NaN when its reference is not among them).
 */
export function compareHsocRows(rows: readonly HsocBenchmarkRow[]): void {
  const control = rows.find((r) => r.policy === HSOC_CONTROL_POLICY);
  const ideal = rows.find((r) => r.policy === HSOC_IDEAL_POLICY);
  for (const r of rows) {
    if (ideal) r.gapToIdeal = (100 * (r.meanCompletion - ideal.meanCompletion)) / ideal.meanCompletion;
    if (control) r.vsUniform = pairedDifference(r.perSeed, control.perSeed);
  }
}
