import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext, type AnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../../src/dag/dag-task.js';
import { he2019, he2019Bound, he2019Priority, heInterference } from '../../../src/dag/schedule/he2019.js';
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

/** The DAG of a seed (mulberry32 stream). */
function randomDag(seed: number): Dag {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = 1 + Math.floor(rand() * 15);
  const p = rand() * 0.6;
  const spec: DagTaskSpec = { name: `rnd-${seed}`, nodes: [], edges: [] };
  for (let i = 0; i < n; i++) spec.nodes.push({ id: i, wcet: 1 + Math.floor(rand() * 10) });
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < p) spec.edges.push([i, j]);
  return buildDag(spec);
}

function isPermutation(ranks: Int32Array): boolean {
  const seen = new Array<boolean>(ranks.length).fill(false);
  for (const r of ranks) {
    if (r < 0 || r >= ranks.length || seen[r]) return false;
    seen[r] = true;
  }
  return true;
}

/** Soundness property: bound ≥ L, and ≥ the simulated non-preemptive list-schedule makespan. */
function boundCoversSimulation(
  bound: (ctx: AnalysisContext, m: number, priority: Int32Array) => number,
  dag: Dag,
  priority: Int32Array,
): void {
  const ctx = createAnalysisContext(dag);
  for (let m = 1; m <= 6; m++) {
    const R = bound(ctx, m, priority);
    expect(R).toBeGreaterThanOrEqual(ctx.timing.criticalPath - EPS);
    expect(R).toBeGreaterThanOrEqual(listSchedule(dag, m, priority).makespan - EPS);
  }
}

describe('he2019Priority (follow the longest path, ancestors first)', () => {
  it('is a permutation in which every ancestor outranks its descendants', () => {
    fc.assert(
      fc.property(arbSmallDag(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const prio = he2019Priority(ctx);
        expect(isPermutation(prio)).toBe(true);
        for (let u = 0; u < dag.n; u++)
          for (const v of ctx.reach.rowIndices(u)) expect(prio[u]!).toBeLessThan(prio[v]!);
      }),
      { numRuns: 300 },
    );
  });

  it('EGS example (hand-computed): order 0, 1, 4, then ancestors 2, 3, 5 of the sink, then 6', () => {
    const prio = he2019Priority(createAnalysisContext(egsExample()));
    const order = Array.from(prio.keys()).sort((a, b) => prio[a]! - prio[b]!);
    expect(order).toEqual([0, 1, 4, 2, 3, 5, 6]);
  });

  it('ranks a longest path first', () => {
    fc.assert(
      fc.property(arbSmallDag(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const prio = he2019Priority(ctx);
        // The first-ranked node starts a longest path: l(v) = L.
        const first = prio.indexOf(0);
        expect(dag.pred[first]!.length).toBe(0);
        expect(
          ctx.timing.eft[first]! + (ctx.timing.criticalPath - ctx.timing.lst[first]!) - dag.wcet[first]!,
        ).toBe(ctx.timing.criticalPath);
      }),
      { numRuns: 100 },
    );
  });
});

