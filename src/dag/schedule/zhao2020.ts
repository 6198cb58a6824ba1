/**
 * Zhao, Dai, Bate, Burns and Chang, "DAG scheduling and analysis on multiprocessor systems:
 * exploitation of parallelism and dependency", RTSS 2020 (scheduling method `zhao2020`): the
 * eligibility-ordering (EO) priority assignment over the concurrent provider–consumer model and
 * the response-time bound `R = Σ_i R_i`, `R_i = L_i + β_i + ⌈I_i/m⌉`, made sound for the
 * non-preemptive work-conserving list scheduler of `list-scheduler.ts` under any execution
 * times ≤ WCET.
 *
 * Notation (paper): C(v) WCET, π(v) priority rank (0 = highest), λ critical path, θ*_i providers,
 * θ_i consumers (see `provider-consumer.ts`), L_i = len(θ*_i), W_i = L_i + vol(θ_i), s_i / e_i
 * start / finish of θ*_i in the schedule, λ_ve the delaying consumer path, β_i its overrun beyond
 * S̄_i + L_i (S̄_i ≥ s_i, below), I_i the interference that remains. u ∥ v: u ≠ v and neither reaches the other.
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
  /** β_i: execution of the delaying consumer path λ_ve after S̄_i + L_i (0 when no consumer can overrun). */
  beta: number;
  /** I_i: interfering workload after S̄_i + L_i that remains once λ_ve is taken out. */
  interference: number;
  /** λ_ve, node indices in path order; empty when β_i = 0. */
  delayingPath: number[];
  /** R_i = L_i + β_i + ⌈I_i/m⌉: bound on s_{i+1} − S̄_i (on makespan − S̄_k for the last provider). */
  R: number;
  /** S̄_i: upper bound on s_i, `S̄_1 = 0`, `S̄_{i+1} = min(S̄_i + R_i, r̄(first node of θ*_{i+1}))`. */
  start: number;
}

/** Everything {@link zhao2020Analysis} computes, for auditing a bound. */
export interface Zhao2020Analysis {
  /** The provider–consumer decomposition used. */
  model: ProviderConsumerModel;
  /** One term per provider, in order. */
  terms: Zhao2020Term[];
  /** F̄(v): absolute finish-time bound of every node, by node index. */
  finishBound: Float64Array;
  /**
   * The response-time (makespan) bound on m cores: `min(S̄_k + R_k, max_v F̄(v))` (never more
   * than `Σ R_i`).
   */
  R: number;
}

