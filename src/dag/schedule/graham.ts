/**
 * The `graham` scheduling method: Graham's makespan bound for work-conserving list scheduling,
 * `L + (vol − L)/m`, and the smallest core count it proves for D.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { boundedResult, infeasibleByBound } from './bound-based-scheduler.js';
import { listSchedule } from './list-scheduler.js';
import { ranksFromKeys } from './priority-order.js';
import type { ScheduleResult } from './schedule-result.js';
import { ceilTolerant, timeLeq, withinDeadline } from '../time-tolerance.js';

/** The order of graham's timetable; its bound holds for any priority order. */
const GRAHAM_PRIORITY = 'any order (the timetable uses least LST first)';

/**
 * Graham's bound for any work-conserving list schedule on m cores: `L + (vol − L)/m`. Holds for
 * any priority order and any execution times ≤ WCET: with actual path length
 * ℓ ≤ L and actual work V ≤ vol the makespan is ≤ ℓ + (V − ℓ)/m = ℓ(1 − 1/m) + V/m, which grows
 * with ℓ and V.
 */
export function grahamBound(ctx: AnalysisContext, m: number): number {
  const { criticalPath: L, volume } = ctx.timing;
  return L + (volume - L) / m;
}

/**
 * `graham`: the minimum M with `L + (vol − L)/M ≤ D`, i.e. `⌈(vol − L)/(D − L)⌉`, and
 * a non-preemptive list schedule on M cores (the bound holds for any priority order; LST order is
 * used). Infeasible when that M exceeds n or when D = L < vol.
 */
export function scheduleGraham(ctx: AnalysisContext, lowerBound: number): ScheduleResult {
  const t0 = performance.now();
  const { dag, timing } = ctx;
  const { criticalPath: L, volume, deadline: D } = timing;
  const work = volume - L;
  let M: number;
  if (timeLeq(volume, L)) M = 1;
  else if (timeLeq(D, L)) M = Infinity;
  else M = Math.max(1, ceilTolerant(work / (D - L)));
  while (M < Infinity && M > 1 && withinDeadline(grahamBound(ctx, M - 1), D)) M--; // guard the ceil against rounding
  if (M > dag.n)
    return infeasibleByBound('graham', D, lowerBound, grahamBound(ctx, dag.n), performance.now() - t0, dag.n);
  const sim = listSchedule(dag, M, ranksFromKeys(timing.lst, 'ascending'));
  return boundedResult('graham', sim, D, lowerBound, t0, grahamBound(ctx, M), M, GRAHAM_PRIORITY);
}
