/**
 * The result table of `arbiter schedule`: its columns and one row per method result (cores proved
 * under each dispatch rule, makespan, bound, lower bound and gap, guarantee, time), and the
 * strongest lower bound of a set of results; shared by the CLI and the dashboard so both show the
 * same numbers.
 */
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';

/** Column heads of the schedule result table. */
export const SCHEDULE_TABLE_HEAD: readonly string[] = [
  'method',
  'static-order cores',
  'list-dispatch cores',
  'makespan',
  'bound R',
  'lower bound',
  'gap',
  'guarantee',
  'time ms',
];

/** Alignment of each column of {@link SCHEDULE_TABLE_HEAD}. */
export const SCHEDULE_TABLE_ALIGN: readonly ('left' | 'right')[] = [
  'left',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'left',
  'right',
];

/**
 * One row of the schedule table: method (`(declined)` when it declined), the cores proved for
 * static-order and for list dispatch (`-` when none), makespan (`-` without a timetable), the
 * response-time bound R, the lower bound and the gap to it, what backs the answer, and the wall
 * time in ms (two decimals).
 */
export function scheduleTableRow(r: ScheduleResult): (string | number)[] {
  return [
    r.skipped !== undefined ? `${r.method} (declined)` : r.method,
    coresUnder(r, 'static-order'),
    coresUnder(r, 'fixed-priority-list'),
    r.feasible ? r.makespan : '-',
    r.responseTimeBound !== undefined ? round(r.responseTimeBound) : '',
    r.lowerBound,
    gapText(r),
    describeGuarantee(r),
    round(r.timeMs),
  ];
}

/** The result with the highest lower bound (the `optimal` one on ties, which names its bound). */
export function strongestLowerBound(results: readonly ScheduleResult[]): ScheduleResult {
  let best = results[0]!;
  for (const r of results)
    if (r.lowerBound > best.lowerBound || (r.lowerBound === best.lowerBound && r.lowerBoundBy !== undefined))
      best = r;
  return best;
}

/**
 * Relative gap of a result's core count to its lower bound, `(cores − lowerBound) / cores` as a
 * percentage ('-' without a timetable); `optimal` reports its own.
 */
function gapText(r: ScheduleResult): string {
  if (!r.feasible || r.cores === 0) return '-';
  const gap = r.gap ?? Math.max(0, (r.cores - r.lowerBound) / r.cores);
  return `${Math.round(gap * 1000) / 10}%`;
}

/** The proved core count under one dispatch rule, or '-' when the result proves none. */
function coresUnder(r: ScheduleResult, dispatch: 'static-order' | 'fixed-priority-list'): string {
  const g = r.guarantees.find((x) => x.dispatch === dispatch);
  return g ? String(g.cores) : '-';
}

function describeGuarantee(r: ScheduleResult): string {
  if (r.skipped !== undefined) return 'declined (see note)';
  if (!r.feasible) return 'bound cannot prove D';
  if (r.method === 'optimal')
    return r.optimal ? 'exact (proved optimal)' : `exact timetable, gap ${Math.round((r.gap ?? 0) * 100)}%`;
  return r.guarantee;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
