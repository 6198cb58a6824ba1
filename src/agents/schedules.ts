/**
 * Hyper-parameter schedules (learning rate, clip range), as SB3's: a function of the remaining
 * progress `p`, which goes from 1 at the start of training to 0 at the horizon.
 */
import { z } from 'zod';
import { ArbiterError } from '../core/errors.js';

/** A value as a function of remaining progress p ∈ [0, 1] (1 = start, 0 = end). */
export type Schedule = (progressRemaining: number) => number;

/** Plain-JSON description of a schedule, for configs and checkpoints. */
export type ScheduleSpec =
  number | { kind: 'constant'; value: number } | { kind: 'linear'; start: number; end?: number };

/** Rules of a {@link ScheduleSpec}: finite numbers ≥ 0. */
export const SCHEDULE_SCHEMA = z.union([
  z.number().min(0),
  z.object({ kind: z.literal('constant'), value: z.number().min(0) }).strict(),
  z
    .object({ kind: z.literal('linear'), start: z.number().min(0), end: z.number().min(0).optional() })
    .strict(),
]);

/** The same value throughout. */
export function constantSchedule(value: number): Schedule {
  return () => value;
}

/** Linear from `start` (p = 1) to `end` (p = 0, default 0): CleanRL's `anneal_lr`. */
export function linearSchedule(start: number, end = 0): Schedule {
  return (p) => end + (start - end) * Math.min(1, Math.max(0, p));
}

/** Builds a schedule from its JSON description (a bare number is constant). */
export function makeSchedule(spec: ScheduleSpec): Schedule {
  if (typeof spec === 'number') return constantSchedule(spec);
  if (spec.kind === 'constant') return constantSchedule(spec.value);
  if (spec.kind === 'linear') return linearSchedule(spec.start, spec.end ?? 0);
  throw new ArbiterError('invalid-config', `unknown schedule kind '${(spec as { kind: string }).kind}'`);
}
