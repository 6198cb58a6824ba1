import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../src/core/errors.js';
import { RunningMeanStd } from '../../src/core/running-mean-std.js';

function twoPass(rows: number[][], dim: number): { mean: number[]; var: number[] } {
  const mean = Array.from({ length: dim }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const variance = Array.from(
    { length: dim },
    (_, j) => rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length,
  );
  return { mean, var: variance };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));

describe('RunningMeanStd', () => {
  it('invariant: batched updates (any split) equal the two-pass mean and population variance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((dim) =>
          fc.tuple(
            fc.constant(dim),
            fc.array(
              fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: dim, maxLength: dim }),
              {
                minLength: 1,
                maxLength: 40,
              },
            ),
            fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
          ),
        ),
        ([dim, rows, sizes]) => {
          const rms = new RunningMeanStd(dim, 0);
          let i = 0;
          let k = 0;
          while (i < rows.length) {
            const size = Math.min(sizes[k++ % sizes.length]!, rows.length - i);
            const batch = new Float64Array(rows.slice(i, i + size).flat());
            if (size === 1 && k % 2 === 0) rms.update(batch, 1);
            else rms.update(batch);
            i += size;
          }
          const ref = twoPass(rows, dim);
          expect(rms.count).toBe(rows.length);
          for (let j = 0; j < dim; j++) {
            expect(close(rms.mean[j]!, ref.mean[j]!)).toBe(true);
            expect(Math.abs(rms.var[j]! - ref.var[j]!)).toBeLessThanOrEqual(1e-7 * (1 + ref.var[j]!));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merge of two statistics equals one statistic over the concatenation', () => {
    const a = new RunningMeanStd(2, 0);
    const b = new RunningMeanStd(2, 0);
    const all = new RunningMeanStd(2, 0);
    const xs = [1, 2, 3, 5, -1, 4, 10, 0];
    const ys = [7, 7, 8, 9];
    a.update(xs);
    b.update(ys);
    all.update([...xs, ...ys]);
    a.merge(b);
    expect(a.count).toBe(6);
    for (let j = 0; j < 2; j++) {
      expect(a.mean[j]).toBeCloseTo(all.mean[j]!, 12);
      expect(a.var[j]).toBeCloseTo(all.var[j]!, 12);
    }
  });

  it('starts from the Gymnasium prior (mean 0, var 1, count 1e-4)', () => {
    const r = new RunningMeanStd(1);
    r.updateScalar(2);
    const total = 1 + 1e-4;
    expect(r.mean[0]).toBeCloseTo(2 / total, 12);
    expect(r.var[0]).toBeCloseTo((1e-4 + (4 * 1e-4) / total) / total, 12);
    expect(r.std(0, 1e-8)).toBeCloseTo(Math.sqrt(r.var[0]! + 1e-8), 15);
  });

  it('state survives a JSON round trip exactly; a wrong shape is rejected', () => {
    const r = new RunningMeanStd(3);
    r.update([0.1, 0.2, 0.3, 1 / 3, Math.PI, -7e-9]);
    const restored = new RunningMeanStd(3);
    restored.setState(JSON.parse(JSON.stringify(r.getState())));
    expect(Array.from(restored.mean)).toEqual(Array.from(r.mean));
    expect(Array.from(restored.var)).toEqual(Array.from(r.var));
    expect(restored.count).toBe(r.count);
    expect(() => new RunningMeanStd(2).setState(r.getState())).toThrow(ArbiterError);
    expect(() => r.update([1, 2])).toThrow(RangeError);
  });
});
