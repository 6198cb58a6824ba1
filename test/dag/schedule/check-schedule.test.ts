import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../../src/dag/schedule/schedule-result.js';
import { egsExample } from '../../helpers/random-dag.js';

/** A valid 2-core timetable of the EGS example (adds edge 2 -> 3). */
function valid(): ScheduleResult {
  return {
    method: 'egs-greedy',
    cores: 2,
    feasible: true,
    deadline: 8,
    makespan: 8,
    addedEdges: [[2, 3]],
    lowerBound: 2,
    timeMs: 0,
    guarantee: 'structural',
    guarantees: [],
    schedule: [
      { node: 0, core: 0, start: 0, finish: 0 },
      { node: 1, core: 0, start: 0, finish: 5 },
      { node: 4, core: 0, start: 5, finish: 8 },
      { node: 2, core: 1, start: 0, finish: 4 },
      { node: 3, core: 1, start: 4, finish: 7 },
      { node: 5, core: 1, start: 7, finish: 8 },
      { node: 6, core: 0, start: 8, finish: 8 },
    ],
  };
}

describe('checkSchedule (the shared checker)', () => {
  it('accepts a valid timetable', () => {
    expect(checkSchedule(egsExample(), valid())).toEqual({ ok: true, violations: [] });
  });

  const broken: [string, (r: ScheduleResult) => void, RegExp][] = [
    ['missing node', (r) => r.schedule.pop(), /not scheduled/],
    ['duplicate node', (r) => r.schedule.push({ ...r.schedule[1]! }), /twice/],
    ['wrong duration', (r) => (r.schedule[1]!.finish = 4), /wcet/],
    ['precedence', (r) => Object.assign(r.schedule[2]!, { start: 4, finish: 7 }), /before predecessor/],
    [
      'added-edge precedence',
      (r) => Object.assign(r.schedule[4]!, { core: 2, start: 3, finish: 6 }),
      /edge 2 -> 3/,
    ],
    ['overlap', (r) => Object.assign(r.schedule[3]!, { core: 0 }), /overlaps/],
    ['core count', (r) => (r.cores = 3), /distinct cores/],
    ['makespan', (r) => (r.makespan = 7), /makespan/],
    ['feasible flag', (r) => (r.deadline = 7), /feasible/],
    ['negative start', (r) => Object.assign(r.schedule[0]!, { start: -1, finish: -1 }), /< 0/],
  ];
  for (const [name, mutate, pattern] of broken) {
    it(`rejects: ${name}`, () => {
      const r = valid();
      mutate(r);
      const c = checkSchedule(egsExample(), r);
      expect(c.ok).toBe(false);
      expect(c.violations.join('\n')).toMatch(pattern);
    });
  }

  it('rejects feasible: true without a timetable', () => {
    expect(checkSchedule(egsExample(), { ...valid(), schedule: [] }).ok).toBe(false);
  });
});
