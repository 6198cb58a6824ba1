import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeDag } from '../../src/dag/analysis/analyze-dag.js';
import { renderDagSvg } from '../../src/report/dag-svg.js';
import { checkXml } from '../helpers/check-xml.js';
import { arbDag } from '../helpers/random-dag.js';

/** Centre of each node's circle, by id. */
function centres(svg: string): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  for (const m of svg.matchAll(
    /data-node="([^"]*)"><title>[^<]*<\/title><circle cx="([\d.]+)" cy="([\d.]+)"/g,
  ))
    out.set(m[1]!, { x: Number(m[2]), y: Number(m[3]) });
  return out;
}

describe('renderDagSvg', () => {
  it('property: well-formed; one circle per node, one line per edge, every edge pointing down a layer or more', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 1, maxNodes: 25 }), (dag) => {
        const a = analyzeDag(dag);
        const svg = renderDagSvg(dag, { criticalPath: a.criticalPathNodes, antichain: a.antichain });
        const names = checkXml(svg);
        expect(names.filter((n) => n === 'circle')).toHaveLength(dag.n);
        expect(names.filter((n) => n === 'line')).toHaveLength(dag.edges.length);
        const at = centres(svg);
        expect(at.size).toBe(dag.n);
        for (const [u, v] of dag.edges)
          expect(at.get(String(dag.ids[v]))!.y).toBeGreaterThan(at.get(String(dag.ids[u]))!.y);
        // Highlights: the critical path's nodes and edges, the antichain's nodes.
        expect(svg.match(/<g class="critical[^"]*" data-node/g) ?? []).toHaveLength(
          a.criticalPathNodes.length,
        );
        expect(svg.match(/<line class="critical"/g) ?? []).toHaveLength(a.criticalPathNodes.length - 1);
        expect(svg.match(/<g class="[^"]*antichain" data-node/g) ?? []).toHaveLength(a.width);
        // Nodes of one layer never overlap.
        const spots = [...at.values()].map((p) => `${p.x},${p.y}`);
        expect(new Set(spots).size).toBe(spots.length);
      }),
      { numRuns: 60 },
    );
  });
});
