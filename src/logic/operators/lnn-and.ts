/**
 * Weighted Łukasiewicz conjunction (LNN): `AND(x) = clamp(β − Σ w_i (1 − x_i))`.
 * Increasing in every input (w ≥ 0), so the lower bound comes from the lower inputs and the upper
 * from the upper inputs; downward inference is the functional inverse per operand.
 */

/** Candidate bounds `[L, U]` of the conjunction from its operands' bounds, into `out`. */
export function lnnAndUp(
  operands: readonly number[],
  weights: readonly number[],
  beta: number,
  lower: Float64Array,
  upper: Float64Array,
  out: Float64Array,
): void {
  let penaltyAtLower = 0;
  let penaltyAtUpper = 0;
  for (let i = 0; i < operands.length; i++) {
    const w = weights[i]!;
    penaltyAtLower += w * (1 - lower[operands[i]!]!);
    penaltyAtUpper += w * (1 - upper[operands[i]!]!);
  }
  out[0] = beta - penaltyAtLower;
  out[1] = beta - penaltyAtUpper;
}

/**
 * Candidate bounds of operand `k` given the conjunction's bounds `[vL, vU]` and the other
 * operands' bounds, into `out` (unclamped; the caller intersects with [0, 1]). A lower bound on
 * the conjunction (`vL > 0`) forces every input up; an upper bound (`vU < 1`, where the clamp is
 * inactive) caps the input when the others are known true enough. Zero weight: no information.
 */
export function lnnAndDown(
  operands: readonly number[],
  weights: readonly number[],
  beta: number,
  k: number,
  vL: number,
  vU: number,
  lower: Float64Array,
  upper: Float64Array,
  out: Float64Array,
): void {
  const w = weights[k]!;
  out[0] = 0;
  out[1] = 1;
  if (!(w > 0)) return;
  let restMin = 0; // the others' smallest possible penalty (all at their upper bounds)
  let restMax = 0; // … and largest (all at their lower bounds)
  for (let i = 0; i < operands.length; i++) {
    if (i === k) continue;
    restMin += weights[i]! * (1 - upper[operands[i]!]!);
    restMax += weights[i]! * (1 - lower[operands[i]!]!);
  }
  if (vL > 0) out[0] = 1 - (beta - vL - restMin) / w;
  if (vU < 1) out[1] = 1 - (beta - vU - restMax) / w;
}
