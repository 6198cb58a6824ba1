import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { scheduleByBound } from '../../../src/dag/schedule/bound-based-scheduler.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { listSchedule } from '../../../src/dag/schedule/list-scheduler.js';
import { providersAndConsumers } from '../../../src/dag/schedule/provider-consumer.js';
import {
  zhao2020,
  zhao2020Analysis,
  zhao2020Bound,
  zhao2020Priority,
} from '../../../src/dag/schedule/zhao2020.js';
import {
  adversarialSearch,
  seededRandom,
  simulateDynamic,
} from '../../../src/experiments/execution-time-simulator.js';
import { zhaoEstBlockerDag } from '../../../src/experiments/shaped-dag.js';

const EPS = 1e-9;
const RUNS = { numRuns: 300, seed: 2020 };

/**
 * Seeded random DAGs: one integer seed fixes n ∈ 1..15, the edge probability p ∈ [0, 0.6), each
 * edge i → j (i < j) with probability p and integer WCETs 1..10, so a counterexample replays
 * from its seed alone.
 */
function arbDagFromSeed(): fc.Arbitrary<Dag> {
  return fc.integer({ min: 1, max: 0x7fffffff }).map(dagFromSeed);
}

function dagFromSeed(seed: number): Dag {
  let x = seed >>> 0 || 1;
  const rand = (): number => {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const n = 1 + Math.floor(rand() * 15);
  const p = rand() * 0.6;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `v${i}`, wcet: 1 + Math.floor(rand() * 10) }));
  const edges: [string, string][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < p) edges.push([`v${i}`, `v${j}`]);
  return buildDag({ name: `seed-${seed}`, nodes, edges });
}

const pathLength = (dag: Dag, path: readonly number[]): number => path.reduce((s, v) => s + dag.wcet[v]!, 0);

describe('providersAndConsumers (CPC decomposition)', () => {
  it('providers partition the critical path in order, each run maximal by the one-predecessor rule', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const { criticalPath: lambda, providers } = providersAndConsumers(ctx);
        expect(pathLength(dag, lambda)).toBe(ctx.timing.criticalPath);
        for (let k = 0; k + 1 < lambda.length; k++) expect(dag.succ[lambda[k]!]).toContain(lambda[k + 1]);
        expect(providers.flat()).toEqual(lambda);
        providers.forEach((theta, i) => {
          expect(theta.length).toBeGreaterThan(0);
          for (let q = 1; q < theta.length; q++) expect(dag.pred[theta[q]!]).toEqual([theta[q - 1]]);
          if (i > 0) {
            const prevLast = providers[i - 1]![providers[i - 1]!.length - 1]!;
            expect(dag.pred[theta[0]!]).not.toEqual([prevLast]);
          }
        });
      }),
      RUNS,
    );
  });

  it('consumer sets are disjoint, cover the non-critical nodes, and hold exactly what θ*_{i+1} waits for', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const { criticalPath: lambda, providers, consumers } = providersAndConsumers(ctx);
        expect(consumers.length).toBe(providers.length);
        const all = [...lambda, ...consumers.flat()].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: dag.n }, (_, i) => i)); // disjoint and covering
        const setOf = new Map<number, number>();
        consumers.forEach((theta, i) => theta.forEach((v) => setOf.set(v, i)));
        for (let i = 0; i + 1 < providers.length; i++) {
          const first = providers[i + 1]![0]!;
          // Every non-critical ancestor of θ*_{i+1} sits in θ_1 … θ_i, and θ_i only holds such ancestors.
          for (const u of ctx.ancestors.rowIndices(first)) {
            if (!lambda.includes(u)) expect(setOf.get(u)).toBeLessThanOrEqual(i);
          }
          for (const v of consumers[i]!) expect(ctx.reach.has(v, first)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('zhao2020Priority (eligibility ordering)', () => {
  it('is a permutation with λ first, and θ_i entirely before θ_{i+1}', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const rank = zhao2020Priority(ctx);
        expect([...rank].sort((a, b) => a - b)).toEqual(Array.from({ length: dag.n }, (_, i) => i));
        const { criticalPath: lambda, consumers } = providersAndConsumers(ctx);
        expect(lambda.map((v) => rank[v])).toEqual(lambda.map((_, q) => q));
        for (let i = 0; i + 1 < consumers.length; i++) {
          const worst = Math.max(-1, ...consumers[i]!.map((v) => rank[v]!));
          const best = Math.min(
            dag.n,
            ...consumers
              .slice(i + 1)
              .flat()
              .map((v) => rank[v]!),
          );
          expect(worst).toBeLessThan(best);
        }
      }),
      RUNS,
    );
  });

  it('critical nodes win every ready competition: each starts the instant it is ready (m = 1..6)', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), fc.integer({ min: 1, max: 6 }), (dag, m) => {
        const ctx = createAnalysisContext(dag);
        const rank = zhao2020Priority(ctx);
        const sim = listSchedule(dag, m, rank);
        for (const c of providersAndConsumers(ctx).criticalPath) {
          const ready = Math.max(0, ...dag.pred[c]!.map((u) => sim.start[u]! + dag.wcet[u]!));
          expect(sim.start[c]).toBe(ready);
        }
      }),
      RUNS,
    );
  });

  it('orders a consumer set by its longest local path first', () => {
    // λ = a→x→z; z waits for θ_1 = {p, q, r} with local paths p→q (5) and r (4).
    const dag = buildDag({
      nodes: [
        { id: 'a', wcet: 1 },
        { id: 'x', wcet: 9 },
        { id: 'z', wcet: 1 },
        { id: 'r', wcet: 4 },
        { id: 'p', wcet: 2 },
        { id: 'q', wcet: 3 },
      ],
      edges: [
        ['a', 'x'],
        ['x', 'z'],
        ['a', 'r'],
        ['a', 'p'],
        ['p', 'q'],
        ['r', 'z'],
        ['q', 'z'],
      ],
    });
    const rank = zhao2020Priority(createAnalysisContext(dag));
    const byRank = [...dag.ids].sort(
      (u, v) => rank[dag.indexOf.get(String(u))!]! - rank[dag.indexOf.get(String(v))!]!,
    );
    expect(byRank).toEqual(['a', 'x', 'z', 'p', 'q', 'r']);
  });
});

