import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlateau, plateauImprovement } from '../../src/core/learning-plateau.js';

describe('plateau rule', () => {
  const rule = { window: 3, tolerance: 0.01 };

  it('needs 2K evaluations before it can call a curve flat', () => {
    expect(plateauImprovement([1, 1, 1, 1, 1], rule)).toBeUndefined();
    expect(isPlateau([1, 1, 1, 1, 1], rule)).toBe(false);
    expect(isPlateau([1, 1, 1, 1, 1, 1], rule)).toBe(true);
  });

  it('compares the mean of the last K with the mean of the K before, relatively', () => {
    // previous window mean 1.2, last window mean 1.1: (1.2 − 1.1) / 1.2.
    expect(plateauImprovement([9, 1.3, 1.2, 1.1, 1.15, 1.05, 1.1], rule)).toBeCloseTo(0.1 / 1.2, 12);
    expect(isPlateau([1.3, 1.2, 1.1, 1.15, 1.05, 1.1], rule)).toBe(false);
    // 0.5 % better: flat under a 1 % tolerance, not under 0.1 %.
    const c = [1, 1, 1, 0.995, 0.995, 0.995];
    expect(isPlateau(c, rule)).toBe(true);
    expect(isPlateau(c, { window: 3, tolerance: 0.001 })).toBe(false);
  });

  it('a curve getting worse is flat (no improvement)', () => {
    expect(isPlateau([1, 1, 1.2, 1.3], { window: 2, tolerance: 0 })).toBe(true);
  });

  it('is flat exactly when the relative improvement is below the tolerance (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (scores, window, tolerance) => {
          const r = { window, tolerance };
          const d = plateauImprovement(scores, r);
          if (scores.length < 2 * window) return d === undefined && !isPlateau(scores, r);
          const n = scores.length;
          const last = scores.slice(n - window).reduce((a, b) => a + b, 0) / window;
          const prev = scores.slice(n - 2 * window, n - window).reduce((a, b) => a + b, 0) / window;
          expect(d).toBeCloseTo((prev - last) / prev, 9);
          return isPlateau(scores, r) === d! < tolerance;
        },
      ),
    );
  });

  it('rejects a bad window or tolerance', () => {
    expect(() => isPlateau([1, 2], { window: 0, tolerance: 0.01 })).toThrow(/window/);
    expect(() => isPlateau([1, 2], { window: 1, tolerance: -1 })).toThrow(/tolerance/);
  });
});
