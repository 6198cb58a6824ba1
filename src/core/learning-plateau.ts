/**
 * When a learning curve is flat: the stopping rule of "train until the curve is flat". Scores are
 * evaluations in the order they were taken, lower is better (e.g. completion time relative to a
 * control); the curve is flat once the mean of the last `window` evaluations improves on the mean
 * of the `window` before them by less than `tolerance` (a fraction of the earlier mean). Averaging
 * over windows keeps one noisy evaluation from ending or prolonging training.
 */
import { ArbiterError } from './errors.js';

/** The flatness rule: windows of `window` evaluations, relative improvement below `tolerance`. */
export interface PlateauRule {
  /** Evaluations per window (K). */
  window: number;
  /** Relative improvement of the last window's mean over the previous one's below which the curve is flat, e.g. 0.01. */
  tolerance: number;
}

/**
 * Relative improvement `(mean(previous K) − mean(last K)) / |mean(previous K)|` of a lower-is-better
 * curve, or undefined while it has fewer than 2K scores.
 */
export function plateauImprovement(scores: readonly number[], rule: PlateauRule): number | undefined {
  const k = rule.window;
  if (!Number.isInteger(k) || k < 1)
    throw new ArbiterError('invalid-option', `plateau rule: window must be an integer ≥ 1, got ${k}`);
  if (!(rule.tolerance >= 0))
    throw new ArbiterError('invalid-option', `plateau rule: tolerance must be ≥ 0, got ${rule.tolerance}`);
  const n = scores.length;
  if (n < 2 * k) return undefined;
  let last = 0;
  let previous = 0;
  for (let i = 0; i < k; i++) {
    last += scores[n - 1 - i]!;
    previous += scores[n - 1 - k - i]!;
  }
  return (previous - last) / Math.abs(previous);
}

/** Whether the curve is flat under `rule` (false while it has fewer than 2K scores). */
export function isPlateau(scores: readonly number[], rule: PlateauRule): boolean {
  const d = plateauImprovement(scores, rule);
  return d !== undefined && d < rule.tolerance;
}
