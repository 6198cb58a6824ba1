import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointCallback, type Callback } from '../../src/agents/callbacks.js';
import { loadCheckpoint } from '../../src/agents/checkpoint.js';
import { DQN } from '../../src/agents/dqn.js';
import { PPO } from '../../src/agents/ppo.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';

registerBuiltinEnvs();

/** A callback that writes NaN into the first weight of the model after update `at`. */
function poisonAfter(at: number, poison: () => void): Callback {
  return {
    onUpdateEnd: (ctx) => {
      if (ctx.numUpdates === at) poison();
    },
  };
}

describe('non-finite weights stop training and never reach a checkpoint', () => {
  it('PPO: stops at the next update with non-finite; latest/ keeps the last good state', async () => {
    await initTf();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-nan-'));
    const m = await PPO.create(() => makeEnv('CartPole-v1'), { numEnvs: 1, numSteps: 32, seed: 1 });
    const poison = (): void => {
      const w = m.policy.getWeights();
      const k = Object.keys(w)[0]!;
      w[k]![0] = Number.NaN;
      m.policy.setWeights(w);
    };
    const ckpt = new CheckpointCallback({ dir, everySteps: 32 });
    await expect(
      m.learn({ totalTimesteps: 320, callbacks: [ckpt, poisonAfter(3, poison)] }),
    ).rejects.toMatchObject({
      code: 'non-finite',
      message: expect.stringMatching(/ppo training diverged at step 128 \(update 4\)/),
    });
    const latest = await loadCheckpoint(path.join(dir, 'latest'));
    expect(latest.counters.numTimesteps).toBe(96);
    for (const t of Object.values(latest.tensors)) expect(t.every(Number.isFinite)).toBe(true);
    // A direct save is refused too, leaving the checkpoint on disk as it was.
    const before = await readFile(path.join(dir, 'latest', 'tensors.bin'));
    await expect(m.save(path.join(dir, 'latest'))).rejects.toMatchObject({ code: 'non-finite' });
    expect(await readFile(path.join(dir, 'latest', 'tensors.bin'))).toEqual(before);
    await m.close();
  });

  it('DQN: a non-finite weight stops the run', async () => {
    await initTf();
    const m = new DQN(makeEnv('CartPole-v1'), { learningStarts: 10, seed: 1 });
    const poison = (): void => {
      const w = m.qNet.getWeights();
      w[0]![0] = Number.POSITIVE_INFINITY;
      m.qNet.setWeights(w);
    };
    await expect(m.learn({ totalTimesteps: 200, callbacks: [poisonAfter(2, poison)] })).rejects.toMatchObject(
      {
        code: 'non-finite',
      },
    );
    m.dispose();
  });
});
