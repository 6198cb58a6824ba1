/**
 * Zhao, Dai, Bate, Burns and Chang, "DAG scheduling and analysis on multiprocessor systems:
 * exploitation of parallelism and dependency", RTSS 2020 (SPEC §3, `zhao2020`): the
 * eligibility-ordering (EO) priority assignment over the concurrent provider–consumer model and
 * the response-time bound `R = Σ_i R_i`, `R_i = L_i + β_i + ⌈I_i/m⌉`, made sound for the
 * non-preemptive work-conserving list scheduler of `list-scheduler.ts`.
 *
 * Notation (paper): C(v) WCET, π(v) priority rank (0 = highest), λ critical path, θ*_i providers,
 * θ_i consumers (see `provider-consumer.ts`), L_i = len(θ*_i), W_i = L_i + vol(θ_i), s_i / e_i
 * start / finish of θ*_i in the schedule, λ_ve the delaying consumer path, β_i its overrun beyond
 * e_i, I_i the interference that remains. u ∥ v: u ≠ v and neither reaches the other.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import type { BoundedPriorityMethod } from './bound-based-scheduler.js';
import {
  longestPathIn,
  providersAndConsumers,
  splitProvidersConsumers,
  type ProviderConsumerModel,
} from './provider-consumer.js';
import { ceilTolerant, timeLt } from '../time-tolerance.js';

/**
 * Eligibility ordering (Zhao et al. 2020, §V): (i) the critical path λ first, in path order;
 * then, provider by provider, (ii) the consumers θ_i of θ*_i before those of θ*_{i+1}; inside a
 * consumer set, the longest local path of G[θ_i] first, and the rest of θ_i ordered by applying
 * the same provider–consumer split to G[θ_i] along that path, recursively. (The authors' code
 * recurses only when the local path has a node with two or more predecessors in G[θ_i]; when it
 * has none the split yields one provider whose consumers are the rest of θ_i, so both cases are
 * the same recursion.) Longest paths are exact (node-weighted), ties as in {@link longestPathIn}.
 * Returns ranks, 0 = highest priority, a permutation of 0 … n−1. O(n·(n + e)).
 */
export function zhao2020Priority(ctx: AnalysisContext): Int32Array {
  const { dag } = ctx;
  const rank = new Int32Array(dag.n).fill(-1);
  let next = 0;
  // Depth first: λ of a (sub)graph, then all of its θ_1, then all of θ_2, …
  const pending: number[][] = [];
  const visit = (model: ProviderConsumerModel): void => {
    for (const v of model.criticalPath) rank[v] = next++;
    for (let i = model.consumers.length - 1; i >= 0; i--) {
      const theta = model.consumers[i]!;
      if (theta.length > 0) pending.push(theta);
    }
  };
  visit(cachedModel(ctx));
  const members = new Uint8Array(dag.n);
  while (pending.length > 0) {
    const theta = pending.pop()!;
    for (const v of theta) members[v] = 1;
    visit(splitProvidersConsumers(dag, longestPathIn(dag, members), members));
    for (const v of theta) members[v] = 0;
  }
  return rank;
}

/** The bound's terms for one provider θ*_i (times in the task's unit). */
export interface Zhao2020Term {
  /** θ*_i, node indices in path order. */
  provider: readonly number[];
  /** θ_i, node indices in topological order. */
  consumers: readonly number[];
  /** L_i = len(θ*_i). */
  L: number;
  /** W_i = L_i + vol(θ_i). */
  W: number;
  /** β_i: execution of the delaying consumer path λ_ve after e_i (0 when no consumer can overrun). */
  beta: number;
  /** I_i: interfering workload after e_i that remains once λ_ve is taken out. */
  interference: number;
  /** λ_ve, node indices in path order; empty when β_i = 0. */
  delayingPath: number[];
  /** R_i = L_i + β_i + ⌈I_i/m⌉: bound on s_{i+1} − s_i (on makespan − s_i for the last provider). */
  R: number;
}

/** Everything {@link zhao2020Analysis} computes, for auditing a bound. */
export interface Zhao2020Analysis {
  /** The provider–consumer decomposition used. */
  model: ProviderConsumerModel;
  /** One term per provider, in order. */
  terms: Zhao2020Term[];
  /** F̄(v): absolute finish-time bound of every node, by node index. */
  finishBound: Float64Array;
  /** R = Σ R_i, the response-time (makespan) bound on m cores. */
  R: number;
}

