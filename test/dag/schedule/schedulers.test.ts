import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineInfeasibleError, ValidationError } from '../../../src/core/errors.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { scheduleAllMethods, scheduleDag, SCHEDULE_METHODS } from '../../../src/dag/schedule/schedule-dag.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

describe('every scheduling method (integration, shared checker)', () => {
  it('the EGS example: optimal and egs-greedy need 2 cores, every timetable is valid', async () => {
    const dag = egsExample();
    const results = await scheduleAllMethods(dag, { timeLimitS: 5 });
    expect(results.map((r) => r.method)).toEqual([...SCHEDULE_METHODS]);
    for (const r of results) expect(checkSchedule(dag, r).violations).toEqual([]);
    const by = Object.fromEntries(results.map((r) => [r.method, r]));
    expect(by.optimal!.cores).toBe(2);
    expect(by.optimal!.optimal).toBe(true);
    expect(by['egs-greedy']!.cores).toBe(2);
    expect(by['egs-greedy']!.addedEdges.length).toBeGreaterThan(0);
    expect(by.listsched!.cores).toBe(2);
    expect(by.graham!.feasible).toBe(false); // D = L < vol: Graham's bound proves nothing
  });

  it('on random small DAGs: all timetables pass the checker, optimal ≤ every other method, lower bound ≤ optimal', async () => {
    await fc.assert(
      fc.asyncProperty(arbDag({ maxNodes: 10, slack: [0, 0.6] }), async (dag) => {
        const results = await scheduleAllMethods(dag, { timeLimitS: 10 });
        const opt = results.find((r) => r.method === 'optimal')!;
        expect(opt.optimal).toBe(true);
        for (const r of results) {
          expect(checkSchedule(dag, r).violations).toEqual([]);
          expect(r.lowerBound).toBeLessThanOrEqual(opt.cores);
          if (r.feasible) expect(opt.cores).toBeLessThanOrEqual(r.cores);
          if (r.guarantee === 'analytic' && r.feasible) {
            // The timetable of a bound-based method meets its bound, hence D.
            expect(r.makespan).toBeLessThanOrEqual(r.responseTimeBound! + 1e-9);
            expect(r.responseTimeBound!).toBeLessThanOrEqual(dag.deadline! + 1e-9);
          }
        }
        for (const m of ['listsched', 'egs-greedy', 'optimal'])
          expect(results.find((r) => r.method === m)!.feasible).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('a deadline below L is DeadlineInfeasible with L and D, never a result', async () => {
    const dag = egsExample();
    for (const method of SCHEDULE_METHODS) {
      const e = await scheduleDag(dag, method, { deadline: 7 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DeadlineInfeasibleError);
      expect((e as DeadlineInfeasibleError).criticalPath).toBe(8);
      expect((e as DeadlineInfeasibleError).deadline).toBe(7);
      expect((e as Error).message).toMatch(/L = 8.*D = 7/);
    }
  });

  it('a task without a deadline needs one', async () => {
    const dag = buildDag({ nodes: [{ id: 'a', wcet: 1 }], edges: [] });
    await expect(scheduleDag(dag, 'graham')).rejects.toBeInstanceOf(ValidationError);
    const r = await scheduleDag(dag, 'graham', { deadline: 1 });
    expect(r.cores).toBe(1);
  });

  it('independent nodes of length D need one core each; a chain needs one core', async () => {
    const par = buildDag({ deadline: 5, nodes: [1, 2, 3, 4].map((i) => ({ id: i, wcet: 5 })), edges: [] });
    for (const m of SCHEDULE_METHODS) {
      const r = await scheduleDag(par, m);
      if (r.feasible) expect(r.cores).toBe(4);
    }
    const chain = buildDag({
      deadline: 10,
      nodes: [1, 2, 3].map((i) => ({ id: i, wcet: 3 })),
      edges: [
        [1, 2],
        [2, 3],
      ],
    });
    for (const m of SCHEDULE_METHODS) expect((await scheduleDag(chain, m)).cores).toBe(1);
  });
});
