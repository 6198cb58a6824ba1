/**
 * Diagonal Gaussian distribution for continuous (Box) actions, with a state-independent
 * log-standard-deviation parameter (one per action dimension): the Float32 functions for rollouts
 * (seeded {@link Rng}, no TensorFlow, so env runners can load it); the tensor functions of the
 * loss are in `diag-gaussian.ts`.
 */
import type { Rng } from '../core/rng.js';

export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Writes a sample (or the mean when `deterministic`) of `N(mean, exp(logStd)²)` into
 * `out[outOffset … + d)`, reading `mean[meanOffset … + d)`; `d = logStd.length`. Returns its
 * log-density.
 */
export function sampleDiagGaussian(
  mean: ArrayLike<number>,
  meanOffset: number,
  logStd: ArrayLike<number>,
  rng: Rng,
  deterministic: boolean,
  out: Float32Array,
  outOffset: number,
): number {
  const d = logStd.length;
  let logp = 0;
  for (let j = 0; j < d; j++) {
    const z = deterministic ? 0 : rng.normal();
    out[outOffset + j] = mean[meanOffset + j]! + Math.exp(logStd[j]!) * z;
    // Recomputed from the stored float32 action so it matches diagGaussianLogProb on the buffer.
    const zz = (out[outOffset + j]! - mean[meanOffset + j]!) / Math.exp(logStd[j]!);
    logp += -0.5 * zz * zz - logStd[j]! - HALF_LOG_2PI;
  }
  return logp;
}

/** Log-density of `action[actionOffset … + d)` under `N(mean, exp(logStd)²)` (summed over dimensions). */
export function diagGaussianLogProb(
  mean: ArrayLike<number>,
  meanOffset: number,
  logStd: ArrayLike<number>,
  action: ArrayLike<number>,
  actionOffset: number,
): number {
  let logp = 0;
  for (let j = 0; j < logStd.length; j++) {
    const z = (action[actionOffset + j]! - mean[meanOffset + j]!) / Math.exp(logStd[j]!);
    logp += -0.5 * z * z - logStd[j]! - HALF_LOG_2PI;
  }
  return logp;
}

/** Entropy (nats) of a diagonal Gaussian: `Σ_j (½ + ½ log 2π + logStd_j)`. */
export function diagGaussianEntropy(logStd: ArrayLike<number>): number {
  let h = 0;
  for (let j = 0; j < logStd.length; j++) h += 0.5 + HALF_LOG_2PI + logStd[j]!;
  return h;
}
