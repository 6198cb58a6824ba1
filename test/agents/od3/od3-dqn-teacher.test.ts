/**
 * OD3 on a DQN teacher as the paper runs it: the loss of one update is
 * KL(softmax(Q_T/τ) ‖ softmax(z_S)) with τ = 0.01, one gradient step per update, and the
 * student collects its own experience.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DQN } from '../../../src/agents/dqn.js';
import { teacherFromAlgorithm } from '../../../src/agents/od3/distillation-teacher.js';
import { Od3Distiller } from '../../../src/agents/od3/od3-distiller.js';
import { PixelPong } from '../../../src/envs/pixel-pong.js';
import type { ActorCriticPolicy } from '../../../src/nn/actor-critic-policy.js';
import { initTf } from '../../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const TINY = {
  type: 'cnn' as const,
  conv: [{ filters: 4, kernel: 3, stride: 2 }],
  fc: [16],
};

// log softmax(v / t) in float64.
function logSoftmax(v: ArrayLike<number>, t: number): number[] {
  const z = Array.from(v, (x) => x / t);
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0));
  return z.map((x) => x - lse);
}

describe('OD3 with a CNN DQN teacher', () => {
  it('defaults to τ = 0.01, one step per update, the student as collector', () => {
    const teacher = teacherFromAlgorithm(new DQN(() => new PixelPong(), { seed: 1, net: TINY }));
    const od3 = new Od3Distiller(teacher, () => new PixelPong(), { net: TINY });
    expect(od3.config.tau).toBe(0.01);
    expect(od3.config.gradientSteps).toBe(1);
    expect(od3.config.collector).toBe('student');
    expect(teacher.outputs).toBe('q-values');
  });

  it('an update reports KL(softmax(Q_T/τ) ‖ softmax(z_S)) of its minibatch and takes one step', async () => {
    const dqn = new DQN(() => new PixelPong(), { seed: 2, net: TINY });
    // Spread the teacher's Q-values so that τ = 0.01 leaves a soft (not one-hot) target.
    for (const w of dqn.qNet.hostParams().slice(-2)) for (let i = 0; i < w.length; i++) w[i] = w[i]! * 0.01;
    dqn.qNet.markHostChanged();
    const teacher = teacherFromAlgorithm(dqn);
    const od3 = new Od3Distiller(teacher, () => new PixelPong(), { net: TINY, seed: 3, minibatchSize: 4 });
    // One state in memory: every minibatch is that state.
    const obs = new PixelPong().reset({ seed: 5 }).obs;
    for (let i = 0; i < 8; i++) od3.memory.add(obs);
    const policy = od3.student.policy as ActorCriticPolicy;
    const zS = Float32Array.from(policy.logitsTrain(obs, 1));
    const qT = new Float32Array(6);
    teacher.forward(obs, 1, qT);
    const logPT = logSoftmax(qT, 0.01);
    const logPS = logSoftmax(zS, 1);
    const kl = logPT.reduce((s, lp, a) => s + Math.exp(lp) * (lp - logPS[a]!), 0);
    expect(kl).toBeGreaterThan(1e-3);
    // A soft target: τ = 0.01 was applied, not the argmax.
    expect(Math.max(...logPT.map(Math.exp))).toBeLessThan(0.99);
    const before = policy.getWeights();
    const { kl: reported } = od3.distillStep();
    expect(Math.abs(reported - kl)).toBeLessThan(1e-4 * Math.max(1, kl));
    const after = policy.getWeights();
    expect(Array.from(after['trunk/0']!)).not.toEqual(Array.from(before['trunk/0']!));
    // learn: one update (one gradient step) every updateFreq steps of the student's own acting.
    await od3.learn({ totalTimesteps: 40 });
    expect(od3.counters.numUpdates).toBe(40 / 4);
    expect(od3.memory.size).toBe(8 + 40);
  });
});
