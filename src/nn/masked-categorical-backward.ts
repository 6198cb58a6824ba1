/**
 * Training pass of the masked categorical head on host arrays: log-softmax of logits rows,
 * log π(a) and entropy per row, and the backward pass to ∂L/∂logits given ∂L/∂log π(a) and
 * ∂L/∂entropy. The same function as `maskedLogSoftmax` / `categoricalLogProb` /
 * `categoricalEntropy` in `masked-categorical.ts`, without TensorFlow: masked-out logits are
 * replaced by −1e9 before an ordinary log-softmax over the whole row (so an all-masked row is
 * uniform and a masked action has a huge negative, finite log-probability), and no gradient
 * reaches a masked-out logit (TensorFlow's `where` passes none to the replaced entries).
 */

/** The logit masked-out actions get (the same value as `MASKED_LOGIT` of the TF.js head). */
const MASKED = -1e9;

/**
 * For `batch` rows of `n` logits: writes the masked log-softmax into `logp` (batch × n),
 * `log π(actions[b])` into `logProb[b]` and the entropy `−Σ p log p` into `entropy[b]`.
 * `masks` (batch × n, 1 = allowed) is optional.
 */
export function maskedCategoricalForward(
  logits: Float32Array,
  batch: number,
  n: number,
  actions: Int32Array,
  masks: Uint8Array | undefined,
  logp: Float32Array,
  logProb: Float32Array,
  entropy: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const o = b * n;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const z = masks && masks[o + i] === 0 ? MASKED : logits[o + i]!;
      logp[o + i] = z;
      if (z > max) max = z;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(logp[o + i]! - max);
    const lse = max + Math.log(s);
    let h = 0;
    for (let i = 0; i < n; i++) {
      const lp = logp[o + i]! - lse;
      logp[o + i] = lp;
      // exp(−1e9 − lse) is exactly 0, so masked entries add 0 (not NaN).
      h -= Math.exp(lp) * lp;
    }
    logProb[b] = logp[o + actions[b]!]!;
    entropy[b] = h;
  }
}

/**
 * Backward pass of {@link maskedCategoricalForward}: given `logp` from it, ∂L/∂logProb and
 * ∂L/∂entropy per row, **writes** ∂L/∂logits (batch × n) into `dLogits`:
 * `mask_k · [dLogProb·(δ_ka − p_k) − dEntropy·p_k·(log p_k + H)]`.
 */
export function maskedCategoricalBackward(
  logp: Float32Array,
  batch: number,
  n: number,
  actions: Int32Array,
  masks: Uint8Array | undefined,
  entropy: Float32Array,
  dLogProb: Float32Array,
  dEntropy: Float32Array,
  dLogits: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const o = b * n;
    const gl = dLogProb[b]!;
    const ge = dEntropy[b]!;
    const h = entropy[b]!;
    const a = actions[b]!;
    for (let k = 0; k < n; k++) {
      if (masks && masks[o + k] === 0) {
        dLogits[o + k] = 0;
        continue;
      }
      const lp = logp[o + k]!;
      const p = Math.exp(lp);
      dLogits[o + k] = gl * ((k === a ? 1 : 0) - p) - ge * p * (lp + h);
    }
  }
}
