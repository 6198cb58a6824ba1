import { beforeAll, describe, expect, it } from 'vitest';
import { REINFORCE } from '../../src/agents/reinforce.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { ChainEnv } from './fixtures/chain-env.js';

beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
});

describe('REINFORCE', () => {
  it('smoke: improves on CartPole-v1 within 8k steps (fixed seed)', async () => {
    const m = new REINFORCE(() => makeEnv('CartPole-v1'), { seed: 2, numSteps: 128, learningRate: 3e-3 });
    let last: Record<string, number> = {};
    await m.learn({ totalTimesteps: 8_192, progress: (_d, _t, mm) => (last = { ...mm }) });
    expect(Number.isFinite(last['train/policy_loss']!)).toBe(true);
    expect(last['rollout/ep_rew_mean']).toBeGreaterThan(35);
    await m.close();
  });

  it('uses only steps whose episode ended inside the rollout, with Monte-Carlo returns', async () => {
    class Probe extends REINFORCE {
      seen: { returns: Float32Array; valid: Uint8Array } | undefined;
      protected override train(lr: number): Record<string, number> {
        this.seen = {
          returns: Float32Array.from(this.buffer.returns),
          valid: Uint8Array.from((this as unknown as { valid: Uint8Array }).valid),
        };
        return super.train(lr);
      }
    }
    const m = new Probe(() => new ChainEnv({ maxSteps: 6, slip: 0 }), {
      numEnvs: 1,
      numSteps: 10,
      seed: 1,
      baseline: false,
      gamma: 0.5,
    });
    await m.learn({ totalTimesteps: 10 });
    const { returns, valid } = m.seen!;
    const b = m.buffer;
    let lastEnd = -1;
    for (let t = 0; t < 10; t++) if (b.terminated[t] || b.truncated[t]) lastEnd = t;
    expect(lastEnd).toBeGreaterThanOrEqual(0);
    for (let t = 0; t < 10; t++) expect(valid[t]).toBe(t <= lastEnd ? 1 : 0);
    // G_t = r_t + γ G_{t+1} within an episode; no bootstrap at its end (no baseline).
    for (let t = 0; t <= lastEnd; t++) {
      const ends = b.terminated[t] || b.truncated[t];
      const next = ends ? 0 : returns[t + 1]!;
      expect(returns[t]).toBeCloseTo(b.rewards[t]! + 0.5 * next, 5);
    }
    await m.close();
  });
});
