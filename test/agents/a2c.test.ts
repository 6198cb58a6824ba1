import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import { makeEnv } from '../../src/core/make-env.js';
import { Rng } from '../../src/core/rng.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { ChainEnv, StatefulChainVectorEnv } from './fixtures/chain-env.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-a2c-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('A2C', () => {
  it('smoke: improves on CartPole-v1 within 8k steps (fixed seed)', async () => {
    const m = new A2C(() => makeEnv('CartPole-v1'), { seed: 1, logInterval: 1 });
    let last: Record<string, number> = {};
    await m.learn({ totalTimesteps: 8_000, progress: (_d, _t, mm) => (last = { ...mm }) });
    expect(m.counters.numUpdates).toBe(200);
    expect(Number.isFinite(last['train/value_loss']!)).toBe(true);
    expect(last['rollout/ep_rew_mean']).toBeGreaterThan(35);
    await m.close();
  });

  it('resume with RMSprop state is exact; masked actions are never taken', async () => {
    const cfg = { numEnvs: 2, numSteps: 5, seed: 4, policy: { hiddenSizes: [16] } };
    const straight = new A2C(new StatefulChainVectorEnv(2, { masked: true }), cfg);
    await straight.learn({ totalTimesteps: 200 });
    const first = new A2C(new StatefulChainVectorEnv(2, { masked: true }), cfg);
    await first.learn({ totalTimesteps: 100, horizon: 200 });
    await first.save(path.join(tmp, 'a2c'));
    const envs = new StatefulChainVectorEnv(2, { masked: true });
    const resumed = await A2C.load(path.join(tmp, 'a2c'), envs);
    await resumed.learn({ totalTimesteps: 100, horizon: 200 });
    expect(resumed.policy.getWeights()).toEqual(straight.policy.getWeights());
    expect(resumed.optimizer.getState()).toEqual(straight.optimizer.getState());
    expect(envs.chains.every((c) => c.maskedTaken === 0)).toBe(true);
    // A checkpoint of another algorithm is refused.
    await expect(
      (await import('../../src/agents/ppo.js')).PPO.load(path.join(tmp, 'a2c'), () => new ChainEnv()),
    ).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
    const rng = new Rng(0);
    const obs = Float32Array.of(rng.random(), 0, 1);
    expect(resumed.predict(obs, { deterministic: true })).toBe(
      straight.predict(obs, { deterministic: true }),
    );
    for (const m of [straight, first, resumed]) await m.close();
  });
});
