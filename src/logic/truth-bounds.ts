/**
 * Truth bounds `[L, U] ⊆ [0, 1]`: a truth value (LNN) or a probability (PLNN) known
 * only to lie between a lower and an upper bound. `L > U` is a contradiction.
 */

/** A closed interval of truth values or probabilities. */
export interface TruthBounds {
  /** Lower bound L, in [0, 1]. */
  readonly lower: number;
  /** Upper bound U, in [0, 1]; `U < L` only on a contradicted node. */
  readonly upper: number;
}

/** The bounds of a node nothing is known about. */
export const UNKNOWN: TruthBounds = Object.freeze({ lower: 0, upper: 1 });

/**
 * How far `L` may exceed `U` before it counts as a contradiction: floating-point rounding in the
 * inverse rules must not be reported as a logical conflict between point facts.
 */
export const CONTRADICTION_TOLERANCE = 1e-9;

/** Clamps x into [0, 1]. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** `[L, U]` as text with 3 decimals, e.g. `[0.625, 0.667]`. */
export function formatBounds(lower: number, upper: number, digits = 3): string {
  return `[${lower.toFixed(digits)}, ${upper.toFixed(digits)}]`;
}