/**
 * The response-time bound of Zhao et al. (RTSS 2020, §VI, the EO-specific analysis) for
 * non-preemptive work-conserving global list scheduling on m cores with priority ranks π in
 * which every node of λ outranks every other node (true of {@link zhao2020Priority}; any other
 * order throws a `RangeError`), valid for ANY execution times c(v) ∈ [0, C(v)] (BCET 0).
 * Below, S, F are actual start/finish times under some such c; no quantity computed under WCETs
 * (EST, EFT, Σ L_j) is used as a lower bound of an actual time, since with c = 0 everything
 * can happen at time 0.
 *
 * Facts it rests on, each for every c ≤ C:
 * 1. A critical node never waits once ready: its last predecessor frees a core at that instant
 *    (λ[0] is ready at 0 with all cores free), no other critical node is ready (λ is a chain)
 *    and it outranks every other ready node. So `e_i = s_i + len_c(θ*_i) ≤ s_i + L_i`.
 * 2. All strict ancestors of θ*_i's first node finish by s_i; every non-critical ancestor of it
 *    lies in θ_1 … θ_{i−1}. So `s_1 = 0`, `s_{i+1} ≤ max(s_i + L_i, max_{v∈θ_i} F(v))`, and the
 *    makespan is at most `max(s_k + L_k, max_{v∈θ_k} F(v))`.
 * 3. Waiting of a non-critical v ready at r: in [r, S(v)) all m cores are busy with nodes ∥ v:
 *    at most one critical node at a time, higher-priority ones, and lower-priority ones that
 *    were running at r. The core that v's last predecessor freed at r did not go to one of
 *    those, so they are at most m−1, and none is a descendant of every predecessor of v (it
 *    would have become ready with v, not before). A source is ready at 0 with all cores free:
 *    no lower-priority node ever blocks it.
 * 4. Graham's argument from any instant s: if every node running after s is outside a set X
 *    (nodes finished by s), then F(v) − s ≤ ℓ + (A − ℓ)/m with ℓ the longest path ending at v
 *    outside X and A the work outside X that is not a strict descendant of v (trace back from
 *    v through the predecessor that made each node ready; while no path node runs, all m cores
 *    do; ℓ(1 − 1/m) + A/m is monotone in the actual times).
 *
 * Formulas (all times real; ⌈·⌉ only in R_i):
 * - `w(v) = min((crit(v) + hp(v) + blk(v))/m, (hp(v) + blk(v))/(m−1))` (second term only for
 *   m ≥ 2), crit = Σ C of critical u ∥ v, hp = Σ C of non-critical u ∥ v with π(u) < π(v),
 *   blk = the m−1 largest C of non-critical u ∥ v with π(u) > π(v) that are not descendants of
 *   every predecessor of v (fact 3; none for a source).
 * - Absolute finish bounds in topological order: `F̄(v) = min(r̄(v) + C(v) + w(v),
 *   l_f(v) + (A(v) − l_f(v))/m)`, r̄(v) = max_pred F̄ (0 for a source), w = 0 on λ (fact 1),
 *   the second term fact 4 with s = 0, l_f(v) = EFT(v), A(v) = vol − work of v's strict
 *   descendants. `max_v F̄(v)` bounds the makespan.
 * - Start bounds (upper bounds, used as anchors): `S̄_1 = 0`, `S̄_{i+1} = min(S̄_i + R_i,
 *   r̄(θ*_{i+1}'s first node))` (fact 1: it starts when ready), so s_i ≤ S̄_i; and
 *   `R = min(S̄_k + R_k, max_v F̄(v))`.
 * - Relative to s_i (fact 4 with s = s_i, X = strict ancestors of θ*_i's first node):
 *   `G_i(v) = min(F̄(v), ℓ_i(v) + (A_i(v) − ℓ_i(v))/m) ≥ F(v) − s_i` for v ∉ X. For v ∈ θ_i in
 *   topological order: `f_i(v) = min(F̄(v) − S̄_i, G_i(v), a_i(v) + C(v) + w(v)) ≥ F(v) − S̄_i`,
 *   a_i(v) = max(0, WCET offset in θ*_i of a critical predecessor in θ*_i, f_i of a predecessor
 *   in θ_i) (other predecessors finish by s_i, fact 2; bounds on F − s_i bound F − S̄_i too).
 *   The former absolute term `F̄(v) − Σ_{j<i} L_j` was argued from `Σ_{j<i} L_j ≤ s_i`, which is
 *   false once providers run short (s_i can be 0); anchoring at the upper bound S̄_i instead is
 *   sound and never looser, since F̄ ≥ EFT gives S̄_i ≥ EST(θ*_i) = Σ_{j<i} L_j.
 * - The window is [T_i, s_{i+1}) with T_i = S̄_i + L_i ≥ s_i + L_i ≥ e_i (fact 1): no critical
 *   node runs in it. Late consumers Λ_i = {v ∈ θ_i : f_i(v) > L_i}; window share ρ(v) =
 *   min(C(v), f_i(v) − L_i) ≥ the work of v after T_i. Candidate interferers U_i = Λ_i ∪
 *   {u ∈ θ_{j>i} not reachable from θ*_{i+1}, ∥ some node of Λ_i, ρ(u) = min(C(u),
 *   min(F̄(u) − S̄_i, G_i(u)) − L_i) > 0} (θ_{<i} and θ*_{≤i} finish by T_i; descendants of
 *   θ*_{i+1} start after s_{i+1}).
 * - If s_{i+1} > T_i it is the finish of some z ∈ θ_i; back from z through the predecessor that
 *   made each node ready, while that predecessor finishes after T_i (it is then in θ_i, fact 2),
 *   gives a path λ_ve of G[Λ_i] whose first node is ready by T_i. In [T_i, s_{i+1}) a node of
 *   λ_ve runs or waits with all m cores on nodes of U_i ∥ it. β_i = Σ_{λ_ve} ρ and I_i the
 *   work of U_i \ λ_ve in the window: the smaller R_i of
 *   (G) λ_ve = the ρ-longest path, `I_i = Σ_{U_i} ρ − β_i`, and
 *   (P) priority-aware: `I_i = Σ_{H_i \ λ_ve} ρ + Σ_{v∈λ_ve} blk_i(v)` with H_i the nodes of U_i
 *       that outrank some ∥ node of Λ_i and blk_i(v) the m−1 largest ρ of lower-priority u ∥ v
 *       in U_i allowed by fact 3, λ_ve maximizing `β + I/m` (a longest-path DP).
 *   So `s_{i+1} − S̄_i ≤ R_i = L_i + β_i + ⌈I_i/m⌉` (R_i = L_i with no late consumer, the
 *   paper's Case A), likewise makespan − S̄_k ≤ R_k.
 *
 * Deviations from the paper's (and its public code's) EO analysis, each for soundness against
 * this simulator: per-node finish bounds use the waiting bound above (critical interference
 * counted, blockers for every node with a predecessor) instead of ⌈I/(m−1)⌉ with ancestor
 * de-duplication and a parallelism test; f_i is relative to S̄_i (with fact 4), not to an
 * estimated provider finish; the window starts at S̄_i + L_i, not at the provider's finish;
 * the overrun path is maximized over all paths of late consumers rather than traced once;
 * interferers from later consumer sets count only their share in the window; absolute bounds
 * cap the sum; m = 1 is supported (the paper divides by m−1). Values within `TIME_EPS` of an
 * integer are not rounded up. O(n² log n + k·(n² + e)) for k providers.
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

  // Lower-priority nodes that can block v (fact 3): running when v becomes ready, so started
  // before its last predecessor finished, hence not descendants of every predecessor of v. A
  // source is ready at 0 with every core free and is never blocked. No EST filter: with
  // execution times below WCET any node may start at any time ≥ 0.
  const W = reach.words;
  const notAfterAllPreds = new Uint32Array(W);
  const mayBlock = (v: number): ((u: number) => boolean) => {
    const ps = pred[v]!;
    if (ps.length === 0) return () => false;
    notAfterAllPreds.fill(0xffffffff);
    for (const p of ps) for (let q = 0; q < W; q++) notAfterAllPreds[q]! &= reach.data[p * W + q]!;
    for (let q = 0; q < W; q++) notAfterAllPreds[q] = ~notAfterAllPreds[q]!;
    const bits = notAfterAllPreds.slice();
    return (u) => (bits[u >>> 5]! & (1 << (u & 31))) !== 0;
  };

  // In topological order: r̄(v) = max_pred F̄ bounds the ready time; w(v) the waiting (fact 3);
  // F̄(v) the finish time (critical nodes never wait, fact 1), capped by the Graham-type bound
  // of the chain that made v ready (fact 4 with s = 0).
  const { eft: lf, volume } = ctx.timing;
  const descVolume = new Float64Array(n); // work of v's strict descendants
  for (let v = 0; v < n; v++) for (const d of reach.rowIndices(v)) descVolume[v]! += C[d]!;
  const readyBound = new Float64Array(n);
  const w = new Float64Array(n);
  const Fbar = new Float64Array(n);
  const blocker: ((u: number) => boolean)[] = new Array(n);
  const lower: number[] = [];
  for (let q = 0; q < n; q++) {
    const v = topoOrder[q]!;
    let r = 0;
    for (const u of pred[v]!) if (Fbar[u]! > r) r = Fbar[u]!;
    readyBound[v] = r;
    if (!critical[v]) {
      const blocks = (blocker[v] = mayBlock(v));
      let crit = 0;
      let hp = 0;
      lower.length = 0;
      for (let u = 0; u < n; u++) {
        if (!concurrent(u, v)) continue;
        if (critical[u]) crit += C[u]!;
        else if (outranks(u, v)) hp += C[u]!;
        else if (blocks(u)) lower.push(C[u]!);
      }
      const blk = sumOfLargest(lower, m - 1);
      let X = (crit + hp + blk) / m;
      if (m >= 2) X = Math.min(X, (hp + blk) / (m - 1));
      w[v] = X;
    }
    const A = volume - descVolume[v]!;
    Fbar[v] = Math.min(r + C[v]! + w[v]!, lf[v]! + (A - lf[v]!) / m);
  }
  let absolute = 0; // max_v F̄(v) bounds the makespan too
  for (let v = 0; v < n; v++) if (Fbar[v]! > absolute) absolute = Fbar[v]!;

  // Fact 4 relative to s_i: G_i(v) ≥ F(v) − s_i for every v that is not an ancestor of θ*_i.
  const inPast = new Uint8Array(n); // strict ancestors of θ*_i's first node: done by s_i
  const lfAfter = new Float64Array(n); // longest path ending at v through nodes not in the past
  const relativeGraham = (first: number): void => {
    inPast.fill(0);
    let pastVolume = 0;
    for (const a of ctx.ancestors.rowIndices(first)) {
      inPast[a] = 1;
      pastVolume += C[a]!;
    }
    for (let q = 0; q < n; q++) {
      const v = topoOrder[q]!;
      if (inPast[v]) continue;
      let b = 0;
      for (const u of pred[v]!) if (!inPast[u] && lfAfter[u]! > b) b = lfAfter[u]!;
      lfAfter[v] = b + C[v]!;
      const A = volume - pastVolume - descVolume[v]!;
      G[v] = Math.min(Fbar[v]!, lfAfter[v]! + (A - lfAfter[v]!) / m);
    }
  };
  const G = new Float64Array(n);

  const terms: Zhao2020Term[] = [];
  const f = new Float64Array(n); // f_i(v) for v ∈ θ_i of the current provider
  const rho = new Float64Array(n); // window share of the current provider's candidates
  let R = 0;
  let startBound = 0; // S̄_i ≥ s_i
  for (let i = 0; i < k; i++) {
    const provider = providers[i]!;
    const theta = consumers[i]!;
    const L = offset[provider[provider.length - 1]!]!;
    relativeGraham(provider[0]!);
    let vol = 0;
    for (const v of theta) vol += C[v]!;

    for (const v of theta) {
      let a = 0;
      for (const u of pred[v]!) {
        if (providerOf[u] === i && offset[u]! > a) a = offset[u]!;
        else if (consumerOf[u] === i && f[u]! > a) a = f[u]!;
      }
      f[v] = Math.min(Fbar[v]! - startBound, G[v]!, a + C[v]! + w[v]!);
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
      start: startBound,
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
          const share = Math.min(C[u]!, Math.min(Fbar[u]! - startBound, G[u]!) - L);
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
          if (blocker[v]!(u) && concurrent(u, v) && outranks(v, u)) lower.push(rho[u]!);
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
    R = startBound + term.R;
    // s_{i+1} ≤ S̄_i + R_i, and s_{i+1} ≤ r̄ of θ*_{i+1}'s first node (it never waits, fact 1).
    if (i + 1 < k) startBound = Math.min(R, readyBound[providers[i + 1]![0]!]!);
  }
  return { model, terms, finishBound: Fbar, R: Math.min(R, absolute) };
}

/** `R` of {@link zhao2020Analysis}: the makespan bound on m cores (task time unit). */
export function zhao2020Bound(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  return zhao2020Analysis(ctx, m, priority).R;
}

