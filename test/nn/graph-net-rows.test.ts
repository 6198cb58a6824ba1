/**
 * GraphNetF32's partial encode (`encode(g, rows)`: the last layer on some rows only) gives the
 * listed rows exactly the embeddings and pair logits of a full pass (compared with Object.is), on
 * the WebAssembly kernels and on the JavaScript loops, and refuses what would read a stale row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { GraphNetF32, type GraphNetDims } from '../../src/nn/graph-net-f32.js';
import { randomGraphNetWeights } from '../helpers/graph-net-random-weights.js';

const dimsArb = fc
  .record({
    nodeFeatureDim: fc.integer({ min: 1, max: 9 }),
    relationDim: fc.integer({ min: 1, max: 5 }),
    headSize: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(16)),
    numHeads: fc.integer({ min: 1, max: 4 }),
    numLayers: fc.integer({ min: 0, max: 3 }),
    ffnHalf: fc.integer({ min: 1, max: 12 }),
    logitClip: fc.constantFrom(0, 10),
  })
  .map((r): GraphNetDims => ({
    nodeFeatureDim: r.nodeFeatureDim,
    relationDim: r.relationDim,
    hiddenDim: r.headSize * r.numHeads,
    numHeads: r.numHeads,
    numLayers: r.numLayers,
    ffnDim: 2 * r.ffnHalf,
    valueHiddenDim: 4,
    logitClip: r.logitClip,
  }));

// Distinct rows of 0 … n − 1 in a random order (at least one).
function randomRows(n: number, rng: Rng): Int32Array {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return Int32Array.from(all.slice(0, 1 + rng.int(n)));
}

describe('GraphNetF32 partial encode (the last layer on listed rows)', () => {
  it('property: the listed rows get the full pass’s embeddings and logits, bit for bit (both kernels)', () => {
    fc.assert(
      fc.property(dimsArb, fc.integer({ min: 0, max: 1e9 }), (dims, seed) => {
        const rng = new Rng(seed);
        const w = randomGraphNetWeights(dims, rng, 1);
        const nets = [new GraphNetF32(dims, w), new GraphNetF32(dims, w, 'js')];
        const d = dims.hiddenDim;
        for (const n of [1 + rng.int(5), 5 + rng.int(40), 2 + rng.int(10)]) {
          const g = {
            numNodes: n,
            nodeFeatures: Float32Array.from({ length: n * dims.nodeFeatureDim }, () => 2 * rng.normal()),
            relationCodes: Uint8Array.from({ length: n * n }, () => rng.int(1 << dims.relationDim)),
          };
          const rows = randomRows(n, rng);
          // An action list over the rows, stride N > n as the scheduler's.
          const N = n + 3;
          const actions: number[] = [];
          for (const i of rows) for (const j of rows) if (rng.random() < 0.7) actions.push(i * N + j);
          for (const net of nets) {
            const full = net.encode(g).slice(0, n * d);
            const want = new Float32Array(N * N);
            net.pairLogitsAt(n, actions, N, want);
            const z = net.encode(g, rows, rows.length);
            for (const r of rows)
              for (let t = 0; t < d; t++) expect(Object.is(z[r * d + t], full[r * d + t])).toBe(true);
            const got = new Float32Array(N * N);
            net.pairLogitsAt(n, actions, N, got);
            for (const a of actions) expect(Object.is(got[a], want[a])).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses pairs outside the listed rows, pairLogits and value after a partial encode; a full encode clears it', () => {
    const dims: GraphNetDims = {
      nodeFeatureDim: 3,
      relationDim: 4,
      hiddenDim: 8,
      numHeads: 2,
      numLayers: 1,
      ffnDim: 8,
      valueHiddenDim: 4,
      logitClip: 10,
    };
    for (const kernel of ['auto', 'js'] as const) {
      const rng = new Rng(5);
      const net = new GraphNetF32(dims, randomGraphNetWeights(dims, rng, 1), kernel);
      const n = 6;
      const g = {
        numNodes: n,
        nodeFeatures: Float32Array.from({ length: n * 3 }, () => rng.normal()),
        relationCodes: Uint8Array.from({ length: n * n }, () => rng.int(16)),
      };
      const out = new Float32Array(n * n);
      net.encode(g, Int32Array.of(1, 4), 2);
      expect(() => net.pairLogitsAt(n, [1 * n + 4, 4 * n + 1], n, out)).not.toThrow();
      expect(() => net.pairLogitsAt(n, [1 * n + 2], n, out)).toThrow(/did not compute/);
      expect(() => net.pairLogits(n, out, n)).toThrow(/some rows only/);
      expect(() => net.value(n)).toThrow(/some rows only/);
      expect(() => net.encode(g, Int32Array.of(2, 2), 2)).toThrow(/repeated/);
      expect(() => net.encode(g, Int32Array.of(0, 6), 2)).toThrow(/out of range/);
      net.encode(g, Int32Array.of(3), 1);
      expect(() => net.pairLogitsAt(n, [1 * n + 4], n, out)).toThrow(/did not compute/);
      net.encode(g);
      expect(() => net.pairLogits(n, out, n)).not.toThrow();
      expect(Number.isFinite(net.value(n))).toBe(true);
    }
  });
});
