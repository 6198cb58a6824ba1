/**
 * The conditional `c = P(B | A)` (PLNN), tied to its joint by `P(A ∧ B) = c · P(A)`.
 * The joint node carries the Fréchet/J relation to A and B; this node only adds the product rule,
 * up (`c = joint / a`) and down (to the joint and to A). `P(A) = 0` leaves c unconstrained.
 */

/** Candidate bounds of c from `a ∈ [aL, aU]` and `joint ∈ [jointL, jointU]`, into `out`. */
export function givenUp(aL: number, aU: number, jointL: number, jointU: number, out: Float64Array): void {
  out[0] = aU > 0 ? jointL / aU : 0;
  out[1] = aL > 0 ? Math.min(1, jointU / aL) : 1;
}

/** Candidate bounds of the joint from c and a: `joint = c · a`. */
export function givenDownJoint(cL: number, cU: number, aL: number, aU: number, out: Float64Array): void {
  out[0] = cL * aL;
  out[1] = cU * aU;
}

/** Candidate bounds of a from c and the joint: `a = joint / c` (no information where c may be 0). */
export function givenDownAntecedent(
  cL: number,
  cU: number,
  jointL: number,
  jointU: number,
  out: Float64Array,
): void {
  out[0] = cU > 0 ? jointL / cU : 0;
  out[1] = cL > 0 ? jointU / cL : 1;
}
