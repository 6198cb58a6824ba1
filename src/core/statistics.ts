/**
 * Sample statistics shared by every experiment and model-selection loop: means, standard
 * deviations and the paired comparison over seeds (mean % difference, Student t, 95 % CI). One
 * module so that a table, a selection score and an acceptance check computing "the mean paired
 * difference" compute the same number, bit for bit.
 */

/** Arithmetic mean, summed left to right; NaN for an empty list. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator, at least 1) around `m`. */
export function sampleStd(xs: readonly number[], m = mean(xs)): number {
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
}

/** Population standard deviation (n in the denominator) around `m`. */
export function populationStd(xs: readonly number[], m = mean(xs)): number {
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

/** Per-element difference of `x` to `reference`, in % of the reference. */
export function percentDifferences(x: readonly number[], reference: readonly number[]): number[] {
  return x.map((v, i) => (100 * (v - reference[i]!)) / reference[i]!);
}

/** A paired comparison over seeds, in % of the reference (see {@link pairedDifference}). */
export interface PairedDifference {
  /** Mean over seeds of the per-seed difference, % of the reference. */
  mean: number;
  /** Standard deviation of the per-seed differences. */
  std: number;
  /** Paired t statistic `mean / (std / √n)`. */
  t: number;
  /** |t| exceeds the two-sided 5 % critical value of Student's t with n − 1 degrees of freedom. */
  significant: boolean;
  /** 95 % confidence interval of the mean difference: mean ∓ t₀.₉₇₅ · std / √n. */
  ci95: [number, number];
}

/**
 * The paired difference of `x` to `reference`, seed by seed, in % of the reference: the seeds'
 * common variation (arrivals, assignments) cancels, so small effects become visible.
 */
export function pairedDifference(x: readonly number[], reference: readonly number[]): PairedDifference {
  const d = percentDifferences(x, reference);
  const n = d.length;
  const m = mean(d);
  const std = sampleStd(d, m);
  const se = std / Math.sqrt(n);
  const t = m / se;
  const half = tCritical95(n - 1) * se;
  return { mean: m, std, t, significant: Math.abs(t) > tCritical95(n - 1), ci95: [m - half, m + half] };
}

/** Two-sided 5 % critical values of Student's t for 1 … 30 degrees of freedom. */
const T_CRITICAL_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * Two-sided 5 % critical value of Student's t with `df` degrees of freedom: the table up to 30,
 * beyond it 1.96 + 2.5/df (within 0.002 of the exact value).
 */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return Infinity;
  return T_CRITICAL_95[Math.floor(df) - 1] ?? 1.96 + 2.5 / df;
}
