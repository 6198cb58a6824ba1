/**
 * The shared algorithm surface: every TF.js algorithm is created and loaded by the same statics
 * (`DeepAlgorithm.create` / `load`), and the same failure has the same error code in each.
 */
import { readFileSync, rmSync, truncateSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import type { Callback } from '../../src/agents/algorithm.js';
import { DeepAlgorithm } from '../../src/agents/deep-algorithm.js';
import { DQN } from '../../src/agents/dqn.js';
import { PPO } from '../../src/agents/ppo.js';
import { REINFORCE } from '../../src/agents/reinforce.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';

let tmp: string;
beforeAll(async () => {
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-surface-'));
});
const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

describe('one create/load for every TF.js algorithm', () => {
  it('create builds each class; its checkpoint tag is the class name', async () => {
    const models = [
      await PPO.create(cartPole, { numEnvs: 1, numSteps: 8 }),
      await A2C.create(cartPole, { numEnvs: 1 }),
      await REINFORCE.create(cartPole, { numEnvs: 1, numSteps: 8 }),
      await DQN.create(cartPole, { bufferSize: 64 }),
    ];
    expect(models.map((m) => m instanceof DeepAlgorithm)).toEqual([true, true, true, true]);
    expect(models.map((m) => m.algoName)).toEqual(['ppo', 'a2c', 'reinforce', 'dqn']);
    for (const m of models) await m.close();
  });

  it('loading another algorithm’s checkpoint is checkpoint-mismatch in every algorithm', async () => {
    const ppoDir = path.join(tmp, 'ppo');
    const dqnDir = path.join(tmp, 'dqn');
    const ppo = await PPO.create(cartPole, { numEnvs: 1, numSteps: 8 });
    await ppo.save(ppoDir);
    const dqn = await DQN.create(cartPole, { bufferSize: 64 });
    await dqn.save(dqnDir);
    // DQN used to say checkpoint-corrupt here, the on-policy algorithms checkpoint-mismatch.
    await expect(DQN.load(ppoDir, cartPole)).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
    await expect(PPO.load(dqnDir, cartPole)).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
    await expect(A2C.load(ppoDir, cartPole)).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
    await expect(REINFORCE.load(dqnDir, cartPole)).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
    const again = await DQN.load(dqnDir, cartPole);
    expect(again.qNet.getWeights()).toEqual(dqn.qNet.getWeights());
    await Promise.all([ppo.close(), dqn.close(), again.close()]);
  });

  it('a torn DQN replay memory is checkpoint-corrupt, as every other torn checkpoint part', async () => {
    const dir = path.join(tmp, 'dqn-torn');
    const dqn = await DQN.create(cartPole, { bufferSize: 64, learningStarts: 8 });
    await dqn.learn({ totalTimesteps: 16 });
    await dqn.save(dir);
    const file = path.join(dir, 'replay-buffer.bin');
    // Used to surface as the buffer's own 'corrupt-buffer-file', which --resume does not fall back on.
    truncateSync(file, 40);
    await expect(DQN.load(dir, cartPole)).rejects.toMatchObject({ code: 'checkpoint-corrupt' });
    rmSync(file);
    await expect(DQN.load(dir, cartPole)).rejects.toMatchObject({ code: 'checkpoint-corrupt' });
    await dqn.close();
  });

  it('a callback typed against one algorithm reads its members and is refused by another', async () => {
    const seen: number[] = [];
    const ppoOnly: Callback<PPO> = {
      onUpdateEnd: (ctx) => void seen.push(ctx.algo.policy.actionDim),
    };
    const ppo = await PPO.create(cartPole, { numEnvs: 1, numSteps: 8 });
    await ppo.learn({ totalTimesteps: 16, callbacks: [ppoOnly] });
    expect(seen).toEqual([2, 2]);
    const dqn = await DQN.create(cartPole, { bufferSize: 64 });
    // @ts-expect-error a Callback<PPO> reads ctx.algo.policy, which a DQN does not have
    const refused: Parameters<DQN['learn']>[0] = { totalTimesteps: 0, callbacks: [ppoOnly] };
    expect(refused.totalTimesteps).toBe(0);
    await Promise.all([ppo.close(), dqn.close()]);
  });

  it('base-algorithm and callbacks do not import each other (both import algorithm.ts)', () => {
    const src = (f: string): string => readFileSync(path.join('src/agents', f), 'utf8');
    expect(src('base-algorithm.ts')).not.toMatch(/from '\.\/callbacks\.js'/);
    expect(src('callbacks.ts')).not.toMatch(/from '\.\/base-algorithm\.js'/);
  });
});
