/**
 * He, Lv, Guan, "Response time bounds for DAG tasks with arbitrary intra-task priority
 * assignment", ECRTS 2021 (LIPIcs vol. 196, paper 8): a response-time bound that holds for any
 * intra-task priority order (not only topological ones), for non-preemptive work-conserving
 * global list scheduling.
 *
 * The paper's full text was not available to this implementation; the bound below is the
 * path form `R ≤ max_λ len(λ) + vol(interference along λ)/m`, computed by a
 * sound dynamic program (each interfering node counted at most once per path) and extended with
 * the non-preemptive blocking term. Notation as in he2019.ts.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import type { BoundedPriorityMethod } from './bound-based-scheduler.js';
import {
  descendingPrefix,
  hasIntegerWcets,
  heInterference,
  hePathLengths,
  interferenceDelay,
  rowVolume,
  sameRanks,
} from './he2019.js';
import { ranksFromKeys } from './priority-order.js';

/**
 * Priority order used with the ECRTS 2021 bound: larger l_b(v) (longest path from v to a sink,
 * C(v) included) first, ties by node index. The paper's own policy could not be read; this
 * is the fallback used until the paper's own priority policy can be checked. With zero-WCET nodes
 * it may rank a node above its ancestor, which the bound allows. Ranks, 0 = highest.
 */
export function he2021Priority(ctx: AnalysisContext): Int32Array {
  return ranksFromKeys(hePathLengths(ctx).lb, 'descending');
}

/** Per-edge terms of the he2021 bound that do not depend on m. */
interface He2021Terms {
  priority: Int32Array;
  /** Sources: vol(hp(v)). */
  sourceVolume: Float64Array;
  /** For v and its k-th predecessor p (in `pred[v]` order): vol(hp(v) \ G(p)). */
  hpVolume: Float64Array[];
  /** For v and its k-th predecessor p: blocking candidates' WCETs largest first, prefix sums. */
  blocking: Float64Array[][];
  integerWcets: boolean;
}

const termsCache = new WeakMap<AnalysisContext, He2021Terms>();

function he2021Terms(ctx: AnalysisContext, priority: Int32Array): He2021Terms {
  const cached = termsCache.get(ctx);
  if (cached && sameRanks(cached.priority, priority)) return cached;
  const { n, pred, wcet } = ctx.dag;
  const { hp, lp, counted } = heInterference(ctx, priority);
  const W = hp.words;
  const sourceVolume = new Float64Array(n);
  const hpVolume: Float64Array[] = [];
  const blocking: Float64Array[][] = [];
  const newHp = new Uint32Array(W);
  const candidates = new Uint32Array(W);
  for (let v = 0; v < n; v++) {
    const ps = pred[v]!;
    sourceVolume[v] = rowVolume(hp.data, v * W, W, wcet);
    const vols = new Float64Array(ps.length);
    const blocks: Float64Array[] = [];
    ps.forEach((p, j) => {
      for (let k = 0; k < W; k++) {
        const G = counted.data[p * W + k]!;
        newHp[k] = hp.data[v * W + k]! & ~G;
        // Lower-priority nodes running while v waits started before p finished, so they are
        // not descendants of p; those in G(p) are already counted in full.
        candidates[k] = lp.data[v * W + k]! & ~G & ~ctx.reach.data[p * W + k]!;
      }
      vols[j] = rowVolume(newHp, 0, W, wcet);
      blocks.push(descendingPrefix(candidates, 0, W, wcet));
    });
    hpVolume.push(vols);
    blocking.push(blocks);
  }
  const terms = {
    priority: priority.slice(),
    sourceVolume,
    hpVolume,
    blocking,
    integerWcets: hasIntegerWcets(ctx),
  };
  termsCache.set(ctx, terms);
  return terms;
}

/**
 * Response-time bound for an arbitrary priority order (ranks, 0 = highest) on m cores, the path
 * form of the ECRTS 2021 bound:
 *
 *   R ≤ max over paths λ = (v_1 … v_k) of  len(λ) + (1/m)·( vol(⋃_i I(v_i)) + Σ_{i≥2} B_m(v_i) ),
 *
 * with I(v) = { u ∥ v : π(u) < π(v) } and B_m(v_i) the m−1 largest C among lower-priority nodes
 * concurrent with v_i that are not descendants of v_{i−1} (non-preemptive blocking; a path's
 * first node is ready at t = 0 and cannot be blocked). The max over paths is computed by a DP in
 * topological order that decides, per predecessor p, which interference is new:
 *
 *   f(v) = C(v) + ⌈vol(I(v)) / m⌉                                                   (v a source)
 *   f(v) = C(v) + max_{p ∈ pred(v)} [ f(p) + ⌈(vol(I(v) \ G(p)) + B_m(v, p)) / m⌉ ]  (otherwise)
 *   R = max_v f(v),
 *
 * where G(p) = I(p) ∪ ⋂_{q ∈ pred(p)} G(q) holds the nodes counted on *every* path to p (so
 * excluding them never drops interference of the path actually taken), and B_m(v, p) takes the
 * m−1 largest lower-priority concurrent nodes outside desc(p) ∪ G(p). Ceilings with integer
 * WCETs, exact division otherwise. Sound for the simulated non-preemptive list schedule by the
 * critical-path argument of {@link he2019Bound}; never larger than that bound for the same
 * order. Returns time in WCET units.
 *
 * Execution times below WCET: as for {@link he2019Bound}, only reachability,
 * priorities and WCETs enter; the path predecessor p is the one that finished last in the
 * actual run, and a blocker of v runs at p's actual finish, so it is not in desc(p) for any
 * execution times ≤ WCET. Sound for every c ≤ C.
 */
export function he2021Bound(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`he2021Bound: m must be a positive integer, got ${m}`);
  const { n, wcet, pred, topoOrder } = ctx.dag;
  const { sourceVolume, hpVolume, blocking, integerWcets } = he2021Terms(ctx, priority);
  const f = new Float64Array(n);
  let R = 0;
  for (let t = 0; t < n; t++) {
    const v = topoOrder[t]!;
    const ps = pred[v]!;
    let best: number;
    if (ps.length === 0) best = interferenceDelay(sourceVolume[v]!, m, integerWcets);
    else {
      best = -Infinity;
      const vols = hpVolume[v]!;
      const blocks = blocking[v]!;
      ps.forEach((p, j) => {
        const B = blocks[j]!;
        const Bm = B[Math.min(m - 1, B.length - 1)]!;
        const viaP = f[p]! + interferenceDelay(vols[j]! + Bm, m, integerWcets);
        if (viaP > best) best = viaP;
      });
    }
    f[v] = wcet[v]! + best;
    if (f[v]! > R) R = f[v]!;
  }
  return R;
}

/** The `he2021` method: {@link he2021Priority} with {@link he2021Bound}. */
export const he2021: BoundedPriorityMethod = {
  method: 'he2021',
  priorityRule: 'longest path to a sink first',
  priority: he2021Priority,
  bound: he2021Bound,
};
