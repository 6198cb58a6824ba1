import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearEpsilon } from '../../src/agents/epsilon-schedule.js';

describe('linearEpsilon', () => {
  const s = { initialEps: 1, finalEps: 0.05, fraction: 0.1 };

  it('falls linearly from initialEps to finalEps over fraction × horizon, then stays', () => {
    expect(linearEpsilon(0, 1000, s)).toBe(1);
    expect(linearEpsilon(50, 1000, s)).toBeCloseTo(0.525, 12);
    expect(linearEpsilon(100, 1000, s)).toBe(0.05);
    expect(linearEpsilon(999, 1000, s)).toBe(0.05);
    expect(linearEpsilon(5000, 1000, s)).toBe(0.05);
  });

  it('fraction 0 gives finalEps from the start', () => {
    expect(linearEpsilon(0, 1000, { ...s, fraction: 0 })).toBe(0.05);
  });

  it('property: ε is non-increasing in the step and stays within [finalEps, initialEps]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 2e6 }),
        fc.integer({ min: 0, max: 2e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (horizon, t1, t2, fraction) => {
          const [lo, hi] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const a = linearEpsilon(lo, horizon, { ...s, fraction });
          const b = linearEpsilon(hi, horizon, { ...s, fraction });
          expect(b).toBeLessThanOrEqual(a + 1e-12);
          expect(a).toBeLessThanOrEqual(1);
          expect(b).toBeGreaterThanOrEqual(0.05 - 1e-12);
        },
      ),
    );
  });
});
