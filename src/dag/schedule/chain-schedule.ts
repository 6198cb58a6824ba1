/**
 * The one-chain-per-core static schedule of a DAG extended with edges: the timetable that edge
 * generation methods answer with, one core per chain, finishing at L(G').
 */
import type { Dag } from '../dag-task.js';
import type { ScheduledNode } from './schedule-result.js';

/**
 * The trivial static schedule: one chain per core, every node started at its earliest start
 * time `est` in G' = G + added edges. Consecutive chain nodes are comparable in G', so a core
 * never runs two nodes at once, and the makespan is L(G').
 * `chains` must be a chain cover of G' and `est` its earliest start times (both from
 * {@link EdgeGenerationState}).
 */
export function chainSchedule(
  dag: Dag,
  est: ArrayLike<number>,
  chains: readonly (readonly number[])[],
): { schedule: ScheduledNode[]; makespan: number } {
  const core = new Int32Array(dag.n).fill(-1);
  chains.forEach((chain, c) => chain.forEach((v) => (core[v] = c)));
  let makespan = 0;
  const schedule: ScheduledNode[] = [];
  for (let v = 0; v < dag.n; v++) {
    const finish = est[v]! + dag.wcet[v]!;
    schedule.push({ node: dag.ids[v]!, core: core[v]!, start: est[v]!, finish });
    if (finish > makespan) makespan = finish;
  }
  return { schedule, makespan };
}
