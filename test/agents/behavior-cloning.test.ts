import { beforeAll, describe, expect, it } from 'vitest';
import { BehaviorCloning } from '../../src/agents/behavior-cloning.js';
import { Rng } from '../../src/core/rng.js';
import { Discrete } from '../../src/core/spaces.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { initTf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

// Expert: the action is the index of the largest of 4 observation entries, among allowed actions.
function dataset(
  rows: number,
  rng: Rng,
): { obs: Float32Array; masks: Uint8Array; actions: Int32Array; returns: Float32Array } {
  const obs = new Float32Array(rows * 4);
  const masks = new Uint8Array(rows * 4);
  const actions = new Int32Array(rows);
  const returns = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = -1;
    for (let k = 0; k < 4; k++) {
      obs[r * 4 + k] = rng.random();
      masks[r * 4 + k] = k === 0 || rng.random() < 0.7 ? 1 : 0;
      if (masks[r * 4 + k] && (best < 0 || obs[r * 4 + k]! > obs[r * 4 + best]!)) best = k;
    }
    actions[r] = best;
    returns[r] = obs[r * 4]! * 2; // a value target the critic can fit
  }
  return { obs, masks, actions, returns };
}

describe('BehaviorCloning', () => {
  it('learns the expert among allowed actions: NLL and value error fall, greedy accuracy ≥ 90%', () => {
    const rng = new Rng(7);
    const policy = new ActorCriticPolicy(4, new Discrete(4), { hiddenSizes: [32, 32] }, new Rng(1));
    const bc = new BehaviorCloning(policy, { learningRate: 3e-3 });
    const test = dataset(200, new Rng(99));
    const first = bc.step(test.obs, 200, test.actions, test.masks, test.returns, 0);
    for (let s = 0; s < 300; s++) {
      const d = dataset(64, rng);
      bc.step(d.obs, 64, d.actions, d.masks, d.returns);
    }
    const last = bc.step(test.obs, 200, test.actions, test.masks, test.returns, 0);
    expect(last.nll).toBeLessThan(first.nll * 0.5);
    expect(last.valueLoss).toBeLessThan(first.valueLoss * 0.5);
    const out = {
      actions: new Int32Array(200),
      logProbs: new Float32Array(200),
      values: new Float32Array(200),
    };
    policy.act(test.obs, 200, test.masks, new Rng(0), true, out);
    let correct = 0;
    for (let r = 0; r < 200; r++) {
      expect(test.masks[r * 4 + out.actions[r]!]).toBe(1);
      if (out.actions[r] === test.actions[r]) correct++;
    }
    expect(correct / 200).toBeGreaterThanOrEqual(0.9);
    policy.dispose();
  });

  it('rejects negative settings and short return arrays', () => {
    const policy = new ActorCriticPolicy(4, new Discrete(4), { hiddenSizes: [8] }, new Rng(1));
    expect(() => new BehaviorCloning(policy, { learningRate: -1 })).toThrow(/learningRate.*must be > 0/);
    const bc = new BehaviorCloning(policy);
    const d = dataset(4, new Rng(1));
    expect(() => bc.step(d.obs, 4, d.actions, d.masks, new Float32Array(2))).toThrow(/2 returns for 4 rows/);
    policy.dispose();
  });
});
