import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineInfeasibleError, ValidationError } from '../../../src/core/errors.js';
import { buildDag, dagToSpec } from '../../../src/dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../../src/dag/dag-task.js';
import { scheduleOptimal } from '../../../src/dag/optimal/optimal-scheduler.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../../src/dag/schedule/schedule-result.js';
import { bruteForceMinCores } from './brute-force-min-cores.js';
import { arbSmallDagTask } from './random-small-dag.js';
import { generateDag } from '../../../src/dag/generate/generate-dag.js';
import { scheduleAllMethods } from '../../../src/dag/schedule/schedule-dag.js';
import { egsExample } from '../../helpers/random-dag.js';

function expectValid(dag: Dag, r: ScheduleResult): void {
  expect(checkSchedule(dag, r).violations).toEqual([]);
  expect(r.method).toBe('optimal');
  expect(r.guarantee).toBe('exact');
  expect(r.feasible).toBe(true);
  expect(r.addedEdges).toEqual([]);
  expect(r.lowerBound).toBeLessThanOrEqual(r.cores);
}

/** A layered random DAG from a seeded LCG: `layers` layers of 1–`maxWidth` nodes, integer WCETs. */
function layeredDag(n: number, seed: number, maxWidth: number, deadlineFactor: number): Dag {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const layers: number[][] = [];
  for (let k = 0; k < n;) {
    const w = Math.min(n - k, 1 + Math.floor(rand() * maxWidth));
    layers.push(Array.from({ length: w }, (_, i) => k + i));
    k += w;
  }
  const edges = new Set<string>();
  for (let l = 1; l < layers.length; l++) {
    for (const v of layers[l]!) {
      const prev = layers[l - 1]!;
      edges.add(`${prev[Math.floor(rand() * prev.length)]!},${v}`);
      for (let l2 = 0; l2 < l; l2++) for (const u of layers[l2]!) if (rand() < 0.1) edges.add(`${u},${v}`);
    }
  }
  const spec: DagTaskSpec = {
    name: `layered-${n}-${seed}`,
    nodes: Array.from({ length: n }, (_, id) => ({ id, wcet: 1 + Math.floor(rand() * 10) })),
    edges: [...edges].map((e) => e.split(',').map(Number) as [number, number]),
  };
  const L = longest(buildDag(spec));
  return buildDag({ ...spec, deadline: Math.ceil(L * deadlineFactor) });
}

function longest(dag: Dag): number {
  const f = new Float64Array(dag.n);
  let L = 0;
  for (const v of dag.topoOrder) {
    let s = 0;
    for (const u of dag.pred[v]!) s = Math.max(s, f[u]!);
    f[v] = s + dag.wcet[v]!;
    L = Math.max(L, f[v]!);
  }
  return L;
}

