/**
 * The `optimal` scheduling method: the exact minimum core count for a non-preemptive schedule meeting
 * D. The best heuristic timetable is the warm start; lower bounds (⌈vol/D⌉, window load, m-core
 * windows) may prove it optimal at once; otherwise a MILP solved with HiGHS searches below it: the
 * time-indexed model on an integer time grid, else the successor (path-cover) model.
 */
import { ArbiterError, DeadlineInfeasibleError, ValidationError } from '../../core/errors.js';
import { createAnalysisContext } from '../analysis/analysis-context.js';
import { coreLowerBound, type LowerBoundName } from '../analysis/core-lower-bound.js';
import { mCoreWindowsBound, windowProblem, type WindowProblem } from '../analysis/m-core-windows.js';
import { timeGrid } from '../analysis/time-grid.js';
import { computeTiming } from '../analysis/timing.js';
import type { Dag } from '../dag-task.js';
import { checkSchedule } from '../schedule/check-schedule.js';
import { timetableGuarantees } from '../schedule/dispatch-guarantee.js';
import type { MethodName, ScheduledNode, ScheduleResult } from '../schedule/schedule-result.js';
import { TimeBudget } from '../schedule/time-budget.js';
import { ceilLowerBound, timeLeq, withinDeadline } from '../time-tolerance.js';
import { chainTimetable, type ChainTimetable } from './chain-timetable.js';
import { solveLp, type LpSolution } from './highs-solver.js';
import { bestKnownMakespanDetail } from './best-known-makespan.js';
import { listScheduleIncumbent } from './list-schedule-incumbent.js';
import { makespanListSchedule } from './makespan-list-schedule.js';
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
import {
  buildTimeIndexedMilp,
  chainsFromStarts,
  dominancePairs,
  startsFromSolution,
  timeIndexedSize,
} from './time-indexed-milp.js';

/** Most step variables of the time-indexed model; beyond it the successor model is used. */
const MAX_TIME_INDEXED_VARIABLES = 200_000;

/** Most nonzeros of the time-indexed model (memory of HiGHS in WebAssembly, load time). */
const MAX_TIME_INDEXED_NONZEROS = 2_000_000;

/**
 * Seconds per nonzero of the time-indexed model before HiGHS's time limit can act (writing,
 * reading, presolve), measured: 1.1–1.7 µs at 10⁵ nonzeros, 5.1 µs at 4·10⁶; the larger is kept
 * with a margin.
 */
const TIME_INDEXED_SECONDS_PER_NONZERO = 6e-6;

/** Share of the time limit each fewer-cores probe of randomised list schedules may use. */
const PROBE_SHARE = 0.02;

/** Share of the time left that the makespan search on one core fewer may use. */
const MAKESPAN_SHARE = 0.5;

/** Largest DAG for the m-core window bound (its ancestor bitsets are n² bits). */
const MAX_WINDOW_BOUND_NODES = 4000;

/** Seconds per n² of one m-core window pass, measured: 1.7 s at 2,000 nodes (4.2e-7), with margin. */
const WINDOW_SECONDS_PER_NODE_PAIR = 5e-7;

/** Options of {@link scheduleOptimal}. */
export interface OptimalOptions {
  /** Deadline D; defaults to the task's own. */
  deadline?: number;
  /** Time limit of the whole method, in seconds (default 10); the MILP gets what is left. */
  timeLimitS?: number;
  /**
   * Results of other methods on the same task and deadline: each timetable that passes the
   * shared checker and meets D is a candidate warm start (the fewest cores wins).
   */
  warmStarts?: readonly ScheduleResult[];
}

/** A timetable with its core sequences and where it came from. */
interface Candidate extends ChainTimetable {
  chains: number[][];
  by: MethodName;
}

