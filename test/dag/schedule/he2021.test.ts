import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext, type AnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../../src/dag/dag-task.js';
import { he2019Bound, heInterference } from '../../../src/dag/schedule/he2019.js';
import { he2021, he2021Bound, he2021Priority } from '../../../src/dag/schedule/he2021.js';
import { listSchedule } from '../../../src/dag/schedule/list-scheduler.js';
import { egsExample } from '../../helpers/random-dag.js';

const EPS = 1e-9;

/**
 * Seeded random DAGs: the seed alone fixes n ∈ 1..15, the edge probability p ∈ [0, 0.6), each
 * edge i → j (i < j) with probability p, and integer WCETs 1..10, so a failing seed replays.
 */
function arbSmallDag(): fc.Arbitrary<Dag> {
  return fc.integer({ min: 1, max: 0x7fffffff }).map(randomDag);
}

/** A uniform [0, 1) stream from a seed (mulberry32). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The DAG of a seed. */
function randomDag(seed: number): Dag {
  const rand = mulberry32(seed);
  const n = 1 + Math.floor(rand() * 15);
  const p = rand() * 0.6;
  const spec: DagTaskSpec = { name: `rnd-${seed}`, nodes: [], edges: [] };
  for (let i = 0; i < n; i++) spec.nodes.push({ id: i, wcet: 1 + Math.floor(rand() * 10) });
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < p) spec.edges.push([i, j]);
  return buildDag(spec);
}

/** Priority ranks from a seeded Fisher–Yates shuffle. */
function seededRanks(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const prio = new Int32Array(n);
  order.forEach((v, r) => (prio[v] = r));
  return prio;
}

/** A DAG with a random priority permutation (arbitrary, usually not topological). */
function arbDagWithPriority(): fc.Arbitrary<[Dag, Int32Array]> {
  return arbSmallDag().chain((dag) =>
    fc.shuffledSubarray([...Array(dag.n).keys()], { minLength: dag.n }).map((order): [Dag, Int32Array] => {
      const prio = new Int32Array(dag.n);
      order.forEach((v, r) => (prio[v] = r));
      return [dag, prio];
    }),
  );
}

/**
 * Brute-force reference of the path form (no ceilings): the max over every path λ = (v_1 … v_k)
 * of len(λ) + (vol(⋃ I(v_i)) + Σ_{i≥2} B_i)/m, where B_i = the m−1 largest C among lower-priority
 * nodes concurrent with v_i, not descendants of v_{i−1}, not already in ⋃_{j<i} I(v_j).
 * Enumerates all paths, so only for small DAGs.
 */
function pathFormReference(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  const { n, wcet, succ, pred } = ctx.dag;
  const { hp, lp } = heInterference(ctx, priority);
  let best = 0;
  const visit = (v: number, prev: number, len: number, union: Set<number>, blocking: number): void => {
    let block = 0;
    if (prev >= 0) {
      const cand = lp
        .rowIndices(v)
        .filter((u) => !ctx.reach.has(prev, u) && !union.has(u))
        .map((u) => wcet[u]!)
        .sort((a, b) => b - a);
      block = cand.slice(0, m - 1).reduce((a, b) => a + b, 0);
    }
    const next = new Set(union);
    for (const u of hp.rowIndices(v)) next.add(u);
    const L = len + wcet[v]!;
    const B = blocking + block;
    let vol = 0;
    for (const u of next) vol += wcet[u]!;
    best = Math.max(best, L + (vol + B) / m);
    for (const w of succ[v]!) visit(w, v, L, next, B);
  };
  for (let v = 0; v < n; v++) if (pred[v]!.length === 0) visit(v, -1, 0, new Set(), 0);
  return best;
}

function isPermutation(ranks: Int32Array): boolean {
  const seen = new Array<boolean>(ranks.length).fill(false);
  for (const r of ranks) {
    if (r < 0 || r >= ranks.length || seen[r]) return false;
    seen[r] = true;
  }
  return true;
}

