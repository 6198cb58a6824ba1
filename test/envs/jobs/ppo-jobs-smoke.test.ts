import { beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../../src/agents/ppo.js';
import { makeEnv } from '../../../src/core/make-env.js';
import type { Discrete } from '../../../src/core/spaces.js';
import { evaluateJobPolicy } from '../../../src/envs/jobs/evaluate-job-policy.js';
import { registerBuiltinEnvs } from '../../../src/envs/register-envs.js';
import { initTf } from '../../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
});

describe('PPO on Jobs-v0 (smoke)', () => {
  for (const envOptions of [{ load: 'medium' }, { load: 'medium', workConserving: true }]) {
    it(`trains a few thousand steps without a masked action, finite slowdown (${JSON.stringify(envOptions)})`, async () => {
      // The env throws on a masked action (invalidAction 'error'), so finishing learn() proves none was taken.
      const model = new PPO(() => makeEnv('Jobs-v0', { options: envOptions }), {
        numEnvs: 2,
        numSteps: 256,
        numMinibatches: 2,
        updateEpochs: 2,
        learningRate: 1e-3,
        normalizeReward: true,
        policy: { hiddenSizes: [32, 32] },
        seed: 3,
      });
      let metrics: Record<string, number> = {};
      await model.learn({ totalTimesteps: 3_072, progress: (_d, _t, m) => (metrics = { ...m }) });
      expect(model.counters.numTimesteps).toBe(3_072);
      expect(model.counters.numEpisodes).toBeGreaterThan(10);
      expect(Number.isFinite(metrics['train/policy_loss']!)).toBe(true);
      expect(Number.isFinite(metrics['train/value_loss']!)).toBe(true);

      // Every stored action was allowed by the mask it was sampled under.
      const { actions, masks } = model.buffer;
      const A = (model.envs.singleActionSpace as Discrete).n;
      expect(masks).toBeDefined();
      for (let i = 0; i < actions.length; i++) expect(masks![i * A + actions[i]!]).toBe(1);

      // Greedy held-out evaluation (stochastic sampling breaks the "advance forever" loops an
      // untrained greedy policy can fall into without workConserving; the mask still applies).
      const deterministic = envOptions.workConserving === true;
      const evaluation = evaluateJobPolicy(
        (obs, mask) => model.predict(obs, { deterministic, mask }) as number,
        { ...envOptions, load: 'medium', episodes: 3, seed: 1_000_000, maxSteps: 1_000 },
      );
      expect(evaluation.slowdowns).toHaveLength(3);
      for (const s of evaluation.slowdowns) {
        expect(Number.isFinite(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(1);
      }
      expect(evaluation.completedJobs).toBeGreaterThan(0);
      await model.close();
    });
  }
});
