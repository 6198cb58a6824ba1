/**
 * Diagonal Gaussian distribution for continuous (Box) actions, with a state-independent
 * log-standard-deviation parameter (one per action dimension), as in PPO for MuJoCo: the network
 * gives the mean, `logStd` is a free trainable vector. Float32 functions for rollouts
 * (`diag-gaussian-host.ts`, re-exported here; no TensorFlow) and tensor functions for the loss.
 */
import { HALF_LOG_2PI } from './diag-gaussian-host.js';
import { tf } from './tf-backend.js';

export * from './diag-gaussian-host.js';

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
