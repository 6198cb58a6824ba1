/**
 * The state of Edge Generation Scheduling: a DAG task with the edges added so far, its incrementally
 * updated closure and time windows, and the mask of edges that may still be added.
 */
import { BitMatrix } from '../bit-matrix.js';
import type { Dag } from '../dag-task.js';
import { transitiveClosure } from '../analysis/transitive-closure.js';
import { widthFromClosure, type WidthResult } from '../analysis/width.js';
import { timeLeq } from '../time-tolerance.js';

/**
 * A DAG task being extended with edges (for EGS): the closure (descendants and ancestors as bit
 * matrices) is updated incrementally per added edge in O(n²/32) word operations, and the time
 * windows are recomputed for the deadline D. The action mask is the guarantee: only edges that
 * keep the graph acyclic, are not already implied, and keep `L ≤ D` (`EFT(i) ≤ LST(j)`) are valid.
 */
export class EdgeGenerationState {
  /** The original task. */
  readonly dag: Dag;
  /** Deadline D. */
  readonly deadline: number;
  /** Descendants: bit (u, v) iff u reaches v in the current graph. */
  readonly reach: BitMatrix;
  /** Ancestors: bit (v, u) iff u reaches v. */
  readonly ancestors: BitMatrix;
  /** Earliest start / finish and latest start / finish in the current graph, by node. */
  readonly est: Float64Array;
  readonly eft: Float64Array;
  readonly lst: Float64Array;
  readonly lft: Float64Array;
  /** Edges added so far, as node-index pairs, in order. */
  readonly added: [number, number][];
  private readonly succ: number[][];
  private readonly pred: number[][];

  constructor(dag: Dag, deadline: number, from?: EdgeGenerationState) {
    this.dag = dag;
    this.deadline = deadline;
    const n = dag.n;
    if (from) {
      this.reach = from.reach.clone();
      this.ancestors = from.ancestors.clone();
      this.succ = from.succ.map((s) => [...s]);
      this.pred = from.pred.map((p) => [...p]);
      this.added = from.added.map(([a, b]) => [a, b]);
      this.est = from.est.slice();
      this.eft = from.eft.slice();
      this.lst = from.lst.slice();
      this.lft = from.lft.slice();
      return;
    }
    this.reach = transitiveClosure(dag);
    this.ancestors = this.reach.transpose();
    this.succ = dag.succ.map((s) => [...s]);
    this.pred = dag.pred.map((p) => [...p]);
    this.added = [];
    this.est = new Float64Array(n);
    this.eft = new Float64Array(n);
    this.lst = new Float64Array(n);
    this.lft = new Float64Array(n);
    this.updateTiming();
  }

  /** An independent copy (for lookahead and search). */
  clone(): EdgeGenerationState {
    return new EdgeGenerationState(this.dag, this.deadline, this);
  }

  /** Current critical-path length L(G'). */
  get criticalPath(): number {
    let L = 0;
    for (let v = 0; v < this.dag.n; v++) if (this.eft[v]! > L) L = this.eft[v]!;
    return L;
  }

  /** Whether adding `i → j` is a valid action (the EGS action mask). */
  isValid(i: number, j: number): boolean {
    return (
      i !== j &&
      !this.reach.has(i, j) &&
      !this.reach.has(j, i) &&
      timeLeq(this.eft[i]!, this.lst[j]!, this.deadline)
    );
  }

  /** Adds the edge `i → j` (must be valid) and updates closure and time windows. */
  addEdge(i: number, j: number): void {
    if (!this.isValid(i, j)) throw new Error(`EdgeGenerationState: edge ${i} -> ${j} is not valid`);
    const { reach, ancestors } = this;
    // Every ancestor of i (and i) now reaches j and all of j's descendants; symmetrically for ancestors.
    const srcs = ancestors.rowIndices(i);
    srcs.push(i);
    const dsts = reach.rowIndices(j);
    dsts.push(j);
    for (const a of srcs) {
      reach.orRowInto(a, j);
      reach.set(a, j);
    }
    for (const b of dsts) {
      ancestors.orRowInto(b, i);
      ancestors.set(b, i);
    }
    this.succ[i]!.push(j);
    this.pred[j]!.push(i);
    this.added.push([i, j]);
    this.updateTiming();
  }

  /** Width of the current graph with a maximum antichain and a minimum chain cover. */
  width(): WidthResult {
    return widthFromClosure(this.reach);
  }

  /** Recomputes the windows in an order consistent with the closure (ancestor count ascending). */
  private updateTiming(): void {
    const n = this.dag.n;
    const wcet = this.dag.wcet;
    const order = topologicalByAncestors(this.ancestors);
    for (const v of order) {
      let s = 0;
      for (const u of this.pred[v]!) if (this.eft[u]! > s) s = this.eft[u]!;
      this.est[v] = s;
      this.eft[v] = s + wcet[v]!;
    }
    for (let k = n - 1; k >= 0; k--) {
      const v = order[k]!;
      let f = this.deadline;
      for (const w of this.succ[v]!) if (this.lst[w]! < f) f = this.lst[w]!;
      this.lft[v] = f;
      this.lst[v] = f - wcet[v]!;
    }
  }
}

/** A topological order: a node has strictly more ancestors than any of its ancestors. */
function topologicalByAncestors(ancestors: BitMatrix): number[] {
  const n = ancestors.n;
  const count = new Int32Array(n);
  for (let v = 0; v < n; v++) count[v] = ancestors.rowCount(v);
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => count[a]! - count[b]! || a - b);
}
