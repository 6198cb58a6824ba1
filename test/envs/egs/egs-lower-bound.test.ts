import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { egsLowerBound } from '../../../src/envs/egs/egs-lower-bound.js';
import { bruteForceMinCores } from '../../dag/optimal/brute-force-min-cores.js';
import { arbSmallDagTask } from '../../dag/optimal/random-small-dag.js';
import { egsExample } from '../../helpers/random-dag.js';

describe('egsLowerBound', () => {
  it('EGS example: vol 16, D 8 → 2; critical nodes 1–4 carry 15 in [0, 8] → 2 (W 2 is reachable)', () => {
    const b = egsLowerBound(egsExample(), 8);
    expect(b).toEqual({ lowerBound: 2, volumeBound: 2, criticalBound: 2 });
  });

  it('the critical term can exceed the volume term', () => {
    // Three parallel 4-unit nodes between a 6-unit head and tail: vol 24, D 16 → 2, but the
    // critical middle nodes must all run in [6, 10] → 3.
    const dag = buildDag({
      nodes: [6, 4, 4, 4, 6].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 1],
        [0, 2],
        [0, 3],
        [1, 4],
        [2, 4],
        [3, 4],
      ],
    });
    expect(egsLowerBound(dag, 16)).toEqual({ lowerBound: 3, volumeBound: 2, criticalBound: 3 });
    expect(bruteForceMinCores(dag, 16)).toBe(3);
  });

  it('a chain needs one core; independent equal nodes with D = C need one core each', () => {
    const chain = buildDag({
      nodes: [1, 2, 3].map((c, i) => ({ id: i, wcet: c })),
      edges: [
        [0, 1],
        [1, 2],
      ],
    });
    expect(egsLowerBound(chain, 6).lowerBound).toBe(1);
    const flat = buildDag({ nodes: [0, 1, 2, 3].map((i) => ({ id: i, wcet: 2 })), edges: [] });
    expect(egsLowerBound(flat, 2)).toEqual({ lowerBound: 4, volumeBound: 4, criticalBound: 4 });
    expect(egsLowerBound(flat, 4.5).lowerBound).toBe(2);
  });

  it('zero-work critical nodes give no critical bound (no division by zero)', () => {
    const dummies = buildDag({ nodes: [0, 1].map((i) => ({ id: i, wcet: 0 })), edges: [] });
    expect(egsLowerBound(dummies, 1)).toEqual({ lowerBound: 1, volumeBound: 1, criticalBound: 0 });
  });

  it('invariant: never above the exact minimum core count (brute force, small DAGs)', () => {
    fc.assert(
      fc.property(arbSmallDagTask(7), (dag) => {
        const D = dag.deadline!;
        const b = egsLowerBound(dag, D, undefined, computeTiming(dag, D));
        expect(b.lowerBound).toBeLessThanOrEqual(bruteForceMinCores(dag, D));
      }),
      { numRuns: 150, seed: 4444 },
    );
  });
});