/**
 * The response-time bound of Zhao et al. (RTSS 2020, §VI, the EO-specific analysis) for
 * non-preemptive work-conserving global list scheduling on m cores with priority ranks π in
 * which every node of λ outranks every other node (true of {@link zhao2020Priority}; any other
 * order throws a `RangeError`).
 *
 * Facts it rests on (why each term is sound for our simulator):
 * 1. A critical node never waits once ready: its last predecessor frees a core at that instant
 *    (a source is ready at 0 with all cores free) and it outranks every ready competitor. So
 *    `e_i = s_i + L_i` exactly, no core of the critical path is ever blocked, and the m−1
 *    blocking term of the paper's non-preemptive model is needed only for consumers.
 * 2. `s_1 = 0`, `s_{i+1} = max(e_i, max_{v∈θ_i} F(v))`, makespan = `max(e_k, max_{v∈θ_k} F(v))`,
 *    hence makespan = Σ_i (L_i + Δ_i) with Δ_i the overrun of θ_i beyond e_i.
 * 3. Waiting of a non-critical v ready at r: in [r, S(v)) all m cores are busy with nodes ∥ v:
 *    at most one critical node at a time, higher-priority ones, and at most m−1 lower-priority
 *    ones that started before r (its last predecessor freed a core at r; the blocking term).
 *
 * Formulas (all times real; ⌈·⌉ only in R_i):
 * - `w(v) = min((crit(v) + hp(v) + blk(v))/m, (hp(v) + blk(v))/(m−1))` (second term only for
 *   m ≥ 2), crit = Σ C of critical u ∥ v, hp = Σ C of non-critical u ∥ v with π(u) < π(v),
 *   blk = the m−1 largest C of non-critical u ∥ v with π(u) > π(v) that could have started
 *   before v was ready (EST(u) ≤ r̄(v) = max_pred F̄; none for a source, ready at 0).
 * - Absolute finish bounds in topological order: `F̄(v) = min(r̄(v) + C(v) + w(v),
 *   l_f(v) + (A(v) − l_f(v))/m)` (w = 0 on λ), the second term Graham's argument on the chain
 *   that made v ready, l_f(v) = EFT(v), A(v) = vol − work of v's strict descendants.
 * - Relative to s_i, for v ∈ θ_i in topological order: `f_i(v) = min(F̄(v) − P_i,
 *   a_i(v) + C(v) + w(v))`, P_i = Σ_{j<i} L_j ≤ s_i, a_i(v) = max(0, offset in θ*_i of a
 *   critical predecessor in θ*_i, f_i of a predecessor in θ_i) (other predecessors finish by s_i).
 * - Late consumers Λ_i = {v ∈ θ_i : f_i(v) > L_i}; window share ρ(v) = min(C(v), f_i(v) − L_i).
 *   Candidate interferers U_i = Λ_i ∪ {u ∈ θ_{j>i} not reachable from θ*_{i+1}, ∥ some node of
 *   Λ_i, ρ(u) = min(C(u), F̄(u) − P_i − L_i) > 0}.
 * - β_i = Σ_{λ_ve} ρ over a path λ_ve of G[Λ_i] (the delaying consumer path, traced as in the
 *   paper: back from the last consumer through the predecessor that made it ready) and I_i the
 *   work of U_i \ λ_ve in the window: the smaller R_i of
 *   (G) λ_ve = the ρ-longest path, `I_i = Σ_{U_i} ρ − β_i`, and
 *   (P) priority-aware: `I_i = Σ_{H_i \ λ_ve} ρ + Σ_{v∈λ_ve} blk_i(v)` with H_i the nodes of U_i
 *       that outrank some ∥ node of Λ_i and blk_i(v) the m−1 largest ρ of lower-priority u ∥ v
 *       in U_i that could have started before v was ready, λ_ve maximizing `β + I/m` (a
 *       longest-path DP).
 *   During λ_ve's waits in [e_i, s_{i+1}) no critical node runs, so all m cores serve U_i:
 *   `Δ_i ≤ β_i + I_i/m`. With no late consumer, β_i = I_i = 0 and R_i = L_i (the paper's Case A).
 *
 * Deviations from the paper's (and its public code's) EO analysis, each for soundness against
 * this simulator: per-node finish bounds use the waiting bound above (critical interference
 * counted, blockers only for nodes that become ready after something started) instead of
 * ⌈I/(m−1)⌉ with ancestor de-duplication and a parallelism test; f_i is relative to s_i with
 * the lower bound P_i, not to an estimated provider finish; the overrun path is maximized over
 * all paths of late consumers rather than traced once; interferers from later consumer sets
 * count only their share after e_i; m = 1 is supported (the paper divides by m−1). Values
 * within `TIME_EPS` of an integer are not rounded up. O(n² log n + k·n²) for k providers.
 */
