import { DeadlineInfeasibleError, ValidationError } from '../../core/errors.js';
import { computeTiming, type Timing } from '../analysis/timing.js';
import type { Dag } from '../dag-task.js';
import { timetableGuarantees } from '../schedule/dispatch-guarantee.js';
import { listSchedule } from '../schedule/list-scheduler.js';
import type { ScheduleResult } from '../schedule/schedule-result.js';
import { ceilLowerBound, withinDeadline } from '../time-tolerance.js';
import { chainTimetable, type ChainTimetable } from './chain-timetable.js';
import { solveLp } from './highs-solver.js';
import { coreLowerBound } from '../analysis/core-lower-bound.js';
import { buildMinCoresMilp, chainsFromSolution, milpStart } from './min-cores-milp.js';

/** Options of {@link scheduleOptimal}. */
export interface OptimalOptions {
  /** Deadline D; defaults to the task's own. */
  deadline?: number;
  /** Time limit of the whole method, in seconds (default 10); the MILP gets what is left. */
  timeLimitS?: number;
}

/**
 * `optimal` (SPEC §3): the exact minimum number of identical cores for a non-preemptive schedule
 * of the task with makespan ≤ D, by the MILP of {@link buildMinCoresMilp} solved with HiGHS.
 *
 * An incumbent comes first from list scheduling (several priority orders, the fewest cores that
 * meet D); it is the MIP start and the fallback. The answer's timetable is the ASAP schedule of
 * the chosen core sequences, so its times are exact sums of WCETs. `optimal: true` when the
 * core count reaches a proved lower bound (the SPEC §2 bound or HiGHS's dual bound); otherwise
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

  const bound = coreLowerBound(dag, D, timing).lowerBound;
  const incumbent = listScheduleIncumbent(dag, timing, bound);
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

  const remainingS = timeLimitS - (performance.now() - t0) / 1000;
  if (remainingS <= 0) {
    note = 'time limit reached before the solver ran; list-scheduling timetable';
    return finish(false);
  }
  const milp = buildMinCoresMilp(dag, timing, { lowerBound, upperBound: incumbent.cores });
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

/** A timetable with the core sequences it came from. */
interface Incumbent extends ChainTimetable {
  /** Busy nodes of each core, in start order. */
  chains: number[][];
}

/**
 * The fewest cores on which simulated list scheduling meets D, over a few priority orders
 * (LST, LFT, EST ascending; longest WCET first), as core chains with their ASAP timetable.
 * Starts from one core per busy node (always meets D since L ≤ D); m is scanned from `lowerBound`.
 */
function listScheduleIncumbent(dag: Dag, timing: Timing, lowerBound: number): Incumbent {
  const { n, wcet } = dag;
  const D = timing.deadline;
  const singles: number[][] = [];
  for (let v = 0; v < n; v++) if (wcet[v]! > 0) singles.push([v]);
  let best = withChains(dag, singles);
  const negWcet = Float64Array.from(wcet, (c) => -c);
  for (const key of [timing.lst, timing.lft, timing.est, negWcet]) {
    // Anomalies make "meets D" non-monotone in m, so scan upwards.
    for (let m = Math.max(1, lowerBound); m < best.cores; m++) {
      const sim = listSchedule(dag, m, key);
      if (!withinDeadline(sim.makespan, D)) continue;
      const chains = chainsOf(dag, sim.core, sim.start, m);
      const table = withChains(dag, chains);
      if (table.cores < best.cores && withinDeadline(table.makespan, D)) best = table;
      break;
    }
  }
  return best;
}

function withChains(dag: Dag, chains: number[][]): Incumbent {
  const table = chainTimetable(dag, chains);
  // Chains read from a valid schedule never contradict the DAG.
  if (!table) throw new Error('optimal: internal error, incumbent chains contradict the DAG');
  return { ...table, chains };
}

/** Busy nodes of each core of a simulated schedule, in start order; empty cores dropped. */
function chainsOf(dag: Dag, core: Int32Array, start: Float64Array, m: number): number[][] {
  const chains: number[][] = Array.from({ length: m }, () => []);
  for (let v = 0; v < dag.n; v++) if (dag.wcet[v]! > 0) chains[core[v]!]!.push(v);
  for (const c of chains) c.sort((a, b) => start[a]! - start[b]! || a - b);
  return chains.filter((c) => c.length > 0);
}
