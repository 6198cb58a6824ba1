import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../src/core/check-env.js';
import { Rng } from '../../../src/core/rng.js';
import { GraphSpace, type GraphObservation } from '../../../src/core/spaces.js';
import { SyncVectorEnv } from '../../../src/core/vector/sync-vector-env.js';
import {
  PadGraphObservation,
  padGraphInto,
  paddedGraphLayout,
  unpackPaddedGraph,
} from '../../../src/core/wrappers/pad-graph-observation.js';
import { EgsEnv } from '../../../src/envs/egs/egs-env.js';

describe('paddedGraphLayout', () => {
  it('has the documented offsets and size', () => {
    const l = paddedGraphLayout(5, 6, 4);
    expect(l.featuresOffset).toBe(1);
    expect(l.relationsOffset).toBe(31);
    expect(l.size).toBe(1 + 30 + 100);
  });
  it('rejects bad sizes', () => {
    expect(() => paddedGraphLayout(0, 6, 4)).toThrow(/maxNodes/);
    expect(() => paddedGraphLayout(3, 1.5, 4)).toThrow(/nodeFeatureDim/);
  });
});

describe('padGraphInto / unpackPaddedGraph', () => {
  it('round-trips every feature and relation, padding is zero (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e6 }), (N, seed) => {
        const space = new GraphSpace(3, 2, N);
        const g = space.sample(new Rng(seed));
        const layout = paddedGraphLayout(N, 3, 2);
        const flat = new Float32Array(layout.size * 2).fill(7); // stale values must be overwritten
        padGraphInto(g, layout, flat, layout.size);
        const v = unpackPaddedGraph(flat, layout, layout.size);
        const n = g.numNodes;
        expect(v.numNodes).toBe(n);
        for (let i = 0; i < N; i++)
          for (let f = 0; f < 3; f++)
            expect(v.nodeFeatures[i * 3 + f]).toBe(i < n ? g.nodeFeatures[i * 3 + f] : 0);
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++)
            for (let k = 0; k < 2; k++)
              expect(v.relations[(i * N + j) * 2 + k]).toBe(
                i < n && j < n ? g.relations[(i * n + j) * 2 + k] : 0,
              );
        // Views alias the flat array.
        v.nodeFeatures[0] = 42;
        expect(flat[layout.size + 1]).toBe(42);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects too many nodes and a bad node count', () => {
    const layout = paddedGraphLayout(2, 1, 1);
    const g: GraphObservation = {
      numNodes: 3,
      nodeFeatures: new Float32Array(3),
      relations: new Uint8Array(9),
    };
    expect(() => padGraphInto(g, layout, new Float32Array(layout.size))).toThrow(/at most 2/);
    const flat = new Float32Array(layout.size);
    expect(() => unpackPaddedGraph(flat, layout)).toThrow(/node count 0/);
  });
});

describe('PadGraphObservation', () => {
  it('turns EGS-v0 into a Box env that passes checkEnv and keeps the masks', () => {
    const env = new PadGraphObservation(new EgsEnv({ maxNodes: 12, sampler: { nodes: [6, 12] } }));
    expect(env.observationSpace.kind).toBe('box');
    expect(env.observationSpace.size).toBe(1 + 12 * 6 + 144 * 4);
    checkEnv(env);
    const r = env.reset({ seed: 3 });
    const v = unpackPaddedGraph(r.obs, env.layout);
    const inner = env.unwrapped as EgsEnv;
    expect(v.numNodes).toBe(inner.state.dag.n);
    expect(r.info.actionMask).toBe(inner.actionMasks());
    expect(env.actionMasks!()).toBe(inner.actionMasks());
    expect(env.observationSpace.contains(r.obs)).toBe(true);
  });

  it('feeds a SyncVectorEnv (flat rows of the padded size)', () => {
    const vec = new SyncVectorEnv(
      [0, 1].map(
        () => () => new PadGraphObservation(new EgsEnv({ maxNodes: 10, sampler: { nodes: [5, 10] } })),
      ),
    );
    const r = vec.resetSync(1);
    expect(vec.obsDim).toBe(1 + 10 * 6 + 100 * 4);
    expect(r.obs.length).toBe(2 * vec.obsDim);
    expect(r.actionMasks!.length).toBe(2 * 100);
  });

  it('rejects a non-graph env', () => {
    const fake = { observationSpace: { kind: 'box' } } as never;
    expect(() => new PadGraphObservation(fake)).toThrow(/Graph observation space/);
  });
});