/** `zhao2020`: eligibility ordering with the provider–consumer response-time bound. */
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

/**
 * Sum of the `count` largest values, added largest first (the same float sum as sorting them
 * all): a min-heap keeps the `count` largest seen, O(len · log count) instead of a full sort per
 * node, which dominated the bound at 10,000 nodes.
 */
function sumOfLargest(values: readonly number[], count: number): number {
  const k = Math.min(count, values.length);
  if (k <= 0) return 0;
  if (largest.length < k) largest = new Float64Array(Math.max(k, 2 * largest.length));
  const h = largest;
  let size = 0;
  for (const x of values) {
    if (size < k) {
      let i = size++;
      while (i > 0 && h[(i - 1) >> 1]! > x) {
        h[i] = h[(i - 1) >> 1]!;
        i = (i - 1) >> 1;
      }
      h[i] = x;
    } else if (x > h[0]!) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= k) break;
        if (c + 1 < k && h[c + 1]! < h[c]!) c++;
        if (h[c]! >= x) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = x;
    }
  }
  const top = h.subarray(0, k).sort(); // ascending
  let s = 0;
  for (let q = k - 1; q >= 0; q--) s += top[q]!;
  return s;
}

// Scratch heap of sumOfLargest, grown as needed.
let largest = new Float64Array(64);
