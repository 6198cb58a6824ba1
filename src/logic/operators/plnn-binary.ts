/**
 * Upward and downward bound rules for the binary PLNN operators AND, OR and IMPLIES,
 * written once for any activation f(x, y, J) that is continuous and monotone in each argument
 * separately (the J-modulated Fréchet functions of `frechet-j.ts`).
 *
 * Up: the range of f over the box x ∈ [Lx, Ux], y ∈ [Ly, Uy], J ∈ [JL, JU] is reached at its
 * corners. Down: an operand value x is possible iff some (y, J) in the box gives f inside the
 * node's bounds [Lv, Uv], i.e. iff `max f(x, ·) ≥ Lv` and `min f(x, ·) ≤ Uv`; both sides are
 * monotone in x, so each is a threshold found by {@link monotoneThreshold}. With J unconstrained
 * this reproduces the closed forms, e.g. OR down: `L_B ≥ L_{A∨B} − U_A`, `U_B ≤ U_{A∨B}`.
 */
import { monotoneThreshold } from './monotone-threshold.js';

/** A binary PLNN activation: probability of the node from its operands and the correlation J. */
export type PlnnActivation = (x: number, y: number, j: number) => number;

/** Candidate bounds `[L, U]` of f over the box of its operands and J, into `out`. */
export function plnnBinaryUp(
  f: PlnnActivation,
  xL: number,
  xU: number,
  yL: number,
  yU: number,
  jL: number,
  jU: number,
  out: Float64Array,
): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of [xL, xU])
    for (const y of [yL, yU])
      for (const j of [jL, jU]) {
        const v = f(x, y, j);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  out[0] = lo;
  out[1] = hi;
}

const scratch = new Float64Array(2);

/**
 * Candidate bounds of operand `k` (0 = x, 1 = y) from the node's bounds `[vL, vU]`, the other
 * operand's bounds `[oL, oU]` and J, into `out`. An impossible combination gives `[1, 0]`.
 */
export function plnnBinaryDown(
  f: PlnnActivation,
  k: 0 | 1,
  vL: number,
  vU: number,
  oL: number,
  oU: number,
  jL: number,
  jU: number,
  out: Float64Array,
): void {
  const at =
    k === 0
      ? (x: number, o: number, j: number): number => f(x, o, j)
      : (x: number, o: number, j: number): number => f(o, x, j);
  const maxOver = (x: number): number => Math.max(at(x, oL, jL), at(x, oL, jU), at(x, oU, jL), at(x, oU, jU));
  const minOver = (x: number): number => Math.min(at(x, oL, jL), at(x, oL, jU), at(x, oU, jL), at(x, oU, jU));
  out[0] = 0;
  out[1] = 1;
  if (vL > 0) {
    monotoneThreshold(maxOver, vL, false, scratch);
    out[0] = Math.max(out[0], scratch[0]!);
    out[1] = Math.min(out[1], scratch[1]!);
  }
  if (vU < 1) {
    monotoneThreshold(minOver, vU, true, scratch);
    out[0] = Math.max(out[0], scratch[0]!);
    out[1] = Math.min(out[1], scratch[1]!);
  }
}
