import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import {
  basicGridMakespanBound,
  gridMakespanLowerBound,
  gridMakespanProblem,
  realMakespanLowerBound,
} from '../../../src/dag/analysis/makespan-lower-bound.js';
import { timeGrid } from '../../../src/dag/analysis/time-grid.js';
import { generateDag } from '../../../src/dag/generate/generate-dag.js';
import { readDagFile } from '../../../src/dag/io/read-dag-file.js';
import { bestKnownMakespan, bestKnownMakespanDetail } from '../../../src/dag/optimal/best-known-makespan.js';
import { scheduleOptimal } from '../../../src/dag/optimal/optimal-scheduler.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../../src/dag/schedule/schedule-result.js';
import { bruteForceMinCores, feasibleOnCores } from './brute-force-min-cores.js';
import { arbSmallDagTask } from './random-small-dag.js';

/** The shortest makespan on m cores by exhaustive search: the smallest grid time some schedule meets. */
function bruteForceMakespan(dag: Dag, m: number, upper: number): number {
  // Every ASAP makespan is a sum of WCETs, so a whole number of grid units; feasibility is monotone in T.
  const grid = timeGrid(dag, upper)!;
  let lo = 0;
  let hi = Math.round(upper * grid.scale); // feasible
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (feasibleOnCores(dag, mid / grid.scale + 1e-9, m)) hi = mid;
    else lo = mid + 1;
  }
  return hi / grid.scale;
}

function asResult(dag: Dag, d: Awaited<ReturnType<typeof bestKnownMakespanDetail>>): ScheduleResult {
  return {
    method: 'optimal',
    cores: d.cores,
    feasible: true,
    deadline: d.makespan,
    makespan: d.makespan,
    schedule: d.schedule,
    addedEdges: [],
    lowerBound: 1,
    timeMs: 0,
    guarantee: 'exact',
    guarantees: [],
  };
}

const arbCase = arbSmallDagTask(7).chain((dag) =>
  fc.record({ dag: fc.constant(dag), m: fc.integer({ min: 1, max: 3 }) }),
);

