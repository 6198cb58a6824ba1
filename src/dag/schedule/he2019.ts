/**
 * He et al., "Intra-task priority assignment in real-time scheduling of DAG tasks on
 * multi-cores", IEEE TPDS 2019: the longest-path-first priority assignment and its
 * response-time bound, for non-preemptive work-conserving global list scheduling.
 *
 * Notation (as in the paper): C(v) WCET, π(v) priority rank (0 = highest), u ∥ v "concurrent"
 * (neither reaches the other), l(v) longest path through v, l_f(v) longest path ending at v,
 * l_b(v) longest path starting at v, f(v) finish-time bound of v, I(v) interfering nodes.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { BitMatrix } from '../bit-matrix.js';
import type { BoundedPriorityMethod } from './bound-based-scheduler.js';

/**
 * Path lengths of every node, weights on nodes: `lf` = l_f(v) (longest path ending at v, with
 * C(v)), `lb` = l_b(v) (longest path starting at v, with C(v)), `l` = l(v) = l_f + l_b − C(v)
 * (longest path through v). Same time unit as the WCETs.
 */
export interface HePathLengths {
  lf: Float64Array;
  lb: Float64Array;
  l: Float64Array;
}

/** Computes {@link HePathLengths} by one forward and one backward pass in topological order, O(n + e). */
export function hePathLengths(ctx: AnalysisContext): HePathLengths {
  const { n, wcet, succ, topoOrder } = ctx.dag;
  const lf = ctx.timing.eft.slice();
  const lb = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const v = topoOrder[k]!;
    let tail = 0;
    for (const w of succ[v]!) if (lb[w]! > tail) tail = lb[w]!;
    lb[v] = wcet[v]! + tail;
  }
  const l = new Float64Array(n);
  for (let v = 0; v < n; v++) l[v] = lf[v]! + lb[v]! - wcet[v]!;
  return { lf, lb, l };
}

/**
 * He et al. (TPDS 2019) priority assignment, "follow the longest path":
 * start at the source with the largest l(v); repeatedly move to the successor with the largest
 * l (ties: larger l_b, then smaller index); when that successor still has unprioritized
 * ancestors, prioritize those first by the same procedure restricted to them (recursively);
 * when the walk reaches a sink, start again from the best remaining source.
 *
 * Every node gets its rank after all of its ancestors, so the order is a linear extension of
 * the DAG ("ancestors before descendants"). Returns ranks, 0 = highest priority, a permutation
 * of 0 … n−1. O(n² / 32 + n·e).
 */
export function he2019Priority(ctx: AnalysisContext): Int32Array {
  const { n, succ, pred } = ctx.dag;
  const { l, lb } = hePathLengths(ctx);
  const rank = new Int32Array(n).fill(-1);
  // Unprioritized predecessors per node: a node is a source of the remaining graph iff 0.
  const openPred = new Int32Array(n);
  for (let v = 0; v < n; v++) openPred[v] = pred[v]!.length;
  // depthOf[u] = nesting depth of the innermost active set that holds u (valid for open nodes).
  const depthOf = new Int32Array(n);
  let next = 0;

  const better = (a: number, b: number): boolean =>
    l[a]! > l[b]! || (l[a] === l[b] && (lb[a]! > lb[b]! || (lb[a] === lb[b] && a < b)));

  const give = (v: number): void => {
    rank[v] = next++;
    for (const w of succ[v]!) openPred[w]!--;
  };

  // Prioritizes every node of a frame's `members` (an ancestor-closed remainder: all ancestors of
  // a member outside it are already prioritized). Nested remainders go on an explicit stack, as
  // deep as the DAG is long in the worst case: `v` is the node the frame's walk stands on (−1:
  // pick a new start), `pending` the successor given once the nested frame is done.
  interface Frame {
    members: readonly number[];
    depth: number;
    v: number;
    pending: number;
  }
  const stack: Frame[] = [];
  const enter = (members: readonly number[], depth: number): void => {
    for (const u of members) depthOf[u] = depth;
    stack.push({ members, depth, v: -1, pending: -1 });
  };
  enter(
    Array.from({ length: n }, (_, i) => i),
    0,
  );
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.pending >= 0) {
      give(f.pending);
      f.v = f.pending;
      f.pending = -1;
    } else if (f.v < 0) {
      let v = -1;
      for (const u of f.members) if (rank[u] === -1 && openPred[u] === 0 && (v < 0 || better(u, v))) v = u;
      if (v < 0) {
        stack.pop(); // all members prioritized
        continue;
      }
      give(v);
      f.v = v;
    }
    // Walk along the successor with the largest l.
    let s = -1;
    for (const w of succ[f.v]!)
      if (rank[w] === -1 && depthOf[w] === f.depth && (s < 0 || better(w, s))) s = w;
    if (s < 0) {
      f.v = -1;
      continue;
    }
    if (openPred[s]! > 0) {
      // Its unprioritized ancestors go first; by the invariant they all lie in `members`.
      f.pending = s;
      enter(
        ctx.ancestors.rowIndices(s).filter((a) => rank[a] === -1),
        f.depth + 1,
      );
      continue;
    }
    give(s);
    f.v = s;
  }
  return rank;
}

