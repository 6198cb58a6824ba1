import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastExp, fastTanh } from '../../src/core/fast-math.js';

describe('fastExp / fastTanh', () => {
  it('fastExp is within 1e-11 relative of Math.exp on the normal range', () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        const e = Math.exp(x);
        expect(Math.abs(fastExp(x) - e)).toBeLessThanOrEqual(1e-11 * e);
      }),
      { numRuns: 2000, seed: 7 },
    );
    expect(fastExp(0)).toBe(1);
  });

  it('fastExp: 0 below −708, Infinity above 709, NaN stays NaN', () => {
    expect(fastExp(-709)).toBe(0);
    expect(fastExp(-Infinity)).toBe(0);
    expect(fastExp(710)).toBe(Infinity);
    expect(Number.isNaN(fastExp(NaN))).toBe(true);
  });

  it('fastTanh is within 5e-12 of Math.tanh over the whole line', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        expect(Math.abs(fastTanh(x) - Math.tanh(x))).toBeLessThanOrEqual(5e-12);
      }),
      { numRuns: 2000, seed: 8 },
    );
    expect(fastTanh(40)).toBe(1);
    expect(fastTanh(-40)).toBe(-1);
  });
});
