/**
 * Negation, the same in LNN and PLNN: `¬[L, U] = [1 − U, 1 − L]`, upward and downward.
 */

/** Candidate bounds of `¬x` from x's bounds, into `out = [L, U]`. */
export function notUp(xLower: number, xUpper: number, out: Float64Array): void {
  out[0] = 1 - xUpper;
  out[1] = 1 - xLower;
}

/** Candidate bounds of x from the bounds of `¬x` (the same map: negation is its own inverse). */
export function notDown(vLower: number, vUpper: number, out: Float64Array): void {
  out[0] = 1 - vUpper;
  out[1] = 1 - vLower;
}
