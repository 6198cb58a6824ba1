import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { generateDag } from '../../../src/dag/generate/generate-dag.js';
import { chainLocalSearch } from '../../../src/dag/optimal/chain-local-search.js';
import { chainMakespan, chainTimetable } from '../../../src/dag/optimal/chain-timetable.js';
import { fewestCoresListPortfolio } from '../../../src/dag/optimal/fewest-cores-list-portfolio.js';
import { incumbentAsEdgeGeneration } from '../../../src/dag/optimal/list-schedule-incumbent.js';
import { makespanListSchedule } from '../../../src/dag/optimal/makespan-list-schedule.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { TimeBudget } from '../../../src/dag/schedule/time-budget.js';
import { PORTFOLIO_BEATS_LISTSCHED } from '../../helpers/portfolio-dag.js';
import { devDag } from '../../helpers/dev-dag.js';
import { arbTightTask } from '../../helpers/tight-task.js';
import type { Dag } from '../../../src/dag/dag-task.js';

// The sequences meet D on their cores: a checked edge-generation answer.
function expectChecked(dag: Dag, chains: number[][], D: number): void {
  const ctx = createAnalysisContext(dag, D);
  const table = chainTimetable(dag, chains)!;
  const r = incumbentAsEdgeGeneration(dag, ctx.reach, { ...table, chains }, 'listsched', 1, D);
  expect(r.feasible).toBe(true);
  expect(checkSchedule(dag, r).violations).toEqual([]);
}

describe('chainLocalSearch', () => {
  it('meets D on 2 cores from the fixed-order list schedule that misses it', () => {
    const dag = PORTFOLIO_BEATS_LISTSCHED;
    const ctx = createAnalysisContext(dag, 29);
    const start = makespanListSchedule(ctx, 2, { rounds: 0 });
    expect(start.makespan).toBeGreaterThan(29);
    const r = chainLocalSearch(dag, start.chains, 29, { maxSteps: 500 });
    expect(r.met).toBe(true);
    expect(r.chains.length).toBeLessThanOrEqual(2);
    expect(r.makespan).toBeLessThanOrEqual(29);
    expectChecked(dag, r.chains, 29);
  });

  it('finds 4 cores where no list schedule of the portfolio meets D on fewer than 5 (a 50-node development DAG)', () => {
    // dev-same-predecessors-n50-5 of bench/egs-search-dev-set.ts (seed base 0x0de50000), D = its proved 8-core makespan.
    const dag = devDag('same-predecessors', 50, 5, 104);
    const ctx = createAnalysisContext(dag, 104);
    expect(fewestCoresListPortfolio(ctx, 1, 50)?.cores).toBe(5);
    const start = makespanListSchedule(ctx, 4, { rounds: 0 });
    const r = chainLocalSearch(dag, start.chains, 104, { maxSteps: 200 });
    expect(r.met).toBe(true);
    expect(r.chains.length).toBe(4);
    expectChecked(dag, r.chains, 104);
  });

  it('property: a partition of the busy nodes on ≤ k cores, never longer than the start, deterministic', () => {
    fc.assert(
      fc.property(arbTightTask(30), fc.integer({ min: 1, max: 4 }), fc.nat(99), ({ dag, D }, k, seed) => {
        const start = makespanListSchedule(createAnalysisContext(dag, D), k, { rounds: 0 });
        const r = chainLocalSearch(dag, start.chains, D * 0.9, { seed, maxSteps: 40, stall: 5 });
        expect(r.chains.length).toBeLessThanOrEqual(start.chains.length);
        const seen = r.chains.flat().sort((a, b) => a - b);
        const busy = [...Array(dag.n).keys()].filter((v) => dag.wcet[v]! > 0);
        expect(seen).toEqual(busy);
        expect(chainMakespan(dag, r.chains)).toBe(r.makespan);
        expect(r.makespan).toBeLessThanOrEqual(start.makespan);
        expect(r.met).toBe(r.makespan <= D * 0.9 + 1e-9 * D);
        expect(chainLocalSearch(dag, start.chains, D * 0.9, { seed, maxSteps: 40, stall: 5 })).toEqual(r);
        if (r.makespan <= D) expectChecked(dag, r.chains, D);
      }),
      { numRuns: 60, seed: 16 },
    );
  });

  it('property: its first step finds the shortest single move (exact insertion makespans, cycles excluded)', () => {
    fc.assert(
      fc.property(arbTightTask(12), fc.integer({ min: 2, max: 3 }), ({ dag, D }, k) => {
        const start = makespanListSchedule(createAnalysisContext(dag, D), k, { rounds: 0 });
        // Brute force: every busy node at every position of every core, timed from scratch.
        let shortest = start.makespan;
        for (const v of start.chains.flat()) {
          const rest = start.chains.map((c) => c.filter((w) => w !== v));
          for (let c = 0; c < rest.length; c++)
            for (let at = 0; at <= rest[c]!.length; at++) {
              const moved = rest.map((chain, i) =>
                i === c ? [...chain.slice(0, at), v, ...chain.slice(at)] : chain,
              );
              const m = chainMakespan(
                dag,
                moved.filter((chain) => chain.length > 0),
              );
              if (m !== undefined && m < shortest) shortest = m;
            }
        }
        const r = chainLocalSearch(dag, start.chains, 0, { maxSteps: 1, movers: dag.n, kick: 0 });
        expect(r.makespan).toBeCloseTo(shortest, 9);
      }),
      { numRuns: 80, seed: 17 },
    );
  });

  it('restarts from the best with a kick after a stall, which finds what the plain descent does not', () => {
    // dev-layered-n50-19 of bench/egs-search-dev-set.ts at its proved 4-core makespan (D = 75),
    // where the portfolio needs 5 cores: 6 of seeds 0–11 meet D within 3,000 steps with kicks, none without.
    const dag = devDag('layered', 50, 19, 75);
    const start = makespanListSchedule(createAnalysisContext(dag, 75), 4, { rounds: 0 });
    expect(start.makespan).toBeGreaterThan(75);
    const kicked = chainLocalSearch(dag, start.chains, 75, { seed: 1, maxSteps: 700 });
    expect(kicked.met).toBe(true);
    expectChecked(dag, kicked.chains, 75);
    expect(chainLocalSearch(dag, start.chains, 75, { seed: 1, maxSteps: 3000, kick: 0 }).met).toBe(false);
  });

  it('stops near its budget on a 1,000-node DAG, with sequences as valid as at the start', () => {
    const dag = generateDag({ kind: 'layered', nodes: 1000, seed: 3 });
    const start = makespanListSchedule(createAnalysisContext(dag, 1e9), 4, { rounds: 0 });
    const t0 = performance.now();
    const r = chainLocalSearch(dag, start.chains, start.makespan / 2, { budget: new TimeBudget(0.2) });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.met).toBe(false);
    expect(r.makespan).toBeLessThanOrEqual(start.makespan);
    expect(r.chains.flat().length).toBe(start.chains.flat().length);
    expect(chainMakespan(dag, r.chains)).toBe(r.makespan);
  });

  it('refuses sequences that put a node on two cores or leave a busy node out', () => {
    const dag = PORTFOLIO_BEATS_LISTSCHED;
    const start = makespanListSchedule(createAnalysisContext(dag, 29), 2, { rounds: 0 });
    const [a, b] = start.chains as [number[], number[]];
    expect(() => chainLocalSearch(dag, [a, [...b, a[0]!]], 29)).toThrow(/on two cores/);
    expect(() => chainLocalSearch(dag, [a.slice(1), b], 29)).toThrow(/on no core/);
  });
});
