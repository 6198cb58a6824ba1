/**
 * Weighted Łukasiewicz disjunction over literals (LNN): `OR(ℓ) = clamp(1 − β + Σ w_i ℓ_i)`
 * where a literal ℓ_i is an operand or its negation. Implication is the disjunction
 * `A → B = clamp(1 − β + w_A (1 − A) + w_B B)`, i.e. the first literal negated; negated inputs
 * swap their bounds.
 */

/** Bounds of literal i: the operand's, or `[1 − U, 1 − L]` when negated. */
function literalLower(x: number, negated: boolean, lower: Float64Array, upper: Float64Array): number {
  return negated ? 1 - upper[x]! : lower[x]!;
}
function literalUpper(x: number, negated: boolean, lower: Float64Array, upper: Float64Array): number {
  return negated ? 1 - lower[x]! : upper[x]!;
}

/**
 * Candidate bounds `[L, U]` of the disjunction, into `out`. `negateFirst` turns it into the
 * implication `operands[0] → operands[1]`.
 */
export function lnnOrUp(
  operands: readonly number[],
  weights: readonly number[],
  beta: number,
  negateFirst: boolean,
  lower: Float64Array,
  upper: Float64Array,
  out: Float64Array,
): void {
  let sumLower = 0;
  let sumUpper = 0;
  for (let i = 0; i < operands.length; i++) {
    const neg = negateFirst && i === 0;
    sumLower += weights[i]! * literalLower(operands[i]!, neg, lower, upper);
    sumUpper += weights[i]! * literalUpper(operands[i]!, neg, lower, upper);
  }
  out[0] = 1 - beta + sumLower;
  out[1] = 1 - beta + sumUpper;
}

/**
 * Candidate bounds of operand `k` from the disjunction's bounds `[vL, vU]` and the other literals,
 * into `out` (unclamped). `vL > 0` needs literal k to make up what the others cannot (modus
 * ponens for the consequent of an implication); `vU < 1` caps every literal (modus tollens for
 * the antecedent). Zero weight: no information.
 */
export function lnnOrDown(
  operands: readonly number[],
  weights: readonly number[],
  beta: number,
  negateFirst: boolean,
  k: number,
  vL: number,
  vU: number,
  lower: Float64Array,
  upper: Float64Array,
  out: Float64Array,
): void {
  out[0] = 0;
  out[1] = 1;
  const w = weights[k]!;
  if (!(w > 0)) return;
  let restMin = 0;
  let restMax = 0;
  for (let i = 0; i < operands.length; i++) {
    if (i === k) continue;
    const neg = negateFirst && i === 0;
    restMin += weights[i]! * literalLower(operands[i]!, neg, lower, upper);
    restMax += weights[i]! * literalUpper(operands[i]!, neg, lower, upper);
  }
  const litLower = vL > 0 ? (vL - 1 + beta - restMax) / w : 0;
  const litUpper = vU < 1 ? (vU - 1 + beta - restMin) / w : 1;
  if (negateFirst && k === 0) {
    out[0] = 1 - litUpper;
    out[1] = 1 - litLower;
  } else {
    out[0] = litLower;
    out[1] = litUpper;
  }
}
