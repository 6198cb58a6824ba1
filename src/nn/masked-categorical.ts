/**
 * Categorical distribution over `n` actions with an action mask (1 = allowed): masked actions
 * get probability exactly 0, are never sampled, and do not count in the entropy. Two versions:
 * Float32 functions on one row of logits for rollouts (`masked-categorical-host.ts`, re-exported
 * here; no TensorFlow), and tensor functions for the differentiable loss (this file).
 *
 * Masked logits are replaced by {@link MASKED_LOGIT} (−1e9) rather than −Infinity: the softmax
 * still gives exactly 0 there, while `p · log p = 0 · (−1e9) = 0` keeps entropy and gradients
 * free of NaN (−Infinity would give `0 · −∞ = NaN`).
 */
import { MASKED_LOGIT } from './masked-categorical-host.js';
import { tf } from './tf-backend.js';

export * from './masked-categorical-host.js';

/**
 * Differentiable masked log-softmax of `[batch, n]` logits; `mask` is `[batch, n]` with 1 =
 * allowed (any dtype). Masked entries get ≈ −1e9 (probability 0).
 */
export function maskedLogSoftmax(logits: tf.Tensor2D, mask?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const masked = mask
      ? tf.where(tf.cast(mask, 'bool'), logits, tf.fill(logits.shape, MASKED_LOGIT))
      : logits;
    return tf.logSoftmax(masked) as tf.Tensor2D;
  });
}

/** `log π(a_b)` for each row b: picks `actions[b]` (int32 `[batch]`) from `[batch, n]` log-probabilities. */
export function categoricalLogProb(logProbs: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const n = logProbs.shape[1];
    return tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(actions, 'int32'), n)), 1) as tf.Tensor1D;
  });
}

/** Entropy `−Σ p log p` of each row of `[batch, n]` log-probabilities (masked entries contribute 0). */
export function categoricalEntropy(logProbs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), 1)) as tf.Tensor1D);
}
