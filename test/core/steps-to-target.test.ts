import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepsToReach } from '../../src/core/steps-to-target.js';

describe('stepsToReach', () => {
  it('is the steps of the first point at or below the target', () => {
    const pts = [
      { steps: 100, value: 12 },
      { steps: 200, value: 10 },
      { steps: 300, value: 9 },
      { steps: 400, value: 11 },
    ];
    expect(stepsToReach(pts, 10)).toBe(200);
    expect(stepsToReach(pts, 9.5)).toBe(300);
    expect(stepsToReach(pts, 13)).toBe(100);
    expect(stepsToReach(pts, 8)).toBeUndefined();
    expect(stepsToReach([], 8)).toBeUndefined();
  });

  it('every earlier point is above the target (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true })),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (values, target) => {
          const pts = values.map((value, i) => ({ steps: 10 * (i + 1), value }));
          const s = stepsToReach(pts, target);
          const i = pts.findIndex((p) => p.steps === s);
          if (s === undefined) return values.every((v) => v > target);
          return pts[i]!.value <= target && pts.slice(0, i).every((p) => p.value > target);
        },
      ),
    );
  });
});
