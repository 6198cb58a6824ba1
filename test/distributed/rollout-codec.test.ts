/**
 * The queue encoding of env-runner messages: rollouts and requests round-trip exactly (every
 * Float32 bit), and a job whose arrays do not fit its shape is refused naming the array.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CollectedRollout } from '../../src/agents/rollout-source.js';
import {
  decodeRollout,
  decodeRunnerRequest,
  encodeRollout,
  encodeRunnerRequest,
} from '../../src/distributed/rollout-codec.js';

const f32 = (n: number): fc.Arbitrary<Float32Array> =>
  fc.array(fc.float({ noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
const u8 = (n: number): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).map((a) => Uint8Array.from(a));

function rollout(
  numSteps: number,
  copies: number,
  obsDim: number,
  box: boolean,
): fc.Arbitrary<CollectedRollout> {
  const rows = numSteps * copies;
  return fc.record({
    obs: f32(rows * obsDim),
    masks: box ? fc.constant(undefined) : u8(rows * 3),
    actions: box
      ? f32(rows * 2)
      : fc
          .array(fc.integer({ min: 0, max: 2 }), { minLength: rows, maxLength: rows })
          .map((a) => Int32Array.from(a)),
    logProbs: f32(rows),
    values: f32(rows),
    rewards: f32(rows),
    terminated: u8(rows),
    truncated: u8(rows),
    finalValues: f32(rows),
    lastObs: f32(copies * obsDim),
    lastMasks: box ? fc.constant(undefined) : u8(copies * 3),
    actionRngState: fc.record({
      s: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()),
      // JSON writes −0 as 0; Rng.normal never caches −0 (r·sin with r > 0).
      spareNormal: fc.option(
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
        { nil: null },
      ),
    }),
  });
}

describe('rollout codec', () => {
  it('a rollout decodes to the one encoded (Discrete with masks, and Box)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        (numSteps, copies, obsDim, box) => {
          fc.assert(
            fc.property(rollout(numSteps, copies, obsDim, box), (r) => {
              const json = JSON.parse(JSON.stringify(encodeRollout(r))) as unknown;
              expect(decodeRollout(json, { numSteps, copies, obsDim }, 'test')).toEqual(r);
            }),
            { numRuns: 5 },
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('a request decodes to the one encoded', () => {
    const req = {
      weights: {
        actor: Uint8Array.of(1, 2, 3),
        critic: Uint8Array.of(4),
        logStd: Float32Array.of(-0.5, 0.25),
      },
      numSteps: 8,
      actionRngState: { s: [1, 2, 3, 4] as [number, number, number, number], spareNormal: 0.75 },
      resetSeed: -3,
    };
    expect(decodeRunnerRequest(JSON.parse(JSON.stringify(encodeRunnerRequest(req))), 'test')).toEqual(req);
  });

  it('refuses arrays of the wrong length and unknown keys, naming them', () => {
    const r = fc.sample(rollout(2, 2, 3, false), { numRuns: 1, seed: 1 })[0]!;
    const json = encodeRollout(r);
    expect(() => decodeRollout(json, { numSteps: 2, copies: 2, obsDim: 4 }, 'job 7')).toThrow(
      /job 7: obs has 12 values/,
    );
    expect(() =>
      decodeRollout(
        { ...json, values: json.logProbs.slice(0, 4) },
        { numSteps: 2, copies: 2, obsDim: 3 },
        'job 7',
      ),
    ).toThrow(/values has/);
    expect(() =>
      decodeRollout({ ...json, extra: 1 }, { numSteps: 2, copies: 2, obsDim: 3 }, 'job 7'),
    ).toThrow(/extra/);
    expect(() => decodeRunnerRequest({ numSteps: 0 }, 'job 8')).toThrow(/job 8/);
  });
});
