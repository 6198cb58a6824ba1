import { mkdtemp, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineInfeasibleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { withSlackDeadline } from '../../src/dag/generate/deadline.js';
import { readDagFile } from '../../src/dag/io/read-dag-file.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import {
  LARGE_EGS_MODEL_PATH,
  SMALL_EGS_MODEL_PATH,
  egsPolicyModelToJson,
  loadEgsPolicyModel,
  parseEgsPolicyModel,
  resolveEgsModelPath,
} from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { DagSampler } from '../../src/envs/egs/dag-sampler.js';
import { graphNetParams } from '../../src/nn/graph-net-f32.js';
import { arbDag } from '../helpers/random-dag.js';
import { RANDOM_NET_DIMS, randomGraphNet } from '../helpers/random-graph-net.js';

const DIMS = RANDOM_NET_DIMS;
const randomNet = randomGraphNet;

describe('EgsPolicyScheduler', () => {
  it('whatever the weights: greedy, sampled and search results are valid timetables with L(G′) ≤ D', () => {
    fc.assert(
      fc.property(
        arbDag({ minNodes: 1, maxNodes: 12, slack: [0, 0.5] }),
        fc.integer(),
        fc.boolean(),
        (dag, seed, anti) => {
          const s = new EgsPolicyScheduler(randomNet(seed), { antichainOnly: anti });
          const g = s.greedy(dag, {
            refresh: 1 + (Math.abs(seed) % 3),
            stallLimit: 1 + (Math.abs(seed) % 5),
            lookahead: Math.abs(seed) % 4,
          });
          const k = s.sample(dag, 3, seed);
          const b = s.search(dag, { beamWidth: 2, expand: 2, samples: 2, seed });
          for (const r of [g, k, b]) {
            expect(checkSchedule(dag, r).violations).toEqual([]);
            expect(r.feasible).toBe(true);
            expect(r.cores).toBeGreaterThanOrEqual(r.lowerBound);
          }
          expect(g.method).toBe('egs');
          expect(b.method).toBe('egs-search');
          // Sampling keeps the greedy episode, so it is never worse than greedy (every step).
          expect(k.cores).toBeLessThanOrEqual(s.greedy(dag).cores);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the shipped large model loads, is ≤ 2 MB, and schedules a 100-node STG file (larger than training) validly', async () => {
    expect(statSync(LARGE_EGS_MODEL_PATH).size).toBeLessThanOrEqual(2 * 1024 * 1024);
    const s = new EgsPolicyScheduler(loadEgsPolicyModel(LARGE_EGS_MODEL_PATH));
    const dag = withSlackDeadline(await readDagFile('examples/dag/stg-100-rand0001.stg'), 0.3);
    const r = s.greedy(dag, { refresh: 4, stallLimit: 16 });
    expect(checkSchedule(dag, r).violations).toEqual([]);
    expect(r.cores).toBeLessThan(dag.n);
  });

  it('the small shipped model (the default of egs) loads, is far smaller, and schedules validly', async () => {
    const small = loadEgsPolicyModel(resolveEgsModelPath('small'));
    expect(small.dims.hiddenDim).toBeLessThan(
      loadEgsPolicyModel(resolveEgsModelPath('large')).dims.hiddenDim,
    );
    // Each method's default: small for egs (and loadEgsPolicyModel()), large for egs-search.
    expect(resolveEgsModelPath(undefined)).toBe(SMALL_EGS_MODEL_PATH);
    expect(resolveEgsModelPath('default', 'egs-search')).toBe(LARGE_EGS_MODEL_PATH);
    expect(loadEgsPolicyModel().dims).toEqual(small.dims);
    expect(resolveEgsModelPath('x.json')).toBe('x.json');
    const dag = withSlackDeadline(await readDagFile('examples/dag/stg-50-rand0007.stg'), 0.3);
    const r = new EgsPolicyScheduler(small).greedy(dag);
    expect(checkSchedule(dag, r).violations).toEqual([]);
    expect(r.cores).toBeLessThan(dag.n);
  });

  it('the shipped policy with search is never worse than its sampling on the same seed', () => {
    const s = new EgsPolicyScheduler(loadEgsPolicyModel());
    const rng = new Rng(11);
    const sampler = new DagSampler({ nodes: [10, 16], slack: [0, 0.3] });
    for (let k = 0; k < 4; k++) {
      const dag = sampler.sample(rng);
      const search = s.search(dag, { samples: 4, seed: k });
      const sample = s.sample(dag, 4, k);
      expect(search.cores).toBeLessThanOrEqual(sample.cores);
      expect(checkSchedule(dag, search).violations).toEqual([]);
    }
  });

  it('a deadline below L throws DeadlineInfeasibleError; bad options are named', () => {
    const s = new EgsPolicyScheduler(randomNet(1));
    const dag = new DagSampler({ nodes: [8, 8] }).sample(new Rng(2));
    expect(() => s.greedy(dag, { deadline: 1 })).toThrow(DeadlineInfeasibleError);
    expect(() => s.sample(dag, 0)).toThrow(/samples must be an integer ≥ 1/);
    expect(() => s.greedy(dag, { refresh: 0 })).toThrow(/refresh must be an integer ≥ 1/);
    expect(() => s.search(dag, { beamWidth: 1.5 })).toThrow(/beamWidth/);
  });
});

describe('EGS policy model file', () => {
  it('round-trips through JSON and reports bad files with the file, the item and the rule', async () => {
    const weights: Record<string, Float32Array> = {};
    const rng = new Rng(3);
    for (const p of graphNetParams(DIMS))
      weights[p.name] = Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () =>
        rng.normal(0, 1),
      );
    const json = egsPolicyModelToJson({ dims: DIMS, weights, meta: { note: 'test' } });
    const m = parseEgsPolicyModel(JSON.parse(json), 'x.json');
    expect(m.meta['note']).toBe('test');
    expect(Array.from(m.weights['embed/kernel']!)).toEqual(Array.from(weights['embed/kernel']!));

    const dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-egs-model-'));
    const bad = JSON.parse(json) as Record<string, unknown>;
    delete (bad['weights'] as Record<string, unknown>)['decoder/q/kernel'];
    const f = path.join(dir, 'bad.json');
    await writeFile(f, JSON.stringify(bad));
    expect(() => loadEgsPolicyModel(f)).toThrow(
      /bad\.json: weights\.decoder\/q\/kernel: must be an array of 64 numbers/,
    );
    await writeFile(f, JSON.stringify({ ...JSON.parse(json), format: 'other/1' }));
    expect(() => loadEgsPolicyModel(f)).toThrow(
      /bad\.json: format: must be 'arbiter-egs-graph-policy\/2' or 'arbiter-egs-graph-policy\/1'/,
    );
    await writeFile(f, '{');
    expect(() => loadEgsPolicyModel(f)).toThrow(/bad\.json: not JSON/);
    expect(() => loadEgsPolicyModel(path.join(dir, 'missing.json'))).toThrow(/cannot read EGS model/);
  });
});

describe('EgsPolicyScheduler fast path', () => {
  it('makes the same choices as stepping through the env (same cores; its edges are a prefix)', () => {
    // Both shipped models, with and without the antichain restriction.
    const schedulers = [SMALL_EGS_MODEL_PATH, LARGE_EGS_MODEL_PATH].flatMap((file) =>
      [true, false].map((a) => new EgsPolicyScheduler(loadEgsPolicyModel(file), { antichainOnly: a })),
    );
    fc.assert(
      fc.property(
        arbDag({ minNodes: 2, maxNodes: 14, slack: [0, 0.4] }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: schedulers.length - 1 }),
        (dag, refresh, lookahead, which) => {
          const s = schedulers[which]!;
          // The policy's own choices: no heuristic seed.
          const fast = s.greedy(dag, { refresh, lookahead, heuristicSeed: false });
          const ref = s.greedy(dag, { refresh, lookahead, viaEnv: true, heuristicSeed: false });
          expect(fast.cores).toBe(ref.cores);
          expect(ref.addedEdges.slice(0, fast.addedEdges.length)).toEqual(fast.addedEdges);
          expect(checkSchedule(dag, fast).violations).toEqual([]);
          // A sampled episode draws the same edges from the same seed on both paths (one episode:
          // the fast path may stop earlier at the load bound, which would shift later draws).
          const fs = s.sample(dag, 2, 5, { refresh, heuristicSeed: false });
          const rs = s.sample(dag, 2, 5, { refresh, viaEnv: true, heuristicSeed: false });
          expect(fs.cores).toBe(rs.cores);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('EGS models with the v2 features', () => {
  const V2_DIMS = { ...DIMS, nodeFeatureDim: 14 };

  it('a v2 network makes the same choices on the fast path as through a v2 env, and every answer is valid', () => {
    const schedulers = [true, false].map(
      (a) => new EgsPolicyScheduler(randomGraphNet(7, V2_DIMS), { antichainOnly: a }),
    );
    expect(schedulers[0]!.features).toBe('v2');
    fc.assert(
      fc.property(
        arbDag({ minNodes: 2, maxNodes: 14, slack: [0, 0.4] }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 1 }),
        (dag, refresh, which) => {
          const s = schedulers[which]!;
          const fast = s.greedy(dag, { refresh, heuristicSeed: false });
          const ref = s.greedy(dag, { refresh, viaEnv: true, heuristicSeed: false });
          expect(fast.cores).toBe(ref.cores);
          expect(ref.addedEdges.slice(0, fast.addedEdges.length)).toEqual(fast.addedEdges);
          for (const r of [fast, s.greedy(dag), s.search(dag, { searchTimeS: 0.05, samples: 2 })])
            expect(checkSchedule(dag, r).violations).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('files record their feature set; format /1 files read as v1; a mismatched dimension is refused', () => {
    const rng = new Rng(5);
    const weightsOf = (dims: typeof DIMS): Record<string, Float32Array> =>
      Object.fromEntries(
        graphNetParams(dims).map((p) => [
          p.name,
          Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)),
        ]),
      );
    const v2 = JSON.parse(
      egsPolicyModelToJson({ dims: V2_DIMS, weights: weightsOf(V2_DIMS), meta: {} }),
    ) as Record<string, unknown>;
    expect(v2['format']).toBe('arbiter-egs-graph-policy/2');
    expect(v2['features']).toBe('v2');
    const m = parseEgsPolicyModel(v2);
    expect(m.features).toBe('v2');
    expect(new EgsPolicyScheduler(m).features).toBe('v2');
    expect(() => parseEgsPolicyModel({ ...v2, features: 'v1' }, 'f.json')).toThrow(
      /f\.json: dims\.nodeFeatureDim: must be 6 for feature set v1, got 14/,
    );
    expect(() => parseEgsPolicyModel({ ...v2, features: 'v9' }, 'f.json')).toThrow(
      /f\.json: features: must be one of v1, v2/,
    );
    // Both shipped models are format /2 and record v2 (the large one since `egs-train-large`);
    // a file of format /1 reads as v1 (below).
    const shipped = loadEgsPolicyModel(LARGE_EGS_MODEL_PATH);
    expect(shipped.format).toBe('arbiter-egs-graph-policy/2');
    expect(shipped.features).toBe('v2');
    expect(shipped.dims).toMatchObject({ hiddenDim: 32, numLayers: 2, nodeFeatureDim: 14 });
    expect(new EgsPolicyScheduler(shipped).features).toBe('v2');
    expect(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH).features).toBe('v2');
    const v1 = JSON.parse(egsPolicyModelToJson({ dims: DIMS, weights: weightsOf(DIMS), meta: {} })) as Record<
      string,
      unknown
    >;
    expect(
      parseEgsPolicyModel({ ...v1, format: 'arbiter-egs-graph-policy/1', features: undefined }).features,
    ).toBe('v1');
  });
});