export function zhao2020Analysis(
  ctx: AnalysisContext,
  m: number,
  priority: ArrayLike<number>,
): Zhao2020Analysis {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`zhao2020: m must be a positive integer, got ${m}`);
  const { dag, reach } = ctx;
  const { n, wcet: C, pred, topoOrder } = dag;
  const model = cachedModel(ctx);
  const { providers, consumers } = model;
  const k = providers.length;

  const critical = new Uint8Array(n);
  const providerOf = new Int32Array(n).fill(-1); // i of θ*_i for critical nodes
  const offset = new Float64Array(n); // F(c) − s_i for c ∈ θ*_i (fact 1)
  providers.forEach((theta, i) => {
    let t = 0;
    for (const c of theta) {
      critical[c] = 1;
      providerOf[c] = i;
      t += C[c]!;
      offset[c] = t;
    }
  });
  const consumerOf = new Int32Array(n).fill(-1); // i of θ_i for non-critical nodes
  consumers.forEach((theta, i) => theta.forEach((v) => (consumerOf[v] = i)));
  assertCriticalFirst(critical, priority);

  const outranks = (u: number, v: number): boolean =>
    priority[u]! < priority[v]! || (priority[u] === priority[v] && u < v);
  const concurrent = (u: number, v: number): boolean => u !== v && !reach.has(u, v) && !reach.has(v, u);

  // In topological order: r̄(v) = max_pred F̄ bounds the ready time; w(v) the waiting (fact 3);
  // F̄(v) the finish time (critical nodes never wait, fact 1), capped by the Graham-type bound
  // of the chain that made v ready: F(v) ≤ l_f(v) + (A(v) − l_f(v))/m, A(v) the work of all
  // nodes that are not strict descendants of v.
  const { est, eft: lf, volume } = ctx.timing;
  const readyBound = new Float64Array(n);
  const w = new Float64Array(n);
  const Fbar = new Float64Array(n);
  const lower: number[] = [];
  for (let q = 0; q < n; q++) {
    const v = topoOrder[q]!;
    let r = 0;
    for (const u of pred[v]!) if (Fbar[u]! > r) r = Fbar[u]!;
    readyBound[v] = r;
    if (!critical[v]) {
      let crit = 0;
      let hp = 0;
      lower.length = 0;
      const blockable = pred[v]!.length > 0; // a source is ready at 0, before anything started
      for (let u = 0; u < n; u++) {
        if (!concurrent(u, v)) continue;
        if (critical[u]) crit += C[u]!;
        else if (outranks(u, v)) hp += C[u]!;
        else if (blockable && est[u]! <= r) lower.push(C[u]!); // may have started before v was ready
      }
      const blk = sumOfLargest(lower, m - 1);
      let X = (crit + hp + blk) / m;
      if (m >= 2) X = Math.min(X, (hp + blk) / (m - 1));
      w[v] = X;
    }
    let A = volume;
    for (const d of reach.rowIndices(v)) if (d !== v) A -= C[d]!;
    Fbar[v] = Math.min(r + C[v]! + w[v]!, lf[v]! + (A - lf[v]!) / m);
  }

  const terms: Zhao2020Term[] = [];
  const f = new Float64Array(n); // f_i(v) for v ∈ θ_i of the current provider
  const rho = new Float64Array(n); // window share of the current provider's candidates
  let P = 0; // P_i = Σ_{j<i} L_j
  let R = 0;
  for (let i = 0; i < k; i++) {
    const provider = providers[i]!;
    const theta = consumers[i]!;
    const L = offset[provider[provider.length - 1]!]!;
    let vol = 0;
    for (const v of theta) vol += C[v]!;

    for (const v of theta) {
      let a = 0;
      for (const u of pred[v]!) {
        if (providerOf[u] === i && offset[u]! > a) a = offset[u]!;
        else if (consumerOf[u] === i && f[u]! > a) a = f[u]!;
      }
      f[v] = Math.min(Fbar[v]! - P, a + C[v]! + w[v]!);
    }
    const late = theta.filter((v) => timeLt(L, f[v]!));
    let term: Zhao2020Term = {
      provider,
      consumers: theta,
      L,
      W: L + vol,
      beta: 0,
      interference: 0,
      delayingPath: [],
      R: L,
    };
    if (late.length > 0) {
      const U: number[] = [];
      for (const v of late) {
        rho[v] = Math.min(C[v]!, f[v]! - L);
        U.push(v);
      }
      const firstNext = i + 1 < k ? providers[i + 1]![0]! : -1;
      for (let j = i + 1; j < k; j++) {
        for (const u of consumers[j]!) {
          if (firstNext >= 0 && reach.has(firstNext, u)) continue; // starts after s_{i+1}
          const share = Math.min(C[u]!, Fbar[u]! - P - L);
          if (!timeLt(0, share, L) || !late.some((v) => concurrent(u, v))) continue;
          rho[u] = share;
          U.push(u);
        }
      }

      // (G): λ_ve = the ρ-longest path in G[Λ_i]; every other node of U_i may interfere.
      const inLate = new Uint8Array(n);
      for (const v of late) inLate[v] = 1;
      let sumU = 0;
      for (const u of U) sumU += rho[u]!;
      const pathG = heaviestPath(late, inLate, pred, (v) => rho[v]!);
      const betaG = sumOf(pathG, rho);
      const termG = makeTerm(term, m, betaG, sumU - betaG, pathG);

      // (P): higher-priority interferers H_i once, plus m−1 lower-priority blockers per node of λ_ve.
      const inH = new Uint8Array(n);
      let sumH = 0;
      for (const u of U) {
        if (late.some((v) => concurrent(u, v) && outranks(u, v))) {
          inH[u] = 1;
          sumH += rho[u]!;
        }
      }
      const blk = new Float64Array(n);
      for (const v of late) {
        lower.length = 0;
        for (const u of U) {
          const blocks = pred[v]!.length > 0 && est[u]! <= readyBound[v]!;
          if (blocks && concurrent(u, v) && outranks(v, u)) lower.push(rho[u]!);
        }
        blk[v] = sumOfLargest(lower, m - 1);
      }
      const omega = (v: number): number => rho[v]! - (inH[v] ? rho[v]! / m : 0) + blk[v]! / m;
      const pathP = heaviestPath(late, inLate, pred, omega);
      const betaP = sumOf(pathP, rho);
      let interferenceP = sumH;
      for (const v of pathP) interferenceP += blk[v]! - (inH[v] ? rho[v]! : 0);
      const termP = makeTerm(term, m, betaP, interferenceP, pathP);

      term = termP.R < termG.R ? termP : termG;
      for (const u of U) rho[u] = 0;
    }
    terms.push(term);
    R += term.R;
    P += L;
  }
  return { model, terms, finishBound: Fbar, R };
}

