/**
 * Issue 13 §1: every analytic answer holds for ANY execution times ≤ WCET, and every timetable
 * is anomaly-free under static-order dispatch. Execution times are drawn per node in [0, C]
 * (uniform, bimodal {0, C}, only some nodes short) and searched adversarially (hill-climbing
 * to maximize the makespan), with the shared simulator of test/helpers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext, type AnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { he2019 } from '../../../src/dag/schedule/he2019.js';
import { he2021 } from '../../../src/dag/schedule/he2021.js';
import { grahamBound } from '../../../src/dag/schedule/graham.js';
import { listSchedule } from '../../../src/dag/schedule/list-scheduler.js';
import { ranksFromKeys } from '../../../src/dag/schedule/priority-order.js';
import type { ScheduleResult } from '../../../src/dag/schedule/schedule-result.js';
import { scheduleDag } from '../../../src/dag/schedule/schedule-dag.js';
import { zhao2020 } from '../../../src/dag/schedule/zhao2020.js';
import { loadEgsPolicyModel, SMALL_EGS_MODEL_PATH } from '../../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../../src/deploy/egs-policy-scheduler.js';
import {
  adversarialSearch,
  drawExecutionTimes,
  EXECUTION_TIME_MODELS,
  seededRandom,
  simulateDynamic,
  simulateStaticOrder,
} from '../../../src/experiments/execution-time-simulator.js';
import { devDag } from '../../helpers/dev-dag.js';
import {
  DAG_SHAPES,
  shapedDag,
  zhaoEstBlockerDag,
  type DagShape,
} from '../../../src/experiments/shaped-dag.js';

const EPS = 1e-9;

interface Task {
  dag: Dag;
  seed: number;
}

/** A shaped random task: shape, seed, n in [minN, maxN], slack in [0, 0.8]. */
function arbTask(minN: number, maxN: number, shapes: readonly DagShape[] = DAG_SHAPES): fc.Arbitrary<Task> {
  return fc
    .record({
      shape: fc.constantFrom(...shapes),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      n: fc.integer({ min: minN, max: maxN }),
      slack: fc.double({ min: 0, max: 0.8, noNaN: true }),
    })
    .map(({ shape, seed, n, slack }) => ({ dag: shapedDag(shape, seed, n, slack), seed }));
}

/** The worst makespan found by random draws and the adversarial search. */
function worstMakespan(
  wcet: ArrayLike<number>,
  makespan: (exec: Float64Array) => number,
  seed: number,
  draws: number,
  budget: number,
): number {
  const rand = seededRandom(seed);
  let worst = 0;
  for (const model of EXECUTION_TIME_MODELS)
    for (let k = 0; k < draws; k++) worst = Math.max(worst, makespan(drawExecutionTimes(wcet, model, rand)));
  return Math.max(worst, adversarialSearch(wcet, makespan, budget, rand).makespan);
}

describe('the execution-time simulator', () => {
  it('reproduces listSchedule exactly at WCET (starts, cores, makespan), zero WCETs included', () => {
    fc.assert(
      fc.property(
        arbTask(1, 24),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        ({ dag: base, seed }, m, zeroShare) => {
          // Zero WCETs (allowed on sources and sinks) exercise several dispatch rounds at one instant.
          const rand = seededRandom(seed);
          const end = (v: number): boolean => base.pred[v]!.length === 0 || base.succ[v]!.length === 0;
          const dag = buildDag({
            nodes: base.ids.map((id, v) => ({ id, wcet: end(v) && rand() < zeroShare ? 0 : base.wcet[v]! })),
            edges: base.edges.map(([u, v]) => [base.ids[u]!, base.ids[v]!]),
          });
          const rank = Int32Array.from({ length: dag.n }, () => Math.floor(rand() * dag.n));
          const ref = listSchedule(dag, m, rank);
          const sim = simulateDynamic(dag, m, rank, dag.wcet);
          expect([...sim.start]).toEqual([...ref.start]);
          expect([...sim.core]).toEqual([...ref.core]);
          expect(sim.makespan).toBe(ref.makespan);
          // Static order of the WCET timetable replays it exactly.
          expect(simulateStaticOrder(dag, ref.schedule, dag.wcet).makespan).toBe(ref.makespan);
        },
      ),
      { numRuns: 300, seed: 1301 },
    );
  });

  it('dynamic dispatch has timing anomalies (so the checks below can fail): the issue-13 example', () => {
    const dag = zhaoEstBlockerDag();
    const ranks = zhao2020.priority(createAnalysisContext(dag));
    const atWcet = simulateDynamic(dag, 2, ranks, dag.wcet).makespan;
    const worst = worstMakespan(dag.wcet, (x) => simulateDynamic(dag, 2, ranks, x).makespan, 1, 3, 300);
    expect(atWcet).toBe(44);
    expect(worst).toBeGreaterThanOrEqual(52);
  });
});

/** Checks the result of one analytic method: R ≤ D, and no execution times beat R on boundCores. */
function checkAnalytic(
  dag: Dag,
  result: ScheduleResult,
  ranks: Int32Array,
  seed: number,
  budget: number,
): void {
  expect(checkSchedule(dag, result).violations).toEqual([]);
  if (!result.feasible) return;
  const R = result.responseTimeBound!;
  const m = result.boundCores!;
  expect(R).toBeLessThanOrEqual(result.deadline * (1 + EPS));
  const worst = worstMakespan(dag.wcet, (x) => simulateDynamic(dag, m, ranks, x).makespan, seed, 3, budget);
  expect(worst).toBeLessThanOrEqual(R + EPS * Math.max(1, R));
}

