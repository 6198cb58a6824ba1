import type { MethodName, ScheduleResult } from './schedule-result.js';

/**
 * The result of a method that declined to answer (`skipped` says why): no timetable,
 * `feasible: false`.
 */
export function declinedResult(
  method: MethodName,
  deadline: number,
  lowerBound: number,
  timeMs: number,
  skipped: string,
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
    guarantee: method === 'listsched' ? 'simulated' : method === 'optimal' ? 'exact' : 'structural',
    note: skipped,
    skipped,
  };
}
