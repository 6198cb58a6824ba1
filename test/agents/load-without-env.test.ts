/**
 * `X.load(dir)` without an env (SB3's `PPO.load(path)`): the model is built on the spaces the
 * checkpoint records, predicts exactly as the same checkpoint loaded with its env, and refuses
 * to train (`no-env`). Checkpoints that do not record enough to predict exactly refuse the
 * env-less load instead of guessing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import type { Algorithm } from '../../src/agents/algorithm.js';
import { DQN } from '../../src/agents/dqn.js';
import { PPO } from '../../src/agents/ppo.js';
import { REINFORCE } from '../../src/agents/reinforce.js';
import { makeEnv } from '../../src/core/make-env.js';
import { Rng } from '../../src/core/rng.js';
import type { Space } from '../../src/core/spaces.js';
import { extractPolicyArtifact } from '../../src/deploy/extract-policy-artifact.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { TargetEnv } from './fixtures/target-env.js';

let tmp: string;
beforeAll(async () => {
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-envless-'));
});
const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

/** 20 observations drawn around the origin with a fixed seed, `scale` wide. */
function observations(obsDim: number, scale: number): Float32Array[] {
  const rng = new Rng(7);
  return Array.from({ length: 20 }, () =>
    Float32Array.from({ length: obsDim }, () => rng.uniform(-scale, scale)),
  );
}

/** The model's deterministic and then stochastic predictions on `obs`, as plain numbers. */
function predictions(model: Algorithm, obs: Float32Array[]): number[][] {
  const out: number[][] = [];
  for (const deterministic of [true, false])
    for (const o of obs) {
      const a = model.predict(o, { deterministic });
      out.push(typeof a === 'number' ? [a] : Array.from(a));
    }
  return out;
}

/** Rewrites `dir`'s checkpoint.json through `edit` (the tensors' checksum stays valid). */
function editCheckpointJson(dir: string, edit: (meta: { extra: Record<string, unknown> }) => void): void {
  const file = path.join(dir, 'checkpoint.json');
  const meta = JSON.parse(readFileSync(file, 'utf8')) as { extra: Record<string, unknown> };
  edit(meta);
  writeFileSync(file, JSON.stringify(meta));
}

