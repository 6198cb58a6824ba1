import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DQN, resolveDqnConfig } from '../../src/agents/dqn.js';
import { teacherFromAlgorithm } from '../../src/agents/od3/distillation-teacher.js';
import { Od3Distiller } from '../../src/agents/od3/od3-distiller.js';
import { PPO } from '../../src/agents/ppo.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { Rng } from '../../src/core/rng.js';
import { CartPole } from '../../src/envs/cartpole.js';
import { JobsEnv } from '../../src/envs/jobs/jobs-env.js';
import { PixelPong } from '../../src/envs/pixel-pong.js';
import { Cnn } from '../../src/nn/cnn.js';
import { initTf } from '../../src/nn/tf-backend.js';

let dir: string;
beforeAll(async () => {
  await initTf();
  dir = mkdtempSync(join(tmpdir(), 'arbiter-dqn-cnn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = {
  type: 'cnn' as const,
  conv: [
    { filters: 4, kernel: 3 },
    { filters: 4, kernel: 3, stride: 2 },
  ],
  fc: [16],
};

describe('DQN with a CNN Q-network (net: cnn)', () => {
  it('trains on PixelPong with the host learner; save/load restores the same Q-values', async () => {
    const dqn = new DQN(() => new PixelPong(), {
      seed: 3,
      net: TINY,
      learningStarts: 50,
      bufferSize: 1000,
      targetUpdateInterval: 100,
    });
    expect(dqn.qNet).toBeInstanceOf(Cnn);
    const before = dqn.qNet.getWeights();
    await dqn.learn({ totalTimesteps: 400 });
    expect(dqn.numGradientSteps).toBeGreaterThan(50);
    const after = dqn.qNet.getWeights();
    expect(after.some((w, i) => w.some((v, j) => v !== before[i]![j]))).toBe(true);
    await dqn.save(join(dir, 'pong'));
    const again = await DQN.load(join(dir, 'pong'), () => new PixelPong());
    expect(again.qNet).toBeInstanceOf(Cnn);
    const obs = new PixelPong().reset({ seed: 9 }).obs;
    expect(Array.from(again.qNet.forwardF32(obs, 1))).toEqual(Array.from(dqn.qNet.forwardF32(obs, 1)));
    expect(again.predict(obs, { deterministic: true })).toBe(dqn.predict(obs, { deterministic: true }));
    const predictOnly = await DQN.load(join(dir, 'pong'));
    expect(predictOnly.predict(obs, { deterministic: true })).toBe(dqn.predict(obs, { deterministic: true }));
  });

  it('runs on the image Jobs-v0 with its masks', async () => {
    const make = () => new JobsEnv({ observation: 'image', arrivalSteps: 30 });
    const dqn = new DQN(make, {
      seed: 1,
      net: { type: 'cnn', conv: [{ filters: 4, kernel: 3 }], fc: [] },
      learningStarts: 20,
      bufferSize: 500,
    });
    await dqn.learn({ totalTimesteps: 120 });
    const env = make();
    const { obs, info } = env.reset({ seed: 2 });
    const a = dqn.predict(obs, { deterministic: true, mask: info.actionMask! });
    expect(info.actionMask![a]).toBe(1);
  });

  it('refuses a CNN on a flat observation and a bad net config, naming the fix', () => {
    expect(() => new DQN(() => new CartPole(), { net: TINY })).toThrow(
      /Box observation of shape \[H, W, C\]/,
    );
    expect(() => resolveDqnConfig({ net: { type: 'cnn', conv: [{ filters: 4 }] } })).toThrow(/kernel/);
    expect(() => resolveDqnConfig({ net: { type: 'conv', conv: [] } })).toThrow(/type/);
    expect(
      () => new DQN(() => new PixelPong(), { net: { type: 'cnn', conv: [{ filters: 2, kernel: 11 }] } }),
    ).toThrow(/kernel 11 does not fit the 10×10 input/);
    expect(() => new DQN(() => new PixelPong(), { net: TINY, learner: 'tfjs' })).toThrow(/wasm backend/);
  });

  it('acting is the greedy argmax of the CNN Q-values', () => {
    const dqn = new DQN(() => new PixelPong(), { seed: 5, net: TINY });
    const rng = new Rng(0);
    const env = new PixelPong();
    let { obs } = env.reset({ seed: 1 });
    for (let t = 0; t < 20; t++) {
      const q = dqn.qNet.forwardF32(obs, 1);
      const best = q.indexOf(Math.max(...q));
      expect(dqn.predict(obs, { deterministic: true })).toBe(best);
      obs = env.step(rng.int(6)).obs;
    }
  });

  it('OD3: a CNN student of a CNN DQN teacher saves as a PPO checkpoint and resumes', async () => {
    const teacherDqn = new DQN(() => new PixelPong(), { seed: 7, net: TINY });
    const teacher = teacherFromAlgorithm(teacherDqn);
    const config = { net: TINY, seed: 3, minibatchSize: 8, memorySize: 500 };
    const od3 = new Od3Distiller(teacher, () => new PixelPong(), config);
    await od3.learn({ totalTimesteps: 200, horizon: 400 });
    await od3.save(join(dir, 'od3'));
    const student = await PPO.load(join(dir, 'od3'));
    const obs = new PixelPong().reset({ seed: 4 }).obs;
    expect(student.predict(obs, { deterministic: true })).toBe(od3.predict(obs, { deterministic: true }));
    // The distiller resumes with the same student, optimizer and memory (a new episode starts).
    const resumed = await Od3Distiller.load(join(dir, 'od3'), teacher, () => new PixelPong());
    expect(resumed.memory.size).toBe(200);
    const a = (od3.student.policy as ActorCriticPolicy).getWeights();
    const b = (resumed.student.policy as ActorCriticPolicy).getWeights();
    for (const k of Object.keys(a)) expect(Array.from(b[k]!), k).toEqual(Array.from(a[k]!));
    await resumed.learn({ totalTimesteps: 100, horizon: 400 });
    expect(resumed.counters.numTimesteps).toBe(300);
    const c = (resumed.student.policy as ActorCriticPolicy).getWeights();
    expect(Array.from(c['trunk/0']!)).not.toEqual(Array.from(a['trunk/0']!));
  });
});