/**
 * The interference relations of He et al. for one priority order, as bit rows over node indices.
 * `hp` row v: nodes concurrent with v of higher priority (π(u) < π(v)), the paper's I(v).
 * `lp` row v: nodes concurrent with v of lower priority (candidates for non-preemptive blocking).
 * `counted` row v: G(v) = hp(v) ∪ ⋂_{p ∈ pred(v)} G(p), the nodes counted as interference on
 * *every* path that ends at v (used to count a node at most once per path, soundly).
 */
export interface HeInterference {
  hp: BitMatrix;
  lp: BitMatrix;
  counted: BitMatrix;
}

/** Builds {@link HeInterference} for a priority order (ranks, 0 = highest). O(n² / 32 + e·n / 32). */
export function heInterference(ctx: AnalysisContext, priority: ArrayLike<number>): HeInterference {
  const { n, pred, topoOrder } = ctx.dag;
  const { reach, ancestors } = ctx;
  const W = reach.words;
  const hp = new BitMatrix(n);
  const lp = new BitMatrix(n);
  const counted = new BitMatrix(n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => priority[a]! - priority[b]! || a - b);
  const higher = new Uint32Array(W); // nodes of strictly higher priority than the current one
  const lastMask = n % 32 === 0 ? 0xffffffff : (1 << (n % 32)) - 1;
  for (const v of order) {
    for (let k = 0; k < W; k++) {
      const valid = k === W - 1 ? lastMask : 0xffffffff;
      let conc = ~(reach.data[v * W + k]! | ancestors.data[v * W + k]!) & valid;
      if (k === v >>> 5) conc &= ~(1 << (v & 31));
      hp.data[v * W + k] = conc & higher[k]!;
      lp.data[v * W + k] = conc & ~higher[k]!;
    }
    higher[v >>> 5]! |= 1 << (v & 31);
  }
  for (let t = 0; t < n; t++) {
    const v = topoOrder[t]!;
    const ps = pred[v]!;
    for (let k = 0; k < W; k++) {
      let common = ps.length > 0 ? 0xffffffff : 0;
      for (const p of ps) common &= counted.data[p * W + k]!;
      counted.data[v * W + k] = hp.data[v * W + k]! | common;
    }
  }
  return { hp, lp, counted };
}

/** Sum of C over the set bits of a word row. */
export function rowVolume(words: Uint32Array, offset: number, W: number, wcet: Float64Array): number {
  let s = 0;
  for (let k = 0; k < W; k++) {
    let x = words[offset + k]!;
    while (x !== 0) {
      const low = x & -x;
      s += wcet[(k << 5) + (31 - Math.clz32(low))]!;
      x ^= low;
    }
  }
  return s;
}

/**
 * Prefix sums of the WCETs of the set bits of a row, largest first: `out[j]` = total of the j
 * largest, so the worst non-preemptive blocking by at most m−1 nodes is `out[min(m−1, len−1)]`.
 */
export function descendingPrefix(
  words: Uint32Array,
  offset: number,
  W: number,
  wcet: Float64Array,
): Float64Array {
  const c: number[] = [];
  for (let k = 0; k < W; k++) {
    let x = words[offset + k]!;
    while (x !== 0) {
      const low = x & -x;
      c.push(wcet[(k << 5) + (31 - Math.clz32(low))]!);
      x ^= low;
    }
  }
  c.sort((a, b) => b - a);
  const out = new Float64Array(c.length + 1);
  for (let j = 0; j < c.length; j++) out[j + 1] = out[j]! + c[j]!;
  return out;
}

/**
 * The interference term `⌈x / m⌉` with integer WCETs (the paper's form; all event times are then
 * integers), `x / m` otherwise (a ceiling would be meaningless for fractional times).
 */
export function interferenceDelay(x: number, m: number, integerWcets: boolean): number {
  return integerWcets ? Math.ceil(x / m) : x / m;
}

/** Whether every WCET of the DAG is an integer. */
export function hasIntegerWcets(ctx: AnalysisContext): boolean {
  return ctx.dag.wcet.every((c) => Number.isInteger(c));
}

/** Per-node terms of the he2019 bound that do not depend on m. */
interface He2019Terms {
  priority: Int32Array;
  /** vol(I(v)): higher-priority concurrent nodes not counted on every path to v. */
  hpVolume: Float64Array;
  /** Blocking candidates of v, WCETs largest first, as prefix sums (see {@link descendingPrefix}). */
  blocking: Float64Array[];
  integerWcets: boolean;
}

const termsCache = new WeakMap<AnalysisContext, He2019Terms>();

