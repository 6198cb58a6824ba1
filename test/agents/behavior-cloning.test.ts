import { beforeAll, describe, expect, it } from 'vitest';
import { BehaviorCloning } from '../../src/agents/behavior-cloning.js';
import { Rng } from '../../src/core/rng.js';
import { Discrete } from '../../src/core/spaces.js';
import { padGraphInto, paddedGraphLayout } from '../../src/core/wrappers/pad-graph-observation.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { AdamF32 } from '../../src/nn/adam-f32.js';
import { Adam } from '../../src/nn/adam.js';
import { GraphPolicy } from '../../src/nn/graph-policy.js';
import type { Policy } from '../../src/nn/policy.js';
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

  it('fast learner on a graph policy: each step equals the TF.js step from identical weights (~1e-4)', () => {
    const layout = paddedGraphLayout(6, 3, 2);
    const N = 6;
    const config = { hiddenDim: 8, numHeads: 2, numLayers: 1, ffnDim: 12, valueHiddenDim: 6 };
    const fastPolicy = new GraphPolicy(layout, new Discrete(36), config, new Rng(3));
    const tfPolicy = new GraphPolicy(layout, new Discrete(36), config, new Rng(3));
    const rng = new Rng(17);
    const w = fastPolicy.getWeights();
    for (const k of Object.keys(w)) w[k] = Float32Array.from(w[k]!, () => 0.4 * rng.normal());
    fastPolicy.setWeights(w);
    tfPolicy.setWeights(w);
    const fast = new BehaviorCloning(fastPolicy, { learningRate: 1e-2, entCoef: 0.01, maxGradNorm: 0.5 });
    const slow = new BehaviorCloning(tfPolicy, {
      learningRate: 1e-2,
      entCoef: 0.01,
      maxGradNorm: 0.5,
      learner: 'tfjs',
    });
    expect(fast.optimizer).toBeInstanceOf(AdamF32);
    expect(slow.optimizer).toBeInstanceOf(Adam);
    const B = 5;
    for (let step = 0; step < 3; step++) {
      const obs = new Float32Array(B * layout.size);
      const masks = new Uint8Array(B * N * N);
      const actions = new Int32Array(B);
      const returns = Float32Array.from({ length: B }, () => rng.normal());
      for (let b = 0; b < B; b++) {
        const n = 2 + rng.int(N - 1);
        padGraphInto(
          {
            numNodes: n,
            nodeFeatures: Float32Array.from({ length: n * 3 }, () => rng.normal()),
            relations: Uint8Array.from({ length: n * n * 2 }, () => rng.int(2)),
          },
          layout,
          obs,
          b * layout.size,
        );
        const a = rng.int(n) * N + rng.int(n);
        actions[b] = a;
        masks[b * N * N + a] = 1;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) if (rng.random() < 0.4) masks[b * N * N + i * N + j] = 1;
      }
      const mf = fast.step(obs, B, actions, masks, returns);
      const ms = slow.step(obs, B, actions, masks, returns);
      for (const k of ['nll', 'valueLoss', 'entropy', 'gradNorm'] as const)
        expect(Math.abs(mf[k] - ms[k]), k).toBeLessThan(1e-4 * (1 + Math.abs(ms[k])));
      expect(ms.gradNorm).toBeGreaterThan(0.5); // the clipping rule is exercised
      const wf = fastPolicy.getWeights();
      const ws = tfPolicy.getWeights();
      let moved = 0;
      for (const k of Object.keys(ws)) {
        for (let i = 0; i < ws[k]!.length; i++) {
          expect(Math.abs(wf[k]![i]! - ws[k]![i]!), k).toBeLessThan(1e-4);
          moved = Math.max(moved, Math.abs(ws[k]![i]! - w[k]![i]!));
        }
      }
      expect(moved).toBeGreaterThan(1e-3); // the weights did change
    }
    fast.dispose();
    slow.dispose();
    fastPolicy.dispose();
    tfPolicy.dispose();
  });

  it('refuses a host optimizer for a policy without a host pass, and an unknown learner', () => {
    const policy = new ActorCriticPolicy(4, new Discrete(4), { hiddenSizes: [8] }, new Rng(1));
    // The TF.js side of the policy only (no host pass).
    const tfOnly: Policy = {
      actionKind: policy.actionKind,
      actionDim: policy.actionDim,
      variables: policy.variables,
      act: policy.act.bind(policy),
      value: policy.value.bind(policy),
      evaluateActions: policy.evaluateActions.bind(policy),
      getWeights: policy.getWeights.bind(policy),
      setWeights: policy.setWeights.bind(policy),
      dispose: policy.dispose.bind(policy),
    };
    expect(() => new BehaviorCloning(tfOnly, {}, new AdamF32([new Float32Array(4)]))).toThrow(
      /host optimizer needs a policy with a host pass/,
    );
    expect(new BehaviorCloning(tfOnly).optimizer).toBeInstanceOf(Adam);
    expect(() => new BehaviorCloning(policy, { learner: 'gpu' as 'fast' })).toThrow(/learner/);
    policy.dispose();
  });
});
