/**
 * The EGS action encoding and action mask. Action `a = i · maxNodes + j` adds the edge
 * `i → j`. The mask is the guarantee that no policy can break: it allows exactly the edges with
 * `i ≠ j`, both nodes present, neither reachable from the other (no cycle, no implied edge),
 * `EFT(i) ≤ LST(j)` within the project's time tolerance (so `L ≤ D` still holds), and, with
 * `criticalOnly`, both endpoints critical (in some maximum antichain).
 */
import type { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';
import { timeLeq } from '../../dag/time-tolerance.js';

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
  out.fill(0, 0, maxNodes * maxNodes);
  const allowed = listEgsActions(state, maxNodes, [], critical);
  for (const a of allowed) out[a] = 1;
  return allowed.length;
}

/**
 * EGS-v0's rule of allowed actions, as an ascending list written into `out` (cleared first) and
 * returned: with `antichain` (the env's `antichainOnly`), the allowed edges between its nodes;
 * when there are none, or without `antichain`, the allowed edges between `critical` nodes (every
 * node when `critical` is undefined). The env's mask is this list; the EGS policy scheduler walks
 * the list itself, which is why it is a list (no n² scan, no allocation once `out` has grown).
 */
export function listEgsActions(
  state: EdgeGenerationState,
  maxNodes: number,
  out: number[],
  critical?: ArrayLike<number>,
  antichain?: readonly number[],
): number[] {
  out.length = 0;
  const n = state.dag.n;
  const words = state.reach.words;
  if (candidateScratch.length < words) candidateScratch = new Uint32Array(words);
  const allowedJ = candidateScratch;
  if (antichain) {
    // The same pairs as state.isValid(i, j) over i, j in the antichain, listed on bitsets with i
    // and j ascending (so no sort): a wide graph's antichain has ~n² pairs.
    allowedJ.fill(0, 0, words);
    for (const v of antichain)
      if (Number.isInteger(v) && v >= 0 && v < n) allowedJ[v >>> 5]! |= 1 << (v & 31);
    validPairsOf(state, maxNodes, allowedJ, allowedJ, out);
    if (out.length > 0) return out;
  }
  // The pairs state.isValid allows between (critical) nodes, in the same way.
  allowedJ.fill(0, 0, words);
  for (let j = 0; j < n; j++) if (!critical || critical[j]) allowedJ[j >>> 5]! |= 1 << (j & 31);
  return validPairsOf(state, maxNodes, allowedJ, allowedJ, out);
}

/**
 * Appends to `out` every action i → j with i in `fromSet`, j in `toSet` (bitsets) and
 * `state.isValid(i, j)`, ascending: row by row on the closure's words, candidates j are the nodes
 * of `toSet` neither reached from i nor reaching i, then the window test.
 */
function validPairsOf(
  state: EdgeGenerationState,
  maxNodes: number,
  fromSet: Uint32Array,
  toSet: Uint32Array,
  out: number[],
): number[] {
  const n = state.dag.n;
  const { reach, ancestors, eft, lst, deadline } = state;
  const words = reach.words;
  const allowedJ = toSet;
  const r = reach.data;
  const a = ancestors.data;
  for (let i = 0; i < n; i++) {
    if ((fromSet[i >>> 5]! & (1 << (i & 31))) === 0) continue;
    const row = i * maxNodes;
    const ri = i * words;
    for (let k = 0; k < words; k++) {
      let x = allowedJ[k]! & ~(r[ri + k]! | a[ri + k]!);
      if (k === i >>> 5) x &= ~(1 << (i & 31));
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        const j = (k << 5) + (31 - Math.clz32(low));
        if (timeLeq(eft[i]!, lst[j]!, deadline)) out.push(row + j);
      }
    }
  }
  return out;
}

// Candidate endpoints of listEgsActions (one bitset row, grown when needed).
let candidateScratch = new Uint32Array(0);
