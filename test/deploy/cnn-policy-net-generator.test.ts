import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../src/core/errors.js';
import {
  cnnBytes,
  generateCnnPolicyNet,
  measureCnnLatencyUs,
  randomCnnArtifact,
  scaleCnn,
} from '../../src/deploy/cnn-policy-net-generator.js';
import { artifactParamCount, encodePolicyArtifact } from '../../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../../src/deploy/quantize-int8.js';
import { CNN_LARGENET, CNN_SMALLNET, cnnCost } from '../../src/nn/cnn-architecture.js';

const PONG = { inputShape: [10, 10, 4] as const, outputDim: 6 };

describe('generateCnnPolicyNet (OD3 PolicyNetGenerator for CNNs)', () => {
  it("a budget of smallnet's parameters gives the widest scaled largenet within it, and says why", () => {
    const small = cnnCost(PONG.inputShape, CNN_SMALLNET, 6).params;
    const choice = generateCnnPolicyNet({ maxParams: small }, PONG);
    expect(choice.params).toBeLessThanOrEqual(small);
    expect(choice.nextLarger!.params).toBeGreaterThan(small);
    expect(choice.nextLarger!.exceeds).toMatch(/^maxParams/);
    expect(choice.net.conv.map((l) => l.kernel)).toEqual([3, 3, 3]);
    expect(choice.baseParams).toBe(cnnCost(PONG.inputShape, CNN_LARGENET, 6).params);
    expect(choice.params / choice.baseParams).toBeLessThan(0.07);
    expect(choice.explanation).toMatch(
      /chose conv \d+-\d+-\d+, fc \d+ \(scale 0\.\d+ of conv 32-64-64, fc 512\)/,
    );
    expect(choice.explanation).toMatch(/% of the base/);
    expect(generateCnnPolicyNet({ maxParams: 1e9 }, PONG).scale).toBe(1);
  });

  it('property: the choice fits every limit and the next wider scale breaks one (params, bytes, MACs; float32 and int8)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3_000, max: 700_000 }),
        fc.integer({ min: 10_000, max: 3_000_000 }),
        fc.constantFrom<'float32' | 'int8'>('float32', 'int8'),
        (maxParams, maxMacs, precision) => {
          let choice;
          try {
            choice = generateCnnPolicyNet({ maxParams, maxMacs }, { ...PONG, precision });
          } catch (e) {
            expect((e as ArbiterError).code).toBe('budget-infeasible');
            return;
          }
          expect(choice.params).toBeLessThanOrEqual(maxParams);
          expect(choice.macs).toBeLessThanOrEqual(maxMacs);
          const cost = cnnCost(PONG.inputShape, choice.net, 6);
          expect([choice.params, choice.macs]).toEqual([cost.params, cost.macs]);
          if (choice.nextLarger) {
            const n = choice.nextLarger;
            expect(n.scale).toBeGreaterThan(choice.scale);
            expect(n.params > maxParams || n.macs > maxMacs).toBe(true);
          } else expect(choice.scale).toBe(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('bytes are what the exported artifact weighs (float32: 4 per parameter; int8: 1 per weight + 8 per channel)', () => {
    const net = scaleCnn(CNN_LARGENET, 0.25);
    expect(net.conv.map((l) => l.filters)).toEqual([8, 16, 16]);
    expect(net.fc).toEqual([128]);
    const art = randomCnnArtifact(PONG.inputShape, net, 6);
    expect(artifactParamCount(art)).toBe(cnnCost(PONG.inputShape, net, 6).params);
    const f32 = cnnBytes(PONG.inputShape, net, 6, 'float32');
    const i8 = cnnBytes(PONG.inputShape, net, 6, 'int8');
    // The binary file adds its header (and int8 padding) to the weights.
    const headerSlack = 2_000;
    expect(encodePolicyArtifact(art).length - f32).toBeGreaterThan(0);
    expect(encodePolicyArtifact(art).length - f32).toBeLessThan(headerSlack);
    expect(encodePolicyArtifact(quantizeInt8(art)).length - i8).toBeLessThan(headerSlack);
    const choice = generateCnnPolicyNet({ maxBytes: i8 }, { ...PONG, precision: 'int8' });
    expect(choice.bytes).toBeLessThanOrEqual(i8);
  });

  it('a latency budget uses the probe (measured only for candidates inside the exact limits)', () => {
    const probed: number[] = [];
    const probe = (_s: readonly [number, number, number], net: { conv: { filters: number }[] }): number => {
      probed.push(net.conv[0]!.filters);
      return net.conv[0]!.filters; // "µs" = first-layer filters: a fake, monotone clock
    };
    const choice = generateCnnPolicyNet({ maxLatencyUs: 12, maxParams: 100_000 }, PONG, {
      latencyProbe: probe,
    });
    expect(choice.net.conv[0]!.filters).toBeLessThanOrEqual(12);
    expect(choice.latencyUs).toBe(choice.net.conv[0]!.filters);
    expect(probed.length).toBeLessThan(10);
    expect(measureCnnLatencyUs(PONG.inputShape, CNN_SMALLNET, 6, 20, 3)).toBeGreaterThan(0);
  });

  it('refuses malformed budgets and families, and says when nothing fits', () => {
    expect(() => generateCnnPolicyNet({}, PONG)).toThrow(/give at least one/);
    expect(() => generateCnnPolicyNet({ maxParams: 1e5 }, { ...PONG, scaleStep: 0 })).toThrow(/scaleStep/);
    expect(() => generateCnnPolicyNet({ maxParams: 1e5 }, { ...PONG, inputShape: [2, 2, 1] })).toThrow(
      /kernel 3 does not fit the 2×2 input/,
    );
    expect(() => generateCnnPolicyNet({ maxParams: 100 }, PONG)).toThrow(
      /no scale of conv 32-64-64, fc 512.*breaks maxParams/,
    );
  });
});
