/**
 * Gradient clipping by global norm (PyTorch's `clip_grad_norm_`): if the L2 norm of all
 * gradients together exceeds `maxNorm`, every gradient is scaled by `maxNorm / (norm + 1e-6)`.
 */
import { tf } from './tf-backend.js';

/**
 * Returns the clipped gradients (new tensors) and the pre-clipping global norm as a scalar tensor.
 * Runs without a device sync. Call inside `tf.tidy` (or dispose the results).
 */
export function clipGradNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const sq = grads.map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(tf.addN(sq)) as tf.Scalar;
  if (!Number.isFinite(maxNorm)) return { grads: grads.map((g) => tf.clone(g)), norm };
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => tf.mul(g, coef)), norm };
}
