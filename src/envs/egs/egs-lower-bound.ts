/**
 * The core lower bound that ends an EGS episode (the bound of the EGS paper):
 * `max(⌈vol/D⌉, ⌈C(critical) / (max LFT − min EST over the critical nodes)⌉)`.
 * Any schedule meeting D runs all the work by D, and runs every critical node inside its own
 * window `[EST, LFT]`, hence all of them inside the span of those windows.
 */
import { computeTiming, type Timing } from '../../dag/analysis/timing.js';
import { transitiveClosure } from '../../dag/analysis/transitive-closure.js';
import type { Dag } from '../../dag/dag-task.js';
import { ceilLowerBound } from '../../dag/time-tolerance.js';
import { criticalNodes } from './critical-nodes.js';

/** The EGS lower bound and its two terms. */
export interface EgsLowerBound {
  /** `max(volumeBound, criticalBound)`, at least 1. */
  lowerBound: number;
  /** `⌈vol/D⌉` (at least 1). */
  volumeBound: number;
  /** `⌈C(critical) / (max LFT − min EST)⌉` over the critical nodes (0 when they carry no work). */
  criticalBound: number;
}

/**
 * The EGS lower bound on the cores any non-preemptive schedule of `dag` meeting `deadline`
 * needs. `critical` flags the nodes of some maximum antichain (computed from the closure when
 * omitted); `timing` the EST/LFT windows for `deadline` (computed when omitted). Times in the DAG's unit.
 */
export function egsLowerBound(
  dag: Dag,
  deadline: number,
  critical?: ArrayLike<number>,
  timing: Pick<Timing, 'est' | 'lft'> = computeTiming(dag, deadline),
): EgsLowerBound {
  const flags = critical ?? criticalNodes(transitiveClosure(dag)).critical;
  const { n, wcet } = dag;
  let vol = 0;
  let work = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let v = 0; v < n; v++) {
    vol += wcet[v]!;
    if (!flags[v]) continue;
    work += wcet[v]!;
    if (timing.est[v]! < lo) lo = timing.est[v]!;
    if (timing.lft[v]! > hi) hi = timing.lft[v]!;
  }
  const volumeBound = vol === 0 ? 1 : Math.max(1, ceilLowerBound(vol / deadline));
  const span = hi - lo;
  // Zero work needs no core; a non-positive span only arises with zero work (EST + C ≤ LFT).
  const criticalBound = work > 0 && span > 0 ? ceilLowerBound(work / span) : 0;
  return { lowerBound: Math.max(volumeBound, criticalBound), volumeBound, criticalBound };
}