function he2019Terms(ctx: AnalysisContext, priority: Int32Array): He2019Terms {
  const cached = termsCache.get(ctx);
  if (cached && sameRanks(cached.priority, priority)) return cached;
  const { n, pred, wcet } = ctx.dag;
  const { hp, lp, counted } = heInterference(ctx, priority);
  const W = hp.words;
  const hpVolume = new Float64Array(n);
  const blocking: Float64Array[] = [];
  const notCounted = new Uint32Array(W);
  const candidates = new Uint32Array(W);
  for (let v = 0; v < n; v++) {
    const ps = pred[v]!;
    for (let k = 0; k < W; k++) {
      // Counted on every path to every predecessor: ⋂_p G(p); no predecessor → nothing counted.
      let common = ps.length > 0 ? 0xffffffff : 0;
      // Descendants of every predecessor: none of them can be running (started earlier) when
      // v becomes ready, whichever predecessor finishes last.
      let desc = ps.length > 0 ? 0xffffffff : 0;
      for (const p of ps) {
        common &= counted.data[p * W + k]!;
        desc &= ctx.reach.data[p * W + k]!;
      }
      notCounted[k] = hp.data[v * W + k]! & ~common;
      // A source is ready at time 0, before anything started: no blocking at all.
      candidates[k] = ps.length > 0 ? lp.data[v * W + k]! & ~common & ~desc : 0;
    }
    hpVolume[v] = rowVolume(notCounted, 0, W, wcet);
    blocking.push(descendingPrefix(candidates, 0, W, wcet));
  }
  const terms = { priority: priority.slice(), hpVolume, blocking, integerWcets: hasIntegerWcets(ctx) };
  termsCache.set(ctx, terms);
  return terms;
}

/** Whether two rank arrays are equal. */
export function sameRanks(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * He et al. (TPDS 2019) response-time bound for non-preemptive work-conserving list scheduling
 * of one DAG task on m identical cores with priority ranks `priority`. In topological
 * order:
 *
 *   f(v) = C(v) + max_{u ∈ pred(v)} f(u) + ⌈(vol(I(v)) + B_m(v)) / m⌉,   R = max_v f(v),
 *
 * - I(v) = { u ∥ v : π(u) < π(v) } \ ⋂_{p ∈ pred(v)} G(p): the higher-priority concurrent nodes,
 *   excluding those already counted on every path to v (G, see {@link HeInterference}), so a
 *   node is counted at most once along any path;
 * - B_m(v) = the m−1 largest C among the lower-priority concurrent nodes that may have started
 *   before v became ready (not descendants of all of v's predecessors, not already counted);
 *   B_m = 0 for a source (nothing started before it is ready at t = 0);
 * - the ceiling is used with integer WCETs, exact division otherwise.
 *
 * Why it is sound (the standard critical-path argument): follow back from the last-finishing
 * node through the predecessor that finished last. While a path node v waits (ready, not
 * started) all m cores are busy, each with a node concurrent with v that is either of higher
 * priority or of lower priority and started before v was ready (at most m−1 of those: the core
 * its last predecessor freed went to a higher-priority node). The waiting intervals are disjoint,
 * so each node's work is counted once; the DP above over-approximates that sum on every path.
 * Also holds for priority orders that are not topological. Returns time in WCET units.
 *
 * Deviation: a public re-implementation removes from I(v) every node already in I(a) for any
 * ancestor a; that can drop interference of the path actually taken (a node counted only off
 * that path), so here only nodes counted on *every* path to v are removed.
 *
 * Execution times below WCET: every term is structural (reachability,
 * priorities, WCETs as upper bounds of work); no EST/EFT/LST and no "started before" test
 * under WCETs. The argument holds for any execution times c ≤ C: the chain's own length is
 * ≤ Σ C, each interfering node works at most c(u) ≤ C(u) in the waits, a blocker of v is
 * running when v's last predecessor finishes (so it is not a descendant of every predecessor,
 * whatever their actual times), and ⌈x/m⌉ ≥ x/m also when event times are not integers.
 */
export function he2019Bound(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`he2019Bound: m must be a positive integer, got ${m}`);
  const { n, wcet, pred, topoOrder } = ctx.dag;
  const { hpVolume, blocking, integerWcets } = he2019Terms(ctx, priority);
  const f = new Float64Array(n);
  let R = 0;
  for (let t = 0; t < n; t++) {
    const v = topoOrder[t]!;
    let fPred = 0;
    for (const u of pred[v]!) if (f[u]! > fPred) fPred = f[u]!;
    const B = blocking[v]!;
    const Bm = B[Math.min(m - 1, B.length - 1)]!;
    f[v] = wcet[v]! + fPred + interferenceDelay(hpVolume[v]! + Bm, m, integerWcets);
    if (f[v]! > R) R = f[v]!;
  }
  return R;
}

/** The `he2019` method: {@link he2019Priority} with {@link he2019Bound}. */
export const he2019: BoundedPriorityMethod = {
  method: 'he2019',
  priorityRule: 'following the longest path (He et al. 2019)',
  priority: he2019Priority,
  bound: he2019Bound,
};
