/**
 * The best teacher per DAG for imitation: the greedy EGS expert, and the timetables of list
 * scheduling (the `listsched` method and the list-schedule incumbent of `optimal`), optionally of
 * the exact method, each turned into an `EGS-v0` episode ({@link timetableTeacherEpisode}); the
 * episode with the fewest cores (then the fewest steps) is the demonstration. Learning from the
 * best of them, rather than from `egs-greedy` alone, is what lets a cloned policy match list
 * scheduling at tight deadlines, where `egs-greedy` is the weaker of the two.
 */
import type { Rng } from '../../core/rng.js';
import { withDeadline } from '../../dag/build-dag.js';
import type { Dag } from '../../dag/dag-task.js';
import { scheduleOptimal } from '../../dag/optimal/optimal-scheduler.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import type { EgsEnv } from './egs-env.js';
import { egsExpertEpisode, type EgsDemonstration } from './egs-expert.js';
import { timetableTeacherEpisode } from './timetable-teacher.js';
import { listTimetables } from './egs-list-hint.js';

/** The teachers {@link bestTeacherEpisode} can ask. */
export const EGS_TEACHERS = ['egs-greedy', 'listsched', 'incumbent', 'optimal'] as const;

/** A teacher of {@link EGS_TEACHERS}. */
export type EgsTeacher = (typeof EGS_TEACHERS)[number];

/** Options of {@link bestTeacherEpisode}. */
export interface BestTeacherOptions {
  /** Teachers asked (default: `egs-greedy`, `listsched`, `incumbent`; `optimal` only when listed). */
  teachers?: readonly EgsTeacher[];
  /** Deadline D (default: the task's own). */
  deadline?: number;
  /** Runs of the greedy expert (the first deterministic, the others randomized; default 2). */
  expertTries?: number;
  /** `optimal`: only on DAGs of at most this many nodes (default 20). */
  optimalMaxNodes?: number;
  /** `optimal`: solver time limit per DAG in seconds (default 2). */
  optimalTimeLimitS?: number;
  /** The greedy expert's steps record its accepted sets too (`egsExpertLabel`; default false). */
  expertTargets?: boolean;
}

/** A demonstration with the teacher that gave it. */
export interface TeacherDemonstration extends EgsDemonstration {
  /** The teacher whose episode had the fewest cores. */
  teacher: EgsTeacher;
}

/** The default teachers: those that cost milliseconds. */
export const DEFAULT_EGS_TEACHERS: readonly EgsTeacher[] = ['egs-greedy', 'listsched', 'incumbent'];

export { listTimetables } from './egs-list-hint.js';

/** Every asked teacher's episode on `dag`; the one with the fewest cores, then fewest steps. */
export async function bestTeacherEpisode(
  env: EgsEnv,
  dag: Dag,
  rng: Rng,
  options: BestTeacherOptions = {},
): Promise<TeacherDemonstration> {
  const teachers = options.teachers ?? DEFAULT_EGS_TEACHERS;
  const deadline = options.deadline ?? dag.deadline!;
  const runs: TeacherDemonstration[] = [];
  const fromTimetable = (teacher: EgsTeacher, t: ScheduleResult): void => {
    if (t.feasible)
      runs.push({
        ...timetableTeacherEpisode(env, dag, t, { deadline, expertTargets: options.expertTargets ?? false }),
        teacher,
      });
  };
  if (teachers.includes('egs-greedy')) {
    // egsExpertEpisode resets with the task's own deadline: give it the task at D.
    const atD = deadline === dag.deadline ? dag : withDeadline(dag, deadline);
    runs.push({
      ...egsExpertEpisode(env, atD, rng, {
        tries: options.expertTries ?? 2,
        targets: options.expertTargets ?? false,
      }),
      teacher: 'egs-greedy',
    });
  }
  if (teachers.includes('listsched') || teachers.includes('incumbent')) {
    // No wall-clock budget: a demonstration must not depend on the machine's speed.
    const t = listTimetables(dag, deadline, undefined, undefined, Infinity);
    if (teachers.includes('listsched')) fromTimetable('listsched', t.listsched);
    if (teachers.includes('incumbent')) fromTimetable('incumbent', t.incumbent);
  }
  if (teachers.includes('optimal') && dag.n <= (options.optimalMaxNodes ?? 20)) {
    const t = await scheduleOptimal(dag, { deadline, timeLimitS: options.optimalTimeLimitS ?? 2 });
    fromTimetable('optimal', t);
  }
  // Nothing asked ran (only `optimal`, on a DAG too large for it): the greedy expert.
  if (runs.length === 0) runs.push({ ...egsExpertEpisode(env, dag, rng), teacher: 'egs-greedy' });
  let best = runs[0]!;
  for (const r of runs.slice(1))
    if (r.cores < best.cores || (r.cores === best.cores && r.steps.length < best.steps.length)) best = r;
  return best;
}
