import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleAllMethods } from '../../../src/dag/schedule/schedule-dag.js';
import { arbDag } from '../../helpers/random-dag.js';

describe('every result states what it proves, per dispatch rule', () => {
  it('static-order claim = the timetable; list-dispatch claim = boundCores and R, analytic methods only', async () => {
    await fc.assert(
      fc.asyncProperty(arbDag({ maxNodes: 9, slack: [0, 0.8] }), async (dag) => {
        for (const r of await scheduleAllMethods(dag, { timeLimitS: 5 })) {
          if (!r.feasible) {
            expect(r.guarantees).toEqual([]);
            continue;
          }
          const staticOrder = r.guarantees.filter((g) => g.dispatch === 'static-order');
          const list = r.guarantees.filter((g) => g.dispatch === 'fixed-priority-list');
          expect(staticOrder).toHaveLength(1);
          expect(staticOrder[0]!.cores).toBe(r.cores);
          expect(staticOrder[0]!.makespanBound).toBe(r.makespan);
          expect(new Set(r.schedule.map((s) => s.core)).size).toBeLessThanOrEqual(r.cores);
          if (r.guarantee === 'analytic') {
            expect(list).toHaveLength(1);
            expect(list[0]!.cores).toBe(r.boundCores);
            expect(list[0]!.makespanBound).toBe(r.responseTimeBound);
            expect(list[0]!.makespanBound).toBeLessThanOrEqual(r.deadline * (1 + 1e-9));
            expect(list[0]!.priority).toBeTruthy();
            // The WCET timetable is the list schedule on boundCores, so it never uses more.
            expect(r.cores).toBeLessThanOrEqual(r.boundCores!);
          } else {
            // No response-time analysis: nothing is claimed for dynamic dispatch (listsched included).
            expect(list).toEqual([]);
          }
          for (const g of r.guarantees) expect(g.makespanBound).toBeLessThanOrEqual(r.deadline * (1 + 1e-9));
        }
      }),
      { numRuns: 25 },
    );
  });
});