/**
 * `optimal`: the exact minimum number of identical cores for a non-preemptive schedule
 * of the task with makespan ≤ D.
 *
 * 1. Upper bound: the fewest cores of the list-scheduling incumbent and of every checked warm
 *    start (`warmStarts`); the answer is never worse than the best of them. Then a fewer-cores
 *    probe: seeded randomised list schedules (`makespanListSchedule`) on k = cores − 1, cores − 2,
 *    … while one meets D (at D = the best makespan on m cores this often finds m cores where the
 *    four fixed orders need m + 1).
 * 2. Lower bound: `coreLowerBound` (⌈vol/D⌉, window load), then the m-core window bound
 *    (`mCoreWindowsBound`) between it and the upper bound. Equal bounds prove the answer.
 * 3. Otherwise a MILP looks for a schedule on fewer cores than the upper bound: on an integer time
 *    grid (`timeGrid`) the time-indexed model of {@link buildTimeIndexedMilp} with the m-core
 *    windows and dominance ordering, else the successor model of {@link buildMinCoresMilp} with
 *    the incumbent as MIP start. Infeasible proves the upper bound; a limit leaves the gap.
 *
 * Every timetable is the ASAP schedule of its core sequences (exact sums of WCETs) and passes
 * `checkSchedule` before it is accepted. The result always carries `lowerBound` with
 * `lowerBoundBy`, `cores` (the upper bound) with `upperBoundBy`, `gap = (cores − lowerBound) /
 * cores` and `optimal` (proved). Throws {@link DeadlineInfeasibleError} when L > D,
 * {@link ValidationError} without a deadline, and an `ArbiterError` with code `solver-failed`
 * when HiGHS crashes.
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
  const basic = coreLowerBound(dag, D, timing);
  let lowerBound = basic.lowerBound;
  let lowerBoundBy: LowerBoundName = basic.by;
  const raise = (bound: number, by: LowerBoundName): void => {
    if (bound > lowerBound) {
      lowerBound = bound;
      lowerBoundBy = by;
    }
  };
  const incumbent = listScheduleIncumbent(dag, timing, lowerBound, budget);
  let best: Candidate = { ...incumbent, by: 'listsched' };
  let note = '';
  const resultOf = (c: ChainTimetable, proved: boolean): ScheduleResult => {
    const feasible = withinDeadline(c.makespan, D);
    const lb = Math.min(lowerBound, c.cores);
    return {
      method: 'optimal',
      cores: c.cores,
      feasible,
      deadline: D,
      makespan: c.makespan,
      schedule: c.schedule,
      addedEdges: [],
      lowerBound: lb,
      timeMs: performance.now() - t0,
      guarantee: 'exact',
      guarantees: timetableGuarantees(feasible, c.cores, c.makespan),
      optimal: proved,
      gap: proved ? 0 : (c.cores - lb) / c.cores,
      lowerBoundBy,
      upperBoundBy: best.by,
      note,
    };
  };
  /** Takes core sequences as the new best when their timetable is checked, meets D and saves cores. */
  const offer = (chains: number[][] | undefined, by: MethodName): boolean => {
    const table = chains && chainTimetable(dag, chains);
    if (!chains || !table || table.cores >= best.cores || !withinDeadline(table.makespan, D)) return false;
    if (!checkSchedule(dag, resultOf(table, false)).ok) return false;
    best = { ...table, chains, by };
    return true;
  };
  for (const r of options.warmStarts ?? [])
    if (r.feasible && r.schedule.length > 0 && r.cores < best.cores && checkSchedule(dag, r).ok)
      offer(chainsOfSchedule(dag, r.schedule), r.method);
  const finish = (proved: boolean): ScheduleResult => {
    const result = resultOf(best, proved || best.cores <= lowerBound);
    // Every candidate was checked when taken but the first; the answer is checked once more.
    const check = checkSchedule(dag, result);
    if (!check.ok)
      throw new Error(`optimal: internal error, answer fails the checker: ${check.violations[0]}`);
    return result;
  };
  // Fewer cores by makespan: randomised list schedules on k = cores − 1, cores − 2, … while one
  // meets D (the min-cores scan above tries only four fixed orders).
  if (best.cores > lowerBound) {
    const ctx = createAnalysisContext(dag, D);
    for (let k = best.cores - 1; k >= lowerBound && !budget.expired; k--) {
      const probe = makespanListSchedule(ctx, k, {
        target: D,
        budget,
        randomBudgetS: PROBE_SHARE * timeLimitS,
      });
      if (!withinDeadline(probe.makespan, D) || !offer(probe.chains, 'listsched')) break;
    }
  }
  const warm = `the ${best.by} timetable`;
  if (best.cores <= lowerBound) {
    note = `${warm} reaches the ${lowerBoundBy} lower bound; no solver needed`;
    return finish(true);
  }

  const grid = timeGrid(dag, D);
  let windows: WindowProblem | undefined;
  let belowUpper: ReturnType<typeof mCoreWindowsBound>['belowUpper'] | undefined;
  const windowCostS = dag.n * dag.n * WINDOW_SECONDS_PER_NODE_PAIR;
  if (dag.n <= MAX_WINDOW_BOUND_NODES && windowCostS <= 0.25 * budget.remainingS) {
    windows = windowProblem(dag, D, grid);
    const mcw = mCoreWindowsBound(windows, lowerBound, best.cores, () => budget.expired);
    raise(mcw.lowerBound, 'm-core-windows');
    belowUpper = mcw.belowUpper;
    if (best.cores <= lowerBound) {
      note = `${warm} reaches the ${lowerBoundBy} lower bound; no solver needed`;
      return finish(true);
    }
  }

  // Makespan lever: k cores meet D iff the shortest makespan on k cores is ≤ D, so the makespan
  // search on k = cores − 1 either finds a timetable on k cores or proves k too few (its lower
  // bound > D). It gets half the time left; the min-cores MILP below the rest.
  let byMakespan = '';
  // Its bounds cost a few m-core window passes, so it runs only where one pass is cheap.
  const leverFits = dag.n <= MAX_WINDOW_BOUND_NODES && 8 * windowCostS <= budget.remainingS;
  while (grid && leverFits && best.cores > lowerBound && !budget.expired) {
    const k = best.cores - 1;
    const mk = await bestKnownMakespanDetail(dag, k, { timeLimitS: MAKESPAN_SHARE * budget.remainingS });
    if (withinDeadline(mk.makespan, D) && offer(chainsOfSchedule(dag, mk.schedule), 'optimal')) continue;
    if (!timeLeq(mk.lowerBound, D)) {
      raise(best.cores, mk.lowerBoundBy === 'solver' ? 'solver' : 'm-core-windows');
      byMakespan = ` (the makespan on ${k} cores is proved ≥ ${mk.lowerBound} > D)`;
    }
    break;
  }
  if (best.cores <= lowerBound) {
    note = `the ${best.by} timetable reaches the ${lowerBoundBy} lower bound${byMakespan}`;
    return finish(true);
  }

  const fallback = `${warm}, not proved optimal`;
  if (budget.expired) {
    note = `time limit reached before the solver ran; ${fallback}`;
    return finish(false);
  }
  if (grid && windows && belowUpper) {
    const size = timeIndexedSize(dag, grid.wcet, belowUpper.est, belowUpper.lst);
    const fits =
      size.variables <= MAX_TIME_INDEXED_VARIABLES &&
      size.nonzeros <= MAX_TIME_INDEXED_NONZEROS &&
      size.nonzeros * TIME_INDEXED_SECONDS_PER_NONZERO <= 0.5 * budget.remainingS;
    if (fits) {
      const milp = buildTimeIndexedMilp(dag, {
        wcet: grid.wcet,
        est: belowUpper.est,
        lst: belowUpper.lst,
        deadline: grid.deadline,
        minCores: lowerBound,
        maxCores: best.cores - 1,
        ordered: dominancePairs(dag, grid.wcet),
      });
      const sol = await solveLp(milp.lp, { timeLimitS: budget.remainingS, mipRelGap: 0, mipAbsGap: 0.999 });
      if (sol.hasSolution) {
        const start = startsFromSolution(dag, milp, sol.values);
        offer(chainsFromStarts(grid.wcet, start), 'optimal');
      }
      return finish(
        settle(sol, `time-indexed MILP (${size.variables.toLocaleString('en-US')} step variables)`),
      );
    }
  }
  return successorModel();

  /** Reads the solver's proof into the bounds and writes the note; whether the answer is proved. */
  function settle(sol: LpSolution, model: string): boolean {
    const secs = (sol.timeMs / 1000).toFixed(2);
    if (sol.status === 'infeasible') raise(best.cores, 'solver');
    const proved = sol.dualBound ?? (sol.status === 'optimal' ? sol.objective : undefined);
    if (proved !== undefined) raise(Math.min(best.cores, ceilLowerBound(proved)), 'solver');
    const optimal = best.cores <= lowerBound;
    note = optimal
      ? `HiGHS proved the minimum in ${secs} s (${model}); timetable from ${best.by}`
      : `HiGHS stopped (${sol.highsStatus}) after ${secs} s (${model}); best timetable from ${best.by}, ` +
        `proved lower bound ${lowerBound} (${lowerBoundBy})`;
    return optimal;
  }

  async function successorModel(): Promise<ScheduleResult> {
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
      milp = buildMinCoresMilp(dag, timing, { lowerBound, upperBound: best.cores, budget });
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
      start: milpStart(milp, best.chains, best.start),
    });
    if (sol.hasSolution) offer(chainsFromSolution(milp, sol.values), 'optimal');
    return finish(settle(sol, 'successor MILP'));
  }
}

/** A checked timetable's core sequences: busy nodes of each core in start order. */
function chainsOfSchedule(dag: Dag, schedule: readonly ScheduledNode[]): number[][] {
  const byCore = new Map<number, { v: number; start: number }[]>();
  for (const s of schedule) {
    const v = dag.indexOf.get(String(s.node))!;
    if (!(dag.wcet[v]! > 0)) continue;
    let list = byCore.get(s.core);
    if (!list) byCore.set(s.core, (list = []));
    list.push({ v, start: s.start });
  }
  return [...byCore.values()].map((list) =>
    list.sort((a, b) => a.start - b.start || a.v - b.v).map((x) => x.v),
  );
}

function gb(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(1);
}

function round1(x: number): string {
  return x.toFixed(1);
}
