/**
 * The one execution-time-variation simulator of the tests and of `bench/soundness-bench.ts`:
 * runs a DAG with given per-node execution times (each in [0, WCET]) under the two dispatch
 * rules whose guarantees Arbiter states, written independently of `list-scheduler.ts` (linear
 * scans, no heaps) so that it can check it.
 *
 * - dynamic: non-preemptive, work-conserving, global fixed-priority list scheduling on m cores.
 *   At each event time all completions are processed first; then, while a core is idle and a
 *   node is ready, the ready node with the smallest rank (ties: smaller index) starts on the
 *   lowest-numbered idle core. Zero-length nodes complete at their start time in a further
 *   round at the same instant (as in `listSchedule`).
 * - static-order: each core runs its nodes in the timetable's order; a node starts as soon as
 *   its predecessors and its predecessor on the core are done.
 */
import type { Dag } from '../dag/dag-task.js';
import type { ScheduledNode } from '../dag/schedule/schedule-result.js';

/** Start and finish of every node (by index) and the makespan. */
export interface SimulatedRun {
  start: Float64Array;
  finish: Float64Array;
  core: Int32Array;
  makespan: number;
}

/** Dynamic list scheduling on `m` cores with ranks `priority` (0 = highest) and times `exec`. */
export function simulateDynamic(
  dag: Dag,
  m: number,
  priority: ArrayLike<number>,
  exec: ArrayLike<number>,
): SimulatedRun {
  const { n, pred, succ } = dag;
  const waiting = new Int32Array(n);
  for (let v = 0; v < n; v++) waiting[v] = pred[v]!.length;
  const ready: number[] = [];
  for (let v = 0; v < n; v++) if (waiting[v] === 0) ready.push(v);
  const coreBusy = new Uint8Array(m);
  const running: number[] = [];
  const start = new Float64Array(n);
  const finish = new Float64Array(n);
  const core = new Int32Array(n).fill(-1);
  let t = 0;
  let done = 0;
  for (;;) {
    for (;;) {
      let c = 0;
      while (c < m && coreBusy[c]) c++;
      if (c === m || ready.length === 0) break;
      let best = 0;
      for (let q = 1; q < ready.length; q++) {
        const a = ready[q]!;
        const b = ready[best]!;
        if (priority[a]! < priority[b]! || (priority[a] === priority[b] && a < b)) best = q;
      }
      const v = ready.splice(best, 1)[0]!;
      coreBusy[c] = 1;
      core[v] = c;
      start[v] = t;
      finish[v] = t + exec[v]!;
      running.push(v);
    }
    if (done === n) break;
    if (running.length === 0) throw new Error('simulateDynamic: nothing ready and nothing running');
    t = Math.min(...running.map((v) => finish[v]!));
    for (let q = running.length - 1; q >= 0; q--) {
      const v = running[q]!;
      if (finish[v]! > t) continue;
      running.splice(q, 1);
      coreBusy[core[v]!] = 0;
      done++;
      for (const w of succ[v]!) if (--waiting[w]! === 0) ready.push(w);
    }
  }
  return { start, finish, core, makespan: n === 0 ? 0 : Math.max(...finish) };
}

/**
 * Static-order dispatch of a timetable: per core, its nodes in the timetable's order (by start,
 * then finish, then topological position), each started when its predecessors (and `extraEdges`,
 * e.g. a method's added edges, as node-index pairs) and its core predecessor are done.
 */
