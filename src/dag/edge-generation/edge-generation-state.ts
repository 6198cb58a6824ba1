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
  // Scratch of updateTiming's topological order (sized on first use).
  private order: Int32Array | undefined;

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

  /** Direct successors of v in the current graph (the task's edges, then the added ones); do not modify. */
  successors(v: number): readonly number[] {
    return this.succ[v]!;
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
    // Every ancestor of i (and i) now reaches j and all of j's descendants; symmetrically for
    // ancestors. The rows walked (ancestors of i, descendants of j) are not among those written.
    orRowIntoSetRows(this.reach, this.ancestors, i, j);
    orRowIntoSetRows(this.ancestors, this.reach, j, i);
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
    const order = topologicalByAncestors(this.ancestors, (this.order ??= new Int32Array(2 * n + 1)));
    for (let k = 0; k < n; k++) {
      const v = order[k]!;
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

/**
 * For every node `a` set in row `via` of `other` (and `via` itself): row `a` of `m` |= row `to` of
 * `m`, and bit (a, to) set. With m = reach, other = ancestors, via = i, to = j this adds the pairs of
 * the new edge i → j; with the roles swapped, their transposes. No allocation.
 */
function orRowIntoSetRows(m: BitMatrix, other: BitMatrix, via: number, to: number): void {
  const w = m.words;
  const d = m.data;
  const od = other.data;
  const src = to * w;
  const bitWord = to >>> 5;
  const bit = 1 << (to & 31);
  const base = via * w;
  for (let k = 0; k <= w; k++) {
    // k = w stands for `via` itself, after its set rows.
    let x = k < w ? od[base + k]! : 1;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const a = k < w ? (k << 5) + (31 - Math.clz32(low)) : via;
      const dst = a * w;
      for (let t = 0; t < w; t++) d[dst + t]! |= d[src + t]!;
      d[dst + bitWord]! |= bit;
    }
  }
}

/**
 * A topological order into `out` (length ≥ 2n + 1, reused): a node has strictly more ancestors
 * than any of its ancestors; ties by index, ascending (a counting sort on the ancestor counts).
 */
function topologicalByAncestors(ancestors: BitMatrix, out: Int32Array): Int32Array {
  const n = ancestors.n;
  // out[n …] counts nodes per ancestor count, then holds each count's first slot.
  const start = out.subarray(n, 2 * n + 1);
  start.fill(0);
  for (let v = 0; v < n; v++) start[ancestors.rowCount(v) + 1]!++;
  for (let c = 1; c <= n; c++) start[c]! += start[c - 1]!;
  for (let v = 0; v < n; v++) out[start[ancestors.rowCount(v)]!++] = v;
  return out;
}
