/**
 * The EGS action encoding and action mask (SPEC §4). Action `a = i · maxNodes + j` adds the edge
 * `i → j`. The mask is the guarantee that no policy can break: it allows exactly the edges with
 * `i ≠ j`, both nodes present, neither reachable from the other (no cycle, no implied edge),
 * `EFT(i) ≤ LST(j)` within the project's time tolerance (so `L ≤ D` still holds), and, with
 * `criticalOnly`, both endpoints critical (in some maximum antichain).
 */
import type { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';

/** The action adding edge `i → j`: `i · maxNodes + j`. */
export function encodeEdgeAction(i: number, j: number, maxNodes: number): number {
  return i * maxNodes + j;
}

/** The edge `[i, j]` of action `a` (inverse of {@link encodeEdgeAction}). */
export function decodeEdgeAction(a: number, maxNodes: number): [number, number] {
  const i = Math.floor(a / maxNodes);
  return [i, a - i * maxNodes];
}

/**
 * Whether adding `i → j` is allowed: {@link EdgeGenerationState.isValid} (no self-loop, no cycle,
 * not implied, `EFT(i) ≤ LST(j)` with the TIME_EPS tolerance of `egs-greedy`), both indices below
 * n, and both endpoints critical when `critical` is given.
 */
export function isEdgeActionAllowed(
  state: EdgeGenerationState,
  i: number,
  j: number,
  critical?: ArrayLike<number>,
): boolean {
  const n = state.dag.n;
  if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < n && j < n)) return false;
  if (critical && !(critical[i] && critical[j])) return false;
  return state.isValid(i, j);
}

/**
 * Writes the mask over `Discrete(maxNodes²)` into `out` (zeroed first; length ≥ maxNodes²) and
 * returns the number of allowed actions. `critical` (when given) restricts both endpoints to the
 * critical nodes. O(k²) validity tests for k candidate nodes, each O(1).
 */
export function writeEdgeActionMask(
  state: EdgeGenerationState,
  maxNodes: number,
  out: Uint8Array,
  critical?: ArrayLike<number>,
): number {
  const n = state.dag.n;
  out.fill(0, 0, maxNodes * maxNodes);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (critical && !critical[i]) continue;
    const row = i * maxNodes;
    for (let j = 0; j < n; j++) {
      if (critical && !critical[j]) continue;
      if (state.isValid(i, j)) {
        out[row + j] = 1;
        count++;
      }
    }
  }
  return count;
}
