/**
 * The one schedule checker: whether a result's timetable respects the DAG, the cores and its own
 * claims. Every test of every scheduling method goes through it.
 */
import type { Dag } from '../dag-task.js';
import type { ScheduleResult } from './schedule-result.js';
import { timeEq, timeLeq, timeLt, withinDeadline } from '../time-tolerance.js';

/** Outcome of {@link checkSchedule}: `ok` and a list of human-readable violations. */
export interface ScheduleCheck {
  ok: boolean;
  violations: string[];
}

/**
 * The one schedule checker every test of every method uses. A result with a timetable is valid
 * when: each node appears exactly once; `finish − start = wcet`; starts are ≥ 0; every edge of
 * the DAG (and every added edge) is respected; no two nodes overlap on a core; `cores` equals the
 * number of distinct cores, numbered `0 … cores−1`; `makespan` is the largest finish; and
 * `feasible` is exactly `makespan ≤ deadline`; all times are finite. Times are compared with the
 * project's one tolerance (`src/dag/time-tolerance.ts`) at the scale of the horizon
 * `max(makespan, D)`. A result without a timetable must say `feasible: false`.
 */
export function checkSchedule(dag: Dag, result: ScheduleResult): ScheduleCheck {
  const violations: string[] = [];
  const bad = (msg: string): void => {
    if (violations.length < 50) violations.push(msg);
  };
  if (result.schedule.length === 0) {
    if (result.feasible) bad('feasible is true but there is no timetable');
    return { ok: violations.length === 0, violations };
  }
  // Timetable times are compared at the scale of the horizon they were computed in.
  const horizon = Math.max(Math.abs(result.makespan), Math.abs(result.deadline));
  const start = new Float64Array(dag.n).fill(NaN);
  const finish = new Float64Array(dag.n).fill(NaN);
  const core = new Int32Array(dag.n).fill(-1);
  for (const s of result.schedule) {
    const i = dag.indexOf.get(String(s.node));
    if (i === undefined) {
      bad(`unknown node ${String(s.node)}`);
      continue;
    }
    if (core[i] !== -1) bad(`node ${String(s.node)} scheduled twice`);
    if (!Number.isInteger(s.core) || s.core < 0)
      bad(`node ${String(s.node)}: core ${s.core} is not a non-negative integer`);
    if (!Number.isFinite(s.start) || !Number.isFinite(s.finish))
      bad(`node ${String(s.node)}: times [${s.start}, ${s.finish}) are not finite`);
    if (!timeLeq(0, s.start, horizon)) bad(`node ${String(s.node)}: start ${s.start} < 0`);
    if (!timeEq(s.finish, s.start + dag.wcet[i]!, horizon)) {
      bad(`node ${String(s.node)}: finish − start = ${s.finish - s.start} ≠ wcet ${dag.wcet[i]}`);
    }
    start[i] = s.start;
    finish[i] = s.finish;
    core[i] = s.core;
  }
  for (let i = 0; i < dag.n; i++) if (core[i] === -1) bad(`node ${String(dag.ids[i])} is not scheduled`);

  const precedence: (readonly [number, number])[] = [...dag.edges];
  for (const [a, b] of result.addedEdges) {
    const u = dag.indexOf.get(String(a));
    const v = dag.indexOf.get(String(b));
    if (u === undefined || v === undefined)
      bad(`added edge ${String(a)} -> ${String(b)} names an unknown node`);
    else precedence.push([u, v]);
  }
  for (const [u, v] of precedence) {
    if (!timeLeq(finish[u]!, start[v]!, horizon)) {
      bad(
        `edge ${String(dag.ids[u])} -> ${String(dag.ids[v])}: starts at ${start[v]} before predecessor finishes at ${finish[u]}`,
      );
    }
  }

  const byCore = new Map<number, number[]>();
  for (let i = 0; i < dag.n; i++) {
    if (core[i]! < 0) continue;
    let list = byCore.get(core[i]!);
    if (!list) byCore.set(core[i]!, (list = []));
    list.push(i);
  }
  for (const [c, list] of byCore) {
    list.sort((a, b) => start[a]! - start[b]! || finish[a]! - finish[b]!);
    // Zero-length nodes occupy no time, so only positive-length nodes can overlap.
    let last = -1;
    for (const b of list) {
      if (dag.wcet[b]! === 0) continue;
      if (last >= 0 && timeLt(start[b]!, finish[last]!, horizon)) {
        bad(
          `core ${c}: ${String(dag.ids[last])} [${start[last]}, ${finish[last]}) overlaps ${String(dag.ids[b])} [${start[b]}, ${finish[b]})`,
        );
      }
      if (last < 0 || finish[b]! > finish[last]!) last = b;
    }
  }
  const distinct = byCore.size;
  if (result.cores !== distinct)
    bad(`cores = ${result.cores} but the timetable uses ${distinct} distinct cores`);
  for (const c of byCore.keys())
    if (c >= distinct) bad(`core indices must be 0 … ${distinct - 1}, found ${c}`);

  let makespan = 0;
  for (let i = 0; i < dag.n; i++) if (finish[i]! > makespan) makespan = finish[i]!;
  if (!timeEq(makespan, result.makespan))
    bad(`makespan = ${result.makespan} but the largest finish is ${makespan}`);
  const meets = withinDeadline(makespan, result.deadline);
  if (result.feasible !== meets)
    bad(
      `feasible = ${result.feasible} but makespan ${makespan} ${meets ? '≤' : '>'} deadline ${result.deadline}`,
    );
  return { ok: violations.length === 0, violations };
}
