/**
 * Sample efficiency read off a learning curve: the environment steps after which an evaluation
 * first reaches a target (lower is better, e.g. the control's mean completion time).
 */

/** One evaluation of a learning curve: steps spent so far and the evaluated value. */
export interface CurvePoint {
  /** Environment steps consumed before this evaluation. */
  steps: number;
  /** Evaluated value (lower is better). */
  value: number;
}

/** Steps of the first point whose value is ≤ `target`, or undefined when no point reaches it. */
export function stepsToReach(points: readonly CurvePoint[], target: number): number | undefined {
  for (const p of points) if (p.value <= target) return p.steps;
  return undefined;
}
