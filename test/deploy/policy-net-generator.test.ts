import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../src/core/errors.js';
import {
  generatePolicyNet,
  measureMlpLatencyUs,
  mlpCost,
  type MlpFamily,
  type ResourceBudget,
} from '../../src/deploy/policy-net-generator.js';

/** Every candidate of a family, by brute force. */
function allCandidates(f: Required<Omit<MlpFamily, 'precision'>>): number[][] {
  const widths = [f.minWidth];
  for (let w = (Math.floor(f.minWidth / f.widthStep) + 1) * f.widthStep; w <= f.maxWidth; w += f.widthStep)
    widths.push(w);
  return f.depths.flatMap((d) => (d === 0 ? [[]] : widths.map((w) => Array.from({ length: d }, () => w))));
}

describe('mlpCost', () => {
  it('counts weights, biases, bytes and MACs of 4→64→64→2', () => {
    const c = mlpCost([4, 64, 64, 2]);
    expect(c.params).toBe(4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
    expect(c.macs).toBe(4 * 64 + 64 * 64 + 64 * 2);
    expect(c.bytes).toBe(4 * c.params);
    expect(mlpCost([4, 64, 2], 'int8').bytes).toBe(4 * 64 + 8 * 64 + 64 * 2 + 8 * 2);
  });
});

describe('generatePolicyNet', () => {
  it('picks 4→40→40→2 for 2 000 parameters and explains the next width breaks the budget', () => {
    const c = generatePolicyNet({ maxParams: 2000 }, { inputDim: 4, outputDim: 2 });
    expect(c.hiddenSizes).toEqual([40, 40]);
    expect(c.params).toBe(1922);
    expect(c.nextLarger?.hiddenSizes).toEqual([48, 48]);
    expect(c.explanation).toMatch(/4→40→40→2/);
    expect(c.explanation).toMatch(/maxParams 2,000 \(needs 2,690\)/);
  });

  it('property: the choice fits every limit and no candidate of the family with more parameters fits', () => {
    fc.assert(
      fc.property(
        fc.record({
          inputDim: fc.integer({ min: 1, max: 40 }),
          outputDim: fc.integer({ min: 1, max: 10 }),
          depths: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
          minWidth: fc.integer({ min: 1, max: 16 }),
          widthStep: fc.integer({ min: 1, max: 32 }),
          maxParams: fc.option(fc.integer({ min: 10, max: 200_000 }), { nil: undefined }),
          maxBytes: fc.option(fc.integer({ min: 40, max: 800_000 }), { nil: undefined }),
          maxMacs: fc.option(fc.integer({ min: 10, max: 200_000 }), { nil: undefined }),
        }),
        (r) => {
          const budget: ResourceBudget = {
            ...(r.maxParams !== undefined && { maxParams: r.maxParams }),
            ...(r.maxBytes !== undefined && { maxBytes: r.maxBytes }),
            ...((r.maxMacs ?? (r.maxParams === undefined && r.maxBytes === undefined))
              ? { maxMacs: r.maxMacs ?? 5000 }
              : {}),
          };
          const family = { ...r, maxWidth: 300 };
          const fits = (h: number[]): boolean => {
            const c = mlpCost([r.inputDim, ...h, r.outputDim]);
            return (
              c.params <= (budget.maxParams ?? Infinity) &&
              c.bytes <= (budget.maxBytes ?? Infinity) &&
              c.macs <= (budget.maxMacs ?? Infinity)
            );
          };
          const fitting = allCandidates(family).filter(fits);
          let choice;
          try {
            choice = generatePolicyNet(budget, family);
          } catch (e) {
            expect((e as ArbiterError).code).toBe('budget-infeasible');
            expect(fitting).toEqual([]);
            return;
          }
          expect(fits(choice.hiddenSizes)).toBe(true);
          const bestParams = Math.max(...fitting.map((h) => mlpCost([r.inputDim, ...h, r.outputDim]).params));
          expect(choice.params).toBe(bestParams);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('meets a latency budget with an injected probe and is maximal for it', () => {
    // A deterministic "latency": 0.01 µs per MAC.
    const probe = (dims: readonly number[]): number => mlpCost(dims).macs * 0.01;
    const c = generatePolicyNet({ maxLatencyUs: 50 }, { inputDim: 8, outputDim: 4 }, { latencyProbe: probe });
    expect(c.latencyUs!).toBeLessThanOrEqual(50);
    expect(c.nextLarger!.latencyUs!).toBeGreaterThan(50);
    expect(c.explanation).toMatch(/µs\/decision/);
  });

  it('measures a real latency that grows with the width', () => {
    // The least of a few measurements: a preempted or GC-hit measurement only ever reads high.
    const least = (layers: number[]): number =>
      Math.min(...[0, 1, 2, 3].map(() => measureMlpLatencyUs(layers, 200, 3)));
    const small = least([4, 8, 8, 2]);
    const large = least([4, 256, 256, 2]);
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
    const c = generatePolicyNet({ maxLatencyUs: large }, { inputDim: 4, outputDim: 2, maxWidth: 256 });
    expect(c.latencyUs!).toBeLessThanOrEqual(large);
  });

  it('prefers the shallower network between equal parameter counts, and rejects bad input', () => {
    const c = generatePolicyNet({ maxParams: 1000 }, { inputDim: 4, outputDim: 2, depths: [1, 2, 3] });
    const deeper = generatePolicyNet({ maxParams: 1000 }, { inputDim: 4, outputDim: 2, depths: [2] });
    expect(c.params).toBeGreaterThanOrEqual(deeper.params);
    expect(() => generatePolicyNet({}, { inputDim: 4, outputDim: 2 })).toThrow(/at least one/);
    expect(() => generatePolicyNet({ maxParams: -1 }, { inputDim: 4, outputDim: 2 })).toThrow(/> 0/);
    expect(() => generatePolicyNet({ maxParams: 5 }, { inputDim: 4, outputDim: 2 })).toThrow(
      expect.objectContaining({ code: 'budget-infeasible' }),
    );
  });
});
