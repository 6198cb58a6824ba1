/**
 * The `egs` result of an edge-generation state: one core per chain of a minimum chain cover of
 * G_t, each node at its EST in G_t. Since every added edge passed the action mask, the timetable
 * meets D and respects every edge of the original DAG. The env's episode result and the EGS policy
 * scheduler's answers are both built here.
 */
import type { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';
import { chainSchedule } from '../../dag/schedule/chain-schedule.js';
import { timetableGuarantees } from '../../dag/schedule/dispatch-guarantee.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import { withinDeadline } from '../../dag/time-tolerance.js';

/**
 * The timetable of `state` on one core per chain of `chains` (a minimum chain cover of G_t, so
 * `chains.length` = W(G_t)), with the episode's `lowerBound` and `timeMs`.
 */
export function egsScheduleResult(
  state: EdgeGenerationState,
  chains: number[][],
  lowerBound: number,
  timeMs: number,
): ScheduleResult {
  const { dag, deadline } = state;
  const { schedule, makespan } = chainSchedule(dag, state.est, chains);
  const ids = dag.ids;
  const feasible = withinDeadline(makespan, deadline);
  return {
    method: 'egs',
    cores: chains.length,
    feasible,
    guarantees: timetableGuarantees(feasible, chains.length, makespan),
    deadline,
    makespan,
    schedule,
    addedEdges: state.added.map(([a, b]) => [ids[a]!, ids[b]!]),
    lowerBound,
    timeMs,
    guarantee: 'structural',
  };
}
