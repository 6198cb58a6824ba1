/**
 * Results without a timetable: a method that found no feasible core count, or one that declined to
 * answer (a failure, a budget spent, an input it does not take), still returns the common result shape.
 */
import type { Guarantee, MethodName, ScheduleResult } from './schedule-result.js';

/** A result with no timetable (`feasible: false`, no cores), to be completed by the caller. */
export function resultWithoutTimetable(
  method: MethodName,
  deadline: number,
  lowerBound: number,
  timeMs: number,
  guarantee: Guarantee,
): ScheduleResult {
  return {
    method,
    cores: 0,
    feasible: false,
    deadline,
    makespan: 0,
    schedule: [],
    addedEdges: [],
    lowerBound,
    timeMs,
    guarantee,
    guarantees: [],
  };
}

/** The kind of promise a method's answers carry (see {@link Guarantee}). */
function guaranteeOf(method: MethodName): Guarantee {
  if (method === 'optimal') return 'exact';
  if (method === 'listsched' || method === 'egs-greedy' || method === 'egs' || method === 'egs-search')
    return 'structural';
  return 'analytic';
}

/**
 * The result of a method that declined to answer (`skipped` says why, `note` too): no
 * timetable, `feasible: false`.
 */
export function declinedResult(
  method: MethodName,
  deadline: number,
  lowerBound: number,
  timeMs: number,
  skipped: string,
): ScheduleResult {
  return {
    ...resultWithoutTimetable(method, deadline, lowerBound, timeMs, guaranteeOf(method)),
    note: skipped,
    skipped,
  };
}
