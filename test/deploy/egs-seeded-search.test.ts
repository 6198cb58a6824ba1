import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../../src/dag/schedule/schedule-dag.js';
import { loadEgsPolicyModel } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { GraphNetF32, graphNetParams, type GraphNetDims } from '../../src/nn/graph-net-f32.js';
import { tightDeadline } from '../../src/experiments/egs-benchmark-sets.js';
import { shapedDag, DAG_SHAPES } from '../helpers/shaped-dag.js';

const DIMS: GraphNetDims = {
  nodeFeatureDim: 6,
  relationDim: 4,
  hiddenDim: 8,
  numHeads: 2,
  numLayers: 1,
  ffnDim: 16,
  valueHiddenDim: 8,
  logitClip: 10,
};

function randomNet(seed: number): GraphNetF32 {
  const rng = new Rng(seed);
  const w: Record<string, Float32Array> = {};
  for (const p of graphNetParams(DIMS))
    w[p.name] = Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1));
  return new GraphNetF32(DIMS, w);
}

const arbTightTask = fc
  .record({
    shape: fc.constantFrom(...DAG_SHAPES),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    n: fc.integer({ min: 4, max: 24 }),
    m: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ shape, seed, n, m }) => {
    const dag = shapedDag(shape, seed, n, 0);
    return { dag, D: tightDeadline(dag, m), seed };
  });

describe('EGS methods seeded with the best heuristic', () => {
  it('egs and egs-search are never worse than listsched, whatever the weights, and say what produced the answer', async () => {
    await fc.assert(
      fc.asyncProperty(arbTightTask, async ({ dag, D, seed }) => {
        const s = new EgsPolicyScheduler(randomNet(seed));
        const list = await scheduleDag(dag, 'listsched', { deadline: D });
        const g = s.greedy(dag, { deadline: D });
        const b = s.search(dag, { deadline: D, beamWidth: 2, expand: 2, samples: 2, seed });
        for (const r of [g, b]) {
          expect(checkSchedule(dag, r).violations).toEqual([]);
          expect(r.feasible).toBe(true);
          expect(r.deadline).toBe(D);
          expect(r.cores).toBeLessThanOrEqual(list.cores);
        }
        expect(g.method).toBe('egs');
        expect(b.method).toBe('egs-search');
        if (g.cores < s.greedy(dag, { deadline: D, heuristicSeed: false }).cores)
          expect(g.note).toMatch(/answer from: .*seed/);
        expect(b.note).toMatch(/answer from: (policy|listsched|list-schedule|the task as given)/);
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('the heuristic seed is an edge-generation answer on ≤ listsched cores, and the search time bounds egs-search', async () => {
    const s = new EgsPolicyScheduler(loadEgsPolicyModel());
    const dag = shapedDag('layered', 5, 60, 0);
    const D = tightDeadline(dag, 3);
    const seed = s.heuristicSeed(dag, D, 1);
    const list = await scheduleDag(dag, 'listsched', { deadline: D });
    expect(seed.result.cores).toBeLessThanOrEqual(list.cores);
    expect(seed.result.addedEdges.length).toBe(seed.state.added.length);
    expect(checkSchedule(dag, seed.result).violations).toEqual([]);
    const t0 = performance.now();
    const r = s.search(dag, { deadline: D, searchTimeS: 0.2, samples: 1000 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.cores).toBeLessThanOrEqual(list.cores);
    expect(checkSchedule(dag, r).violations).toEqual([]);
  });
});
