/**
 * The LNN training losses (Riegel et al. 2020), each returning its value and adding its
 * gradient: the supervised loss on known truth values, the contradiction loss (how far a rule's
 * truth falls outside the bounds known for its head), and the logical-constraint loss that keeps
 * a learned conjunction a conjunction (the α-constraints).
 */
import type { LnnRuleLayer } from './lnn-rule-layer.js';
import { RULE_WEIGHT_THRESHOLD } from './rule-text.js';

/**
 * Squared error `Σ_h (out_h − target_h)²` over heads with a known target (NaN = unknown); adds
 * `∂/∂out` into `dOut`.
 */
export function supervisedLoss(
  out: ArrayLike<number>,
  target: ArrayLike<number>,
  dOut: Float64Array,
): number {
  let loss = 0;
  for (let h = 0; h < out.length; h++) {
    const y = target[h]!;
    if (Number.isNaN(y)) continue;
    const e = out[h]! - y;
    loss += e * e;
    dOut[h] = dOut[h]! + 2 * e;
  }
  return loss;
}

/**
 * Contradiction loss `Σ_h max(0, out_h − U_h) + max(0, L_h − out_h)`: the amount by which the
 * rule's truth would cross the bounds `[L_h, U_h]` known for its head (L > U after merging, in
 * LNN terms). Adds `∂/∂out` into `dOut`.
 */
export function contradictionLoss(
  out: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  dOut: Float64Array,
): number {
  let loss = 0;
  for (let h = 0; h < out.length; h++) {
    if (out[h]! > upper[h]!) {
      loss += out[h]! - upper[h]!;
      dOut[h] = dOut[h]! + 1;
    } else if (out[h]! < lower[h]!) {
      loss += lower[h]! - out[h]!;
      dOut[h] = dOut[h]! - 1;
    }
  }
  return loss;
}

/**
 * Squared violation of the α-constraints of every rule of `layer`, over its active inputs
 * (weight ≥ `threshold`, the inputs the extracted rule keeps): with all active inputs at least α
 * true the head is at least α true, `β − (1 − α) Σ w_i ≥ α`; with any active input at most 1 − α
 * the head is at most 1 − α, `β − α w_i ≤ 1 − α`. Adds the gradient into `grad`. α ∈ (0.5, 1].
 */
export function logicalConstraintLoss(
  layer: LnnRuleLayer,
  alpha: number,
  grad: Float64Array,
  threshold = RULE_WEIGHT_THRESHOLD,
): number {
  const p = layer.params;
  let loss = 0;
  for (let h = 0, base = 0; h < layer.heads.length; h++, base += layer.stride) {
    const beta = p[base]!;
    let activeSum = 0;
    for (let i = 0; i < layer.literalCount; i++)
      if (p[base + 1 + i]! >= threshold) activeSum += p[base + 1 + i]!;
    const vTrue = alpha - beta + (1 - alpha) * activeSum;
    if (vTrue > 0) {
      loss += vTrue * vTrue;
      grad[base] = grad[base]! - 2 * vTrue;
    }
    for (let i = 0; i < layer.literalCount; i++) {
      const w = p[base + 1 + i]!;
      if (w < threshold) continue;
      if (vTrue > 0) grad[base + 1 + i] = grad[base + 1 + i]! + 2 * vTrue * (1 - alpha);
      const vFalse = beta - alpha * w - (1 - alpha);
      if (vFalse > 0) {
        loss += vFalse * vFalse;
        grad[base] = grad[base]! + 2 * vFalse;
        grad[base + 1 + i] = grad[base + 1 + i]! - 2 * vFalse * alpha;
      }
    }
  }
  return loss;
}
