import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PPO, type PpoConfig } from '../../src/agents/ppo.js';
import { makeEnv } from '../../src/core/make-env.js';
import { Rng } from '../../src/core/rng.js';
import type { VectorEnv, VectorStepResult } from '../../src/core/vector-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { ChainEnv, StatefulChainVectorEnv } from './fixtures/chain-env.js';
import { TargetEnv } from './fixtures/target-env.js';
import { tf } from '../../src/nn/tf-backend.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-ppo-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const SMALL: Partial<PpoConfig> = {
  numEnvs: 2,
  numSteps: 32,
  numMinibatches: 2,
  updateEpochs: 2,
  policy: { hiddenSizes: [16, 16] },
  learningRate: 3e-3,
};

function weightsOf(m: PPO): Float32Array[] {
  return Object.values(m.policy.getWeights());
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((x, i) => x.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i]![j]!)))));
  return d;
}

describe('PPO', () => {
  it('seeding: same seed → identical first-update metrics and weights; another seed differs', async () => {
    const run = async (seed: number) => {
      const m = new PPO(() => new ChainEnv(), { ...SMALL, seed });
      let metrics: Record<string, number> = {};
      await m.learn({ totalTimesteps: 64, progress: (_d, _t, mm) => (metrics = { ...mm }) });
      const w = weightsOf(m);
      await m.close();
      delete metrics['time/fps'];
      return { metrics, w };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(a.metrics).toEqual(b.metrics);
    expect(Number.isFinite(a.metrics['train/policy_loss']!)).toBe(true);
    expect(maxAbsDiff(a.w, b.w)).toBe(0);
    expect(maxAbsDiff(a.w, c.w)).toBeGreaterThan(0);
  });

  it('save/load: the loaded model predicts exactly as the saved one', async () => {
    const m = new PPO(() => new ChainEnv(), { ...SMALL, seed: 2, normalizeObservation: true });
    await m.learn({ totalTimesteps: 128 });
    const dir = path.join(tmp, 'saveload');
    await m.save(dir);
    const l = await PPO.load(dir, () => new ChainEnv());
    expect(l.counters).toEqual(m.counters);
    expect(l.config).toEqual(m.config);
    const rng = new Rng(1);
    for (let k = 0; k < 50; k++) {
      const obs = Float32Array.of(rng.random(), rng.random(), 1);
      expect(l.predict(obs, { deterministic: true })).toBe(m.predict(obs, { deterministic: true }));
      // Stochastic predictions use the restored predict RNG: same stream, same actions.
      expect(l.predict(obs)).toBe(m.predict(obs));
      expect(l.predictValue(obs)).toBe(m.predictValue(obs));
    }
    await expect(PPO.load(path.join(tmp, 'nope'), () => new ChainEnv())).rejects.toMatchObject({
      code: 'checkpoint-missing',
    });
    await m.close();
    await l.close();
  });

  it('resume: train N, save, load, train M == train N+M straight (weights, Adam, RNG, counters, normalizers)', async () => {
    const cfg: Partial<PpoConfig> = { ...SMALL, seed: 11, normalizeObservation: true, normalizeReward: true };
    const N = 128;
    const M = 192;
    const straight = new PPO(new StatefulChainVectorEnv(2), cfg);
    await straight.learn({ totalTimesteps: N + M });

    const first = new PPO(new StatefulChainVectorEnv(2), cfg);
    await first.learn({ totalTimesteps: N, horizon: N + M });
    const dir = path.join(tmp, 'resume');
    await first.save(dir);
    await first.close();
    const resumed = await PPO.load(dir, new StatefulChainVectorEnv(2));
    await resumed.learn({ totalTimesteps: M, horizon: N + M });

    expect(resumed.counters).toEqual(straight.counters);
    expect(maxAbsDiff(weightsOf(resumed), weightsOf(straight))).toBeLessThanOrEqual(1e-6);
    expect(resumed.optimizer.getState()['adam/step']).toEqual(straight.optimizer.getState()['adam/step']);
    expect(resumed.normalizer.getState()).toEqual(straight.normalizer.getState());
    expect(resumed.episodes.getState()).toEqual(straight.episodes.getState());
    await straight.close();
    await resumed.close();
  });

  it('masking: a masked action is never taken in training or by predict', async () => {
    const envs = new StatefulChainVectorEnv(2, { masked: true });
    const m = new PPO(envs, { ...SMALL, seed: 3, entCoef: 0.05 });
    await m.learn({ totalTimesteps: 512 });
    expect(envs.chains.every((c) => c.maskedTaken === 0)).toBe(true);
    const mask = Uint8Array.of(1, 1, 0);
    for (let k = 0; k < 100; k++) expect(m.predict(Float32Array.of(k / 100, 0.5, 1), { mask })).not.toBe(2);
    // Without a mask the "jump" action (the best one) is available to predict.
    await m.close();
  });

  it('truncation: truncated steps store V(final observation) for bootstrapping', async () => {
    // Record what the vector env returns so the final observations can be re-evaluated.
    const inner = new StatefulChainVectorEnv(2, { maxSteps: 5, slip: 0.5 });
    const steps: { finalObs: (Float32Array | null)[]; truncated: Uint8Array; terminated: Uint8Array }[] = [];
    const recording: VectorEnv = {
      numEnvs: inner.numEnvs,
      singleObservationSpace: inner.singleObservationSpace,
      singleActionSpace: inner.singleActionSpace,
      obsDim: inner.obsDim,
      reset: (seed) => inner.reset(seed),
      close: () => inner.close(),
      step: async (a): Promise<VectorStepResult> => {
        const r = await inner.step(a);
        steps.push({
          finalObs: r.finalObs.map((o) => o && Float32Array.from(o)),
          truncated: Uint8Array.from(r.truncated),
          terminated: Uint8Array.from(r.terminated),
        });
        return r;
      },
    };
    class NoTrainPPO extends PPO {
      protected override train(): Record<string, number> {
        return {};
      }
    }
    const m = new NoTrainPPO(recording, { ...SMALL, seed: 4 });
    await m.learn({ totalTimesteps: 64 });
    let truncations = 0;
    steps.forEach((s, t) =>
      s.truncated.forEach((tr, e) => {
        const i = t * 2 + e;
        expect(m.buffer.truncated[i]).toBe(tr);
        expect(m.buffer.terminated[i]).toBe(s.terminated[e]);
        if (tr && !s.terminated[e]) {
          truncations++;
          expect(m.buffer.finalValues[i]).toBe(m.predictValue(s.finalObs[e]!));
        } else expect(m.buffer.finalValues[i]).toBe(0);
      }),
    );
    expect(truncations).toBeGreaterThan(0);
    await m.close();
  });

  it('Box actions: learns a continuous target; env actions are clipped to the Box', async () => {
    const envs: TargetEnv[] = [];
    const m = new PPO(
      () => {
        const e = new TargetEnv();
        envs.push(e);
        return e;
      },
      {
        numEnvs: 2,
        numSteps: 64,
        numMinibatches: 4,
        updateEpochs: 4,
        learningRate: 3e-3,
        entCoef: 0,
        seed: 1,
        policy: { hiddenSizes: [16] },
      },
    );
    const rewards: number[] = [];
    await m.learn({
      totalTimesteps: 6_400,
      progress: (_d, _t, mm) => rewards.push(mm['rollout/ep_rew_mean']!),
    });
    const received = envs.flatMap((e) => e.received);
    expect(received.every((a) => a >= -1 && a <= 1)).toBe(true);
    // Random actions (σ = 1, clipped) average about −0.9 per step; the policy should clearly beat it.
    expect(rewards[rewards.length - 1]!).toBeGreaterThan(rewards[0]! + 2);
    const a = m.predict(Float32Array.of(0.5), { deterministic: true }) as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    expect(Math.abs(a[0]! - 0.5)).toBeLessThan(0.3);
    await m.close();
  });

  it('does not leak tensors across updates', async () => {
    const m = new PPO(() => new ChainEnv(), { ...SMALL, seed: 8 });
    await m.learn({ totalTimesteps: 64 });
    const before = tf.memory().numTensors;
    await m.learn({ totalTimesteps: 256 });
    expect(tf.memory().numTensors).toBe(before);
    await m.close();
  });

  it('smoke: learns on CartPole-v1 within 10k steps (fixed seed)', async () => {
    const m = new PPO(() => makeEnv('CartPole-v1'), { seed: 1 });
    const t0 = performance.now();
    let last: Record<string, number> = {};
    await m.learn({ totalTimesteps: 10_240, progress: (_d, _t, mm) => (last = { ...mm }) });
    const seconds = (performance.now() - t0) / 1000;
    // Random play averages ~22 steps per episode.
    expect(last['rollout/ep_rew_mean']).toBeGreaterThan(35);
    expect(seconds).toBeLessThan(30);
    await m.close();
  });
});
