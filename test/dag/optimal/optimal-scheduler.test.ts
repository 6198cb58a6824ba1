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

  it('calls HiGHS when list scheduling does not reach the lower bound, and proves the minimum', async () => {
    // Found by search: list scheduling finds 3 cores, the load bound only says 2; HiGHS proves 3.
    const wcet = [2.7, 4, 5, 0.3, 1, 3];
    const dag = buildDag({
      deadline: 8.17,
      nodes: wcet.map((c, id) => ({ id, wcet: c })),
      edges: [
        [0, 5],
        [1, 3],
        [3, 4],
        [3, 5],
      ],
    });
    const r = await scheduleOptimal(dag);
    expectValid(dag, r);
    expect(r.note).toMatch(/HiGHS/);
    expect(r.cores).toBe(3);
    expect(r.cores).toBe(bruteForceMinCores(dag, 8.17));
    expect(r.optimal).toBe(true);
    expect(r.lowerBound).toBe(3);
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
});
