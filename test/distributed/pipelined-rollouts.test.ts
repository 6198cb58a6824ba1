/**
 * Pipelined rollouts (`--async-rollouts`): the runners collect rollout i + 1 while the learner
 * trains on rollout i, one update behind. A fixed seed gives one run, bit for bit; the run differs
 * from K = 0 (documented lag of one update) yet still learns CartPole; a learner whose action
 * stream moved away from the prefetch is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../src/agents/ppo.js';
import type { RolloutRequest } from '../../src/agents/rollout-source.js';
import { makeEnv } from '../../src/core/make-env.js';
import { Rng } from '../../src/core/rng.js';
import { LocalEnvRunners } from '../../src/distributed/env-runner-pool.js';
import { PipelinedRollouts } from '../../src/distributed/pipelined-rollouts.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { expectSameRun, ppoRunFingerprint } from '../helpers/ppo-run-fingerprint.js';

beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
});

const CONFIG = { numEnvs: 4, numSteps: 64, updateEpochs: 2, numMinibatches: 2, seed: 3 };
const STEPS = 4 * 4 * 64;
const pipelined = (runners: number) => async (numEnvs: number) =>
  new PipelinedRollouts(await LocalEnvRunners.start({ env: { id: 'CartPole-v1' }, numEnvs, runners }));

describe('pipelined rollouts', () => {
  it(
    'a fixed seed gives one run (K = 1 twice, K = 2), which is not the K = 0 run',
    { timeout: 120_000 },
    async () => {
      const a = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS, pipelined(1));
      const b = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS, pipelined(1));
      expectSameRun(b, a, 'pipelined K = 1, second run');
      const c = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS, pipelined(2));
      expectSameRun(c, a, 'pipelined K = 2');
      const sync = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS);
      // As many logged updates, but the weights lag by one update: another run.
      expect(a.metrics.length).toBe(sync.metrics.length);
      expect(a.tensors).not.toEqual(sync.tensors);
    },
  );

  it('learns CartPole-v1 within 10k steps (K = 1, fixed seed)', { timeout: 120_000 }, async () => {
    const m = new PPO(() => makeEnv('CartPole-v1'), { seed: 1 });
    const source = await pipelined(1)(m.config.numEnvs);
    let last: Record<string, number> = {};
    try {
      m.useRolloutSource(source);
      await m.learn({ totalTimesteps: 10_240, progress: (_d, _t, mm) => (last = { ...mm }) });
    } finally {
      await source.close();
      await m.close();
    }
    expect(source.prefetched).toBeGreaterThan(0);
    // Random play averages ~22 steps per episode (the same bar as K = 0's smoke test).
    expect(last['rollout/ep_rew_mean']).toBeGreaterThan(35);
  });

  it(
    'refuses a request that does not continue from the prefetched rollout',
    { timeout: 60_000 },
    async () => {
      const m = new PPO(() => makeEnv('CartPole-v1'), { numEnvs: 2, numSteps: 8, seed: 2 });
      const source = await pipelined(1)(2);
      try {
        const request: RolloutRequest = {
          policy: m.policy,
          obsDim: 4,
          numSteps: 8,
          actionRngState: new Rng(5).getState(),
          resetSeed: 2,
        };
        const first = await source.collect(request);
        const second = await source.collect({ ...request, actionRngState: first.actionRngState });
        expect(second.obs.length).toBe(8 * 2 * 4);
        await expect(source.collect(request)).rejects.toThrow(/other than the one prefetched/);
      } finally {
        await source.close();
        await m.close();
      }
    },
  );
});
