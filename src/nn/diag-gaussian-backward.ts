/**
 * Training pass of the diagonal Gaussian head on host arrays (state-independent log-std): the
 * log-density of stored actions and the entropy per row, and the backward pass to ∂L/∂mean and
 * ∂L/∂logStd. The same function as `diagGaussianLogProbTensor` / `diagGaussianEntropyTensor` in
 * `diag-gaussian.ts`, without TensorFlow.
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * For `batch` rows of `d = logStd.length` means and actions (batch × d): writes
 * `log N(action | mean, exp(logStd)²)` into `logProb[b]` and the entropy into `entropy[b]`.
 */
export function diagGaussianForward(
  mean: Float32Array,
  logStd: Float32Array,
  actions: Float32Array,
  batch: number,
  logProb: Float32Array,
  entropy: Float32Array,
): void {
  const d = logStd.length;
  let h = 0;
  let norm = 0;
  for (let j = 0; j < d; j++) {
    h += 0.5 + HALF_LOG_2PI + logStd[j]!;
    norm += logStd[j]! + HALF_LOG_2PI;
  }
  for (let b = 0; b < batch; b++) {
    const o = b * d;
    let q = 0;
    for (let j = 0; j < d; j++) {
      const z = (actions[o + j]! - mean[o + j]!) / Math.exp(logStd[j]!);
      q += z * z;
    }
    logProb[b] = -0.5 * q - norm;
    entropy[b] = h;
  }
}

/**
 * Backward pass of {@link diagGaussianForward}: **writes** ∂L/∂mean (batch × d) into `dMean` and
 * **adds** ∂L/∂logStd into `dLogStd`, given ∂L/∂logProb and ∂L/∂entropy per row
 * (∂log p/∂μ = z/σ, ∂log p/∂logσ = z² − 1, ∂H/∂logσ = 1).
 */
export function diagGaussianBackward(
  mean: Float32Array,
  logStd: Float32Array,
  actions: Float32Array,
  batch: number,
  dLogProb: Float32Array,
  dEntropy: Float32Array,
  dMean: Float32Array,
  dLogStd: Float32Array,
): void {
  const d = logStd.length;
  for (let b = 0; b < batch; b++) {
    const o = b * d;
    const gl = dLogProb[b]!;
    const ge = dEntropy[b]!;
    for (let j = 0; j < d; j++) {
      const invStd = 1 / Math.exp(logStd[j]!);
      const z = (actions[o + j]! - mean[o + j]!) * invStd;
      dMean[o + j] = gl * z * invStd;
      dLogStd[j] = dLogStd[j]! + gl * (z * z - 1) + ge;
    }
  }
}