describe('load(dir) without an env predicts as load(dir, env) and does not train', () => {
  it('PPO on CartPole: equal predictions on 20 observations; learn throws no-env', async () => {
    const dir = path.join(tmp, 'ppo');
    const ppo = await PPO.create(cartPole, { numEnvs: 2, numSteps: 64, seed: 3, normalizeObservation: true });
    await ppo.learn({ totalTimesteps: 256 });
    await ppo.save(dir);
    const withEnv = await PPO.load(dir, cartPole);
    const without = await PPO.load(dir);
    const obs = observations(4, 1);
    const expected = predictions(withEnv, obs);
    expect(predictions(without, obs)).toEqual(expected);
    // Both actions occur, so equal lists are not a constant policy agreeing with itself.
    expect(new Set(expected.map((a) => a[0]))).toEqual(new Set([0, 1]));
    await expect(without.learn({ totalTimesteps: 8 })).rejects.toMatchObject({
      code: 'no-env',
      message: expect.stringMatching(/load it with its env/),
    });
    // Export needs no env either: the artifact is the env-bound model's.
    expect(extractPolicyArtifact(without)).toEqual(extractPolicyArtifact(withEnv));
    await Promise.all([ppo.close(), withEnv.close(), without.close()]);
  });

  it('A2C and REINFORCE share it (the on-policy base)', async () => {
    for (const Algo of [A2C, REINFORCE] as const) {
      const dir = path.join(tmp, Algo.algoName);
      const model = await (Algo as typeof A2C).create(cartPole, { numEnvs: 1, numSteps: 16, seed: 6 });
      await model.learn({ totalTimesteps: 64 });
      await model.save(dir);
      const withEnv = await (Algo as typeof A2C).load(dir, cartPole);
      const without = await (Algo as typeof A2C).load(dir);
      const obs = observations(4, 1);
      expect(predictions(without, obs)).toEqual(predictions(withEnv, obs));
      await expect(without.learn({ totalTimesteps: 8 })).rejects.toMatchObject({ code: 'no-env' });
      await Promise.all([model.close(), withEnv.close(), without.close()]);
    }
  });

  it('PPO on a Box env: the env-less model clips to the recorded bounds as the env-bound one', async () => {
    const dir = path.join(tmp, 'ppo-box');
    const ppo = await PPO.create(() => new TargetEnv(), { numEnvs: 1, numSteps: 32, seed: 5 });
    await ppo.learn({ totalTimesteps: 128 });
    await ppo.save(dir);
    const withEnv = await PPO.load(dir, () => new TargetEnv());
    const without = await PPO.load(dir);
    const obs = observations(1, 3);
    const expected = predictions(withEnv, obs);
    expect(predictions(without, obs)).toEqual(expected);
    // Some stochastic actions land on a bound, so the clipping is exercised.
    expect(expected.flat().some((a) => Math.abs(a) === 1)).toBe(true);
    await expect(without.learn({ totalTimesteps: 8 })).rejects.toMatchObject({ code: 'no-env' });
    await Promise.all([ppo.close(), withEnv.close(), without.close()]);
  });

  it('DQN on CartPole: equal predictions on 20 observations; learn throws no-env', async () => {
    const dir = path.join(tmp, 'dqn');
    const dqn = await DQN.create(cartPole, {
      bufferSize: 512,
      learningStarts: 64,
      seed: 2,
      explorationFraction: 0.5,
    });
    await dqn.learn({ totalTimesteps: 300 });
    await dqn.save(dir);
    const withEnv = await DQN.load(dir, cartPole());
    const without = await DQN.load(dir);
    expect(without.replayBuffer).toBeUndefined(); // nothing to train on: the memory is not read
    const obs = observations(4, 1);
    const expected = predictions(withEnv, obs);
    expect(predictions(without, obs)).toEqual(expected);
    expect(without.explorationRate).toBe(withEnv.explorationRate);
    expect(extractPolicyArtifact(without)).toEqual(extractPolicyArtifact(withEnv));
    await expect(without.learn({ totalTimesteps: 8 })).rejects.toMatchObject({ code: 'no-env' });
    await Promise.all([dqn.close(), withEnv.close(), without.close()]);
  });

  it('a custom policy factory is passed after an undefined env', async () => {
    const factory = (obsDim: number, space: Space, rng: Rng): ActorCriticPolicy =>
      new ActorCriticPolicy(obsDim, space, { hiddenSizes: [8], activation: 'tanh', shareTrunk: false }, rng);
    const dir = path.join(tmp, 'ppo-factory');
    const ppo = await PPO.create(cartPole, { numEnvs: 1, numSteps: 32, seed: 4 }, factory);
    await ppo.learn({ totalTimesteps: 64 });
    await ppo.save(dir);
    const without = await PPO.load(dir, undefined, factory);
    const withEnv = await PPO.load(dir, cartPole, factory);
    const obs = observations(4, 1);
    expect(predictions(without, obs)).toEqual(predictions(withEnv, obs));
    // Without the factory the default MLP does not fit the saved layers.
    await expect(PPO.load(dir)).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
    await Promise.all([ppo.close(), withEnv.close(), without.close()]);
  });
});

describe('older checkpoints (no full space record)', () => {
  it('on-policy Discrete still loads without an env; Box without bounds refuses with no-env', async () => {
    const discrete = path.join(tmp, 'old-ppo');
    const ppo = await PPO.create(cartPole, { numEnvs: 1, numSteps: 16, seed: 1 });
    await ppo.learn({ totalTimesteps: 32 });
    await ppo.save(discrete);
    const strip = (meta: { extra: Record<string, unknown> }): void => {
      const spaces = meta.extra['spaces'] as Record<string, unknown>;
      delete spaces['observationSpace'];
      delete spaces['actionSpace'];
    };
    editCheckpointJson(discrete, strip);
    const obs = observations(4, 1);
    const withEnv = await PPO.load(discrete, cartPole);
    const without = await PPO.load(discrete);
    expect(predictions(without, obs)).toEqual(predictions(withEnv, obs));

    const box = path.join(tmp, 'old-ppo-box');
    const boxPpo = await PPO.create(() => new TargetEnv(), { numEnvs: 1, numSteps: 16, seed: 1 });
    await boxPpo.save(box);
    editCheckpointJson(box, strip);
    await expect(PPO.load(box)).rejects.toMatchObject({
      code: 'no-env',
      message: expect.stringMatching(/Box\(1\) without their bounds/),
    });
    const boxBack = await PPO.load(box, () => new TargetEnv());
    await Promise.all([ppo.close(), withEnv.close(), without.close(), boxPpo.close(), boxBack.close()]);
  });

  it('DQN without extra.spaces loads with its env only', async () => {
    const dir = path.join(tmp, 'old-dqn');
    const dqn = await DQN.create(cartPole, { bufferSize: 64, learningStarts: 8 });
    await dqn.learn({ totalTimesteps: 16 });
    await dqn.save(dir);
    editCheckpointJson(dir, (meta) => delete meta.extra['spaces']);
    await expect(DQN.load(dir)).rejects.toMatchObject({ code: 'no-env' });
    const back = await DQN.load(dir, cartPole());
    expect(back.qNet.getWeights()).toEqual(dqn.qNet.getWeights());
    await Promise.all([dqn.close(), back.close()]);
  });
});
