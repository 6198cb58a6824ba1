import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import { DQN } from '../../src/agents/dqn.js';
import { PPO } from '../../src/agents/ppo.js';
import { QLearning } from '../../src/agents/tabular/q-learning.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-exact-resume-'));
});

const weights = (m: PPO | A2C): Record<string, Float32Array> => m.policy.getWeights();

// Envs built from a factory (as `arbiter train` does): the vector env logs each copy's actions, so
// a resumed run replays them and continues mid-episode with the same env RNG states.
describe('a resumed run continues the same run bit for bit', () => {
  for (const learner of ['fast', 'tfjs'] as const)
    for (const [name, env, Algo, cfg] of [
      [
        'PPO on CartPole-v1',
        'CartPole-v1',
        PPO,
        {
          numEnvs: 2,
          numSteps: 32,
          numMinibatches: 2,
          updateEpochs: 2,
          normalizeObservation: true,
          normalizeReward: true,
        },
      ],
      ['A2C on Jobs-v0', 'Jobs-v0', A2C, { numEnvs: 2, numSteps: 8 }],
    ] as const)
      it(`${name} (learner '${learner}'): train N, save, load, train M == train N + M straight (exact weights, optimizer, counters)`, async () => {
        const factory = () => makeEnv(env);
        const config = { ...cfg, seed: 3, learner };
        const N = 192;
        const M = 128;
        const straight = await (Algo as typeof PPO).create(factory, config);
        await straight.learn({ totalTimesteps: N + M });

        const first = await (Algo as typeof PPO).create(factory, config);
        await first.learn({ totalTimesteps: N, horizon: N + M });
        const dir = path.join(tmp, name.replace(/\W+/g, '-'));
        await first.save(dir);
        await first.close();
        const resumed = await (Algo as typeof PPO).load(dir, factory);
        await resumed.learn({ totalTimesteps: M, horizon: N + M });

        expect(resumed.counters).toEqual(straight.counters);
        expect(weights(resumed)).toEqual(weights(straight));
        expect(resumed.optimizer.getState()).toEqual(straight.optimizer.getState());
        expect(resumed.normalizer.getState()).toEqual(straight.normalizer.getState());
        expect(resumed.episodes.getState()).toEqual(straight.episodes.getState());
        await straight.close();
        await resumed.close();
      });

  it('DQN on CartPole-v1: the saved episode continues (env replayed), weights and memory identical', async () => {
    const config = { learningStarts: 50, trainFreq: 2, targetUpdateInterval: 64, seed: 5, bufferSize: 1000 };
    const N = 150;
    const M = 150;
    const straight = new DQN(makeEnv('CartPole-v1'), config);
    await straight.learn({ totalTimesteps: N + M });
    const first = new DQN(makeEnv('CartPole-v1'), config);
    await first.learn({ totalTimesteps: N, horizon: N + M });
    const dir = path.join(tmp, 'dqn');
    await first.save(dir);
    first.dispose();
    const resumed = await DQN.load(dir, makeEnv('CartPole-v1'));
    await resumed.learn({ totalTimesteps: M, horizon: N + M });
    expect(resumed.counters).toEqual(straight.counters);
    expect(resumed.qNet.getWeights()).toEqual(straight.qNet.getWeights());
    expect(resumed.replayBuffer!.size).toBe(straight.replayBuffer!.size);
    straight.dispose();
    resumed.dispose();
  });

  it('Q-learning on a slippery GridWorld: the saved episode continues, the Q table is identical', async () => {
    const env = () => makeEnv<number, number>('GridWorld-v0', { options: { size: 4, slip: 0.3 } });
    const config = { seed: 2, epsilon: { fraction: 0.5 } };
    const straight = new QLearning(env(), config);
    await straight.learn({ totalTimesteps: 600 });
    const first = new QLearning(env(), config);
    await first.learn({ totalTimesteps: 250, horizon: 600 });
    const dir = path.join(tmp, 'q');
    await first.save(dir);
    const resumed = await QLearning.load(dir, env());
    await resumed.learn({ totalTimesteps: 350, horizon: 600 });
    expect(resumed.counters).toEqual(straight.counters);
    expect(resumed.Q).toEqual(straight.Q);
  });
});
