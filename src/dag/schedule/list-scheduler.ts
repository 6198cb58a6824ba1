/**
 * The simulator of non-preemptive, work-conserving global list scheduling on identical cores under
 * WCETs, which every list-based method uses for its timetable.
 */
import { BinaryHeap } from '../../core/binary-heap.js';
import type { Dag } from '../dag-task.js';
import type { ScheduledNode } from './schedule-result.js';

/** A timetable produced by simulation, with its makespan and the number of distinct cores used. */
export interface SimulatedSchedule {
  schedule: ScheduledNode[];
  makespan: number;
  coresUsed: number;
  /** Start time by node index. */
  start: Float64Array;
  /** Core by node index. */
  core: Int32Array;
}

/**
 * Non-preemptive, work-conserving global list scheduling on `m` identical cores under WCETs:
 * whenever a core is idle and a node is ready, the ready node with the highest priority
 * (smallest `priority[i]`, ties by index) starts on the lowest-numbered idle core.
 * O((n + e) log n).
 */
export function listSchedule(dag: Dag, m: number, priority: ArrayLike<number>): SimulatedSchedule {
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`listSchedule: m must be a positive integer, got ${m}`);
  const { n, wcet, succ, pred } = dag;
  const remaining = new Int32Array(n);
  for (let i = 0; i < n; i++) remaining[i] = pred[i]!.length;
  const higher = (a: number, b: number): boolean =>
    priority[a]! < priority[b]! || (priority[a] === priority[b] && a < b);
  const ready = new BinaryHeap(higher);
  for (let i = 0; i < n; i++) if (remaining[i] === 0) ready.push(i);

  const start = new Float64Array(n);
  const finish = new Float64Array(n);
  const core = new Int32Array(n).fill(-1);
  const running = new BinaryHeap((a, b) => finish[a]! < finish[b]! || (finish[a] === finish[b] && a < b));
  const idle = new BinaryHeap((a, b) => a < b);
  for (let c = 0; c < Math.min(m, n); c++) idle.push(c);
  let maxCore = -1;
  let t = 0;
  let done = 0;
  while (done < n) {
    while (idle.size > 0 && ready.size > 0) {
      const v = ready.pop();
      const c = idle.pop();
      start[v] = t;
      finish[v] = t + wcet[v]!;
      core[v] = c;
      if (c > maxCore) maxCore = c;
      running.push(v);
    }
    if (running.size === 0)
      throw new Error('listSchedule: no node ready and none running (graph not a DAG?)');
    t = finish[running.peek()]!;
    while (running.size > 0 && finish[running.peek()]! <= t) {
      const u = running.pop();
      idle.push(core[u]!);
      done++;
      for (const w of succ[u]!) if (--remaining[w]! === 0) ready.push(w);
    }
  }
  const schedule: ScheduledNode[] = [];
  let makespan = 0;
  for (let i = 0; i < n; i++) {
    schedule.push({ node: dag.ids[i]!, core: core[i]!, start: start[i]!, finish: finish[i]! });
    if (finish[i]! > makespan) makespan = finish[i]!;
  }
  return { schedule, makespan, coresUsed: maxCore + 1, start, core };
}
