/**
 * J-modulated Fréchet inequalities (PLNN). For events with probabilities a and b, the
 * correlation J ∈ [−1, 1] picks the joint probability between maximal anti-correlation (J = −1,
 * the Fréchet lower bound `max(0, a + b − 1)`), independence (J = 0, `ab`) and maximal
 * correlation (J = 1, the Fréchet upper bound `min(a, b)`). Each function is continuous and
 * monotone in each argument separately, which the bound rules of `plnn-binary.ts` rely on.
 */

/** `P(A ∧ B)` at correlation J: increasing in a, b and J. */
export function andJ(a: number, b: number, j: number): number {
  const v = j >= 0 ? (1 - j) * a * b + j * Math.min(a, b) : (1 + j) * a * b - j * Math.max(0, a + b - 1);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** `P(A ∨ B) = a + b − P(A ∧ B)`: increasing in a and b, decreasing in J. */
export function orJ(a: number, b: number, j: number): number {
  const v = a + b - andJ(a, b, j);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * `P(A → B) = P(¬A ∨ B) = 1 − a + P(A ∧ B)`, J being the correlation of A and B: decreasing in a,
 * increasing in b and J. With J unconstrained this is Fréchet's `[max(1 − a, b), min(1, 1 − a + b)]`.
 */
export function impliesJ(a: number, b: number, j: number): number {
  const v = 1 - a + andJ(a, b, j);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
