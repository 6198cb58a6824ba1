import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { generateForkJoinDag, type ForkJoinDagOptions } from '../../../src/dag/generate/fork-join-dag.js';

/**
 * Two-terminal series-parallel test (nested fork-joins are exactly these graphs): repeatedly
 * replace u → v → w (v with one predecessor and one successor) by u → w, merging parallel edges,
 * until only source → sink remains.
 */
function isSeriesParallel(dag: Dag): boolean {
  if (dag.n <= 1) return true;
  const succ = dag.succ.map((s) => new Set(s));
  const pred = dag.pred.map((p) => new Set(p));
  const alive = new Set(Array.from({ length: dag.n }, (_, v) => v));
  let changed = true;
  while (changed) {
    changed = false;
    for (const v of alive) {
      if (pred[v]!.size !== 1 || succ[v]!.size !== 1) continue;
      const [u] = pred[v]!;
      const [w] = succ[v]!;
      succ[u!]!.delete(v);
      pred[w!]!.delete(v);
      succ[u!]!.add(w!);
      pred[w!]!.add(u!);
      alive.delete(v);
      changed = true;
    }
  }
  return alive.size === 2;
}

function sourcesAndSinks(dag: Dag): { sources: string[]; sinks: string[] } {
  return {
    sources: dag.ids.filter((_, v) => dag.pred[v]!.length === 0).map(String),
    sinks: dag.ids.filter((_, v) => dag.succ[v]!.length === 0).map(String),
  };
}

describe('generateForkJoinDag', () => {
  it('is deterministic by seed: same seed → identical spec, different seed → different spec', () => {
    const a = generateForkJoinDag({ nodes: 30 }, new Rng(7));
    expect(generateForkJoinDag({ nodes: 30 }, new Rng(7))).toEqual(a);
    expect(generateForkJoinDag({ nodes: 30 }, new Rng(8))).not.toEqual(a);
    const free = generateForkJoinDag({}, new Rng(11));
    expect(generateForkJoinDag({}, new Rng(11))).toEqual(free);
  });

  it('invariant: exactly the target node count, valid DAG, one source v0 and one sink v{n−1}, series-parallel, WCETs in range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer(),
        (nodes, bLo, bSpan, nestProbability, maxDepth, wcetMax, seed) => {
          const options: ForkJoinDagOptions = {
            nodes,
            branching: [bLo, bLo + bSpan],
            nestProbability,
            maxDepth,
            wcetMin: 1,
            wcetMax,
          };
          const spec = generateForkJoinDag(options, new Rng(seed));
          expect(spec.nodes.map((v) => v.id)).toEqual(Array.from({ length: nodes }, (_, i) => `v${i}`));
          const dag = buildDag(spec);
          expect(dag.warnings).toEqual([]);
          expect(sourcesAndSinks(dag)).toEqual({ sources: ['v0'], sinks: [`v${nodes - 1}`] });
          expect(isSeriesParallel(dag)).toBe(true);
          for (const [u, v] of dag.edges) expect(u).toBeLessThan(v);
          for (const c of dag.wcet) {
            expect(Number.isInteger(c)).toBe(true);
            expect(c).toBeGreaterThanOrEqual(1);
            expect(c).toBeLessThanOrEqual(wcetMax);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('without a target: nestProbability 0 gives one block of k ∈ branching branches', () => {
    for (let seed = 0; seed < 20; seed++) {
      const spec = generateForkJoinDag({ nestProbability: 0, branching: [2, 5] }, new Rng(seed));
      const k = spec.nodes.length - 2;
      expect(k).toBeGreaterThanOrEqual(2);
      expect(k).toBeLessThanOrEqual(5);
      const dag = buildDag(spec);
      expect(dag.succ[0]!.length).toBe(k);
      expect(dag.pred[dag.n - 1]!.length).toBe(k);
    }
  });

  it('without a target: nestProbability 1 nests exactly up to maxDepth', () => {
    // depth 1: fork + 2 × (depth-2 block: fork + 2 + join) + join = 10 nodes
    const spec = generateForkJoinDag({ nestProbability: 1, branching: 2, maxDepth: 2 }, new Rng(1));
    expect(spec.nodes).toHaveLength(10);
    const deep = generateForkJoinDag({ nestProbability: 1, branching: 2, maxDepth: 3 }, new Rng(1));
    expect(deep.nodes).toHaveLength(2 + 2 * 10); // fork + 2 × (the 10-node block) + join
    expect(isSeriesParallel(buildDag(deep))).toBe(true);
  });

  it('small targets: 1 node, a chain of 2, a block of one branch', () => {
    expect(generateForkJoinDag({ nodes: 1 }, new Rng(1)).edges).toEqual([]);
    expect(generateForkJoinDag({ nodes: 2 }, new Rng(1)).edges).toEqual([['v0', 'v1']]);
    expect(generateForkJoinDag({ nodes: 3 }, new Rng(1)).edges).toEqual([
      ['v0', 'v1'],
      ['v1', 'v2'],
    ]);
  });

  it('rejects bad options with a bad-option error', () => {
    const bad: ForkJoinDagOptions[] = [
      { nodes: 0 },
      { branching: 0 },
      { branching: [3, 2] },
      { nestProbability: -0.1 },
      { maxDepth: 0 },
      { wcetMin: 2, wcetMax: 1 },
    ];
    for (const o of bad) expect(() => generateForkJoinDag(o, new Rng(1))).toThrow(ArbiterError);
  });
});
