import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { SimdMatMul } from '../../src/nn/simd-matmul.js';

describe('SimdMatMul (WebAssembly SIMD matrix product)', () => {
  it('is available on Node 20', () => {
    expect(SimdMatMul.create()).toBeDefined();
  });

  it('C (+)= op(A)·op(B) equals the float64 product for any shape, transposes, offsets; C elsewhere untouched', () => {
    const simd = SimdMatMul.create()!;
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 11 }),
          k: fc.integer({ min: 1, max: 11 }),
          p: fc.integer({ min: 1, max: 11 }),
          aT: fc.boolean(),
          bT: fc.boolean(),
          overwrite: fc.boolean(),
          offsets: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        ({ m, k, p, aT, bT, overwrite, offsets: [ao, bo, co], seed }) => {
          const rng = new Rng(seed);
          const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
          const A = rand(ao + m * k);
          const B = rand(bo + k * p);
          const C = rand(co + m * p + 3);
          const expected = Float64Array.from(C);
          for (let r = 0; r < m; r++)
            for (let j = 0; j < p; j++) {
              let s = overwrite ? 0 : expected[co + r * p + j]!;
              for (let t = 0; t < k; t++) {
                const a = aT ? A[ao + t * m + r]! : A[ao + r * k + t]!;
                const b = bT ? B[bo + j * k + t]! : B[bo + t * p + j]!;
                s += a * b;
              }
              expected[co + r * p + j] = s;
            }
          simd.matMulAdd(A, ao, aT, B, bo, bT, C, co, m, k, p, overwrite);
          for (let i = 0; i < C.length; i++)
            expect(Math.abs(C[i]! - expected[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(expected[i]!)) * k);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows its memory for large operands', () => {
    const simd = SimdMatMul.create()!;
    const n = 300;
    const A = new Float32Array(n * n).fill(1);
    const B = new Float32Array(n * n).fill(0.5);
    const C = new Float32Array(n * n);
    simd.matMulAdd(A, 0, false, B, 0, false, C, 0, n, n, n);
    expect(C[0]).toBe(150);
    expect(C[n * n - 1]).toBe(150);
  });
});
