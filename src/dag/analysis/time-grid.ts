/**
 * The time grid of a DAG task: the coarsest unit 1/k in which every WCET is a whole number, so that
 * exact methods may restrict start times to integers of that unit without losing any schedule.
 */
import type { Dag } from '../dag-task.js';
import { TIME_EPS } from '../time-tolerance.js';

/** Largest grid scale {@link timeGrid} tries. */
export const MAX_GRID_SCALE = 1000;

/** WCETs and deadline as whole numbers of the unit `1/scale`. */
export interface TimeGrid {
  /** Units per time unit of the task (k: every `wcet · k` is an integer). */
  scale: number;
  /** WCET of each node in grid units (integers), by node index. */
  wcet: Float64Array;
  /** `⌊D · k⌋` (up to the time tolerance): the latest finish in grid units. */
  deadline: number;
}

/**
 * The smallest k ≤ `maxScale` with every WCET a multiple of 1/k (up to the time tolerance), or
 * `undefined`. Why integer starts lose nothing: the ASAP timetable of any schedule's core
 * sequences starts every node no later than the schedule did, at a sum of WCETs, i.e. a multiple of
 * 1/k; so if some schedule meets D on m cores, one with starts on the grid does, and its makespan
 * (a whole number of units) is ≤ ⌊D · k⌋.
 */
export function timeGrid(dag: Dag, deadline: number, maxScale = MAX_GRID_SCALE): TimeGrid | undefined {
  const { n, wcet } = dag;
  for (let k = 1; k <= maxScale; k++) {
    let ok = true;
    for (let v = 0; v < n && ok; v++) {
      const x = wcet[v]! * k;
      ok = Math.abs(x - Math.round(x)) <= TIME_EPS * Math.max(1, x);
    }
    if (!ok) continue;
    const dk = deadline * k;
    return {
      scale: k,
      wcet: Float64Array.from(wcet, (c) => Math.round(c * k)),
      deadline: Math.floor(dk + TIME_EPS * Math.max(1, dk)),
    };
  }
  return undefined;
}