describe('he2021Priority (longest path to a sink first)', () => {
  it('is a permutation ordered by l_b descending, ties by index', () => {
    fc.assert(
      fc.property(arbSmallDag(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const prio = he2021Priority(ctx);
        expect(isPermutation(prio)).toBe(true);
        const L = ctx.timing.criticalPath;
        const lb = (v: number): number => L - ctx.timing.lst[v]!; // longest path from v, C(v) included
        for (let a = 0; a < dag.n; a++)
          for (let b = 0; b < dag.n; b++)
            if (prio[a]! < prio[b]!) expect(lb(a) > lb(b) || (lb(a) === lb(b) && a < b)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('he2021Bound (arbitrary priorities, path form with non-preemptive blocking)', () => {
  it('soundness: ≥ L and ≥ the simulated list-schedule makespan for m = 1..6 (he2021 priority)', () => {
    fc.assert(
      fc.property(arbSmallDag(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const prio = he2021Priority(ctx);
        for (let m = 1; m <= 6; m++) {
          const R = he2021Bound(ctx, m, prio);
          expect(R).toBeGreaterThanOrEqual(ctx.timing.criticalPath - EPS);
          expect(R).toBeGreaterThanOrEqual(listSchedule(dag, m, prio).makespan - EPS);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('soundness for arbitrary priority permutations; DP ≥ brute-force path form ≥ simulation; ≤ he2019Bound', () => {
    fc.assert(
      fc.property(arbDagWithPriority(), ([dag, prio]) => {
        const ctx = createAnalysisContext(dag);
        for (let m = 1; m <= 6; m++) {
          const R = he2021Bound(ctx, m, prio);
          const reference = pathFormReference(ctx, m, prio);
          const sim = listSchedule(dag, m, prio).makespan;
          expect(reference).toBeGreaterThanOrEqual(sim - EPS);
          expect(R).toBeGreaterThanOrEqual(reference - EPS);
          expect(R).toBeLessThanOrEqual(he2019Bound(ctx, m, prio) + EPS);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a deterministic sweep over 3000 seeds (random priorities) never undercuts the simulation', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const dag = randomDag(seed);
      const ctx = createAnalysisContext(dag);
      const prio = seededRanks(dag.n, seed);
      for (let m = 1; m <= 6; m++)
        expect(he2021Bound(ctx, m, prio)).toBeGreaterThanOrEqual(listSchedule(dag, m, prio).makespan - EPS);
    }
  });

  it('m = 1: the bound is at least vol', () => {
    fc.assert(
      fc.property(arbDagWithPriority(), ([dag, prio]) => {
        const ctx = createAnalysisContext(dag);
        expect(he2021Bound(ctx, 1, prio)).toBeGreaterThanOrEqual(ctx.timing.volume - EPS);
      }),
      { numRuns: 200 },
    );
  });

  it('a chain: the bound equals L for every m, whatever the priorities', () => {
    const dag = buildDag({
      name: 'chain',
      nodes: [2, 7, 1, 8].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
    });
    const ctx = createAnalysisContext(dag);
    for (const prio of [he2021Priority(ctx), Int32Array.from([3, 2, 1, 0])])
      for (let m = 1; m <= 6; m++) expect(he2021Bound(ctx, m, prio)).toBe(18);
  });

  it('EGS example (hand-computed): ranks 0..6 in index order; R = 12 for m = 2', () => {
    const ctx = createAnalysisContext(egsExample());
    const prio = he2021Priority(ctx);
    expect([...prio]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // f: 0, 5, 4+⌈5/2⌉ = 7, 3+⌈9/2⌉ = 8, 5+3+⌈7/2⌉ = 12, max(5,7,8)+⌈3/2⌉+1 = 11, sink 12.
    expect(he2021Bound(ctx, 2, prio)).toBe(12);
    expect(he2021.method).toBe('he2021');
  });

  it('the soundness check has teeth: excluding interference counted on ANY path (union, not intersection) is caught', () => {
    // A node counted on one path into v is not counted on the path the schedule actually took.
    let caught = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const dag = randomDag(seed);
      const ctx = createAnalysisContext(dag);
      const prio = seededRanks(dag.n, seed);
      for (let m = 1; m <= 6; m++) {
        const sim = listSchedule(dag, m, prio).makespan;
        if (unionExclusionBound(ctx, m, prio) < sim - EPS) caught++;
        expect(he2021Bound(ctx, m, prio)).toBeGreaterThanOrEqual(sim - EPS);
      }
    }
    expect(caught).toBeGreaterThan(0);
  });
});

/**
 * A deliberately wrong bound: the he2021 DP where G(v) is the union over predecessors instead of
 * the intersection (a node counted on one path is wrongly assumed counted on all).
 */
function unionExclusionBound(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  const { n, wcet, pred, topoOrder } = ctx.dag;
  const { hp, lp } = heInterference(ctx, priority);
  const G: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const f = new Float64Array(n);
  let R = 0;
  for (const v of topoOrder) {
    const excluded = new Set<number>();
    for (const p of pred[v]!) for (const u of G[p]!) excluded.add(u);
    let fPred = 0;
    for (const p of pred[v]!) fPred = Math.max(fPred, f[p]!);
    const I = hp.rowIndices(v).filter((u) => !excluded.has(u));
    const vol = I.reduce((s, u) => s + wcet[u]!, 0);
    const block = pred[v]!.length
      ? lp
          .rowIndices(v)
          .filter((u) => !excluded.has(u))
          .map((u) => wcet[u]!)
          .sort((a, b) => b - a)
          .slice(0, m - 1)
          .reduce((a, b) => a + b, 0)
      : 0;
    for (const u of [...excluded, ...hp.rowIndices(v)]) G[v]!.add(u);
    f[v] = wcet[v]! + fPred + Math.ceil((vol + block) / m);
    R = Math.max(R, f[v]!);
  }
  return R;
}
