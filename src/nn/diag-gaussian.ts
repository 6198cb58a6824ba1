/**
 * Diagonal Gaussian distribution for continuous (Box) actions, with a state-independent
 * log-standard-deviation parameter (one per action dimension), as in PPO for MuJoCo: the network
 * gives the mean, `logStd` is a free trainable vector. Float32 functions for rollouts (seeded
 * {@link Rng}) and tensor functions for the loss.
 */
import type { Rng } from '../core/rng.js';
import { tf } from './tf-backend.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

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

/** Differentiable log-density of `[batch, d]` actions given `[batch, d]` means and a `[d]` log-std. */
export function diagGaussianLogProbTensor(
  mean: tf.Tensor2D,
  logStd: tf.Tensor1D,
  actions: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(actions, mean), tf.exp(logStd));
    const perDim = tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(logStd, HALF_LOG_2PI));
    return tf.sum(perDim, 1) as tf.Tensor1D;
  });
}

/** Differentiable entropy, broadcast to `[batch]` (it does not depend on the state). */
export function diagGaussianEntropyTensor(logStd: tf.Tensor1D, batch: number): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.ones([batch]), tf.sum(tf.add(logStd, 0.5 + HALF_LOG_2PI))) as tf.Tensor1D);
}
