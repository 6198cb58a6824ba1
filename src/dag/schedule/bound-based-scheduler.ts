/**
 * The common driver of the bound-based scheduling methods (he2019, zhao2020, he2021): each is a
 * priority order plus a response-time bound, and the driver finds the smallest core count whose
 * bound proves D and simulates the schedule on it.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { fixedPriorityGuarantee, staticOrderGuarantee } from './dispatch-guarantee.js';
import { listSchedule, type SimulatedSchedule } from './list-scheduler.js';
import type { MethodName, ScheduleResult } from './schedule-result.js';
import { withinDeadline } from '../time-tolerance.js';
import { TimeBudget } from './time-budget.js';
import { resultWithoutTimetable } from './declined-result.js';

/**
 * A scheduling method defined by an intra-task priority order and a response-time bound that
 * holds for non-preemptive work-conserving list scheduling with that order on m cores
 * (the scheduling methods he2019, zhao2020, he2021).
 */
export interface BoundedPriorityMethod {
  /** Method name used in results. */
  readonly method: MethodName;
  /** The priority order in words, as results state it (e.g. `longest path first (He et al. 2019)`). */
  readonly priorityRule: string;
  /** Priority rank of every node (0 = highest priority); a permutation of 0 … n−1. */
  priority(ctx: AnalysisContext): Int32Array;
  /** Upper bound on the response time (makespan) on `m` cores with the given priority ranks. */
  bound(ctx: AnalysisContext, m: number, priority: Int32Array): number;
}

/**
 * Finds the smallest m whose response-time bound is ≤ D, scanning m = lowerBound … n (the
 * bounds with non-preemptive blocking are not monotone in m, so no bisection), and returns the
 * simulated list schedule on m cores with the method's priority order as the timetable. When no
 * m ≤ n proves D, the result is `feasible: false` with the smallest bound seen and no timetable.
 * The scan stops once `budget` is spent: the method then declines (`skipped` says how far it got).
 */
export function scheduleByBound(
  ctx: AnalysisContext,
  method: BoundedPriorityMethod,
  lowerBound: number,
  budget: TimeBudget = new TimeBudget(),
): ScheduleResult {
  const t0 = performance.now();
  const { dag, timing } = ctx;
  const D = timing.deadline;
  const priority = method.priority(ctx);
  let best = Infinity;
  for (let m = Math.max(1, lowerBound); m <= dag.n; m++) {
    if (budget.expired) {
      const r = infeasibleByBound(method.method, D, lowerBound, best, performance.now() - t0, dag.n);
      const first = Math.max(1, lowerBound);
      const skipped =
        `time budget of ${budget.seconds} s reached before the ${method.method} bound proved D ` +
        (m > first ? `(tried m = ${first} … ${m - 1}, best bound ${round(best)})` : '(no core count tried)');
      return { ...r, note: skipped, skipped };
    }
    const R = method.bound(ctx, m, priority);
    if (R < best) best = R;
    if (withinDeadline(R, D)) {
      const sim = listSchedule(dag, m, priority);
      return boundedResult(method.method, sim, D, lowerBound, t0, R, m, method.priorityRule);
    }
  }
  return infeasibleByBound(method.method, D, lowerBound, best, performance.now() - t0, dag.n);
}

/**
 * The result of a bound-based method whose bound R proved D on m cores: the simulated list
 * schedule on m cores (started at `t0`, a `performance.now()` time) as the timetable. It proves
 * two claims: m cores under fixed-priority list dispatch with `priorityRule` (the bound), and
 * the timetable's cores under static-order dispatch.
 */
export function boundedResult(
  method: MethodName,
  sim: SimulatedSchedule,
  D: number,
  lowerBound: number,
  t0: number,
  R: number,
  m: number,
  priorityRule: string,
): ScheduleResult {
  const feasible = withinDeadline(sim.makespan, D);
  return {
    method,
    cores: sim.coresUsed,
    feasible,
    deadline: D,
    makespan: sim.makespan,
    schedule: sim.schedule,
    addedEdges: [],
    lowerBound,
    timeMs: performance.now() - t0,
    guarantee: 'analytic',
    guarantees: feasible
      ? [fixedPriorityGuarantee(m, R, priorityRule), staticOrderGuarantee(sim.coresUsed, sim.makespan)]
      : [],
    responseTimeBound: R,
    boundCores: m,
  };
}

/** The result of a bound-based method whose bound cannot prove D for any m ≤ n. */
export function infeasibleByBound(
  method: MethodName,
  deadline: number,
  lowerBound: number,
  bestBound: number,
  timeMs: number,
  n: number,
): ScheduleResult {
  return {
    ...resultWithoutTimetable(method, deadline, lowerBound, timeMs, 'analytic'),
    responseTimeBound: bestBound,
    note: `the ${method} bound (best ${round(bestBound)}) cannot prove D = ${deadline} for any m ≤ n = ${n}`,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
