import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { listSchedule } from '../../../src/dag/schedule/list-scheduler.js';
import { ranksFromKeys } from '../../../src/dag/schedule/priority-order.js';
import { dagWidth } from '../../../src/dag/analysis/width.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

describe('listSchedule (non-preemptive, work-conserving)', () => {
  it('the EGS example meets D = 8 on 2 cores with LST order', () => {
    const dag = egsExample();
    const sim = listSchedule(dag, 2, ranksFromKeys(computeTiming(dag).lst, 'ascending'));
    expect(sim.makespan).toBe(8);
  });

  it('passes the checker, is work-conserving and respects priorities at each start', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 15 }), fc.integer({ min: 1, max: 5 }), (dag, m) => {
        const prio = ranksFromKeys(computeTiming(dag).lst, 'ascending');
        const sim = listSchedule(dag, m, prio);
        const check = checkSchedule(dag, {
          method: 'listsched',
          cores: sim.coresUsed,
          feasible: true,
          deadline: sim.makespan,
          makespan: sim.makespan,
          schedule: sim.schedule,
          addedEdges: [],
          lowerBound: 1,
          timeMs: 0,
          guarantee: 'structural',
          guarantees: [],
        });
        expect(check.violations).toEqual([]);
        expect(sim.coresUsed).toBeLessThanOrEqual(m);
        const finish = sim.schedule.map((s) => s.finish);
        for (let v = 0; v < dag.n; v++) {
          const ready = Math.max(0, ...dag.pred[v]!.map((u) => finish[u]!));
          if (sim.start[v]! > ready) {
            // Waited: at every instant of [ready, start) all m cores were busy.
            const busyAtReady = sim.schedule.filter((s) => s.start <= ready && s.finish > ready).length;
            expect(busyAtReady).toBe(m);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on W(G) cores every node starts at its EST (makespan = L)', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 15 }), (dag) => {
        const w = dagWidth(dag).width;
        const sim = listSchedule(
          dag,
          w,
          ranksFromKeys(
            Array.from({ length: dag.n }, (_, i) => i),
            'ascending',
          ),
        );
        expect(sim.makespan).toBe(computeTiming(dag).criticalPath);
      }),
      { numRuns: 100 },
    );
  });
});
