/**
 * Reachability in a DAG: the transitive closure as a bit matrix, the transitive reduction, and the
 * comparability test that width and edge generation are built on.
 */
import { BitMatrix } from '../bit-matrix.js';
import type { Dag } from '../dag-task.js';

/**
 * Transitive closure as a bit matrix: bit (u, v) is set iff there is a path u → … → v of length
 * ≥ 1. Computed in reverse topological order, one row OR per edge: O(e·n/32) word operations.
 */
export function transitiveClosure(dag: Dag): BitMatrix {
  const reach = new BitMatrix(dag.n);
  for (let k = dag.n - 1; k >= 0; k--) {
    const u = dag.topoOrder[k]!;
    for (const w of dag.succ[u]!) {
      reach.set(u, w);
      reach.orRowInto(u, w);
    }
  }
  return reach;
}

/**
 * Transitive reduction: the edges `u → v` of the DAG that are not implied by a longer path.
 * An edge is redundant exactly when v is reachable from another successor of u.
 */
export function transitiveReduction(dag: Dag, reach: BitMatrix = transitiveClosure(dag)): [number, number][] {
  const kept: [number, number][] = [];
  const covered = new Uint32Array(reach.words);
  for (let u = 0; u < dag.n; u++) {
    covered.fill(0);
    for (const w of dag.succ[u]!) {
      const base = w * reach.words;
      for (let k = 0; k < reach.words; k++) covered[k]! |= reach.data[base + k]!;
    }
    for (const v of dag.succ[u]!) if ((covered[v >>> 5]! & (1 << (v & 31))) === 0) kept.push([u, v]);
  }
  return kept;
}

/** Whether u and v are comparable (one reaches the other) under the closure. */
export function comparable(reach: BitMatrix, u: number, v: number): boolean {
  return reach.has(u, v) || reach.has(v, u);
}
