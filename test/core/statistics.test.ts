import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mean,
  pairedDifference,
  percentDifferences,
  populationStd,
  sampleStd,
  tCritical95,
} from '../../src/core/statistics.js';

const values = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 40 });
const positive = fc.array(fc.double({ min: 1, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 40 });

describe('statistics', () => {
  it('mean sums left to right; an empty list has none (NaN)', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([0.1, 0.2, 0.3])).toBe((0.1 + 0.2 + 0.3) / 3);
    expect(mean([])).toBeNaN();
  });

  it('sample std is the population std scaled by √(n/(n−1)); both are 0 on a constant list', () => {
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    fc.assert(
      fc.property(values, (xs) => {
        const n = xs.length;
        expect(sampleStd(xs)).toBeCloseTo(populationStd(xs) * Math.sqrt(n / (n - 1)), 6);
      }),
    );
    expect(sampleStd([3, 3, 3])).toBe(0);
  });

  it('paired difference: % of the reference per seed, its CI is mean ∓ t·std/√n and holds the mean', () => {
    fc.assert(
      fc.property(positive, positive, (a, b) => {
        const n = Math.min(a.length, b.length);
        const x = a.slice(0, n);
        const ref = b.slice(0, n);
        const d = pairedDifference(x, ref);
        const per = percentDifferences(x, ref);
        expect(d.mean).toBe(mean(per));
        expect(d.std).toBe(sampleStd(per, d.mean));
        const half = (tCritical95(n - 1) * d.std) / Math.sqrt(n);
        expect(d.ci95[0]).toBeCloseTo(d.mean - half, 9);
        expect(d.ci95[1]).toBeCloseTo(d.mean + half, 9);
        expect(d.ci95[0]).toBeLessThanOrEqual(d.mean);
        expect(d.ci95[1]).toBeGreaterThanOrEqual(d.mean);
        if (d.std > 0) expect(d.significant).toBe(Math.abs(d.t) > tCritical95(n - 1));
      }),
    );
  });

  it('paired difference of a policy 10 % slower on every seed: +10 %, no spread', () => {
    const d = pairedDifference([11, 22, 33], [10, 20, 30]);
    expect(d.mean).toBeCloseTo(10, 12);
    expect(d.std).toBeLessThan(1e-12);
    expect(pairedDifference([1, 2], [1, 2])).toMatchObject({ mean: 0, std: 0, significant: false });
  });

  it('Student critical values fall with the degrees of freedom towards 1.96', () => {
    for (let df = 1; df < 200; df++) {
      expect(tCritical95(df + 1)).toBeLessThan(tCritical95(df));
      expect(tCritical95(df)).toBeGreaterThan(1.96);
    }
  });
});
