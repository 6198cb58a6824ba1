/**
 * Time windows of every node (EST, EFT, LST, LFT for a deadline) and the two basic measures of a
 * DAG task: its critical-path length L(G) and total work vol(G).
 */
import type { Dag } from '../dag-task.js';

/** Time windows of every node and the two basic measures of a DAG task. */
export interface Timing {
  /** `vol(G)`: sum of all WCETs. */
  volume: number;
  /** `L(G)`: length of the longest path, node-weighted. */
  criticalPath: number;
  /** Deadline the backward pass was computed from (D, or L when the task has none). */
  deadline: number;
  /** Earliest start time, by node index. */
  est: Float64Array;
  /** Earliest finish time `EST + C`, by node index. */
  eft: Float64Array;
  /** Latest start time `LFT − C`, by node index. */
  lst: Float64Array;
  /** Latest finish time (backward from D), by node index. */
  lft: Float64Array;
}

/**
 * Forward (EST/EFT) and backward (LST/LFT) passes in topological order, O(n + e).
 * `deadline` defaults to the task's D, or to L(G) when it has none.
 */
export function computeTiming(dag: Dag, deadline?: number): Timing {
  const { n, wcet, succ, pred, topoOrder } = dag;
  const est = new Float64Array(n);
  const eft = new Float64Array(n);
  let volume = 0;
  let criticalPath = 0;
  for (let k = 0; k < n; k++) {
    const v = topoOrder[k]!;
    let s = 0;
    for (const u of pred[v]!) if (eft[u]! > s) s = eft[u]!;
    est[v] = s;
    eft[v] = s + wcet[v]!;
    volume += wcet[v]!;
    if (eft[v]! > criticalPath) criticalPath = eft[v]!;
  }
  const D = deadline ?? dag.deadline ?? criticalPath;
  const lft = new Float64Array(n);
  const lst = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const v = topoOrder[k]!;
    let f = D;
    for (const w of succ[v]!) if (lst[w]! < f) f = lst[w]!;
    lft[v] = f;
    lst[v] = f - wcet[v]!;
  }
  return { volume, criticalPath, deadline: D, est, eft, lst, lft };
}

/** `L(G)`: longest path length (node-weighted). */
export function criticalPathLength(dag: Dag): number {
  return computeTiming(dag).criticalPath;
}

/** `vol(G)`: total work. */
export function volume(dag: Dag): number {
  let s = 0;
  for (let i = 0; i < dag.n; i++) s += dag.wcet[i]!;
  return s;
}

/** One longest path as node indices from a source to a sink. */
export function longestPath(dag: Dag): number[] {
  const { est, eft, criticalPath } = computeTiming(dag);
  let v = -1;
  for (let i = 0; i < dag.n; i++) if (eft[i] === criticalPath && (v < 0 || dag.succ[i]!.length === 0)) v = i;
  const path = [v];
  while (dag.pred[v]!.length > 0) {
    let best = -1;
    for (const u of dag.pred[v]!) if (eft[u] === est[v] && (best < 0 || u < best)) best = u;
    if (best < 0) break;
    v = best;
    path.push(v);
  }
  return path.reverse();
}
