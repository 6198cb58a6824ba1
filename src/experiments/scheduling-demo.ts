/**
 * The experiment behind `arbiter demo`: a seeded set of layered and fork-join DAG tasks, every
 * scheduling method on each (`scheduleEveryMethod`: the learned EGS policies right after
 * `egs-greedy`), every timetable checked, and per method the summary the demo prints and renders.
 */
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { mean } from '../core/statistics.js';
import type { Dag } from '../dag/dag-task.js';
import { generateDag } from '../dag/generate/generate-dag.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import type { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { scheduleEveryMethod } from '../deploy/schedule-method.js';

/** The note that marks the results of the policy the demo trained itself. */
export const DEMO_TRAINED = 'policy trained by this demo';

/** Settings of {@link demoDags}. */
export interface DemoDagOptions {
  /** Number of tasks. */
  count: number;
  /** Node count range. */
  nodes: [number, number];
  /** Slack factor range s in D = L + s·(vol − L). */
  slack: [number, number];
  /** Seed of the whole set. */
  seed: number;
}

/** The demo's tasks: layered and fork-join in turn, sizes and slacks drawn from `seed`. */
export function demoDags(opts: DemoDagOptions): Dag[] {
  const rng = new Rng(opts.seed);
  const dags: Dag[] = [];
  for (let k = 0; k < opts.count; k++) {
    dags.push(
      generateDag({
        kind: k % 2 === 0 ? 'layered' : 'fork-join',
        nodes: rng.intBetween(Math.round(opts.nodes[0]), Math.round(opts.nodes[1])),
        seed: rng.nextUint32(),
        slack: rng.uniform(opts.slack[0], opts.slack[1]),
      }),
    );
  }
  return dags;
}

/** The learned schedulers of the demo. */
export interface DemoSchedulers {
  /** Shipped policy of `egs` (greedy). */
  shipped: EgsPolicyScheduler;
  /** Shipped policy of `egs-search`. */
  shippedSearch: EgsPolicyScheduler;
  /** The policy the demo trained, if any (its results carry the note {@link DEMO_TRAINED}). */
  demoTrained?: EgsPolicyScheduler;
}

/** What {@link scheduleDemoDags} returns. */
export interface DemoSchedules {
  /** Per task, every method's result in table order. */
  all: ScheduleResult[][];
  /** Timetables (non-empty schedules) that passed the checker. */
  checked: number;
}

/**
 * Every method on every task, the learned policies after `egs-greedy`; a timetable failing the
 * checker is an `invalid-schedule` error naming the task and the method.
 */
export async function scheduleDemoDags(
  dags: readonly Dag[],
  schedulers: DemoSchedulers,
  opts: { timeLimitS: number; onDag?: (dag: Dag) => void },
): Promise<DemoSchedules> {
  const all: ScheduleResult[][] = [];
  let checked = 0;
  for (const dag of dags) {
    const results = await scheduleEveryMethod(dag, {
      timeLimitS: opts.timeLimitS,
      schedulers: { egs: schedulers.shipped, 'egs-search': schedulers.shippedSearch },
    });
    if (schedulers.demoTrained)
      results.splice(results.findIndex((r) => r.method === 'egs-search') + 1, 0, {
        ...schedulers.demoTrained.greedy(dag),
        note: DEMO_TRAINED,
      });
    for (const r of results) {
      const c = checkSchedule(dag, r);
      if (!c.ok)
        throw new ArbiterError('invalid-schedule', `${dag.name}/${r.method}: ${c.violations.join('; ')}`);
      if (r.schedule.length > 0) checked++;
    }
    all.push(results);
    opts.onDag?.(dag);
  }
  return { all, checked };
}

/** Column heads of {@link demoSummaryRows}. */
export const DEMO_SUMMARY_HEAD = [
  'method',
  'mean cores',
  'list-dispatch cores',
  'timetable',
  'gap to optimal',
  'mean time ms',
];

/**
 * Per method: mean cores over the tasks it scheduled, mean list-dispatch cores (analytic methods),
 * timetables found, mean gap to a proved optimum and mean time (see {@link DEMO_SUMMARY_HEAD}).
 */
export function demoSummaryRows(all: readonly ScheduleResult[][]): (string | number)[][] {
  const methods = all[0]!.map((r) => (r.note === DEMO_TRAINED ? 'egs (demo-trained)' : r.method));
  return methods.map((method, k) => {
    const rs = all.map((results) => results[k]!);
    const ok = rs.filter((r) => r.feasible);
    const gaps: number[] = [];
    all.forEach((results) => {
      const opt = results.find((r) => r.method === 'optimal');
      const r = results[k]!;
      if (opt?.optimal && r.feasible) gaps.push((r.cores - opt.cores) / opt.cores);
    });
    const dynamic = ok.flatMap((r) => r.guarantees.filter((g) => g.dispatch === 'fixed-priority-list'));
    return [
      method,
      ok.length > 0 ? mean(ok.map((r) => r.cores)) : NaN,
      dynamic.length > 0 ? mean(dynamic.map((g) => g.cores)) : '-',
      `${ok.length}/${rs.length}`,
      gaps.length > 0 ? `${(mean(gaps) * 100).toFixed(1)}%` : '-',
      mean(rs.map((r) => r.timeMs)),
    ];
  });
}

/** Tasks on which `optimal` proved its answer. */
export function demoProvedCount(all: readonly ScheduleResult[][]): number {
  return all.filter((results) => results.find((r) => r.method === 'optimal')?.optimal).length;
}