/** `R = Σ_i R_i` of {@link zhao2020Analysis}: the makespan bound on m cores (task time unit). */
export function zhao2020Bound(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  return zhao2020Analysis(ctx, m, priority).R;
}

/** `zhao2020` (SPEC §3): eligibility ordering with the provider–consumer response-time bound. */
export const zhao2020: BoundedPriorityMethod = {
  method: 'zhao2020',
  priorityRule: 'eligibility ordering (Zhao et al. 2020)',
  priority: zhao2020Priority,
  bound: zhao2020Bound,
};

// The model depends only on the graph, so it is computed once per analysis context.
const modelCache = new WeakMap<AnalysisContext, ProviderConsumerModel>();
function cachedModel(ctx: AnalysisContext): ProviderConsumerModel {
  let model = modelCache.get(ctx);
  if (!model) modelCache.set(ctx, (model = providersAndConsumers(ctx)));
  return model;
}

function assertCriticalFirst(critical: Uint8Array, priority: ArrayLike<number>): void {
  let worstCritical = -Infinity;
  let bestOther = Infinity;
  for (let v = 0; v < critical.length; v++) {
    if (critical[v]) worstCritical = Math.max(worstCritical, priority[v]!);
    else bestOther = Math.min(bestOther, priority[v]!);
  }
  if (!(worstCritical < bestOther)) {
    throw new RangeError(
      'zhao2020: the bound needs every critical-path node to outrank every other node (use zhao2020Priority)',
    );
  }
}

function makeTerm(
  base: Zhao2020Term,
  m: number,
  beta: number,
  interference: number,
  path: number[],
): Zhao2020Term {
  const I = Math.max(0, interference);
  return {
    ...base,
    beta,
    interference: I,
    delayingPath: path,
    R: base.L + beta + Math.max(0, ceilTolerant(I / m)),
  };
}

/** A path of G[S] (S given in topological order) maximizing the sum of a non-negative `weight`. */
function heaviestPath(
  nodes: readonly number[],
  inS: Uint8Array,
  pred: readonly (readonly number[])[],
  weight: (v: number) => number,
): number[] {
  const best = new Map<number, number>();
  const via = new Map<number, number>();
  let end = -1;
  for (const v of nodes) {
    let b = 0;
    let from = -1;
    for (const u of pred[v]!) {
      if (inS[u] && (from < 0 || best.get(u)! > b)) {
        b = best.get(u)!;
        from = u;
      }
    }
    best.set(v, b + weight(v));
    via.set(v, from);
    if (end < 0 || best.get(v)! > best.get(end)!) end = v;
  }
  const path: number[] = [];
  for (let v = end; v >= 0; v = via.get(v)!) path.push(v);
  return path.reverse();
}

function sumOf(nodes: readonly number[], x: Float64Array): number {
  let s = 0;
  for (const v of nodes) s += x[v]!;
  return s;
}

/** Sum of the `count` largest values (the list is reordered). */
function sumOfLargest(values: number[], count: number): number {
  if (count <= 0 || values.length === 0) return 0;
  values.sort((a, b) => b - a);
  let s = 0;
  for (let q = 0; q < Math.min(count, values.length); q++) s += values[q]!;
  return s;
}
