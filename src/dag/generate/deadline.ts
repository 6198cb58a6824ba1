/**
 * Deadlines set by a slack factor, `D = L + s·(vol − L)`, between the tightest feasible one (`s = 0`)
 * and one a single core meets (`s = 1`).
 */
import { ArbiterError } from '../../core/errors.js';
import { computeTiming } from '../analysis/timing.js';
import { withDeadline } from '../build-dag.js';
import type { Dag } from '../dag-task.js';
import { ceilTolerant } from '../time-tolerance.js';

/** Options of {@link deadlineBySlack}. */
export interface DeadlineBySlackOptions {
  /** Round D up to an integer (time units). Default true. */
  integer?: boolean;
}

/**
 * The relative deadline set by a slack factor: `D = L + s·(vol − L)`, where `L` is the
 * critical-path length and `vol` the total work of the DAG, in the DAG's time unit.
 * `s = 0` gives `D = L` (the tightest feasible deadline), `s = 1` gives `D = vol` (one core
 * suffices). With `integer` (default) D is rounded up, which keeps `D ≥ L`; values within a
 * relative TIME_EPS (1e-9) above an integer count as that integer, so floating noise in
 * `s·(vol − L)` never adds a whole time unit. Throws `bad-option` unless `0 ≤ s ≤ 1`.
 */
export function deadlineBySlack(dag: Dag, s: number, options: DeadlineBySlackOptions = {}): number {
  if (!(s >= 0 && s <= 1)) throw new ArbiterError('bad-option', `slack must be in [0, 1], got ${s}`);
  const { volume: vol, criticalPath: L } = computeTiming(dag);
  // L + s·(vol − L) is monotone in s under rounding (the convex form (1 − s)·L + s·vol is not);
  // s = 1 is pinned to vol and the clamp keeps rounding inside [L, vol].
  const D = s === 1 ? vol : Math.min(vol, Math.max(L, L + s * (vol - L)));
  if (options.integer === false) return D;
  return Math.max(Math.ceil(L), ceilTolerant(D));
}

/**
 * A copy of the DAG whose deadline is {@link deadlineBySlack}`(dag, s)` (integer, rounded up).
 * Throws if that deadline is not > 0 (a DAG whose WCETs are all zero).
 */
export function withSlackDeadline(dag: Dag, s: number, options: DeadlineBySlackOptions = {}): Dag {
  return withDeadline(dag, deadlineBySlack(dag, s, options));
}