describe('zhao2020Bound', () => {
  it('is sound: L ≤ simulated makespan of listSchedule with its priority ≤ R, for m = 1..6', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), (dag) => {
        const ctx = createAnalysisContext(dag);
        const rank = zhao2020Priority(ctx);
        for (let m = 1; m <= 6; m++) {
          const R = zhao2020Bound(ctx, m, rank);
          const makespan = listSchedule(dag, m, rank).makespan;
          expect(R).toBeGreaterThanOrEqual(ctx.timing.criticalPath - EPS);
          expect(R).toBeGreaterThanOrEqual(makespan - EPS);
        }
      }),
      { numRuns: 1500, seed: 2020 },
    );
  });

  it('the soundness check has teeth: L alone is not an upper bound on some generated DAG', () => {
    const ok = (dag: Dag): boolean => {
      const ctx = createAnalysisContext(dag);
      return listSchedule(dag, 2, zhao2020Priority(ctx)).makespan <= ctx.timing.criticalPath + EPS;
    };
    expect(() => fc.assert(fc.property(arbDagFromSeed(), ok), RUNS)).toThrow();
  });

  it('R = min(S̄_k + R_k, max F̄) ≤ Σ R_i with R_i = L_i + β_i + ⌈I_i/m⌉, W_i = L_i + vol(θ_i), R_i = L_i when β_i = 0', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), fc.integer({ min: 1, max: 6 }), (dag, m) => {
        const ctx = createAnalysisContext(dag);
        const a = zhao2020Analysis(ctx, m, zhao2020Priority(ctx));
        let sum = 0;
        const readyBound = (v: number): number => Math.max(0, ...dag.pred[v]!.map((u) => a.finishBound[u]!));
        let start = 0;
        a.terms.forEach((t, i) => {
          expect(t.start).toBeCloseTo(i === 0 ? 0 : Math.min(start, readyBound(t.provider[0]!)), 9);
          start = t.start + t.R;
          expect(t.L).toBe(pathLength(dag, t.provider));
          expect(t.W).toBe(t.L + pathLength(dag, t.consumers));
          expect(t.R).toBeCloseTo(t.L + t.beta + Math.ceil(t.interference / m - EPS), 9);
          if (t.beta === 0) expect(t.R).toBe(t.L);
          sum += t.R;
        });
        const last = a.terms[a.terms.length - 1]!;
        expect(a.R).toBeCloseTo(Math.min(last.start + last.R, Math.max(...a.finishBound)), 9);
        expect(a.R).toBeLessThanOrEqual(sum + EPS);
        expect(a.terms.map((t) => t.provider)).toEqual(a.model.providers);
      }),
      RUNS,
    );
  });

  it('on one core it is at least vol (every work-conserving schedule takes exactly vol)', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), (dag) => {
        const ctx = createAnalysisContext(dag);
        expect(zhao2020Bound(ctx, 1, zhao2020Priority(ctx))).toBeGreaterThanOrEqual(ctx.timing.volume - EPS);
      }),
      RUNS,
    );
  });

  it('equals L on a chain', () => {
    const dag = buildDag({
      nodes: [3, 1, 4, 1, 5].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    });
    const ctx = createAnalysisContext(dag);
    for (let m = 1; m <= 4; m++) expect(zhao2020Bound(ctx, m, zhao2020Priority(ctx))).toBe(14);
  });

  it('matches a hand-computed example (m = 2)', () => {
    // λ = v0→v1→v5 (L = 6); θ*_1 = [v0, v1], θ*_2 = [v5]; θ_1 = {v2, v3, v4}; vol = 14.
    const dag = buildDag({
      nodes: [1, 4, 3, 3, 2, 1].map((c, i) => ({ id: `v${i}`, wcet: c })),
      edges: [
        ['v0', 'v1'],
        ['v0', 'v2'],
        ['v0', 'v3'],
        ['v0', 'v4'],
        ['v1', 'v5'],
        ['v2', 'v5'],
        ['v3', 'v5'],
        ['v4', 'v5'],
      ],
    });
    const ctx = createAnalysisContext(dag);
    const model = providersAndConsumers(ctx);
    expect(model.providers).toEqual([[0, 1], [5]]);
    expect(model.consumers).toEqual([[2, 3, 4], []]);
    const rank = zhao2020Priority(ctx);
    // EO: λ, then θ_1 by longest local path (v2 and v3 tie at 3; smaller index first).
    expect([...rank]).toEqual([0, 1, 3, 4, 5, 2]);
    const a = zhao2020Analysis(ctx, 2, rank);
    // Waiting bounds (crit, hp, blk): v2 (4, 0, 0) → 0 (v3, v4 become ready with v2, so they
    // cannot block it); v3 (4, 3, 0) → 3; v4 (4, 6, 0) → 5. F̄ = [1, 5, 4, 7, 8, 9].
    expect([...a.finishBound]).toEqual([1, 5, 4, 7, 8, 9]);
    // Provider 1: L_1 = 5, f_1 = 4, 7, 8 → v3, v4 late, ρ = 2, 2; U_1 = {v3, v4}, Σρ = 4.
    // (G) λ_ve = [v3]: β = 2, I = 2 → R_1 = 5 + 2 + ⌈2/2⌉ = 8 ((P) also gives 8).
    expect(a.terms[0]).toMatchObject({
      L: 5,
      W: 13,
      beta: 2,
      interference: 2,
      delayingPath: [3],
      R: 8,
      start: 0,
    });
    // S̄_2 = min(0 + 8, r̄(v5) = 8) = 8; R = min(8 + 1, max F̄ = 9) = 9.
    expect(a.terms[1]).toMatchObject({ L: 1, W: 1, beta: 0, interference: 0, R: 1, start: 8 });
    expect(a.R).toBe(9);
    expect(listSchedule(dag, 2, rank).makespan).toBe(8);
  });

  it('rejects a priority order that does not put the critical path first', () => {
    const dag = buildDag({
      nodes: [2, 1, 1].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 2],
        [1, 2],
      ],
    });
    const ctx = createAnalysisContext(dag);
    expect(() => zhao2020Bound(ctx, 2, Int32Array.from([1, 0, 2]))).toThrow(RangeError);
  });

  it('scheduleByBound gives a checked timetable whose makespan is within the bound', () => {
    fc.assert(
      fc.property(arbDagFromSeed(), fc.double({ min: 0, max: 1, noNaN: true }), (dag, s) => {
        const base = createAnalysisContext(dag);
        const D = Math.ceil(base.timing.criticalPath + s * (base.timing.volume - base.timing.criticalPath));
        const ctx = createAnalysisContext(dag, D);
        const result = scheduleByBound(ctx, zhao2020, 1);
        expect(checkSchedule(dag, result).violations).toEqual([]);
        if (result.feasible) {
          expect(result.makespan).toBeLessThanOrEqual(result.responseTimeBound! + EPS);
          expect(result.responseTimeBound!).toBeLessThanOrEqual(D + EPS);
        }
      }),
      RUNS,
    );
  });
});

