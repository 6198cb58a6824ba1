import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Box, Discrete } from '../../src/core/spaces.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

function obsBatch(rng: Rng, batch: number, dim: number): Float32Array {
  return Float32Array.from({ length: batch * dim }, () => rng.normal());
}

describe('ActorCriticPolicy', () => {
  for (const shareTrunk of [false, true])
    it(`Float32 act() agrees with evaluateActions() (Discrete, masked, shareTrunk=${shareTrunk})`, () => {
      const rng = new Rng(2);
      const policy = new ActorCriticPolicy(
        5,
        new Discrete(4),
        { hiddenSizes: [16, 16], shareTrunk, policyGain: 1 },
        rng,
      );
      const batch = 6;
      const obs = obsBatch(rng, batch, 5);
      const masks = Uint8Array.from({ length: batch * 4 }, (_, i) => (i % 4 === (i >> 2) % 4 ? 0 : 1));
      const out = {
        actions: new Int32Array(batch),
        logProbs: new Float32Array(batch),
        values: new Float32Array(batch),
      };
      policy.act(obs, batch, masks, new Rng(7), false, out);
      for (let b = 0; b < batch; b++) expect(masks[b * 4 + out.actions[b]!]).toBe(1);
      const [lp, v, ent] = tf.tidy(() => {
        const e = policy.evaluateActions(obs, batch, out.actions, masks);
        return [e.logProb.dataSync(), e.values.dataSync(), e.entropy.dataSync()];
      });
      for (let b = 0; b < batch; b++) {
        expect(Math.abs(lp[b]! - out.logProbs[b]!)).toBeLessThan(1e-5);
        expect(Math.abs(v[b]! - out.values[b]!)).toBeLessThan(1e-5);
        // Three allowed actions: entropy ≤ log 3.
        expect(ent[b]!).toBeLessThanOrEqual(Math.log(3) + 1e-5);
      }
      expect(policy.value(obs, batch)).toEqual(out.values);
      policy.dispose();
    });

  it('Float32 act() agrees with evaluateActions() for Box actions; deterministic gives the mean', () => {
    const rng = new Rng(3);
    const policy = new ActorCriticPolicy(3, new Box(-1, 1, [2]), { hiddenSizes: [8], logStdInit: -0.5 }, rng);
    const batch = 4;
    const obs = obsBatch(rng, batch, 3);
    const out = {
      actions: new Float32Array(batch * 2),
      logProbs: new Float32Array(batch),
      values: new Float32Array(batch),
    };
    policy.act(obs, batch, undefined, new Rng(1), false, out);
    const lp = tf.tidy(() => policy.evaluateActions(obs, batch, out.actions).logProb.dataSync());
    for (let b = 0; b < batch; b++) expect(Math.abs(lp[b]! - out.logProbs[b]!)).toBeLessThan(1e-4);
    const det = {
      actions: new Float32Array(batch * 2),
      logProbs: new Float32Array(batch),
      values: new Float32Array(batch),
    };
    policy.act(obs, batch, undefined, new Rng(1), true, det);
    expect([...det.actions]).toEqual([...policy.forwardActorF32(obs, batch).subarray(0, batch * 2)]);
    expect(policy.getWeights().logStd).toEqual(Float32Array.of(-0.5, -0.5));
    policy.dispose();
  });

  it('same seed → same weights and same decisions; weights round-trip through getWeights/setWeights', () => {
    const mk = (seed: number) => new ActorCriticPolicy(4, new Discrete(2), {}, new Rng(seed));
    const a = mk(1);
    const b = mk(1);
    const c = mk(2);
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(a.getWeights()['actor/0']).not.toEqual(c.getWeights()['actor/0']);
    c.setWeights(a.getWeights());
    const obs = obsBatch(new Rng(5), 3, 4);
    expect(c.value(obs, 3)).toEqual(a.value(obs, 3));
    expect(Object.keys(a.getWeights()).sort()).toEqual(
      [
        'actor/0',
        'actor/1',
        'actor/2',
        'actor/3',
        'actor/4',
        'actor/5',
        'critic/0',
        'critic/1',
        'critic/2',
        'critic/3',
        'critic/4',
        'critic/5',
      ].sort(),
    );
    expect(() => c.setWeights({})).toThrow(/missing/);
    for (const p of [a, b, c]) p.dispose();
  });

  it('rejects unsupported action spaces', () => {
    expect(() => new ActorCriticPolicy(2, { kind: 'graph' } as never, {}, new Rng(0))).toThrow(
      /Discrete and Box/,
    );
  });
});