/** The bound itself, on m = 1 … 4, against the worst execution times found. */
function checkBoundOnCores(
  dag: Dag,
  bound: (m: number) => number,
  ranks: Int32Array,
  seed: number,
  budget: number,
): void {
  for (let m = 1; m <= 4; m++) {
    const R = bound(m);
    const worst = worstMakespan(
      dag.wcet,
      (x) => simulateDynamic(dag, m, ranks, x).makespan,
      seed + m,
      2,
      budget,
    );
    expect(worst).toBeLessThanOrEqual(R + EPS * Math.max(1, R));
  }
}

describe('analytic bounds hold for every execution time ≤ WCET (dynamic dispatch)', () => {
  const RUNS = { numRuns: 200, seed: 1302 };

  for (const [name, method] of [
    ['he2019', he2019],
    ['zhao2020', zhao2020],
    ['he2021', he2021],
  ] as const) {
    it(`${name}: makespan ≤ R ≤ D on boundCores, and ≤ R(m) for m = 1…4`, async () => {
      await fc.assert(
        fc.asyncProperty(arbTask(4, 18), async ({ dag, seed }) => {
          const ctx = createAnalysisContext(dag);
          const ranks = method.priority(ctx);
          checkAnalytic(dag, await scheduleDag(dag, name), ranks, seed, 80);
          checkBoundOnCores(dag, (m) => method.bound(ctx, m, ranks), ranks, seed, 60);
        }),
        RUNS,
      );
    });
  }

  it('zhao2020 on many small chain-and-diamond tasks (where the EST blocker bug showed)', () => {
    fc.assert(
      fc.property(arbTask(5, 12, ['chains']), ({ dag, seed }) => {
        const ctx = createAnalysisContext(dag);
        const ranks = zhao2020.priority(ctx);
        for (const m of [2, 3]) {
          const R = zhao2020.bound(ctx, m, ranks);
          const worst = worstMakespan(
            dag.wcet,
            (x) => simulateDynamic(dag, m, ranks, x).makespan,
            seed + m,
            2,
            120,
          );
          expect(worst).toBeLessThanOrEqual(R + EPS * Math.max(1, R));
        }
      }),
      { numRuns: 700, seed: 1303 },
    );
  });

  it('graham: makespan ≤ L + (vol − L)/m for its LST order and for arbitrary orders', async () => {
    await fc.assert(
      fc.asyncProperty(arbTask(4, 18), async ({ dag, seed }) => {
        const ctx: AnalysisContext = createAnalysisContext(dag);
        checkAnalytic(
          dag,
          await scheduleDag(dag, 'graham'),
          ranksFromKeys(ctx.timing.lst, 'ascending'),
          seed,
          80,
        );
        const rand = seededRandom(seed ^ 0x5bd1e995);
        const arbitrary = Int32Array.from({ length: dag.n }, () => Math.floor(rand() * dag.n));
        checkBoundOnCores(dag, (m) => grahamBound(ctx, m), arbitrary, seed, 60);
      }),
      RUNS,
    );
  });
});

/** Every timetable replayed in static order never ends later than its WCET makespan. */
function checkStaticOrder(dag: Dag, result: ScheduleResult, seed: number, budget: number): void {
  expect(checkSchedule(dag, result).violations).toEqual([]);
  if (result.schedule.length === 0) return;
  const index = (id: string | number): number => dag.indexOf.get(String(id))!;
  const added = result.addedEdges.map(([u, v]) => [index(u), index(v)] as const);
  const run = (x: Float64Array): number => simulateStaticOrder(dag, result.schedule, x, added).makespan;
  expect(run(Float64Array.from(dag.wcet))).toBeLessThanOrEqual(result.makespan + EPS);
  const worst = worstMakespan(dag.wcet, run, seed, 3, budget);
  expect(worst).toBeLessThanOrEqual(result.makespan * (1 + EPS) + EPS);
}

describe('timetables are anomaly-free under static-order dispatch', () => {
  it('listsched, egs-greedy and the bound methods’ timetables', async () => {
    await fc.assert(
      fc.asyncProperty(arbTask(3, 20), async ({ dag, seed }) => {
        for (const method of ['graham', 'he2019', 'zhao2020', 'he2021', 'listsched', 'egs-greedy'] as const)
          checkStaticOrder(dag, await scheduleDag(dag, method), seed, 60);
      }),
      { numRuns: 80, seed: 1304 },
    );
  });

  it('egs, egs-search (shipped small model) and optimal, on a few small tasks', async () => {
    const egs = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));
    await fc.assert(
      fc.asyncProperty(arbTask(6, 12), async ({ dag, seed }) => {
        checkStaticOrder(dag, egs.greedy(dag), seed, 60);
        checkStaticOrder(dag, egs.search(dag, { beamWidth: 2, expand: 2 }), seed, 60);
        checkStaticOrder(dag, await scheduleDag(dag, 'optimal', { timeLimitS: 2 }), seed, 60);
      }),
      { numRuns: 6, seed: 1305 },
    );
  });

  it('egs-search answered by the chain local search seed (a tight 50-node development DAG)', () => {
    const dag = devDag('same-predecessors', 50, 5, 104);
    const r = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH)).search(dag, { samples: 1 });
    expect(r.note).toMatch(/answer from: chain local search/);
    for (const seed of [1, 2, 3]) checkStaticOrder(dag, r, seed, 60);
  });
});
