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

const GRAPH_N = 6;
const GRAPH_LAYOUT = paddedGraphLayout(GRAPH_N, 3, 2);
const BC_CONFIG = { learningRate: 1e-2, entCoef: 0.01, maxGradNorm: 0.5 };

/** Two graph policies with the same random weights (scale 0.4, so that every part of the net matters). */
function twinGraphPolicies() {
  const config = { hiddenDim: 8, numHeads: 2, numLayers: 1, ffnDim: 12, valueHiddenDim: 6 };
  const actions = new Discrete(GRAPH_N * GRAPH_N);
  const fastPolicy = new GraphPolicy(GRAPH_LAYOUT, actions, config, new Rng(3));
  const tfPolicy = new GraphPolicy(GRAPH_LAYOUT, actions, config, new Rng(3));
  const rng = new Rng(19);
  const w = fastPolicy.getWeights();
  for (const k of Object.keys(w)) w[k] = Float32Array.from(w[k]!, () => 0.4 * rng.normal());
  fastPolicy.setWeights(w);
  tfPolicy.setWeights(w);
  return { fastPolicy, tfPolicy, w };
}

/** 5 random graphs (2–6 nodes), masks with the expert action allowed, random returns. */
function graphBatch(rng: Rng) {
  const N = GRAPH_N;
  const B = 5;
  const obs = new Float32Array(B * GRAPH_LAYOUT.size);
  const masks = new Uint8Array(B * N * N);
  const actions = new Int32Array(B);
  const returns = Float32Array.from({ length: B }, () => rng.normal());
  for (let b = 0; b < B; b++) {
    const n = 2 + rng.int(N - 1);
    const nodeFeatures = Float32Array.from({ length: n * 3 }, () => rng.normal());
    const relations = Uint8Array.from({ length: n * n * 2 }, () => rng.int(2));
    padGraphInto({ numNodes: n, nodeFeatures, relations }, GRAPH_LAYOUT, obs, b * GRAPH_LAYOUT.size);
    const a = rng.int(n) * N + rng.int(n);
    actions[b] = a;
    masks[b * N * N + a] = 1;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (rng.random() < 0.4) masks[b * N * N + i * N + j] = 1;
  }
  return { obs, masks, actions, returns, B };
}

/** Largest |difference| between two policies' (or a policy's and saved) weights. */
function maxWeightDiff(a: GraphPolicy, b: GraphPolicy | Record<string, Float32Array>): number {
  const wa = a.getWeights();
  const wb = b instanceof GraphPolicy ? b.getWeights() : b;
  let worst = 0;
  for (const k of Object.keys(wb))
    for (let i = 0; i < wb[k]!.length; i++) worst = Math.max(worst, Math.abs(wa[k]![i]! - wb[k]![i]!));
  return worst;
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
    const { fastPolicy, tfPolicy, w } = twinGraphPolicies();
    const fast = new BehaviorCloning(fastPolicy, BC_CONFIG);
    const slow = new BehaviorCloning(tfPolicy, { ...BC_CONFIG, learner: 'tfjs' });
    expect(fast.optimizer).toBeInstanceOf(AdamF32);
    expect(slow.optimizer).toBeInstanceOf(Adam);
    const rng = new Rng(17);
    for (let step = 0; step < 3; step++) {
      const d = graphBatch(rng);
      const mf = fast.step(d.obs, d.B, d.actions, d.masks, d.returns);
      const ms = slow.step(d.obs, d.B, d.actions, d.masks, d.returns);
      for (const k of ['nll', 'valueLoss', 'entropy', 'gradNorm'] as const)
        expect(Math.abs(mf[k] - ms[k]), k).toBeLessThan(1e-4 * (1 + Math.abs(ms[k])));
      expect(ms.gradNorm).toBeGreaterThan(0.5); // the clipping rule is exercised
      expect(maxWeightDiff(fastPolicy, tfPolicy)).toBeLessThan(1e-4);
      expect(maxWeightDiff(tfPolicy, w)).toBeGreaterThan(1e-3); // the weights did change
    }
    fast.dispose();
    slow.dispose();
    fastPolicy.dispose();
    tfPolicy.dispose();
  });

  it('a fast run continues on the TF.js learner from its weights and Adam state (same keys), as it would on its own', () => {
    const { fastPolicy, tfPolicy } = twinGraphPolicies();
    const fast = new BehaviorCloning(fastPolicy, BC_CONFIG);
    const rng = new Rng(23);
    const batches = Array.from({ length: 4 }, () => graphBatch(rng));
    for (const d of batches.slice(0, 2)) fast.step(d.obs, d.B, d.actions, d.masks, d.returns);
    // "Checkpoint" of the fast run, restored on the TF.js path.
    tfPolicy.setWeights(fastPolicy.getWeights());
    const adam = new Adam(tfPolicy.variables, { eps: 1e-5 });
    const state = fast.optimizer.getState();
    expect(Object.keys(state)).toContain('adam/step');
    adam.setState(state);
    const slow = new BehaviorCloning(tfPolicy, BC_CONFIG, adam);
    for (const d of batches.slice(2)) {
      fast.step(d.obs, d.B, d.actions, d.masks, d.returns);
      slow.step(d.obs, d.B, d.actions, d.masks, d.returns);
    }
    expect(adam.steps).toBe(4);
    expect(maxWeightDiff(fastPolicy, tfPolicy)).toBeLessThan(1e-4);
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
