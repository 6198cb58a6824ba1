import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateGraphPolicyNet,
  graphPolicyCost,
  type GraphPolicyFamily,
} from '../../src/deploy/graph-policy-net-generator.js';
import { GraphNetF32, graphNetParams } from '../../src/nn/graph-net-f32.js';

const FAMILY: GraphPolicyFamily = { nodeFeatureDim: 6, relationDim: 4 };

describe('generateGraphPolicyNet', () => {
  it('the shipped EGS architecture (d 32, 2 layers) has the parameter count the policy reports, minus the value head', () => {
    const c = graphPolicyCost(
      {
        nodeFeatureDim: 6,
        relationDim: 4,
        hiddenDim: 32,
        numHeads: 4,
        numLayers: 2,
        ffnDim: 64,
        valueHiddenDim: 64,
        logitClip: 10,
      },
      50,
    );
    expect(c.params).toBe(21_697 - (32 * 64 + 64 + 64 + 1));
    expect(c.bytes).toBe(4 * c.params);
  });

  it('fits every limit and no larger candidate of the grid fits (brute force)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2_000, max: 200_000 }),
        fc.integer({ min: 100_000, max: 20_000_000 }),
        (maxParams, maxMacs) => {
          let choice;
          try {
            choice = generateGraphPolicyNet({ maxParams, maxMacs }, FAMILY);
          } catch (e) {
            expect(String(e)).toMatch(/budget-infeasible|no graph policy/);
            return;
          }
          expect(choice.params).toBeLessThanOrEqual(maxParams);
          expect(choice.macs).toBeLessThanOrEqual(maxMacs);
          for (const l of [1, 2, 3])
            for (const d of [8, 16, 24, 32, 48, 64, 96, 128]) {
              const c = graphPolicyCost({ ...choice.dims, hiddenDim: d, numLayers: l, ffnDim: 2 * d }, 50);
              if (c.params <= maxParams && c.macs <= maxMacs)
                expect(c.params).toBeLessThanOrEqual(choice.params);
            }
          expect(choice.explanation).toMatch(/chose graph policy d = \d+, \d layers?/);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a latency budget uses the probe; the chosen dims build a working network', () => {
    const probe = (dims: { hiddenDim: number; numLayers: number }): number =>
      dims.hiddenDim * dims.numLayers * 10;
    const c = generateGraphPolicyNet({ maxLatencyUs: 700 }, FAMILY, { latencyProbe: probe });
    expect(c.dims.hiddenDim * c.dims.numLayers * 10).toBeLessThanOrEqual(700);
    expect(c.latencyUs).toBeDefined();
    const w: Record<string, Float32Array> = {};
    for (const p of graphNetParams(c.dims)) w[p.name] = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
    expect(() => new GraphNetF32(c.dims, w)).not.toThrow();
  });

  it('bad budgets and families are named', () => {
    expect(() => generateGraphPolicyNet({}, FAMILY)).toThrow(/give at least one/);
    expect(() => generateGraphPolicyNet({ maxParams: -1 }, FAMILY)).toThrow(/maxParams must be a number > 0/);
    expect(() => generateGraphPolicyNet({ maxParams: 1e6 }, { ...FAMILY, hiddenDims: [10] })).toThrow(
      /10 is not a positive multiple of numHeads 4/,
    );
    expect(() => generateGraphPolicyNet({ maxParams: 10 }, FAMILY)).toThrow(
      /no graph policy .* fits maxParams 10; the smallest breaks maxParams/,
    );
  });
});
