import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { chainTimetable } from '../../../src/dag/optimal/chain-timetable.js';
import { solveLp } from '../../../src/dag/optimal/highs-solver.js';
import { buildMinCoresMilp, chainsFromSolution, milpStart } from '../../../src/dag/optimal/min-cores-milp.js';
import { bruteForceMinCores } from './brute-force-min-cores.js';
import { arbSmallDagTask } from './random-small-dag.js';
import { egsExample } from '../../helpers/random-dag.js';

/** Solves the bare MILP (no incumbent, no lower-bound cut) and decodes its timetable. */
async function solveBare(dag: Dag) {
  const timing = computeTiming(dag);
  const milp = buildMinCoresMilp(dag, timing);
  const sol = await solveLp(milp.lp, { timeLimitS: 30, mipRelGap: 0, mipAbsGap: 0.999 });
  const chains = chainsFromSolution(milp, sol.values);
  const table = chains && chainTimetable(dag, chains);
  return { milp, sol, chains, table, D: timing.deadline };
}

describe('buildMinCoresMilp', () => {
  it('only admits successor pairs that can run in that order, never zero-WCET nodes', () => {
    const dag = egsExample();
    const milp = buildMinCoresMilp(dag, computeTiming(dag));
    expect(milp.busy).toEqual([1, 2, 3, 4, 5]);
    const pairs = milp.pairs.map((p) => `${p.u}->${p.v}`);
    expect(pairs).toContain('1->4'); // a descendant may follow directly
    expect(pairs).toContain('2->3'); // 4 + 3 ≤ 8
    expect(pairs).not.toContain('4->1'); // 1 is an ancestor of 4
    expect(pairs).not.toContain('1->2'); // EFT 5 > LST 3
    expect(milp.lp).toMatch(/^Minimize\n obj: 5 - /);
    expect(milp.lp).toContain('Binaries');
  });

  it('the bare MILP finds 2 cores on egs-ex1, and its decoded timetable meets D', async () => {
    const dag = egsExample();
    const { sol, table } = await solveBare(dag);
    expect(sol.status).toBe('optimal');
    expect(Math.round(sol.objective!)).toBe(2);
    expect(table!.cores).toBe(2);
    expect(table!.makespan).toBeLessThanOrEqual(8);
  });

  it('milpStart encodes a timetable that HiGHS accepts as its incumbent', async () => {
    const dag = egsExample();
    const timing = computeTiming(dag);
    const milp = buildMinCoresMilp(dag, timing, { lowerBound: 2, upperBound: 2 });
    const chains = [
      [1, 4],
      [2, 3, 5],
    ];
    const start = chainTimetable(dag, chains)!.start;
    const values = milpStart(milp, chains, start);
    expect(values.get('x1_4')).toBe(1);
    expect(values.get('x2_3')).toBe(1);
    expect(values.get('x3_5')).toBe(1);
    expect(values.get('x2_5')).toBe(0);
    const sol = await solveLp(milp.lp, { start: values, timeLimitS: 10 });
    expect(sol.status).toBe('optimal');
    expect(Math.round(sol.objective!)).toBe(2);
  });

  it('chainsFromSolution rejects two successors, and a cycle of x', () => {
    const dag = buildDag({
      deadline: 4,
      nodes: [1, 1, 1].map((wcet, id) => ({ id, wcet })),
      edges: [],
    });
    const milp = buildMinCoresMilp(dag, computeTiming(dag));
    const x = (pairs: string[]) => new Map(pairs.map((p) => [p, 1]));
    expect(chainsFromSolution(milp, x(['x0_1', 'x0_2']))).toBeUndefined();
    expect(chainsFromSolution(milp, x(['x0_1', 'x1_0']))).toBeUndefined();
    expect(chainsFromSolution(milp, x(['x0_1', 'x1_2']))).toEqual([[0, 1, 2]]);
    expect(chainsFromSolution(milp, x([]))).toEqual([[0], [1], [2]]);
  });

  it('property: the bare MILP optimum equals the exhaustive-search minimum (≤ 8 nodes)', async () => {
    await fc.assert(
      fc.asyncProperty(arbSmallDagTask(8), async (dag) => {
        const { sol, table, D } = await solveBare(dag);
        expect(sol.status).toBe('optimal');
        const exact = bruteForceMinCores(dag, D);
        expect(table).toBeDefined();
        expect(table!.makespan).toBeLessThanOrEqual(D * (1 + 1e-9));
        expect(table!.cores).toBe(exact);
        // A model without successor pairs is a plain LP and has no MIP dual bound.
        if (sol.dualBound !== undefined) expect(Math.ceil(sol.dualBound - 1e-6)).toBe(exact);
      }),
      { numRuns: 60, seed: 424242 },
    );
  });
});