describe('scheduleOptimal', () => {
  it('egs-ex1 (D = 8) needs exactly 2 cores', async () => {
    const dag = egsExample();
    const r = await scheduleOptimal(dag);
    expectValid(dag, r);
    expect(r.cores).toBe(2);
    expect(r.optimal).toBe(true);
    expect(r.gap).toBe(0);
    expect(r.makespan).toBeLessThanOrEqual(8);
  });

  it('a chain needs 1 core', async () => {
    const dag = buildDag({
      deadline: 10,
      nodes: [1, 2, 3, 4].map((wcet, id) => ({ id, wcet })),
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
    });
    const r = await scheduleOptimal(dag);
    expectValid(dag, r);
    expect(r.cores).toBe(1);
    expect(r.optimal).toBe(true);
  });

  it.each([1, 2, 5, 9])('%i independent nodes of wcet D need that many cores', async (k) => {
    const dag = buildDag({
      deadline: 3.5,
      nodes: Array.from({ length: k }, (_, id) => ({ id, wcet: 3.5 })),
      edges: [],
    });
    const r = await scheduleOptimal(dag);
    expectValid(dag, r);
    expect(r.cores).toBe(k);
    expect(r.optimal).toBe(true);
  });

  it('throws DeadlineInfeasibleError when L > D, and ValidationError without a deadline', async () => {
    const dag = egsExample();
    await expect(scheduleOptimal(dag, { deadline: 7.5 })).rejects.toBeInstanceOf(DeadlineInfeasibleError);
    await expect(scheduleOptimal(dag, { deadline: 7.5 })).rejects.toMatchObject({
      criticalPath: 8,
      deadline: 7.5,
    });
    const { deadline: _omit, ...noDeadline } = dagToSpec(egsExample());
    await expect(scheduleOptimal(buildDag(noDeadline))).rejects.toBeInstanceOf(ValidationError);
  });

  it('a task of zero-WCET nodes only runs on one core', async () => {
    const dag = buildDag({
      deadline: 1,
      nodes: [
        { id: 'a', wcet: 0 },
        { id: 'b', wcet: 0 },
      ],
      edges: [['a', 'b']],
    });
    const r = await scheduleOptimal(dag);
    expectValid(dag, r);
    expect(r.cores).toBe(1);
  });

  it('fractional WCETs that are not exact in binary (0.1 + 0.2 against D = 0.3)', async () => {
    const dag = buildDag({
      deadline: 0.3,
      nodes: [
        { id: 'a', wcet: 0.1 },
        { id: 'b', wcet: 0.2 },
        { id: 'c', wcet: 0.2 },
        { id: 'd', wcet: 0.1 },
      ],
      edges: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    });
    const r = await scheduleOptimal(dag);
    expectValid(dag, r);
    expect(r.cores).toBe(2);
    expect(r.optimal).toBe(true);
  });

  it('the m-core windows prove what ⌈vol/D⌉ and the window load bound miss; off the time grid HiGHS proves it', async () => {
    // Found by search: list scheduling finds 3 cores, the load bound only says 2.
    const wcet = [2.7, 4, 5, 0.3, 1, 3];
    const edges: [number, number][] = [
      [0, 5],
      [1, 3],
      [3, 4],
      [3, 5],
    ];
    const task = (scale: number): Dag =>
      buildDag({ deadline: 8.17 * scale, nodes: wcet.map((c, id) => ({ id, wcet: c * scale })), edges });
    // On the grid of tenths the core profile refutes 2 cores: no solver needed.
    const onGrid = task(1);
    const r = await scheduleOptimal(onGrid);
    expectValid(onGrid, r);
    expect(r.cores).toBe(bruteForceMinCores(onGrid, 8.17));
    expect(r).toMatchObject({ cores: 3, optimal: true, lowerBound: 3, lowerBoundBy: 'm-core-windows' });
    // Times in units of √2 have no grid: the successor MILP, started from the incumbent, proves 3.
    const offGrid = task(Math.SQRT2);
    const q = await scheduleOptimal(offGrid);
    expectValid(offGrid, q);
    expect(q.note).toMatch(/^HiGHS proved the minimum in [\d.]+ s \(successor MILP\)/);
    expect(q).toMatchObject({ cores: 3, optimal: true, lowerBound: 3, lowerBoundBy: 'solver' });
  });

  it('a 20-node random layered DAG solves to proven optimality within the time limit', async () => {
    const dag = layeredDag(20, 17 * 7919 + 20, 6, 1.1);
    const r = await scheduleOptimal(dag, { timeLimitS: 20 });
    expectValid(dag, r);
    expect(r.optimal).toBe(true);
    expect(r.timeMs).toBeLessThan(20_000);
  });

  it('property: the core count equals an exhaustive-search minimum on random DAGs of ≤ 8 nodes', async () => {
    await fc.assert(
      fc.asyncProperty(arbSmallDagTask(8), async (dag) => {
        const r = await scheduleOptimal(dag, { timeLimitS: 20 });
        expectValid(dag, r);
        expect(r.optimal).toBe(true);
        expect(r.cores).toBe(bruteForceMinCores(dag, dag.deadline!));
      }),
      { numRuns: 80, seed: 20240611 },
    );
  });

  it('a checked warm start is the answer when the solver has no time, and names its method', async () => {
    const dag = layeredDag(14, 4242, 5, 1.0);
    const solved = await scheduleOptimal(dag, { timeLimitS: 20 });
    expect(solved.optimal).toBe(true);
    // No time: the list-scheduling scan stops at once (one core per node), the warm start wins.
    const warm: ScheduleResult = { ...solved, method: 'egs-greedy' };
    const r = await scheduleOptimal(dag, { timeLimitS: 0, warmStarts: [warm] });
    expectValid(dag, r);
    expect(r.cores).toBe(solved.cores);
    expect(r.upperBoundBy).toBe('egs-greedy');
    expect(r.gap).toBeCloseTo((r.cores - r.lowerBound) / r.cores, 12);
    expect(r.lowerBoundBy).toBeDefined();
  });

  it('a warm start that fails the shared checker is ignored', async () => {
    const dag = layeredDag(14, 4242, 5, 1.0);
    const solved = await scheduleOptimal(dag, { timeLimitS: 20 });
    // Everything on core 0 at its old start: nodes overlap.
    const bogus: ScheduleResult = {
      ...solved,
      method: 'egs',
      cores: 1,
      schedule: solved.schedule.map((x) => ({ ...x, core: 0 })),
    };
    expect(checkSchedule(dag, bogus).ok).toBe(false);
    const r = await scheduleOptimal(dag, { timeLimitS: 0, warmStarts: [bogus] });
    expectValid(dag, r);
    expect(r.upperBoundBy).toBe('listsched');
    expect(r.cores).toBeGreaterThan(1);
  });

  it('property (never worse): under --method all, optimal uses no more cores than any other method', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom('layered', 'fork-join'),
        async (seed, kind) => {
          const dag = generateDag({ kind: kind as 'layered' | 'fork-join', nodes: 24, seed, slack: 0.05 });
          const results = await scheduleAllMethods(dag, { timeLimitS: 0.05 });
          const optimal = results.find((r) => r.method === 'optimal')!;
          expectValid(dag, optimal);
          for (const r of results) if (r.feasible) expect(optimal.cores).toBeLessThanOrEqual(r.cores);
          expect(optimal.gap).toBe(
            optimal.optimal ? 0 : (optimal.cores - optimal.lowerBound) / optimal.cores,
          );
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  });

  it('proves a minimum with the time-indexed model and reports the bounds (STG-style integer DAG)', async () => {
    // D = L: list scheduling, even the randomised fewer-cores probe, needs one core more than the
    // optimum the MILP finds (seed 1 is now settled by the probe).
    const dag = generateDag({ kind: 'layered', nodes: 30, seed: 16, slack: 0 });
    const r = await scheduleOptimal(dag, { timeLimitS: 20 });
    expectValid(dag, r);
    // Either the makespan search on one core fewer finds the timetable, or the min-cores model does.
    expect(r.note).toMatch(
      /^(HiGHS proved the minimum in [\d.]+ s \(time-indexed MILP|the optimal timetable reaches)/,
    );
    expect(r.upperBoundBy).toBe('optimal');
    expect(r.optimal).toBe(true);
    expect(r.gap).toBe(0);
    expect(r.lowerBound).toBe(r.cores);
    expect(['volume', 'window-load', 'm-core-windows', 'solver']).toContain(r.lowerBoundBy);
  });
});
