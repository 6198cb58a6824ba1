/**
 * What list scheduling knows about a task, as per-node hints for the EGS observation: the
 * timetables of the list-scheduling methods (`listsched` and the list-schedule incumbent of
 * `optimal`), and of the fewer-core one each node's start time and its neighbours on its core.
 * A core's consecutive pair is an edge of the G' ⊇ G that the timetable is a chain cover of, so
 * "v still has an unserialised core neighbour" tells a policy which edges list scheduling would add.
 */
import { createAnalysisContext } from '../../dag/analysis/analysis-context.js';
import { coreLowerBound } from '../../dag/analysis/core-lower-bound.js';
import { widthFromClosure } from '../../dag/analysis/width.js';
import type { Dag } from '../../dag/dag-task.js';
import {
  incumbentAsEdgeGeneration,
  listScheduleIncumbent,
} from '../../dag/optimal/list-schedule-incumbent.js';
import { scheduleListSched } from '../../dag/schedule/min-cores-list-schedule.js';
import { BOUND_METHODS } from '../../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import { DEFAULT_TIME_BUDGET_S, TimeBudget } from '../../dag/schedule/time-budget.js';

/**
 * The timetables of the list-scheduling teachers on `dag` at `deadline`: `listsched` (fewest cores
 * over its priority orders) and the list-schedule incumbent as edge generation (the per-core orders
 * of the ASAP timetable of its core sequences). `width`: the width W(G) when known (default: computed);
 * `lowerBound`: `coreLowerBound(dag, deadline).lowerBound` when known (default: computed);
 * `budgetS`: wall-clock budget of each of the two scans (default {@link DEFAULT_TIME_BUDGET_S}; a
 * scan past it answers with the cores found so far). Training passes `Infinity`: both scans are
 * bounded by W(G) core counts anyway, and a teacher must not depend on the machine's speed.
 */
export function listTimetables(
  dag: Dag,
  deadline: number,
  width?: number,
  lowerBound?: number,
  budgetS: number = DEFAULT_TIME_BUDGET_S,
): { listsched: ScheduleResult; incumbent: ScheduleResult } {
  const ctx = createAnalysisContext(dag, deadline);
  // A caller that has the window load bound saves its O(n² log n) scan.
  lowerBound ??= coreLowerBound(dag, deadline, ctx.timing).lowerBound;
  // W(G) bounds the cores list scheduling can need; a caller that knows it saves the matching.
  width ??= widthFromClosure(ctx.reach).width;
  const listsched = scheduleListSched(ctx, lowerBound, width, BOUND_METHODS, new TimeBudget(budgetS));
  const incumbent = incumbentAsEdgeGeneration(
    dag,
    ctx.reach,
    listScheduleIncumbent(dag, ctx.timing, lowerBound, new TimeBudget(budgetS)),
    'listsched',
    lowerBound,
    deadline,
  );
  return { listsched, incumbent };
}

/** The fewer-core feasible timetable of {@link listTimetables} (`listsched` on a tie), or undefined. */
export function bestListTimetable(dag: Dag, deadline: number, width?: number): ScheduleResult | undefined {
  return bestOfListTimetables(listTimetables(dag, deadline, width));
}

/** The choice of {@link bestListTimetable} among given {@link listTimetables}. */
export function bestOfListTimetables({
  listsched,
  incumbent,
}: ReturnType<typeof listTimetables>): ScheduleResult | undefined {
  if (incumbent.feasible && (!listsched.feasible || incumbent.cores < listsched.cores)) return incumbent;
  return listsched.feasible ? listsched : undefined;
}

/** Per-node hints from one timetable (node indices; −1 = none). */
export interface EgsListHint {
  /** Start time of each node in the timetable (0 without one). */
  start: Float64Array;
  /** The node after v on v's core, or −1. */
  coreNext: Int32Array;
  /** The node before v on v's core, or −1. */
  corePrev: Int32Array;
}

/** An empty hint for n nodes (every start 0, no core neighbours). */
export function emptyListHint(n: number): EgsListHint {
  return {
    start: new Float64Array(n),
    coreNext: new Int32Array(n).fill(-1),
    corePrev: new Int32Array(n).fill(-1),
  };
}

/**
 * The hint of `timetable` (a feasible result of `dag`), or an empty one without a timetable.
 * Nodes of one core are ordered by start time, then by index (zero-WCET nodes may share a start).
 */
export function listHintOf(dag: Dag, timetable: ScheduleResult | undefined): EgsListHint {
  const hint = emptyListHint(dag.n);
  if (!timetable?.feasible) return hint;
  const core = new Int32Array(dag.n).fill(-1);
  for (const s of timetable.schedule) {
    const v = dag.indexOf.get(String(s.node));
    if (v === undefined) continue;
    hint.start[v] = s.start;
    core[v] = s.core;
  }
  const order = Array.from({ length: dag.n }, (_, v) => v).filter((v) => core[v]! >= 0);
  order.sort((a, b) => core[a]! - core[b]! || hint.start[a]! - hint.start[b]! || a - b);
  for (let k = 1; k < order.length; k++) {
    const u = order[k - 1]!;
    const v = order[k]!;
    if (core[u] !== core[v]) continue;
    hint.coreNext[u] = v;
    hint.corePrev[v] = u;
  }
  return hint;
}

/** {@link listHintOf} the {@link bestListTimetable} of `dag` at `deadline`. */
export function egsListHint(dag: Dag, deadline: number): EgsListHint {
  return listHintOf(dag, bestListTimetable(dag, deadline));
}