describe('he2019Bound (non-preemptive, f(v) = C(v) + max f(pred) + ⌈(vol I(v) + blocking)/m⌉)', () => {
  it('soundness: ≥ L and ≥ the simulated list-schedule makespan for m = 1..6 (he2019 priority)', () => {
    fc.assert(
      fc.property(arbSmallDag(), (dag) => {
        boundCoversSimulation(he2019Bound, dag, he2019Priority(createAnalysisContext(dag)));
      }),
      { numRuns: 400 },
    );
  });

  it('a deterministic sweep over 5000 seeds (he2019 priority) never undercuts the simulation', () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const dag = randomDag(seed);
      const ctx = createAnalysisContext(dag);
      const prio = he2019Priority(ctx);
      for (let m = 1; m <= 6; m++)
        expect(he2019Bound(ctx, m, prio)).toBeGreaterThanOrEqual(listSchedule(dag, m, prio).makespan - EPS);
    }
  });

  it('soundness also holds for arbitrary (non-topological) priority orders', () => {
    fc.assert(
      fc.property(
        arbSmallDag().chain((dag) =>
          fc.tuple(fc.constant(dag), fc.shuffledSubarray([...Array(dag.n).keys()], { minLength: dag.n })),
        ),
        ([dag, order]) => {
          const prio = new Int32Array(dag.n);
          order.forEach((v, r) => (prio[v] = r));
          boundCoversSimulation(he2019Bound, dag, prio);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('m = 1: the bound is at least vol (one core runs everything)', () => {
    fc.assert(
      fc.property(arbSmallDag(), (dag) => {
        const ctx = createAnalysisContext(dag);
        expect(he2019Bound(ctx, 1, he2019Priority(ctx))).toBeGreaterThanOrEqual(ctx.timing.volume - EPS);
      }),
      { numRuns: 200 },
    );
  });

  it('a chain: the bound equals L for every m (no concurrency, no interference)', () => {
    const dag = buildDag({
      name: 'chain',
      nodes: [3, 1, 4, 1, 5].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    });
    const ctx = createAnalysisContext(dag);
    const prio = he2019Priority(ctx);
    for (let m = 1; m <= 6; m++) expect(he2019Bound(ctx, m, prio)).toBe(14);
  });

  it('EGS example (hand-computed): R = 19 (m = 1), 12 (m = 2), 11 (m = 3: blocking of node 4 by 2 and 3)', () => {
    const ctx = createAnalysisContext(egsExample());
    const prio = he2019Priority(ctx);
    expect(he2019Bound(ctx, 1, prio)).toBe(19);
    expect(he2019Bound(ctx, 2, prio)).toBe(12);
    expect(he2019Bound(ctx, 3, prio)).toBe(11);
    expect(he2019.method).toBe('he2019');
  });

  it('uses exact division (no ceiling) with fractional WCETs', () => {
    // A fork 0 → {1, 2} with priorities 0, 1, 2: node 2 suffers node 1's interference.
    const dag = buildDag({
      name: 'fork',
      nodes: [0.5, 1.5, 2.5].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 1],
        [0, 2],
      ],
    });
    const ctx = createAnalysisContext(dag);
    const prio = Int32Array.from([0, 1, 2]);
    // m = 1: f(2) = 0.5 + 2.5 + vol{1}/1 = 4.5 = vol.
    expect(he2019Bound(ctx, 1, prio)).toBeCloseTo(4.5, 12);
    // m = 2: f(2) = 0.5 + 2.5 + 1.5/2 = 3.75 (not ⌈0.75⌉ = 1).
    expect(he2019Bound(ctx, 2, prio)).toBeCloseTo(3.75, 12);
  });

  it('the soundness check has teeth: the same DP without the blocking term is caught', () => {
    // Seed 514 (n = 10), m = 2: a lower-priority node started just before a path node became
    // ready delays it; the preemptive form (B_m = 0) then under-estimates the makespan.
    const dag = randomDag(514);
    const ctx = createAnalysisContext(dag);
    const prio = he2019Priority(ctx);
    const sim = listSchedule(dag, 2, prio).makespan;
    expect(withoutBlocking(ctx, 2, prio)).toBeLessThan(sim);
    expect(() => boundCoversSimulation(withoutBlocking, dag, prio)).toThrow();
    expect(he2019Bound(ctx, 2, prio)).toBeGreaterThanOrEqual(sim);
  });
});

/**
 * A deliberately wrong bound: he2019's DP (interference counted once per path through the
 * G-intersection) with the non-preemptive blocking term dropped.
 */
function withoutBlocking(ctx: AnalysisContext, m: number, priority: Int32Array): number {
  const { n, wcet, pred, topoOrder } = ctx.dag;
  const { hp, counted } = heInterference(ctx, priority);
  const f = new Float64Array(n);
  let R = 0;
  for (const v of topoOrder) {
    let fPred = 0;
    for (const u of pred[v]!) fPred = Math.max(fPred, f[u]!);
    const ps = pred[v]!;
    let I = 0;
    for (const u of hp.rowIndices(v))
      if (!(ps.length > 0 && ps.every((p) => counted.has(p, u)))) I += wcet[u]!;
    f[v] = wcet[v]! + fPred + Math.ceil(I / m);
    R = Math.max(R, f[v]!);
  }
  return R;
}
