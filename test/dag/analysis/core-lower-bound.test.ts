import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreLowerBound } from '../../../src/dag/analysis/core-lower-bound.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { dagWidth } from '../../../src/dag/analysis/width.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { listSchedule } from '../../../src/dag/schedule/list-scheduler.js';
import { ranksFromKeys } from '../../../src/dag/schedule/priority-order.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

describe('coreLowerBound', () => {
  it('is 2 on the EGS example (vol 16 / D 8)', () => {
    expect(coreLowerBound(egsExample()).lowerBound).toBe(2);
  });

  it('the load bound beats ⌈vol/D⌉ when work is forced into a window', () => {
    // Three independent 4-unit nodes precede a 6-unit sink, D = 10: ⌈vol/D⌉ = ⌈18/10⌉ = 2, but all
    // three must run inside [0, 4] → 3 cores.
    const dag = buildDag({
      deadline: 10,
      nodes: [
        { id: 'a', wcet: 4 },
        { id: 'b', wcet: 4 },
        { id: 'c', wcet: 4 },
        { id: 's', wcet: 6 },
      ],
      edges: [
        ['a', 's'],
        ['b', 's'],
        ['c', 's'],
      ],
    });
    const lb = coreLowerBound(dag);
    expect(lb.volumeBound).toBe(2);
    expect(lb.lowerBound).toBe(3);
    expect(lb.window).toEqual([0, 4]);
  });

  it('float noise never inflates the bound (chain 0.1 → 0.5, D = 0.6 needs one core)', () => {
    const dag = buildDag({
      deadline: 0.6,
      nodes: [
        { id: 'a', wcet: 0.1 },
        { id: 'b', wcet: 0.5 },
      ],
      edges: [['a', 'b']],
    });
    expect(coreLowerBound(dag).lowerBound).toBe(1);
  });

  it('never exceeds a core count that a real schedule achieves, and ≥ ⌈vol/D⌉', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 14, slack: [0, 1] }), (dag) => {
        const t = computeTiming(dag);
        const lb = coreLowerBound(dag);
        expect(lb.lowerBound).toBeGreaterThanOrEqual(Math.ceil(t.volume / t.deadline - 1e-9));
        const prio = ranksFromKeys(t.lst, 'ascending');
        for (let m = 1; m <= dagWidth(dag).width; m++) {
          if (listSchedule(dag, m, prio).makespan <= t.deadline) {
            expect(lb.lowerBound).toBeLessThanOrEqual(m);
            break;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
