import fc from 'fast-check';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../../src/dag/dag-task.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';

/** WCETs for the property tests: integers and fractions, including ones not exact in binary. */
const WCETS = [1, 2, 3, 4, 5, 0.5, 1.25, 0.1, 0.3, 2.7];

/**
 * Random DAG tasks with at most `maxNodes` nodes (edges from lower to higher index), WCETs from a
 * mixed integer/fractional set, optionally a zero-WCET dummy source and sink, and a deadline
 * `D = L + s·(vol − L)` with s ∈ [0, 1] (not rounded, so D is often fractional).
 */
export function arbSmallDagTask(maxNodes: number): fc.Arbitrary<Dag> {
  return fc
    .integer({ min: 1, max: maxNodes })
    .chain((n) =>
      fc.record({
        wcet: fc.array(fc.constantFrom(...WCETS), { minLength: n, maxLength: n }),
        edges: fc.array(fc.boolean(), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
        dummies: fc.boolean(),
        s: fc.constantFrom(0, 0.1, 0.25, 0.4, 0.6, 1),
      }),
    )
    .map(({ wcet, edges, dummies, s }) => {
      const n = wcet.length;
      const spec: DagTaskSpec = { nodes: wcet.map((c, i) => ({ id: i, wcet: c })), edges: [] };
      let k = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (edges[k++]) spec.edges.push([i, j]);
      if (dummies && n <= 6) {
        // Zero-WCET entry/exit nodes as in STG files.
        spec.nodes.push({ id: 'src', wcet: 0 }, { id: 'snk', wcet: 0 });
        for (let i = 0; i < n; i++) spec.edges.push(['src', i], [i, 'snk']);
      }
      const t = computeTiming(buildDag(spec));
      return buildDag({ ...spec, deadline: t.criticalPath + s * (t.volume - t.criticalPath) });
    });
}
