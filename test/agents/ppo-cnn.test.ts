import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../src/agents/ppo.js';
import { Rng } from '../../src/core/rng.js';
import { CartPole } from '../../src/envs/cartpole.js';
import { PixelPong } from '../../src/envs/pixel-pong.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { Cnn } from '../../src/nn/cnn.js';
import { initTf } from '../../src/nn/tf-backend.js';

let dir: string;
beforeAll(async () => {
  await initTf();
  dir = mkdtempSync(join(tmpdir(), 'arbiter-ppo-cnn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NET = { type: 'cnn' as const, conv: [{ filters: 4, kernel: 3, stride: 2 }], fc: [16] };

describe('PPO with a CNN actor-critic (policy.net: cnn)', () => {
  it('trains on PixelPong with the host learner (a shared CNN trunk, two heads) and reloads the same policy', async () => {
    const ppo = new PPO(() => new PixelPong(), { seed: 2, numEnvs: 2, numSteps: 64, policy: { net: NET } });
    const policy = ppo.policy as ActorCriticPolicy;
    expect(policy.trunk).toBeInstanceOf(Cnn);
    const before = policy.getWeights()['trunk/0']!.slice();
    await ppo.learn({ totalTimesteps: 256 });
    expect(policy.getWeights()['trunk/0']!.some((v, i) => v !== before[i])).toBe(true);
    await ppo.save(join(dir, 'pong'));
    const again = await PPO.load(join(dir, 'pong'), () => new PixelPong());
    const env = new PixelPong();
    let { obs } = env.reset({ seed: 4 });
    const rng = new Rng(1);
    for (let t = 0; t < 20; t++) {
      expect(again.predict(obs, { deterministic: true })).toBe(ppo.predict(obs, { deterministic: true }));
      obs = env.step(rng.int(6)).obs;
    }
  });

  it('refuses a CNN on flat observations and a CNN without an fc layer', () => {
    expect(() => new PPO(() => new CartPole(), { policy: { net: NET } })).toThrow(/shape \[H, W, C\]/);
    expect(
      () =>
        new PPO(() => new PixelPong(), {
          policy: { net: { type: 'cnn', conv: [{ filters: 2, kernel: 3 }] } },
        }),
    ).toThrow(/at least one fc layer/);
    expect(() => new PPO(() => new PixelPong(), { learner: 'tfjs', policy: { net: NET } })).toThrow(
      /wasm backend/,
    );
    expect(
      () =>
        new PPO(() => new PixelPong(), {
          policy: { net: { type: 'cnn', conv: [{ filters: 2, kernel: 3, padding: 'same' }] } },
        } as never),
    ).toThrow(/padding/);
  });
});
