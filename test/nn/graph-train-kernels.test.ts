import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { wasmSimdAvailable } from '../../src/nn/dense-forward-wasm.js';
import { createGraphTrainKernels, type GraphTrainKernels } from '../../src/nn/graph-train-kernels.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Distance in Float32 steps between two finite floats of the same sign (0 when equal). */
function ulps(a: number, b: number): number {
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  return Math.abs(i[0]! - i[1]!);
}

/** Both kernel sets on heaps filled with the same random values. */
function pair(floats: number, rng: Rng): [GraphTrainKernels, GraphTrainKernels] {
  const w = createGraphTrainKernels(true);
  const j = createGraphTrainKernels(false);
  w.reserve(floats);
  j.reserve(floats);
  for (let i = 0; i < floats; i++) {
    const v = rng.random() * 2 - 1;
    w.heap[i] = v;
    j.heap[i] = v;
  }
  return [w, j];
}

/** Worst |x − y| / (1 + |y|) over [from, from + count) of two heaps. */
function worst(a: Float32Array, b: Float32Array, from: number, count: number): number {
  let m = 0;
  for (let i = from; i < from + count; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return m;
}

describe.runIf(wasmSimdAvailable())('graph trainer kernels: WebAssembly SIMD', () => {
  it('loads the WebAssembly kernels where SIMD validates, the JavaScript ones when asked', () => {
    expect(createGraphTrainKernels(true).simd).toBe(true);
    expect(createGraphTrainKernels(false).simd).toBe(false);
  });

  it('exp is within 2 Float32 steps of Math.exp on [−87, 88], exactly 0 below −87.33, NaN stays NaN', () => {
    const k = createGraphTrainKernels(true);
    const count = 1 << 18;
    k.reserve(16 + count + 8);
    let worstUlps = 0;
    for (const [lo, hi] of [
      [-87, 88],
      [-1, 1],
      [-1e-3, 1e-3],
      [-87.3, -80],
    ] as const) {
      const x = Float32Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / count);
      k.heap.set(x, 16);
      k.exp(16, count);
      for (let i = 0; i < count; i++) worstUlps = Math.max(worstUlps, ulps(k.heap[16 + i]!, Math.exp(x[i]!)));
    }
    expect(worstUlps).toBeLessThanOrEqual(2);
    k.heap.set([0, -87.5, -1000, -Infinity, NaN], 16);
    k.exp(16, 5);
    expect(Array.from(k.heap.subarray(16, 20))).toEqual([1, 0, 0, 0]);
    expect(k.heap[20]).toBeNaN();
  });

  it('mm (strides, transposed A, init, bias, alpha, relu) matches the JavaScript kernel and a float64 product', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 13 }),
          k: fc.integer({ min: 0, max: 11 }),
          p: fc.integer({ min: 1, max: 23 }),
          transA: fc.boolean(),
          padB: fc.integer({ min: 0, max: 5 }),
          padC: fc.integer({ min: 0, max: 5 }),
          init: fc.constantFrom('none', 'self', 'row'),
          bias: fc.boolean(),
          alpha: fc.constantFrom(1, 0.5, -0.25),
          relu: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        (c) => {
          const rng = new Rng(c.seed);
          const [w, j] = pair(4096, rng);
          const a = 16;
          const b = 1024;
          const cc = 2048;
          const bias = 3500;
          const ldb = c.p + c.padB;
          const ldc = c.p + c.padC;
          const aRow = c.transA ? 1 : c.k;
          const aCol = c.transA ? c.m : 1;
          const init = c.init === 'none' ? 0 : c.init === 'self' ? cc : 3000;
          const initRow = c.init === 'row' ? 0 : ldc;
          // The float64 reference from the heap as it is before the product.
          const h = Float64Array.from(j.heap);
          const before = Float32Array.from(w.heap);
          for (const k of [w, j])
            k.mm(
              a,
              b,
              cc,
              c.m,
              c.k,
              c.p,
              aRow,
              aCol,
              ldb,
              ldc,
              init,
              initRow,
              c.bias ? bias : 0,
              c.alpha,
              c.relu,
            );
          for (let r = 0; r < c.m; r++)
            for (let q = 0; q < ldc; q++) {
              const at = cc + r * ldc + q;
              if (q >= c.p) {
                // Outside the p columns nothing is written.
                expect(w.heap[at]).toBe(before[at]);
                expect(j.heap[at]).toBe(before[at]);
                continue;
              }
              let s = 0;
              for (let t = 0; t < c.k; t++) s += h[a + r * aRow + t * aCol]! * h[b + t * ldb + q]!;
              let v = c.alpha * s + (init ? h[init + r * initRow + q]! : 0) + (c.bias ? h[bias + q]! : 0);
              if (c.relu && v < 0) v = 0;
              expect(Math.abs(w.heap[at]! - v)).toBeLessThan(1e-5 * (1 + Math.abs(v)) * (1 + c.k));
              expect(Math.abs(j.heap[at]! - v)).toBeLessThan(1e-5 * (1 + Math.abs(v)) * (1 + c.k));
            }
          // Nothing before the first row or after the last one changed.
          expect(worst(w.heap, before, 0, cc)).toBe(0);
          expect(worst(w.heap, before, cc + c.m * ldc, 4096 - cc - c.m * ldc)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('softmaxRows, softmaxBack, dot, transpose, reluBack and the layer norms match the JavaScript kernels', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 19 }),
          rows: fc.integer({ min: 1, max: 7 }),
          d: fc.integer({ min: 1, max: 12 }),
          scale: fc.constantFrom(1, 8, 40),
          accumulate: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        ({ n, rows, d, scale, accumulate, seed }) => {
          const rng = new Rng(seed);
          const [w, j] = pair(9000, rng);
          const s = 16;
          const scores = Float32Array.from(w.heap.subarray(s, s + rows * n), (v) => v * scale);
          for (const k of [w, j]) k.heap.set(scores, s);
          for (const k of [w, j]) k.softmaxRows(s, n, rows);
          expect(worst(w.heap, j.heap, s, rows * n)).toBeLessThan(3e-7);
          for (let r = 0; r < rows; r++) {
            let sum = 0;
            for (let i = 0; i < n; i++) sum += w.heap[s + r * n + i]!;
            expect(Math.abs(sum - 1)).toBeLessThan(1e-6 * (1 + n));
          }
          for (const k of [w, j]) k.softmaxBack(s, 1024, n, rows);
          expect(worst(w.heap, j.heap, 1024, rows * n)).toBeLessThan(1e-6);
          const dw = w.dot(2048, 3072, rows * n * 7);
          expect(Math.abs(dw - j.dot(2048, 3072, rows * n * 7))).toBeLessThan(1e-5 * (1 + rows * n));
          for (const k of [w, j]) k.transpose(2048, 4096, rows, d, d + 3, rows + 1);
          expect(worst(w.heap, j.heap, 4096, d * (rows + 1))).toBe(0);
          for (let c = 0; c < d; c++)
            for (let r = 0; r < rows; r++)
              expect(w.heap[4096 + c * (rows + 1) + r]).toBe(w.heap[2048 + r * (d + 3) + c]);
          // Relation planes out of padded rows (N = n + 2 pairs per row), then the 0/1 check.
          const N = n + 2;
          for (const k of [w, j]) k.relPlanes(2048, 4096, Math.min(n, 6), N, d, 40);
          expect(worst(w.heap, j.heap, 4096, 40 * d)).toBe(0);
          for (const k of [w, j]) {
            k.heap.fill(1, 5000, 5000 + rows * n);
            k.heap.fill(0, 5000, 5000 + Math.floor((rows * n) / 2));
            expect(k.check01(5000, rows * n)).toBe(-1);
            k.heap[5000 + rows * n - 1] = 0.5;
            expect(k.check01(5000, rows * n)).toBe(rows * n - 1);
            k.heap[5000] = -1;
            expect(k.check01(5000, rows * n)).toBe(0);
          }
          for (const k of [w, j]) k.reluBack(5000, 5200, rows * d);
          expect(worst(w.heap, j.heap, 5000, rows * d)).toBe(0);
          const D = 4 * d;
          // x, gamma, beta, y, x̂, 1/σ; then dY, ∂gamma, ∂beta, dX (rows·D ≤ 336 floats each).
          for (const k of [w, j]) k.layerNorm(6000, 6400, 6500, 6600, 7000, 7400, rows, D);
          expect(worst(w.heap, j.heap, 6600, rows * D)).toBeLessThan(2e-6);
          expect(worst(w.heap, j.heap, 7000, rows * D)).toBeLessThan(2e-6);
          expect(worst(w.heap, j.heap, 7400, rows)).toBeLessThan(2e-6);
          for (const k of [w, j])
            k.layerNormBack(7500, 6400, 7000, 7400, 7900, 7960, 8100, rows, D, accumulate);
          expect(worst(w.heap, j.heap, 8100, rows * D)).toBeLessThan(1e-5);
          expect(worst(w.heap, j.heap, 7900, 2 * D)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe.runIf(wasmSimdAvailable())('graph trainer kernels: the pair decoder', () => {
  it('pairSoftmax, pairNormalize and pairSoftmaxBack match the JavaScript kernels', () => {
    fc.assert(
      fc.property(
        fc.record({
          count: fc.integer({ min: 1, max: 70 }),
          clip: fc.constantFrom(0, 2.5, 10),
          scale: fc.constantFrom(1, 5),
          density: fc.constantFrom(0.1, 0.5, 1),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        ({ count, clip, scale, density, seed }) => {
          const rng = new Rng(seed);
          const [w, j] = pair(2048, rng);
          const mask = Float32Array.from({ length: count }, () => (rng.random() < density ? 1 : 0));
          mask[rng.int(count)] = 1;
          const scores = Float32Array.from({ length: count }, () => (rng.random() * 2 - 1) * scale);
          for (const k of [w, j]) {
            k.heap.set(scores, 16);
            k.heap.set(mask, 200);
            k.pairSoftmax(16, 200, 400, count, clip, 600);
          }
          expect(worst(w.heap, j.heap, 16, count)).toBeLessThan(1e-6);
          expect(worst(w.heap, j.heap, 400, count)).toBeLessThan(1e-6);
          expect(Math.abs(w.heap[600]! - j.heap[600]!)).toBeLessThan(1e-6 * (1 + Math.abs(j.heap[600]!)));
          expect(Math.abs(w.heap[601]! - j.heap[601]!)).toBeLessThan(1e-6 * (1 + count));
          for (let i = 0; i < count; i++) if (!mask[i]) expect(w.heap[400 + i]).toBe(0);
          const inv = 1 / j.heap[601]!;
          for (const k of [w, j]) k.pairNormalize(400, 16, count, inv, 602);
          expect(worst(w.heap, j.heap, 400, count)).toBeLessThan(1e-6);
          expect(Math.abs(w.heap[602]! - j.heap[602]!)).toBeLessThan(1e-5 * (1 + scale));
          for (const k of [w, j]) k.pairSoftmaxBack(400, 16, 800, count, 0.7, -0.3, 0.25, clip);
          expect(worst(w.heap, j.heap, 800, count)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('graph trainer kernels: fallback', () => {
  it('uses the JavaScript kernels where WebAssembly SIMD does not validate', () => {
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    vi.spyOn(wasm, 'validate').mockReturnValue(false);
    const k = createGraphTrainKernels(true);
    expect(k.simd).toBe(false);
    k.reserve(64);
    k.heap.set([1, 2, 3, 4, 5, 6], 16);
    // [1 2; 3 4] · [5; 6] = [17; 39]
    k.mm(16, 20, 30, 2, 2, 1, 2, 1, 1, 1, 0, 0, 0, 1, false);
    expect(Array.from(k.heap.subarray(30, 32))).toEqual([17, 39]);
  });
});
