/**
 * Per-type task profiles of HSoC workloads: a task's execution time on each PE type (some types
 * unable to run it) and its sub-deadline ratio, the per-task inputs of IBM's STOMP simulator.
 *
 * A profile lives in the DAG JSON as two optional node keys beside `wcet` and `type`:
 *
 * ```json
 * { "id": "T2", "wcet": 4, "type": "vision", "subDeadline": 0.38, "times": { "cpu": 4, "gpu": 0.8, "fft": null } }
 * ```
 *
 * - `times`: time at full power (100 % of the token budget) per PE type, in the DAG's time unit;
 *   `null` (or a PE type left out) means the type cannot run the task. A node without `times`
 *   keeps the speed-table model (`wcet / speed[pe][type]`), exactly as before profiles existed.
 * - `subDeadline`: the task's share of its DAG’s deadline, in [0, 1]. Without it the ratio is
 *   derived the way STOMP derives it: best-case time over the longest best-case path through
 *   the task (its share of the tightest path it lies on).
 *
 * The simulator keeps `wcet` as the task's work: on a PE of type p it progresses at
 * `wcet / times[p]` work units per time unit at full power, so its time there is `times[p]`.
 */
import { ValidationError } from '../../core/errors.js';
import type { Dag } from '../../dag/dag-task.js';
import { describeNode } from '../../dag/dag-task.js';
import { PE_TYPES, isPeType, peSpeed, type PeType } from './hsoc-platform.js';

/** A task's per-type profile (see the module comment). */
export interface HsocTaskProfile {
  /** Time at full power per PE type; `Infinity` = cannot run there. */
  readonly times: Readonly<Record<PeType, number>>;
  /** Sub-deadline ratio given in the input, if any. */
  readonly subDeadline: number | undefined;
}

/**
 * Reads and validates the profiles of a DAG's nodes (undefined for nodes without `times`).
 * Throws a {@link ValidationError} naming the DAG's source, the node and the rule for a
 * malformed `times` or `subDeadline`, or a task no PE type can run.
 */
export function readTaskProfiles(dag: Dag): (HsocTaskProfile | undefined)[] {
  return dag.ids.map((id, v) => {
    const extras = dag.nodeExtras[v] ?? {};
    const where = { file: dag.source ?? dag.name, item: describeNode(id) };
    const sd = extras['subDeadline'];
    if (sd !== undefined && !(typeof sd === 'number' && sd >= 0 && sd <= 1))
      throw new ValidationError(
        'sub-deadline',
        `subDeadline must be a number in [0, 1], got ${JSON.stringify(sd)}`,
        where,
      );
    const raw = extras['times'];
    if (raw === undefined) {
      if (sd !== undefined)
        throw new ValidationError('times', 'subDeadline is given without per-type times', where);
      return undefined;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new ValidationError('times', 'times must be an object { "cpu": t, "gpu": t, … }', where);
    const times = { cpu: Infinity, gpu: Infinity, dsp: Infinity, fft: Infinity } as Record<PeType, number>;
    for (const [type, t] of Object.entries(raw as Record<string, unknown>)) {
      if (!isPeType(type))
        throw new ValidationError('times', `unknown PE type '${type}' (${PE_TYPES.join(', ')})`, where);
      if (t === null) continue;
      if (!(typeof t === 'number' && Number.isFinite(t) && t > 0))
        throw new ValidationError(
          'times',
          `time on '${type}' must be a number > 0 or null, got ${JSON.stringify(t)}`,
          where,
        );
      times[type] = t;
    }
    if (PE_TYPES.every((p) => times[p] === Infinity))
      throw new ValidationError('times', 'no PE type can run the task (every time is null)', where);
    if (!(dag.wcet[v]! > 0))
      throw new ValidationError('times', 'a profiled task needs a wcet > 0 (its work)', where);
    return { times, subDeadline: sd as number | undefined };
  });
}

/**
 * Speed of each task on each PE, row-major `[task · pes.length + pe]`, relative to the task's
 * work: `wcet / times[pe]` for a profiled task (0 where it cannot run), else the speed table.
 */
export function taskSpeedMatrix(
  dag: Dag,
  pes: readonly PeType[],
  speeds: Readonly<Partial<Record<PeType, Readonly<Record<string, number>>>>>,
  profiles: readonly (HsocTaskProfile | undefined)[] = readTaskProfiles(dag),
): Float64Array {
  const m = new Float64Array(dag.n * pes.length);
  for (let v = 0; v < dag.n; v++) {
    const prof = profiles[v];
    for (let p = 0; p < pes.length; p++)
      m[v * pes.length + p] = prof
        ? dag.wcet[v]! / prof.times[pes[p]!]
        : peSpeed(speeds, pes[p]!, dag.types[v]);
  }
  return m;
}

/**
 * Sub-deadline ratio of every task: the input's `subDeadline` where given, else STOMP's rule —
 * the task's best-case time over the longest best-case path through it (the minimum over all
 * source-to-sink paths of its share of the path). Best case = the fastest PE type of the
 * profile, or the WCET for a task without one.
 */
export function subDeadlineRatios(
  dag: Dag,
  profiles: readonly (HsocTaskProfile | undefined)[] = readTaskProfiles(dag),
): Float64Array {
  const bcet = Float64Array.from(dag.wcet, (w, v) => {
    const prof = profiles[v];
    return prof ? Math.min(...PE_TYPES.map((p) => prof.times[p])) : w;
  });
  const head = new Float64Array(dag.n); // longest best-case path ending at v, v included
  const tail = new Float64Array(dag.n); // longest best-case path starting at v, v included
  for (const v of dag.topoOrder) {
    let h = 0;
    for (const u of dag.pred[v]!) h = Math.max(h, head[u]!);
    head[v] = h + bcet[v]!;
  }
  for (let i = dag.n - 1; i >= 0; i--) {
    const v = dag.topoOrder[i]!;
    let t = 0;
    for (const w of dag.succ[v]!) t = Math.max(t, tail[w]!);
    tail[v] = t + bcet[v]!;
  }
  return Float64Array.from(bcet, (b, v) => {
    const given = profiles[v]?.subDeadline;
    if (given !== undefined) return given;
    const path = head[v]! + tail[v]! - b;
    return path > 0 ? b / path : 0;
  });
}
