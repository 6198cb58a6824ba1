/**
 * The WebAssembly kernels of the graph network's rollout forward pass compute exactly what the
 * JavaScript loops compute: encoder outputs, pair logits and values are bit-identical (compared
 * with Object.is, so −0 and NaN count) over random sizes, weights and graphs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { wasmSimdAvailable } from '../../src/nn/dense-forward-wasm.js';
import { GraphNetF32, type GraphNetDims } from '../../src/nn/graph-net-f32.js';
import { randomGraphNetWeights } from '../helpers/graph-net-random-weights.js';

const simd = wasmSimdAvailable();

function randomGraph(dims: GraphNetDims, n: number, rng: Rng): { codes: Uint8Array; features: Float32Array } {
  return {
    features: Float32Array.from({ length: n * dims.nodeFeatureDim }, () => 2 * rng.normal()),
    codes: Uint8Array.from({ length: n * n }, () => rng.int(1 << dims.relationDim)),
  };
}

/** Every output of both nets on one graph; the first difference, or undefined. */
function firstDifference(
  js: GraphNetF32,
  wasm: GraphNetF32,
  n: number,
  g: ReturnType<typeof randomGraph>,
): string | undefined {
  const d = js.dims.hiddenDim;
  const input = { numNodes: n, nodeFeatures: g.features, relationCodes: g.codes };
  const z1 = js.encode(input).slice(0, n * d);
  const z2 = wasm.encode(input).slice(0, n * d);
  for (let t = 0; t < n * d; t++) if (!Object.is(z1[t], z2[t])) return `z[${t}]: ${z1[t]} vs ${z2[t]}`;
  const l1 = new Float32Array(n * n);
  const l2 = new Float32Array(n * n);
  js.pairLogits(n, l1, n);
  wasm.pairLogits(n, l2, n);
  for (let t = 0; t < n * n; t++) if (!Object.is(l1[t], l2[t])) return `logit[${t}]: ${l1[t]} vs ${l2[t]}`;
  const v1 = js.value(n);
  const v2 = wasm.value(n);
  return Object.is(v1, v2) ? undefined : `value: ${v1} vs ${v2}`;
}

const dimsArb = fc
  .record({
    nodeFeatureDim: fc.integer({ min: 1, max: 9 }),
    relationDim: fc.integer({ min: 1, max: 5 }),
    // 2, 4, 8 and 16 run the fixed-size attention kernels, the others the generic one.
    headSize: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(16)),
    numHeads: fc.integer({ min: 1, max: 4 }),
    numLayers: fc.integer({ min: 0, max: 3 }),
    ffnHalf: fc.integer({ min: 1, max: 20 }),
    valueHiddenDim: fc.integer({ min: 1, max: 12 }),
    logitClip: fc.constantFrom(0, 10),
  })
  .filter((r) => (r.headSize * r.numHeads) % 2 === 0)
  .map((r): GraphNetDims => ({
    nodeFeatureDim: r.nodeFeatureDim,
    relationDim: r.relationDim,
    hiddenDim: r.headSize * r.numHeads,
    numHeads: r.numHeads,
    numLayers: r.numLayers,
    ffnDim: 2 * r.ffnHalf,
    valueHiddenDim: r.valueHiddenDim,
    logitClip: r.logitClip,
  }));

