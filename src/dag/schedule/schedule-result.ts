/**
 * The result every scheduling method returns: method name, core count, feasibility, the lower bound,
 * what is guaranteed, and (when feasible) a concrete timetable that the checker can verify.
 */
import type { LowerBoundName } from '../analysis/core-lower-bound.js';
import type { NodeId } from '../dag-task.js';
import type { DispatchGuarantee } from './dispatch-guarantee.js';

/** Names of the scheduling methods. */
export type MethodName =
  'graham' | 'he2019' | 'zhao2020' | 'he2021' | 'listsched' | 'optimal' | 'egs-greedy' | 'egs-search' | 'egs';

/** One node placed in a timetable. Times are in the task's time unit. */
export interface ScheduledNode {
  /** User id of the node. */
  node: NodeId;
  /** Core index, 0-based. */
  core: number;
  /** Start time. */
  start: number;
  /** Finish time (`start + wcet`). */
  finish: number;
}

/**
 * What kind of promise backs a result's `feasible: true` (the exact claims, with their dispatch
 * rules and core counts, are in {@link ScheduleResult.guarantees}). Every feasible result's
 * timetable is anomaly-free under static-order dispatch; the kinds differ in what else is proved:
 * `analytic` — also a response-time bound ≤ D for dynamic fixed-priority list dispatch with the
 * method's priority order on `boundCores` cores (any execution times ≤ WCET);
 * `structural` — the timetable only (a list schedule or a chain per core of a graph with L(G') ≤ D);
 * `exact` — a solver's timetable (proved minimal when `optimal` is true).
 */
export type Guarantee = 'analytic' | 'structural' | 'exact';

/** The result every scheduling method returns. */
export interface ScheduleResult {
  /** Method that produced it. */
  method: MethodName;
  /**
   * Number of distinct cores used by `schedule`: proved for static-order dispatch of that
   * timetable (see {@link ScheduleResult.guarantees}); 0 without a timetable.
   */
  cores: number;
  /** `makespan ≤ deadline` with a concrete timetable. */
  feasible: boolean;
  /** The deadline D the method worked with. */
  deadline: number;
  /** Largest finish time in `schedule` (0 without a timetable). */
  makespan: number;
  /** A concrete, checkable timetable under WCETs; empty only when `feasible` is false. */
  schedule: ScheduledNode[];
  /** Edges the method added to the graph (edge generation methods), as user ids. */
  addedEdges: [NodeId, NodeId][];
  /** Lower bound on the core count (`coreLowerBound`). */
  lowerBound: number;
  /** Wall time of the method, in milliseconds. */
  timeMs: number;
  /** What backs the answer. */
  guarantee: Guarantee;
  /**
   * Every claim the result proves, one per dispatch rule: under that rule on that many cores the
   * task meets D for all execution times ≤ WCET. Empty when `feasible` is false.
   */
  guarantees: DispatchGuarantee[];
  /** Response-time bound at the chosen core count (bound-based methods); with `feasible: false`, the best bound found (at m = n). */
  responseTimeBound?: number;
  /**
   * Bound-based methods: the core count m at which the response-time bound proved D, i.e. the
   * cores needed under dynamic fixed-priority list dispatch (the timetable, dispatched in static
   * order, may use fewer: `cores`).
   */
  boundCores?: number;
  /** `optimal` only: whether the core count is proved minimal (`cores` equals `lowerBound`). */
  optimal?: boolean;
  /** `optimal` only: relative gap `(cores − lowerBound) / cores` (0 when proved optimal). */
  gap?: number;
  /** `optimal` only: which bound gives `lowerBound` (`volume`, `window-load`, `m-core-windows`, `solver`). */
  lowerBoundBy?: LowerBoundName;
  /** `optimal` only: the method whose timetable is the answer (`optimal`: the MILP's own; else a warm start). */
  upperBoundBy?: MethodName;
  /** Free-text remark for humans (e.g. why no timetable exists). */
  note?: string;
  /**
   * Set when the method declined to run (or gave up before any answer) on this input, saying why
   * in user terms (e.g. `"model would need ~3.2 GB"`, `"time budget of 60 s reached"`); the
   * result then has `feasible: false` and an empty `schedule`. Absent when the method answered.
   */
  skipped?: string;
}