describe('zhao2020 under execution times below WCET (issue 13 regression)', () => {
  it('no longer claims 2 cores for the EST-blocker example, and no search beats its bound', () => {
    const dag = zhaoEstBlockerDag();
    const ctx = createAnalysisContext(dag);
    const rank = zhao2020Priority(ctx);
    const id = (name: string): number => dag.indexOf.get(name)!;
    // The counterexample: a1, a2 at 1 instead of 2 let u start before v is ready → 52 > 50.
    const short = Float64Array.from(dag.wcet);
    short[id('a1')] = 1;
    short[id('a2')] = 1;
    expect(simulateDynamic(dag, 2, rank, short).makespan).toBe(52);
    expect(zhao2020Bound(ctx, 2, rank)).toBeGreaterThanOrEqual(52);
    const result = scheduleByBound(ctx, zhao2020, 1);
    expect(result.feasible).toBe(true);
    expect(result.boundCores!).toBeGreaterThan(2);
    for (let m = 1; m <= 5; m++) {
      const R = zhao2020Bound(ctx, m, rank);
      const worst = adversarialSearch(
        dag.wcet,
        (x) => simulateDynamic(dag, m, rank, x).makespan,
        2000,
        seededRandom(m),
      );
      expect(worst.makespan).toBeLessThanOrEqual(R + EPS);
    }
  });
});