describe('bestKnownMakespan', () => {
  it('property: on ≤ 7 nodes it proves the exhaustive-search optimum, its bounds never exceed it, and its timetable checks', async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ dag, m }) => {
        let opt: number | undefined;
        for (const model of ['objective', 'descent'] as const) {
          const d = await bestKnownMakespanDetail(dag, m, { timeLimitS: 20, model });
          expect(checkSchedule(dag, asResult(dag, d)).violations).toEqual([]);
          expect(d.cores).toBeLessThanOrEqual(m);
          opt ??= bruteForceMakespan(dag, m, d.makespan);
          // Every WCET of the generator lies on a grid, so the exact search always settles it.
          expect(d.proven).toBe(true);
          expect(d.makespan).toBeCloseTo(opt, 9);
          expect(d.lowerBound).toBeLessThanOrEqual(opt + 1e-9);
        }
      }),
      { numRuns: 60, seed: 1616 },
    );
  }, 60_000);

  it('property: the grid lower bounds (basic and m-core windows) never exceed the exhaustive optimum', async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ dag, m }) => {
        const heuristic = await bestKnownMakespan(dag, m, { timeLimitS: 0 });
        const opt = bruteForceMakespan(dag, m, heuristic.makespan);
        const grid = timeGrid(dag, heuristic.makespan)!;
        const p = gridMakespanProblem(dag, grid.wcet);
        const upper = Math.round(heuristic.makespan * grid.scale);
        const optGrid = Math.round(opt * grid.scale);
        expect(basicGridMakespanBound(p, m).lowerBound).toBeLessThanOrEqual(optGrid);
        expect(gridMakespanLowerBound(p, m, upper).lowerBound).toBeLessThanOrEqual(optGrid);
        // From the loose upper bound vol (one core), the bisection over refuted horizons runs too.
        const vol = Array.from(grid.wcet).reduce((a, b) => a + b, 0);
        expect(gridMakespanLowerBound(p, m, vol).lowerBound).toBeLessThanOrEqual(optGrid);
        expect(realMakespanLowerBound(dag, m).lowerBound).toBeLessThanOrEqual(opt + 1e-9);
        expect(heuristic.lowerBound).toBeLessThanOrEqual(opt + 1e-9);
      }),
      { numRuns: 60, seed: 1617 },
    );
  }, 60_000);

  it('the bounds are tight where they must be: a chain (L), equal independent tasks (⌈vol/m⌉)', async () => {
    const chain = buildDag({
      nodes: [1, 2, 3].map((id) => ({ id, wcet: id })),
      edges: [
        [1, 2],
        [2, 3],
      ],
    });
    expect(await bestKnownMakespan(chain, 3)).toMatchObject({ makespan: 6, proven: true, lowerBound: 6 });
    const five = buildDag({ nodes: [1, 2, 3, 4, 5].map((id) => ({ id, wcet: 2 })), edges: [] });
    expect(await bestKnownMakespan(five, 2)).toMatchObject({ makespan: 6, proven: true, lowerBound: 6 });
    const p = gridMakespanProblem(five, five.wcet);
    expect(basicGridMakespanBound(p, 2)).toEqual({ lowerBound: 5, by: 'volume' });
    // Three nodes of 2 on 2 cores: the m-core windows refute 4 (the third must wait for a core).
    const three = buildDag({ nodes: [1, 2, 3].map((id) => ({ id, wcet: 2 })), edges: [] });
    const p3 = gridMakespanProblem(three, three.wcet);
    expect(gridMakespanLowerBound(p3, 2, 4).lowerBound).toBe(4);
    // From the loose upper bound 6 the bisection must stop at 4 (refuted 3), not above.
    expect(gridMakespanLowerBound(p3, 2, 6)).toMatchObject({ lowerBound: 4, by: 'm-core-windows' });
  });

  it('finds and proves the published optimal makespans of STG rand0007 (m = 2, 4, 8)', async () => {
    const dag = await readDagFile('/work/shared/data/stg-50-rand0007.stg');
    for (const [m, opt] of [
      [2, 260],
      [4, 130],
      [8, 77],
    ] as const) {
      const r = await bestKnownMakespan(dag, m, { timeLimitS: 20 });
      expect(r).toMatchObject({ makespan: opt, proven: true, lowerBound: opt });
    }
  }, 60_000);

  it('real WCETs on no grid: a checked heuristic answer, proved only when it reaches max(L, vol/m)', async () => {
    const w = [Math.PI, Math.E, Math.SQRT2, Math.LN2 * 3];
    const dag = buildDag({ nodes: w.map((wcet, id) => ({ id, wcet })), edges: [[0, 1]] });
    const d = await bestKnownMakespanDetail(dag, 2);
    expect(checkSchedule(dag, asResult(dag, d)).violations).toEqual([]);
    expect(d.lowerBound).toBeCloseTo(Math.max(Math.PI + Math.E, w.reduce((a, b) => a + b) / 2), 12);
    expect(d.proven).toBe(d.makespan <= d.lowerBound * (1 + 1e-9));
    expect(d.note).toMatch(/no grid/);
  });

  it('both MILP models agree where the list schedules and bounds do not meet (50-node fork-join, m = 8)', async () => {
    const dag = generateDag({ kind: 'fork-join', nodes: 50, seed: 9403 });
    const byObjective = await bestKnownMakespanDetail(dag, 8, { timeLimitS: 20, model: 'objective' });
    const byDescent = await bestKnownMakespanDetail(dag, 8, { timeLimitS: 20, model: 'descent' });
    for (const d of [byObjective, byDescent]) {
      expect(checkSchedule(dag, asResult(dag, d)).violations).toEqual([]);
      expect(d).toMatchObject({ proven: true, by: 'milp' });
    }
    expect(byObjective.makespan).toBe(byDescent.makespan);
  }, 60_000);

  it('rejects a core count that is not a positive integer', async () => {
    const dag = buildDag({ nodes: [{ id: 0, wcet: 1 }], edges: [] });
    await expect(bestKnownMakespan(dag, 0)).rejects.toThrow(/m must be an integer >= 1/);
    await expect(bestKnownMakespan(dag, 1.5)).rejects.toThrow(/m must be an integer >= 1/);
  });
});

describe('optimal at tight deadlines (D = bestKnownMakespan)', () => {
  it('property: on ≤ 7 nodes its answer checks, uses ≤ m cores and, when proved, is the exhaustive minimum', async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ dag, m }) => {
        const D = (await bestKnownMakespan(dag, m, { timeLimitS: 5 })).makespan;
        const r = await scheduleOptimal(dag, { deadline: D, timeLimitS: 10 });
        expect(checkSchedule(dag, r).violations).toEqual([]);
        expect(r.feasible).toBe(true);
        expect(r.cores).toBeLessThanOrEqual(m);
        expect(r.lowerBound).toBeLessThanOrEqual(r.cores);
        expect(r.optimal).toBe(true);
        expect(r.cores).toBe(bruteForceMinCores(dag, D));
      }),
      { numRuns: 40, seed: 1618 },
    );
  }, 60_000);

  it('a 50-node fork-join DAG at its proved 2-core makespan: optimal finds 2 cores by the fewer-cores probe', async () => {
    const dag = generateDag({ kind: 'fork-join', nodes: 50, seed: 9400 });
    const bk = await bestKnownMakespan(dag, 2, { timeLimitS: 5 });
    expect(bk.proven).toBe(true);
    const r = await scheduleOptimal(dag, { deadline: bk.makespan, timeLimitS: 5 });
    expect(checkSchedule(dag, r).violations).toEqual([]);
    expect(r).toMatchObject({ cores: 2, optimal: true, lowerBound: 2 });
  }, 30_000);
});
