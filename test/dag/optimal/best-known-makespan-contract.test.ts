// The contract of bestKnownMakespan that both its placeholder and the exact version keep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { bestKnownMakespan } from '../../../src/dag/optimal/best-known-makespan.js';
import { arbDag } from '../../helpers/random-dag.js';
import { feasibleOnCores } from './brute-force-min-cores.js';

describe('bestKnownMakespan (contract)', () => {
  it('invariant: max(L, ⌈vol/m⌉) ≤ lowerBound ≤ makespan ≤ vol; D = makespan is feasible on m cores; proven → nothing shorter is', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbDag({ maxNodes: 6, maxWcet: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (dag, m) => {
          const r = await bestKnownMakespan(dag, m, { timeLimitS: 5 });
          const { criticalPath: L, volume } = computeTiming(dag);
          expect(r.lowerBound).toBeGreaterThanOrEqual(Math.max(L, Math.ceil(volume / m)));
          expect(r.makespan).toBeGreaterThanOrEqual(r.lowerBound);
          expect(r.makespan).toBeLessThanOrEqual(volume);
          expect(r.by.length).toBeGreaterThan(0);
          expect(feasibleOnCores(dag, r.makespan, m)).toBe(true);
          if (r.proven) expect(feasibleOnCores(dag, r.makespan - 1, m)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('one core: the makespan is the volume, proved', async () => {
    const [dag] = fc.sample(arbDag({ minNodes: 4, maxNodes: 8 }), { numRuns: 1, seed: 5 });
    const r = await bestKnownMakespan(dag!, 1);
    expect(r.makespan).toBe(computeTiming(dag!).volume);
    expect(r.proven).toBe(true);
  });

  it('refuses m < 1', async () => {
    const [dag] = fc.sample(arbDag(), { numRuns: 1, seed: 1 });
    await expect(bestKnownMakespan(dag!, 0)).rejects.toThrow();
  });
});
