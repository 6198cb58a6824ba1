/**
 * The `optimal` scheduling method: the exact minimum core count for a non-preemptive schedule meeting
 * D, from a MILP solved with HiGHS, started from a list-scheduling incumbent.
 */
import { ArbiterError, DeadlineInfeasibleError, ValidationError } from '../../core/errors.js';
import { computeTiming } from '../analysis/timing.js';
import type { Dag } from '../dag-task.js';
import { timetableGuarantees } from '../schedule/dispatch-guarantee.js';
import type { ScheduleResult } from '../schedule/schedule-result.js';
import { ceilLowerBound, withinDeadline } from '../time-tolerance.js';
import { chainTimetable } from './chain-timetable.js';
import { listScheduleIncumbent } from './list-schedule-incumbent.js';
import { solveLp } from './highs-solver.js';
import { coreLowerBound } from '../analysis/core-lower-bound.js';
import { TimeBudget } from '../schedule/time-budget.js';
import {
  buildMinCoresMilp,
  chainsFromSolution,
  countMilpPairs,
  MILP_BYTES_PER_PAIR,
  MILP_MEMORY_LIMIT_BYTES,
  MILP_SECONDS_PER_PAIR,
  milpStart,
  type MinCoresMilp,
} from './min-cores-milp.js';

/** Options of {@link scheduleOptimal}. */
export interface OptimalOptions {
  /** Deadline D; defaults to the task's own. */
  deadline?: number;
  /** Time limit of the whole method, in seconds (default 10); the MILP gets what is left. */
  timeLimitS?: number;
}

/**
 * `optimal`: the exact minimum number of identical cores for a non-preemptive schedule
 * of the task with makespan ≤ D, by the MILP of {@link buildMinCoresMilp} solved with HiGHS.
 *
 * An incumbent comes first from list scheduling (several priority orders, the fewest cores that
 * meet D); it is the MIP start and the fallback. The answer's timetable is the ASAP schedule of
 * the chosen core sequences, so its times are exact sums of WCETs. `optimal: true` when the
 * core count reaches a proved lower bound (`coreLowerBound` or HiGHS's dual bound); otherwise
 * the best timetable found within the time limit, with `gap = (cores − lowerBound) / cores`.
 * Throws {@link DeadlineInfeasibleError} when L > D, {@link ValidationError} without a deadline,
 * and an `ArbiterError` with code `solver-failed` when HiGHS crashes.
 */
export async function scheduleOptimal(dag: Dag, options: OptimalOptions = {}): Promise<ScheduleResult> {
  const t0 = performance.now();
  const timeLimitS = options.timeLimitS ?? 10;
  const D = options.deadline ?? dag.deadline;
  if (D === undefined || !Number.isFinite(D) || D <= 0) {
    throw new ValidationError(
      'deadline',
      D === undefined
        ? 'the task has no deadline; give one'
        : `deadline must be a finite number > 0, got ${D}`,
      { ...(dag.source !== undefined && { file: dag.source }), item: 'deadline' },
    );
  }
  const timing = computeTiming(dag, D);
  if (!withinDeadline(timing.criticalPath, D))
    throw new DeadlineInfeasibleError(timing.criticalPath, D, dag.name);

  const budget = new TimeBudget(timeLimitS);
  const bound = coreLowerBound(dag, D, timing).lowerBound;
  const incumbent = listScheduleIncumbent(dag, timing, bound, budget);
  let lowerBound = Math.min(bound, incumbent.cores);
  let best = incumbent;
  let note = '';
  const finish = (optimal: boolean): ScheduleResult => {
    const feasible = withinDeadline(best.makespan, D);
    return {
      method: 'optimal',
      cores: best.cores,
      feasible,
      deadline: D,
      makespan: best.makespan,
      schedule: best.schedule,
      addedEdges: [],
      lowerBound,
      timeMs: performance.now() - t0,
      guarantee: 'exact',
      guarantees: timetableGuarantees(feasible, best.cores, best.makespan),
      optimal,
      gap: optimal ? 0 : (best.cores - lowerBound) / best.cores,
      note,
    };
  };
  if (incumbent.cores <= lowerBound) {
    note = 'list scheduling reached the lower bound; no solver needed';
    return finish(true);
  }

  const fallback = 'list-scheduling timetable, not proved optimal';
  if (budget.expired) {
    note = `time limit reached before the solver ran; ${fallback}`;
    return finish(false);
  }
  // Size the model before building it: HiGHS needs time proportional to it before its own time
  // limit can act, and a model past its memory aborts the process.
  const byTime = Math.floor((0.8 * budget.remainingS) / MILP_SECONDS_PER_PAIR);
  const byMemory = Math.floor(MILP_MEMORY_LIMIT_BYTES / MILP_BYTES_PER_PAIR);
  const pairCount = countMilpPairs(dag, timing, Math.min(byTime, byMemory));
  if (pairCount > Math.min(byTime, byMemory)) {
    const count = Math.min(byTime, byMemory).toLocaleString('en-US');
    note =
      pairCount > byMemory
        ? `MILP not built: its more than ${count} successor variables would need over ` +
          `${gb(MILP_MEMORY_LIMIT_BYTES)} GB, the most the solver (HiGHS in WebAssembly) can address; ${fallback}`
        : `MILP not built: its more than ${count} successor variables would take HiGHS longer than the ` +
          `${round1(budget.remainingS)} s left of --time-limit ${timeLimitS} s just to load; ${fallback}`;
    return finish(false);
  }
  let milp: MinCoresMilp;
  try {
    milp = buildMinCoresMilp(dag, timing, { lowerBound, upperBound: incumbent.cores, budget });
  } catch (e) {
    if (!(e instanceof ArbiterError) || e.code !== 'time-limit') throw e;
    note = `${e.message}; ${fallback}`;
    return finish(false);
  }
  const remainingS = budget.remainingS;
  if (remainingS <= 0) {
    note = `time limit reached before the solver ran; ${fallback}`;
    return finish(false);
  }
  const sol = await solveLp(milp.lp, {
    timeLimitS: remainingS,
    // The objective is an integer, so a gap below 1 already proves optimality.
    mipRelGap: 0,
    mipAbsGap: 0.999,
    start: milpStart(milp, incumbent.chains, incumbent.start),
  });
  if (sol.hasSolution) {
    const chains = chainsFromSolution(milp, sol.values);
    const table = chains && chainTimetable(dag, chains);
    if (chains && table && withinDeadline(table.makespan, D) && table.cores < best.cores)
      best = { ...table, chains };
  }
  const proved = sol.dualBound ?? (sol.status === 'optimal' ? sol.objective : undefined);
  if (proved !== undefined) lowerBound = Math.max(lowerBound, ceilLowerBound(proved));
  lowerBound = Math.min(lowerBound, best.cores);
  const optimal = best.cores <= lowerBound;
  const secs = (sol.timeMs / 1000).toFixed(2);
  note = optimal
    ? `HiGHS proved the minimum in ${secs} s`
    : `HiGHS stopped (${sol.highsStatus}) after ${secs} s; best timetable found, proved lower bound ${lowerBound}`;
  return finish(optimal);
}

function gb(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(1);
}

function round1(x: number): string {
  return x.toFixed(1);
}
