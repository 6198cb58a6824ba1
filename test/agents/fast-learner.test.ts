/**
 * The fast learner against the TF.js reference: from the same seed (same starting weights, same
 * rollout and minibatches) one update on each path gives the same weights, optimizer state and
 * diagnostics, which checks every analytic loss derivative of PPO, A2C and REINFORCE; and a
 * checkpoint written on one path continues training on the other.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import { loadCheckpoint } from '../../src/agents/checkpoint.js';
import type { Learner } from '../../src/agents/on-policy-algorithm.js';
import { PPO, resolvePpoConfig } from '../../src/agents/ppo.js';
import { REINFORCE } from '../../src/agents/reinforce.js';
import type { MetricsSink } from '../../src/core/metrics-sink.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { TargetEnv } from './fixtures/target-env.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-fast-learner-'));
});

type OnPolicy = PPO | A2C | REINFORCE;
type Make = (learner: Learner) => OnPolicy;

const cartPole = () => makeEnv('CartPole-v1');
const jobs = () => makeEnv('Jobs-v0');
const target = () => new TargetEnv();

// Each case: one rollout of numEnvs × numSteps, so learn() runs exactly one update.
const cases: [string, Make, number][] = [
  [
    'PPO CartPole (defaults, 2 × 64)',
    (learner) => new PPO(cartPole, { numEnvs: 2, numSteps: 64, learner }),
    128,
  ],
  [
    'PPO CartPole (large steps: ratio and value clipping active)',
    (learner) =>
      new PPO(cartPole, {
        numEnvs: 2,
        numSteps: 64,
        learningRate: 0.01,
        clipCoef: 0.02,
        updateEpochs: 8,
        policy: { hiddenSizes: [32, 32], policyGain: 1 },
        learner,
      }),
    128,
  ],
  [
    'PPO Jobs (masks, shared relu trunk, target KL)',
    (learner) =>
      new PPO(jobs, {
        numEnvs: 2,
        numSteps: 32,
        numMinibatches: 2,
        targetKl: 0.05,
        entCoef: 0.05,
        policy: { hiddenSizes: [16, 8], shareTrunk: true, activation: 'relu' },
        learner,
      }),
    64,
  ],
  [
    'PPO Box (Gaussian, no value clipping, normalized obs/rewards)',
    (learner) =>
      new PPO(target, {
        numEnvs: 2,
        numSteps: 32,
        clipVloss: false,
        clipCoef: 0.1,
        learningRate: 1e-3,
        normalizeObservation: true,
        normalizeReward: true,
        policy: { hiddenSizes: [16], shareTrunk: true },
        learner,
      }),
    64,
  ],
  [
    'A2C CartPole (RMSprop)',
    (learner) => new A2C(cartPole, { numEnvs: 4, numSteps: 8, logInterval: 1, learner }),
    32,
  ],
  [
    'A2C Jobs (Adam, masks, entropy, normalized advantages)',
    (learner) =>
      new A2C(jobs, {
        numEnvs: 2,
        numSteps: 16,
        optimizer: 'adam',
        entCoef: 0.01,
        normalizeAdvantages: true,
        logInterval: 1,
        learner,
      }),
    32,
  ],
  [
    'A2C Box',
    (learner) => new A2C(target, { numEnvs: 2, numSteps: 16, entCoef: 0.01, logInterval: 1, learner }),
    32,
  ],
  [
    'REINFORCE CartPole (baseline)',
    (learner) => new REINFORCE(cartPole, { numEnvs: 2, numSteps: 64, entCoef: 0.01, learner }),
    128,
  ],
  [
    'REINFORCE CartPole (no baseline, raw advantages)',
    (learner) =>
      new REINFORCE(cartPole, {
        numEnvs: 2,
        numSteps: 64,
        baseline: false,
        normalizeAdvantages: false,
        learningRate: 1e-4,
        learner,
      }),
    128,
  ],
];

function recorder(): { sink: MetricsSink; metrics: Record<string, number>[] } {
  const metrics: Record<string, number>[] = [];
  return { metrics, sink: { write: (_step, m) => void metrics.push({ ...m }) } };
}

function maxDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  let worst = 0;
  for (const k of Object.keys(a)) {
    const x = a[k]!;
    const y = b[k]!;
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  }
  return worst;
}

describe('fast learner = TF.js learner on one update', () => {
  for (const [name, make, steps] of cases)
    it(name, async () => {
      const fast = make('fast');
      const ref = make('tfjs');
      try {
        // The fast path really trains on the host (and the reference does not).
        expect(fast.optimizer).not.toHaveProperty('variables');
        expect(ref.optimizer).toHaveProperty('variables');
        expect(maxDiff(fast.policy.getWeights(), ref.policy.getWeights())).toBe(0);
        const fm = recorder();
        const rm = recorder();
        await fast.learn({ totalTimesteps: steps, sink: fm.sink });
        await ref.learn({ totalTimesteps: steps, sink: rm.sink });
        expect(fast.counters.numUpdates).toBe(1);
        const before = make('tfjs');
        const moved = maxDiff(before.policy.getWeights(), ref.policy.getWeights());
        await before.close();
        expect(moved).toBeGreaterThan(1e-4);
        expect(maxDiff(fast.policy.getWeights(), ref.policy.getWeights())).toBeLessThan(1e-4);
        const fo = fast.optimizer.getState();
        const ro = ref.optimizer.getState();
        expect(Object.keys(fo).sort()).toEqual(Object.keys(ro).sort());
        expect(fo[`${fast.optimizer.name}/step`]).toEqual(ro[`${ref.optimizer.name}/step`]);
        expect(fm.metrics.length).toBe(rm.metrics.length);
        const f = fm.metrics.at(-1)!;
        const r = rm.metrics.at(-1)!;
        const names = Object.keys(r).filter((k) => k.startsWith('train/'));
        expect(
          Object.keys(f)
            .filter((k) => k.startsWith('train/'))
            .sort(),
        ).toEqual(names.sort());
        if (name.includes('clipping active')) expect(r['train/clipfrac']).toBeGreaterThan(0.1);
        for (const k of names) expect(Math.abs(f[k]! - r[k]!), k).toBeLessThan(1e-4 * (1 + Math.abs(r[k]!)));
      } finally {
        await fast.close();
        await ref.close();
      }
    });
});

describe('checkpoints move between learners', () => {
  for (const [from, to] of [
    ['fast', 'tfjs'],
    ['tfjs', 'fast'],
  ] as const)
    for (const [algo, make] of [
      [
        'PPO',
        (learner: Learner) => new PPO(cartPole, { numEnvs: 2, numSteps: 32, numMinibatches: 2, learner }),
      ],
      ['A2C', (learner: Learner) => new A2C(jobs, { numEnvs: 2, numSteps: 8, learner })],
    ] as const)
      it(`${algo}: saved with '${from}', restored with '${to}', continues like the saving run`, async () => {
        const saver = make(from);
        const steps = algo === 'PPO' ? 64 : 16;
        await saver.learn({ totalTimesteps: steps, horizon: 4 * steps });
        const dir = path.join(tmp, `${algo}-${from}-${to}`);
        await saver.save(dir);
        const ckpt = await loadCheckpoint(dir);
        expect((ckpt.config as { learner: Learner }).learner).toBe(from);
        const other = make(to);
        other.restoreCheckpoint({ ...ckpt, config: { ...(ckpt.config as object), learner: to } });
        expect(maxDiff(other.policy.getWeights(), saver.policy.getWeights())).toBe(0);
        expect(other.optimizer.getState()).toEqual(saver.optimizer.getState());
        // One more update on each: the same step within float tolerance.
        await saver.learn({ totalTimesteps: steps, horizon: 4 * steps });
        await other.learn({ totalTimesteps: steps, horizon: 4 * steps });
        expect(other.counters).toEqual(saver.counters);
        expect(maxDiff(other.policy.getWeights(), saver.policy.getWeights())).toBeLessThan(1e-4);
        expect(maxDiff(other.optimizer.getState(), saver.optimizer.getState())).toBeLessThan(1e-4);
        await saver.close();
        await other.close();
      });
});

describe('learner selection', () => {
  it("defaults to 'fast', refuses an unknown learner, falls back to TF.js for a policy that cannot train on the host", async () => {
    expect(resolvePpoConfig({}).learner).toBe('fast');
    expect(() => resolvePpoConfig({ learner: 'gpu' })).toThrow(/learner/);
    const graphLike = new PPO(
      cartPole,
      { numEnvs: 2, numSteps: 16, numMinibatches: 2 },
      (obsDim, space, rng) =>
        // A policy without the host training pass (as a graph policy may be).
        Object.assign(new ActorCriticPolicy(obsDim, space, { hiddenSizes: [8] }, rng), {
          evaluateActionsHost: undefined,
        }),
    );
    try {
      expect(graphLike.optimizer).toHaveProperty('variables');
      const before = graphLike.policy.getWeights()['actor/0']!.slice();
      await graphLike.learn({ totalTimesteps: 64 });
      expect(graphLike.policy.getWeights()['actor/0']).not.toEqual(before);
      expect(graphLike.counters.numUpdates).toBe(2);
    } finally {
      await graphLike.close();
    }
  });
});
