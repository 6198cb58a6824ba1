import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag } from '../../../src/dag/build-dag.js';
import { transitiveClosure, transitiveReduction } from '../../../src/dag/analysis/transitive-closure.js';
import { arbDag, bruteReach } from '../../helpers/random-dag.js';

describe('transitive closure and reduction on bitsets', () => {
  it('closure equals DFS reachability (also past one 32-bit word)', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 70 }), (dag) => {
        const reach = transitiveClosure(dag);
        const ref = bruteReach(dag);
        for (let u = 0; u < dag.n; u++)
          for (let v = 0; v < dag.n; v++) expect(reach.has(u, v)).toBe(ref[u]![v]);
      }),
      { numRuns: 60 },
    );
  });

  it('reduction keeps the closure and every kept edge is needed', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 14 }), (dag) => {
        const kept = transitiveReduction(dag);
        const spec = {
          nodes: dag.ids.map((id) => ({ id, wcet: 1 })),
          edges: kept.map(([u, v]) => [dag.ids[u]!, dag.ids[v]!] as [string | number, string | number]),
        };
        const ref = bruteReach(dag);
        expect(bruteReach(buildDag(spec))).toEqual(ref);
        for (let k = 0; k < kept.length; k++) {
          const fewer = { ...spec, edges: spec.edges.filter((_, i) => i !== k) };
          expect(bruteReach(buildDag(fewer))).not.toEqual(ref);
        }
      }),
      { numRuns: 80 },
    );
  });
});