describe.skipIf(!simd)('GraphNetF32 on the WebAssembly kernels', () => {
  it('runs them where SIMD is available, and not when told to use JavaScript', () => {
    const dims = {
      nodeFeatureDim: 6,
      relationDim: 4,
      hiddenDim: 32,
      numHeads: 4,
      numLayers: 2,
      ffnDim: 64,
      valueHiddenDim: 64,
      logitClip: 10,
    };
    const w = randomGraphNetWeights(dims, new Rng(1), 0.5);
    expect(new GraphNetF32(dims, w).usesWasm).toBe(true);
    expect(new GraphNetF32(dims, w, 'js').usesWasm).toBe(false);
    // Odd widths do not fit the paired kernels: the JavaScript loops run them.
    expect(
      new GraphNetF32(
        { ...dims, hiddenDim: 9, numHeads: 3 },
        randomGraphNetWeights({ ...dims, hiddenDim: 9, numHeads: 3 }, new Rng(1), 0.5),
      ).usesWasm,
    ).toBe(false);
  });

  it('property: encoder outputs, pair logits and values are bit-identical to the JavaScript loops', () => {
    fc.assert(
      fc.property(
        dimsArb,
        fc.integer({ min: 0, max: 1e9 }),
        fc.constantFrom(0.3, 1, 3),
        (dims, seed, scale) => {
          const rng = new Rng(seed);
          const w = randomGraphNetWeights(dims, rng, scale);
          const js = new GraphNetF32(dims, w, 'js');
          const wasm = new GraphNetF32(dims, w);
          expect(wasm.usesWasm).toBe(true);
          // Growing and shrinking graphs: buffers grow, the weights survive.
          for (const n of [1 + rng.int(6), 7 + rng.int(30), 1 + rng.int(3), 2 + rng.int(40)])
            expect(firstDifference(js, wasm, n, randomGraph(dims, n, rng))).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stays bit-identical with attention logits spread far enough to underflow e^x (x < −708)', () => {
    const dims = {
      nodeFeatureDim: 6,
      relationDim: 4,
      hiddenDim: 8,
      numHeads: 2,
      numLayers: 2,
      ffnDim: 16,
      valueHiddenDim: 8,
      logitClip: 0,
    };
    const rng = new Rng(3);
    const w = randomGraphNetWeights(dims, rng, 1);
    for (let l = 0; l < 2; l++)
      w[`layer${l}/attn/relation_bias`] = Float32Array.from({ length: 8 }, () => 2000 * rng.normal());
    const js = new GraphNetF32(dims, w, 'js');
    const wasm = new GraphNetF32(dims, w);
    for (const n of [5, 17, 33])
      expect(firstDifference(js, wasm, n, randomGraph(dims, n, rng))).toBeUndefined();
  });

  it('follows setWeights and setWeight like the JavaScript loops', () => {
    const dims = {
      nodeFeatureDim: 6,
      relationDim: 4,
      hiddenDim: 16,
      numHeads: 4,
      numLayers: 1,
      ffnDim: 32,
      valueHiddenDim: 8,
      logitClip: 10,
    };
    const rng = new Rng(4);
    const js = new GraphNetF32(dims, randomGraphNetWeights(dims, rng, 0.5), 'js');
    const wasm = new GraphNetF32(dims, randomGraphNetWeights(dims, rng, 0.5));
    const w = randomGraphNetWeights(dims, rng, 0.7);
    js.setWeights(w);
    wasm.setWeights(w);
    const g = randomGraph(dims, 11, rng);
    expect(firstDifference(js, wasm, 11, g)).toBeUndefined();
    for (const name of ['layer0/attn/q/kernel', 'layer0/attn/relation_bias', 'decoder/k/bias']) {
      const a = Float32Array.from(w[name]!, () => rng.normal());
      js.setWeight(name, a);
      wasm.setWeight(name, a);
      expect(firstDifference(js, wasm, 11, g)).toBeUndefined();
    }
    // A kernel change that the WebAssembly copy did not see would show here.
    const before = wasm.encode({ numNodes: 11, nodeFeatures: g.features, relationCodes: g.codes }).slice();
    wasm.setWeight(
      'embed/kernel',
      Float32Array.from(w['embed/kernel']!, (x) => x + 1),
    );
    const after = wasm.encode({ numNodes: 11, nodeFeatures: g.features, relationCodes: g.codes });
    expect(after.some((x, i) => x !== before[i])).toBe(true);
  });
});

describe('GraphNetF32 relation coding', () => {
  it('codes 0/1 relations (K = 4 fast path and other K alike) and names the first other value', () => {
    for (const K of [4, 3]) {
      const dims = {
        nodeFeatureDim: 2,
        relationDim: K,
        hiddenDim: 4,
        numHeads: 2,
        numLayers: 1,
        ffnDim: 4,
        valueHiddenDim: 2,
        logitClip: 0,
      };
      const rng = new Rng(K);
      const net = new GraphNetF32(dims, randomGraphNetWeights(dims, rng, 1));
      const n = 3;
      const stride = 5;
      const relations = new Float32Array(n * stride * K);
      const codes = new Uint8Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const c = rng.int(1 << K);
          codes[i * n + j] = c;
          for (let b = 0; b < K; b++) relations[(i * stride + j) * K + b] = (c >>> b) & 1;
        }
      const nodeFeatures = Float32Array.from({ length: n * 2 }, () => rng.normal());
      const fromRelations = net
        .encode({ numNodes: n, nodeFeatures, relations, relStride: stride })
        .slice(0, n * 4);
      const fromCodes = net.encode({ numNodes: n, nodeFeatures, relationCodes: codes }).slice(0, n * 4);
      expect(Array.from(fromRelations)).toEqual(Array.from(fromCodes));
      relations[(2 * stride + 1) * K + 1] = 0.5;
      expect(() => net.encode({ numNodes: n, nodeFeatures, relations, relStride: stride })).toThrow(
        /relation \(2, 1\) channel 1 is 0\.5, expected 0 or 1/,
      );
    }
  });
});
