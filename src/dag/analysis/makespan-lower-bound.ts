/**
 * Lower bounds on the makespan of a non-preemptive schedule of a DAG task on m identical cores
 * (P|prec|Cmax): the critical path, ⌈vol/m⌉, and the destructive bound of the m-core windows
 * (a horizon T is refuted when the head/tail windows for T on m cores close or some time window
 * holds more forced work than m cores can do in it).
 */
import type { Dag } from '../dag-task.js';
import { computeTiming } from './timing.js';
import { mCoreWindows, type MCoreWindows, type WindowProblem } from './m-core-windows.js';
import { transitiveClosure } from './transitive-closure.js';

/** Which bound gives a makespan lower bound. */
export type MakespanBoundName = 'critical-path' | 'volume' | 'm-core-windows';

/** A makespan lower bound in grid units, and the windows of the horizon just below the incumbent. */
export interface GridMakespanBound {
  /** Lower bound on the makespan of every schedule on ≤ m cores, in grid units (an integer). */
  lowerBound: number;
  /** Which bound gives it (`critical-path` on ties with `volume`). */
  by: MakespanBoundName;
  /**
   * The m-core windows for horizon `upper − 1` (when `upper − 1 ≥ lowerBound` was examined):
   * valid for every schedule on ≤ m cores with makespan ≤ upper − 1.
   */
  belowUpper: MCoreWindows | undefined;
}

/** The DAG's reachability, computed once and shared by every horizon tried. */
export interface GridMakespanProblem {
  dag: Dag;
  /** WCET by node index, whole grid units. */
  wcet: ArrayLike<number>;
  reach: WindowProblem['reach'];
  ancestors: WindowProblem['ancestors'];
}

/** The problem of {@link gridMakespanLowerBound} for WCETs in whole grid units. */
export function gridMakespanProblem(
  dag: Dag,
  wcet: ArrayLike<number>,
  reach: WindowProblem['reach'] = transitiveClosure(dag),
): GridMakespanProblem {
  return { dag, wcet, reach, ancestors: reach.transpose() };
}

/** The window problem of horizon T (grid units). */
export function atHorizon(p: GridMakespanProblem, T: number): WindowProblem {
  return { dag: p.dag, wcet: p.wcet, deadline: T, integral: true, reach: p.reach, ancestors: p.ancestors };
}

/** Critical path and total work of integer WCETs: `max(L, ⌈vol/m⌉)` with its name. */
export function basicGridMakespanBound(
  p: GridMakespanProblem,
  m: number,
): { lowerBound: number; by: MakespanBoundName } {
  const { dag, wcet } = p;
  const finish = new Float64Array(dag.n);
  let L = 0;
  let vol = 0;
  for (const v of dag.topoOrder) {
    let s = 0;
    for (const u of dag.pred[v]!) s = Math.max(s, finish[u]!);
    finish[v] = s + wcet[v]!;
    L = Math.max(L, finish[v]!);
    vol += wcet[v]!;
  }
  const volumeBound = Math.ceil(vol / m);
  return volumeBound > L ? { lowerBound: volumeBound, by: 'volume' } : { lowerBound: L, by: 'critical-path' };
}

/**
 * Makespan lower bound on m cores for integer WCETs (grid units), given an achievable makespan
 * `upper`. Every makespan of a schedule with integer WCETs can be taken integral (its ASAP
 * timetable starts at sums of WCETs), so a horizon T that {@link mCoreWindows} refutes proves
 * makespan ≥ T + 1; refuting T needs no monotonicity, since a schedule meeting T' < T meets T.
 * `upper − 1` is tried first (refuted: `upper` is optimal), then a bisection between the basic
 * bound and it, each refuted horizon raising the bound. `stop()` is checked between horizons.
 */
export function gridMakespanLowerBound(
  p: GridMakespanProblem,
  m: number,
  upper: number,
  stop: () => boolean = () => false,
): GridMakespanBound {
  const basic = basicGridMakespanBound(p, m);
  let lo = basic.lowerBound;
  let by: MakespanBoundName = basic.by;
  if (upper - 1 < lo) return { lowerBound: lo, by, belowUpper: undefined };
  const belowUpper = mCoreWindows(atHorizon(p, upper - 1), m);
  if (belowUpper.refutedBy !== undefined) return { lowerBound: upper, by: 'm-core-windows', belowUpper };
  // Invariant: every raise of lo came from a refuted horizon lo − 1; hi − … is not refuted.
  let hi = upper - 1;
  while (lo < hi && !stop()) {
    const mid = Math.floor((lo + hi) / 2);
    if (mCoreWindows(atHorizon(p, mid), m).refutedBy !== undefined) {
      lo = mid + 1;
      by = 'm-core-windows';
    } else hi = mid;
  }
  return { lowerBound: lo, by, belowUpper };
}

/**
 * Makespan lower bound on m cores for any (real) WCETs: `max(L, vol/m)`. No grid is assumed, so
 * nothing is rounded up.
 */
export function realMakespanLowerBound(dag: Dag, m: number): { lowerBound: number; by: MakespanBoundName } {
  const { criticalPath: L, volume: vol } = computeTiming(dag);
  return vol / m > L ? { lowerBound: vol / m, by: 'volume' } : { lowerBound: L, by: 'critical-path' };
}