export function simulateStaticOrder(
  dag: Dag,
  schedule: readonly ScheduledNode[],
  exec: ArrayLike<number>,
  extraEdges: readonly (readonly [number, number])[] = [],
): SimulatedRun {
  const { n, pred } = dag;
  const topoPos = new Int32Array(n);
  dag.topoOrder.forEach((v, k) => (topoPos[v] = k));
  const core = new Int32Array(n).fill(-1);
  const slot = new Float64Array(n);
  const slotEnd = new Float64Array(n);
  for (const s of schedule) {
    const v = dag.indexOf.get(String(s.node))!;
    core[v] = s.core;
    slot[v] = s.start;
    slotEnd[v] = s.finish;
  }
  const byCore = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    if (core[v]! < 0) throw new Error(`simulateStaticOrder: node ${dag.ids[v]} has no slot`);
    if (!byCore.has(core[v]!)) byCore.set(core[v]!, []);
    byCore.get(core[v]!)!.push(v);
  }
  // Every node waits for its DAG predecessors, its extra predecessors and its core predecessor.
  const before: number[][] = Array.from({ length: n }, (_, v) => [...pred[v]!]);
  for (const [u, v] of extraEdges) before[v]!.push(u);
  for (const list of byCore.values()) {
    list.sort((a, b) => slot[a]! - slot[b]! || slotEnd[a]! - slotEnd[b]! || topoPos[a]! - topoPos[b]!);
    for (let q = 1; q < list.length; q++) before[list[q]!]!.push(list[q - 1]!);
  }
  const start = new Float64Array(n).fill(NaN);
  const finish = new Float64Array(n).fill(NaN);
  // Repeated sweeps until every node is placed: simple, and n ≤ a few hundred here.
  let placed = 0;
  for (let sweep = 0; placed < n; sweep++) {
    if (sweep > n) throw new Error('simulateStaticOrder: the core orders contradict the DAG');
    for (let v = 0; v < n; v++) {
      if (!Number.isNaN(start[v]!)) continue;
      let s = 0;
      let ok = true;
      for (const u of before[v]!) {
        if (Number.isNaN(finish[u]!)) ok = false;
        else if (finish[u]! > s) s = finish[u]!;
      }
      if (!ok) continue;
      start[v] = s;
      finish[v] = s + exec[v]!;
      placed++;
    }
  }
  return { start, finish, core, makespan: n === 0 ? 0 : Math.max(...finish) };
}

/** A small seeded generator (mulberry32) so simulations replay from one integer. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How execution times are drawn in [0, C] per node. */
export const EXECUTION_TIME_MODELS = ['uniform', 'bimodal', 'some-short'] as const;
/** One of {@link EXECUTION_TIME_MODELS}. */
export type ExecutionTimeModel = (typeof EXECUTION_TIME_MODELS)[number];

/** Execution times per node: uniform in [0, C], bimodal {0, C}, or C except for a few nodes uniform in [0, C]. */
export function drawExecutionTimes(
  wcet: ArrayLike<number>,
  model: ExecutionTimeModel,
  rand: () => number,
): Float64Array {
  const n = wcet.length;
  const x = new Float64Array(n);
  const shortShare = rand() * 0.4;
  for (let v = 0; v < n; v++) {
    const C = wcet[v]!;
    if (model === 'uniform') x[v] = rand() * C;
    else if (model === 'bimodal') x[v] = rand() < 0.5 ? 0 : C;
    else x[v] = rand() < shortShare ? Math.floor(rand() * (C + 1) * 2) / 2 : C;
    if (x[v]! > C) x[v] = C;
  }
  return x;
}

/** Result of {@link adversarialSearch}: the worst makespan found and the times that produce it. */
export interface AdversarialResult {
  makespan: number;
  exec: Float64Array;
  evaluations: number;
}

/**
 * Hill-climbing over execution times to maximize `makespan(exec)`: from WCETs (then from random
 * restarts), coordinate moves of one node to 0, to C, to C/2 or to a random value in [0, C];
 * a move is kept when it does not lower the makespan (plateaus are crossed). Stops after
 * `budget` evaluations.
 */
export function adversarialSearch(
  wcet: ArrayLike<number>,
  makespan: (exec: Float64Array) => number,
  budget: number,
  rand: () => number,
): AdversarialResult {
  const n = wcet.length;
  let bestExec = Float64Array.from(wcet);
  let best = makespan(bestExec);
  let evaluations = 1;
  const cur = Float64Array.from(wcet);
  let curValue = best;
  while (evaluations < budget) {
    const v = Math.floor(rand() * n);
    const C = wcet[v]!;
    const old = cur[v]!;
    const pick = rand();
    cur[v] = pick < 0.35 ? 0 : pick < 0.55 ? C : pick < 0.7 ? C / 2 : rand() * C;
    const value = makespan(cur);
    evaluations++;
    if (value >= curValue) {
      curValue = value;
      if (value > best) {
        best = value;
        bestExec = cur.slice();
      }
    } else cur[v] = old;
    // Restart from a random point now and then (a quarter of the budget per climb).
    if (evaluations % Math.max(8, Math.floor(budget / 4)) === 0) {
      for (let u = 0; u < n; u++) cur[u] = rand() < 0.5 ? wcet[u]! : rand() * wcet[u]!;
      curValue = makespan(cur);
      evaluations++;
    }
  }
  return { makespan: best, exec: bestExec, evaluations };
}
