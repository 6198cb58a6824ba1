/**
 * The ASAP timetable of fixed core sequences (chains): the timetable of a solver's or a list
 * schedule's core assignment, with exact start times.
 */
import type { Dag } from '../dag-task.js';
import type { ScheduledNode } from '../schedule/schedule-result.js';

/** A timetable built from core chains, with its makespan and core count. */
export interface ChainTimetable {
  /** One entry per node, in node-index order. */
  schedule: ScheduledNode[];
  /** Largest finish time. */
  makespan: number;
  /** Number of distinct cores used (cores `0 … cores−1`). */
  cores: number;
  /** Start time by node index. */
  start: Float64Array;
}

/**
 * The ASAP timetable of fixed core sequences: chain k runs on core k in the given order, and every
 * node starts as soon as its DAG predecessors and its predecessor on the core have finished.
 * Nodes in no chain must have WCET 0; they occupy no core time and are put on core 0. Start times
 * are exact sums of WCETs, never later than any schedule with the same core sequences, so solver
 * round-off cannot leak into the result. Returns `undefined` when the sequences contradict the
 * DAG (a cycle through chain and DAG edges).
 */
export function chainTimetable(dag: Dag, chains: readonly (readonly number[])[]): ChainTimetable | undefined {
  const start = chainStarts(dag, chains);
  if (!start) return undefined;
  const { n, wcet } = dag;
  const core = new Int32Array(n);
  let cores = 0;
  for (const chain of chains) {
    if (chain.length === 0) continue;
    for (const v of chain) core[v] = cores;
    cores++;
  }
  const schedule: ScheduledNode[] = [];
  let makespan = 0;
  for (let v = 0; v < n; v++) {
    const finish = start[v]! + wcet[v]!;
    schedule.push({ node: dag.ids[v]!, core: core[v]!, start: start[v]!, finish });
    if (finish > makespan) makespan = finish;
  }
  return { schedule, makespan, cores: Math.max(1, cores), start };
}

/**
 * The makespan of {@link chainTimetable}'s timetable, without building it (the same start times,
 * so the same value); `undefined` where `chainTimetable` is. For loops that keep only the best of
 * many core sequences.
 */
export function chainMakespan(dag: Dag, chains: readonly (readonly number[])[]): number | undefined {
  const start = chainStarts(dag, chains);
  if (!start) return undefined;
  let makespan = 0;
  for (let v = 0; v < dag.n; v++) makespan = Math.max(makespan, start[v]! + dag.wcet[v]!);
  return makespan;
}

// ASAP start times of fixed core sequences, or undefined when they contradict the DAG.
function chainStarts(dag: Dag, chains: readonly (readonly number[])[]): Float64Array | undefined {
  const { n, wcet, succ } = dag;
  const core = new Int32Array(n).fill(-1);
  const coreNext = new Int32Array(n).fill(-1);
  const indeg = new Int32Array(n);
  let cores = 0;
  for (const chain of chains) {
    if (chain.length === 0) continue;
    for (let k = 0; k < chain.length; k++) {
      const v = chain[k]!;
      if (core[v] !== -1) return undefined;
      core[v] = cores;
      if (k + 1 < chain.length) {
        coreNext[v] = chain[k + 1]!;
        indeg[chain[k + 1]!]!++;
      }
    }
    cores++;
  }
  for (let v = 0; v < n; v++) {
    if (core[v] === -1) {
      if (wcet[v]! > 0) return undefined;
      core[v] = 0;
    }
    for (const w of succ[v]!) indeg[w]!++;
  }
  // Kahn's algorithm over DAG edges plus chain edges.
  const start = new Float64Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue.push(v);
  let seen = 0;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    seen++;
    const finish = start[v]! + wcet[v]!;
    const relax = (w: number): void => {
      if (finish > start[w]!) start[w] = finish;
      if (--indeg[w]! === 0) queue.push(w);
    };
    for (const w of succ[v]!) relax(w);
    if (coreNext[v]! >= 0) relax(coreNext[v]!);
  }
  return seen < n ? undefined : start;
}
