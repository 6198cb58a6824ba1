import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { deadlineBySlack, withSlackDeadline } from '../../../src/dag/generate/deadline.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

/** Four independent nodes of WCET 3 and one of 1: L = 3, vol = 13. */
const flat = buildDag({
  name: 'flat',
  nodes: [3, 3, 3, 3, 1].map((c, i) => ({ id: `v${i}`, wcet: c })),
  edges: [],
});

describe('deadlineBySlack', () => {
  it('s = 0 gives L, s = 1 gives vol, s = 0.5 the midpoint rounded up (EGS example: L 8, vol 16)', () => {
    const dag = egsExample();
    expect(deadlineBySlack(dag, 0)).toBe(8);
    expect(deadlineBySlack(dag, 1)).toBe(16);
    expect(deadlineBySlack(dag, 0.5)).toBe(12);
    expect(deadlineBySlack(dag, 0.3)).toBe(11); // 8 + 2.4 → 11
    expect(deadlineBySlack(dag, 0.3, { integer: false })).toBeCloseTo(10.4, 12);
  });

  it('floating noise does not add a time unit: L 3, vol 23, s 0.2 → 7 (the float is 7.000000000000001)', () => {
    const wide = buildDag({
      nodes: [3, 3, 3, 3, 3, 3, 3, 2].map((c, i) => ({ id: i, wcet: c })),
      edges: [],
    });
    expect(deadlineBySlack(wide, 0.2)).toBe(7);
    expect(deadlineBySlack(wide, 0.2, { integer: false })).toBeCloseTo(7, 12);
    expect(deadlineBySlack(flat, 0.7)).toBe(10);
    expect(deadlineBySlack(flat, 0.71)).toBe(11);
  });

  it('invariant: D = ⌈L + s·(vol − L)⌉ exactly at s = 0 and 1, within rounding in between; L ≤ D ≤ vol', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 12, maxWcet: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (dag, s) => {
          const { volume: vol, criticalPath: L } = computeTiming(dag);
          expect(deadlineBySlack(dag, 0)).toBe(L);
          expect(deadlineBySlack(dag, 1)).toBe(vol);
          expect(deadlineBySlack(dag, 0, { integer: false })).toBe(L);
          expect(deadlineBySlack(dag, 1, { integer: false })).toBe(vol);

          const exact = L + s * (vol - L);
          const real = deadlineBySlack(dag, s, { integer: false });
          expect(Math.abs(real - exact)).toBeLessThanOrEqual(1e-9 * vol);
          const D = deadlineBySlack(dag, s);
          expect(Number.isInteger(D)).toBe(true);
          expect(D).toBeGreaterThanOrEqual(L);
          expect(D).toBeLessThanOrEqual(vol);
          expect(D - exact).toBeGreaterThan(-1e-6);
          expect(D - exact).toBeLessThan(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('invariant: D is non-decreasing in s', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (dag, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(deadlineBySlack(dag, lo)).toBeLessThanOrEqual(deadlineBySlack(dag, hi));
          expect(deadlineBySlack(dag, lo, { integer: false })).toBeLessThanOrEqual(
            deadlineBySlack(dag, hi, { integer: false }),
          );
        },
      ),
    );
  });

  it('rejects s outside [0, 1]', () => {
    for (const s of [-0.1, 1.01, NaN, Infinity]) expect(() => deadlineBySlack(flat, s)).toThrow(ArbiterError);
  });
});

describe('withSlackDeadline', () => {
  it('returns a copy with D set by slack, the graph unchanged', () => {
    const dag = egsExample();
    const out = withSlackDeadline(dag, 0.5);
    expect(out.deadline).toBe(12);
    expect(out.name).toBe(dag.name);
    expect(out.ids).toEqual(dag.ids);
    expect(out.edges).toEqual(dag.edges);
    expect(dag.deadline).toBe(8);
    expect(withSlackDeadline(flat, 0.3, { integer: false }).deadline).toBeCloseTo(6, 12);
  });
});
