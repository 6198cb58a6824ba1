/**
 * What a scheduling result proves, per dispatch rule. A core count is only meaningful together
 * with the rule that runs the nodes on the target: the same priority order needs more cores under
 * dynamic list dispatch (where a node running short can reorder everything after it: timing
 * anomalies) than its WCET timetable uses under static-order dispatch (which is anomaly-free).
 */

/**
 * How the nodes are dispatched on the cores:
 * `static-order` — each core runs its nodes in the timetable's order, a node starting once its
 * predecessors and the previous node on its core have finished (or, equally safe, at its
 * timetable start time);
 * `fixed-priority-list` — non-preemptive, work-conserving global list scheduling: whenever a
 * core is idle, the ready node of highest priority starts on it.
 */
export type DispatchRule = 'static-order' | 'fixed-priority-list';

/** One proved claim of a result: under `dispatch` on `cores` cores, D is met for every execution time ≤ WCET. */
export interface DispatchGuarantee {
  /** The dispatch rule the claim is about. */
  dispatch: DispatchRule;
  /** Cores needed under that rule. */
  cores: number;
  /** Proved upper bound on the makespan under that rule for all execution times ≤ WCET (≤ D). */
  makespanBound: number;
  /** `fixed-priority-list` only: the priority order the bound is proved for. */
  priority?: string;
  /** What proves it, in one sentence (printed by the CLI, kept in `--json`). */
  proof: string;
}

/** The rule of `static-order` dispatch, in the words every result and `--help` use. */
export const STATIC_ORDER_RULE =
  'static-order dispatch: each core runs its nodes in the timetable order, a node starting once its predecessors and the previous node on its core are done';

/** The rule of `fixed-priority-list` dispatch, in the words every result and `--help` use. */
export const FIXED_PRIORITY_RULE =
  'fixed-priority list dispatch: non-preemptive, work-conserving global list scheduling, the highest-priority ready node starts on any idle core';

/**
 * The claim every valid WCET timetable supports: dispatched in static order it never finishes
 * later than under WCETs, since each start is the max of finish times that can only move earlier
 * when nodes run shorter (induction along the timetable's start order). `makespan` is the WCET
 * makespan of the timetable, `cores` the number of cores it uses.
 */
export function staticOrderGuarantee(cores: number, makespan: number): DispatchGuarantee {
  return {
    dispatch: 'static-order',
    cores,
    makespanBound: makespan,
    proof: `${STATIC_ORDER_RULE}; no node finishes later than in the WCET timetable (makespan ${round(makespan)})`,
  };
}

/**
 * The claim of a response-time analysis: the bound R holds for dynamic fixed-priority list
 * dispatch with `priority` on `cores` cores and every execution time ≤ WCET.
 */
export function fixedPriorityGuarantee(cores: number, bound: number, priority: string): DispatchGuarantee {
  return {
    dispatch: 'fixed-priority-list',
    cores,
    makespanBound: bound,
    priority,
    proof: `${FIXED_PRIORITY_RULE} (priority: ${priority}); response-time bound R = ${round(bound)}`,
  };
}

/** The claims of a timetable-only result: static order when it meets D, none otherwise. */
export function timetableGuarantees(feasible: boolean, cores: number, makespan: number): DispatchGuarantee[] {
  return feasible ? [staticOrderGuarantee(cores, makespan)] : [];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
