import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { generateLayeredDag, type LayeredDagOptions } from '../../../src/dag/generate/layered-dag.js';

/** Hop depth of every node: edges on the longest path from a source, counted in edges. */
function hopDepth(dag: Dag): number[] {
  const depth = new Array<number>(dag.n).fill(0);
  for (const v of dag.topoOrder) for (const u of dag.pred[v]!) depth[v] = Math.max(depth[v]!, depth[u]! + 1);
  return depth;
}

const arbOptions: fc.Arbitrary<LayeredDagOptions> = fc.record({
  nodes: fc.integer({ min: 3, max: 60 }),
  layers: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  edgeProbability: fc.double({ min: 0, max: 1, noNaN: true }),
  skipLayerFactor: fc.double({ min: 0, max: 1, noNaN: true }),
  singleSourceSink: fc.boolean(),
  wcetMin: fc.integer({ min: 1, max: 5 }),
  wcetMax: fc.integer({ min: 5, max: 30 }),
});

describe('generateLayeredDag', () => {
  it('is deterministic by seed: same seed → identical spec, different seed → different spec', () => {
    const a = generateLayeredDag({ nodes: 30 }, new Rng(7));
    const b = generateLayeredDag({ nodes: 30 }, new Rng(7));
    const c = generateLayeredDag({ nodes: 30 }, new Rng(8));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('invariant: n nodes v0…v{n−1}, valid acyclic DAG, WCETs in range, ids in topological order', () => {
    fc.assert(
      fc.property(arbOptions, fc.integer(), (options, seed) => {
        const spec = generateLayeredDag(options, new Rng(seed));
        expect(spec.nodes.map((v) => v.id)).toEqual(Array.from({ length: options.nodes }, (_, i) => `v${i}`));
        const dag = buildDag(spec);
        spec.nodes.forEach((v, i) => {
          const dummy = options.singleSourceSink === true && (i === 0 || i === options.nodes - 1);
          if (dummy) expect(v.wcet).toBe(0);
          else {
            expect(Number.isInteger(v.wcet)).toBe(true);
            expect(v.wcet).toBeGreaterThanOrEqual(options.wcetMin!);
            expect(v.wcet).toBeLessThanOrEqual(options.wcetMax!);
          }
        });
        for (const [u, v] of dag.edges) expect(u).toBeLessThan(v);
        expect(dag.warnings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('invariant: layered structure — every node past the first layer has a predecessor in the layer before', () => {
    // Ids are numbered layer by layer, so that guarantee means: hop depth never decreases along the
    // ids, and the depths are exactly 0 … K−1 (each layer's depth is its index).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 15 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (nodes, layers, edgeProbability, seed) => {
          const dag = buildDag(generateLayeredDag({ nodes, layers, edgeProbability }, new Rng(seed)));
          const depth = hopDepth(dag);
          for (let i = 1; i < dag.n; i++) expect(depth[i]).toBeGreaterThanOrEqual(depth[i - 1]!);
          const K = Math.min(layers, nodes);
          expect(depth[dag.n - 1]).toBe(K - 1);
          expect(new Set(depth).size).toBe(K);
          // requireSuccessor (default): only last-layer nodes are sinks.
          for (let v = 0; v < dag.n; v++) if (dag.succ[v]!.length === 0) expect(depth[v]).toBe(K - 1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('skipLayerFactor 0 gives adjacent-layer edges only', () => {
    for (let seed = 0; seed < 20; seed++) {
      const dag = buildDag(
        generateLayeredDag({ nodes: 40, layers: 6, edgeProbability: 0.5, skipLayerFactor: 0 }, new Rng(seed)),
      );
      const depth = hopDepth(dag);
      for (const [u, v] of dag.edges) expect(depth[v]! - depth[u]!).toBe(1);
    }
  });

  it('skip-layer edges appear with a positive skipLayerFactor', () => {
    const dag = buildDag(
      generateLayeredDag({ nodes: 60, layers: 6, edgeProbability: 0.5, skipLayerFactor: 1 }, new Rng(3)),
    );
    const depth = hopDepth(dag);
    expect(dag.edges.some(([u, v]) => depth[v]! - depth[u]! > 1)).toBe(true);
  });

  it('singleSourceSink: v0 is the only source and v{n−1} the only sink, both with WCET 0', () => {
    for (let seed = 0; seed < 20; seed++) {
      const dag = buildDag(
        generateLayeredDag({ nodes: 25, singleSourceSink: true, requireSuccessor: false }, new Rng(seed)),
      );
      const sources = dag.ids.filter((_, v) => dag.pred[v]!.length === 0);
      const sinks = dag.ids.filter((_, v) => dag.succ[v]!.length === 0);
      expect(sources).toEqual(['v0']);
      expect(sinks).toEqual(['v24']);
      expect(dag.wcet[0]).toBe(0);
      expect(dag.wcet[24]).toBe(0);
    }
  });

  it('default layer count is about √n; a layer range is respected', () => {
    const depthCount = (o: LayeredDagOptions, seed: number): number =>
      new Set(hopDepth(buildDag(generateLayeredDag(o, new Rng(seed))))).size;
    expect(depthCount({ nodes: 100 }, 1)).toBe(10);
    for (let seed = 0; seed < 30; seed++) {
      const k = depthCount({ nodes: 50, layers: [3, 5] }, seed);
      expect(k).toBeGreaterThanOrEqual(3);
      expect(k).toBeLessThanOrEqual(5);
    }
  });

  it('rejects bad options with a bad-option error', () => {
    const rng = new Rng(1);
    const bad: LayeredDagOptions[] = [
      { nodes: 0 },
      { nodes: 2.5 },
      { nodes: 2, singleSourceSink: true },
      { nodes: 10, edgeProbability: 1.5 },
      { nodes: 10, wcetMin: 0 },
      { nodes: 10, wcetMin: 5, wcetMax: 4 },
      { nodes: 10, layers: [4, 2] },
      { nodes: 10, layers: 0 },
    ];
    for (const o of bad) {
      expect(() => generateLayeredDag(o, rng)).toThrow(ArbiterError);
      expect(() => generateLayeredDag(o, rng)).toThrow(/must be/);
    }
  });
});
