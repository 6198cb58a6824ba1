import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/agents/evaluate-policy.js';
import { DQN, dqnTargets, resolveDqnConfig, type DqnConfig } from '../../src/agents/dqn.js';
import { maskedArgmaxOrNone } from '../../src/nn/masked-categorical.js';
import { ArbiterError } from '../../src/core/errors.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { ReplayBuffer } from '../../src/agents/replay-buffer.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';
import { MaskedCorridorEnv } from './fixtures/masked-corridor-env.js';

/** A small, fast CartPole configuration (SB3-zoo-like schedule on a 32×32 net). */
const SMALL: DqnConfig = {
  learningRate: 2.3e-3,
  bufferSize: 10_000,
  learningStarts: 200,
  batchSize: 32,
  trainFreq: 16,
  gradientSteps: 8,
  targetUpdateInterval: 10,
  explorationFraction: 0.2,
  explorationFinalEps: 0.04,
  hiddenSizes: [32, 32],
};

let dir: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  dir = mkdtempSync(join(tmpdir(), 'arbiter-dqn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

describe('dqnTargets (hand-computed)', () => {
  // Three transitions, three actions, γ = 0.9; the third is terminal.
  const base = {
    rewards: [1, 0.5, -1],
    terminated: [0, 0, 1],
    nextQTarget: [1, 5, 2, 3, 0, 4, 9, 9, 9],
    numActions: 3,
    gamma: 0.9,
  };
  const online = [0, 1, 7, 2, 1, 0, 5, 5, 5];

  it('standard DQN: y = r + γ max_a Q_target(s′, a), no bootstrap after termination', () => {
    const y = dqnTargets(base, new Float32Array(3));
    expect(y[0]).toBeCloseTo(1 + 0.9 * 5, 6);
    expect(y[1]).toBeCloseTo(0.5 + 0.9 * 4, 6);
    expect(y[2]).toBeCloseTo(-1, 6);
  });

  it('Double DQN: the online net picks a*, the target net evaluates it', () => {
    const y = dqnTargets({ ...base, nextQOnline: online }, new Float32Array(3));
    // Row 0: online argmax = 2 → Q_target = 2; row 1: online argmax = 0 → Q_target = 3.
    expect(y[0]).toBeCloseTo(1 + 0.9 * 2, 6);
    expect(y[1]).toBeCloseTo(0.5 + 0.9 * 3, 6);
    expect(y[2]).toBeCloseTo(-1, 6);
  });

  it('masks restrict the max (and the Double DQN argmax) to allowed next actions', () => {
    const nextMasks = [1, 0, 1, 0, 1, 0, 1, 1, 1];
    const y = dqnTargets({ ...base, nextMasks }, new Float32Array(3));
    expect(y[0]).toBeCloseTo(1 + 0.9 * 2, 6); // max over {0, 2} of [1, 5, 2]
    expect(y[1]).toBeCloseTo(0.5 + 0.9 * 0, 6); // only action 1 allowed: Q_target = 0
    const yd = dqnTargets(
      { ...base, nextMasks: [1, 1, 0, 1, 1, 0, 1, 1, 1], nextQOnline: online },
      new Float32Array(3),
    );
    expect(yd[0]).toBeCloseTo(1 + 0.9 * 5, 6); // online argmax over {0, 1} of [0, 1, 7] = 1 → Q_target 5
    expect(yd[1]).toBeCloseTo(0.5 + 0.9 * 3, 6); // online argmax over {0, 1} of [2, 1, 0] = 0 → 3
  });

  it('a next state with no allowed action contributes no bootstrap', () => {
    const y = dqnTargets({ ...base, nextMasks: [0, 0, 0, 1, 1, 1, 1, 1, 1] }, new Float32Array(3));
    expect(y[0]).toBeCloseTo(1, 6);
  });

  it('maskedArgmaxOrNone: ties go to the lowest index; −1 when nothing is allowed', () => {
    expect(maskedArgmaxOrNone([3, 7, 7, 1], 0, 4)).toBe(1);
    expect(maskedArgmaxOrNone([3, 7, 7, 1], 0, 4, [1, 0, 1, 1])).toBe(2);
    expect(maskedArgmaxOrNone([9, 9, 3, 7, 7, 1], 2, 4, [0, 1, 0, 1], 0)).toBe(1);
    expect(maskedArgmaxOrNone([3, 7], 0, 2, [0, 0])).toBe(-1);
  });
});

describe('DQN', () => {
  it('rejects invalid configurations with a typed error', () => {
    for (const bad of [
      { tau: 0 },
      { gamma: 1.5 },
      { batchSize: 0 },
      { trainFreq: 2.5 },
      { explorationFinalEps: 2 },
    ])
      expect(() => resolveDqnConfig(bad)).toThrow(ArbiterError);
    expect(() => new DQN(cartPole(), { hiddenSizes: [0] })).toThrow(/hiddenSizes/);
  });

  it('property: masked greedy and ε-greedy actions are always allowed; greedy is the best allowed', () => {
    const env = new MaskedCorridorEnv();
    const agent = new DQN(env, { hiddenSizes: [8], seed: 5 });
    agent.explorationRate = 0.5;
    fc.assert(
      fc.property(
        fc.float32Array({
          minLength: 2,
          maxLength: 2,
          noNaN: true,
          noDefaultInfinity: true,
          min: -10,
          max: 10,
        }),
        fc.uint8Array({ minLength: 4, maxLength: 4, min: 0, max: 1 }).filter((m) => m.some((b) => b === 1)),
        (obs, mask) => {
          const q = agent.qNet.forwardF32(obs, 1);
          const greedy = agent.predict(obs, { deterministic: true, mask });
          expect(mask[greedy]).toBe(1);
          for (let a = 0; a < 4; a++) if (mask[a]) expect(q[a]!).toBeLessThanOrEqual(q[greedy]!);
          for (let k = 0; k < 5; k++)
            expect(mask[agent.predict(obs, { deterministic: false, mask })]).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
    expect(() =>
      agent.predict(Float32Array.of(0, 0), { deterministic: true, mask: new Uint8Array(4) }),
    ).toThrow(ArbiterError);
    agent.dispose();
  });

  it('training on a masked env never takes a masked action; masks and termination go to the buffer', async () => {
    // The fixture throws on a masked action, so finishing the run is the check.
    const env = new MaskedCorridorEnv(6, 12);
    const agent = new DQN(env, {
      ...SMALL,
      learningStarts: 50,
      explorationFraction: 0.5,
      seed: 3,
      doubleDqn: true,
    });
    await agent.learn({ totalTimesteps: 600 });
    expect(env.actionsTaken.length).toBe(600);
    const buf = agent.replayBuffer!;
    expect(buf.maskDim).toBe(4);
    for (let i = 0; i < buf.size; i++) {
      const nextPos = Math.round(buf.nextObs[2 * i]! * 5);
      // terminated ⇔ the next state is the goal cell; truncated transitions (12 steps) are not terminal.
      expect(buf.terminated[i]).toBe(nextPos === 5 ? 1 : 0);
      expect(Array.from(buf.nextMasks.subarray(4 * i, 4 * i + 4))).toEqual(
        nextPos % 2 === 0 ? [1, 1, 0, 0] : [0, 0, 1, 1],
      );
    }
    agent.dispose();
  });

  it('one gradient step moves Q(s, a) toward the TD target and leaves the other actions alone', () => {
    // A linear Q-network: Q(s, ·) = s W + b, so only column a of W and b[a] get a gradient.
    const agent = new DQN(cartPole(), {
      hiddenSizes: [],
      batchSize: 1,
      learningRate: 1e-2,
      gamma: 0.9,
      seed: 4,
    });
    const s = Float32Array.of(0.5, -1, 0.25, 2);
    const s2 = Float32Array.of(0.1, 0.2, -0.3, 0.4);
    agent.replayBuffer = new ReplayBuffer({ capacity: 4, obsDim: 4 });
    agent.replayBuffer.add(s, 1, 1, s2, false);
    const qBefore = Array.from(agent.qNet.forwardF32(s, 1));
    const qNext = agent.qNetTarget.forwardF32(s2, 1);
    const y = 1 + 0.9 * Math.max(qNext[0]!, qNext[1]!);
    const err = qBefore[1]! - y;
    const huber = Math.abs(err) <= 1 ? 0.5 * err * err : Math.abs(err) - 0.5;
    const metrics = (agent as unknown as { train(n: number): Record<string, number> }).train(1);
    const qAfter = Array.from(agent.qNet.forwardF32(s, 1));
    expect(metrics['train/loss']).toBeCloseTo(huber, 5);
    expect(qAfter[0]).toBeCloseTo(qBefore[0]!, 6);
    expect(Math.abs(qAfter[1]! - y)).toBeLessThan(Math.abs(qBefore[1]! - y));
    // Adam's first step moves each parameter by lr against its gradient's sign: Q(s, 1) changes
    // by −lr · sign(err) · (Σ|s_j| + 1).
    expect(qAfter[1]! - qBefore[1]!).toBeCloseTo(-1e-2 * Math.sign(err) * (0.5 + 1 + 0.25 + 2 + 1), 4);
    agent.dispose();
  });

  it('target update: τ = 1 copies the online net, τ < 1 averages (Polyak)', () => {
    const agent = new DQN(cartPole(), { hiddenSizes: [3], tau: 0.25, seed: 6 });
    const online = agent.qNet.getWeights().map((w) => w.map(() => 2));
    const target = agent.qNetTarget.getWeights().map((w) => w.map(() => -2));
    agent.qNet.setWeights(online);
    agent.qNetTarget.setWeights(target);
    (agent as unknown as { updateTarget(): void }).updateTarget();
    // 0.25 · 2 + 0.75 · (−2) = −1
    for (const w of agent.qNetTarget.getWeights()) for (const x of w) expect(x).toBeCloseTo(-1, 6);
    agent.dispose();
    const hard = new DQN(cartPole(), { hiddenSizes: [3], seed: 6 });
    hard.qNet.setWeights(online);
    (hard as unknown as { updateTarget(): void }).updateTarget();
    hard.qNetTarget.getWeights().forEach((w, i) => expect(w).toEqual(online[i]));
    hard.dispose();
  });

  it('is deterministic for a seed (same weights and episode count), and seeds differ', async () => {
    const run = async (seed: number): Promise<{ w: Float32Array[]; episodes: number }> => {
      const agent = new DQN(cartPole(), { ...SMALL, seed });
      await agent.learn({ totalTimesteps: 800 });
      const out = { w: agent.qNet.getWeights(), episodes: agent.counters.numEpisodes };
      agent.dispose();
      return out;
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b.episodes).toBe(a.episodes);
    a.w.forEach((w, i) => expect(b.w[i]).toEqual(w));
    expect(c.w[0]).not.toEqual(a.w[0]);
  });

  it('save/load restores weights, target, optimizer, RNG, counters and replay memory; resumes identically', async () => {
    const agent = new DQN(cartPole(), { ...SMALL, seed: 11, targetUpdateInterval: 300 });
    await agent.learn({ totalTimesteps: 700 });
    const ckpt = join(dir, 'dqn-ckpt');
    await agent.save(ckpt);
    const loaded = await DQN.load(ckpt, cartPole());
    expect(loaded.config).toEqual(agent.config);
    expect(loaded.counters).toEqual(agent.counters);
    expect(loaded.numGradientSteps).toBe(agent.numGradientSteps);
    expect(loaded.explorationRate).toBe(agent.explorationRate);
    expect(loaded.scheduleHorizon).toBe(700);
    loaded.qNet.getWeights().forEach((w, i) => expect(w).toEqual(agent.qNet.getWeights()[i]));
    loaded.qNetTarget.getWeights().forEach((w, i) => expect(w).toEqual(agent.qNetTarget.getWeights()[i]));
    // The target lags (last update at step 600), so it differs from the online net.
    expect(loaded.qNetTarget.getWeights()[0]).not.toEqual(loaded.qNet.getWeights()[0]);
    expect(loaded.replayBuffer!.getState()).toEqual(agent.replayBuffer!.getState());
    // Same RNG state: the same stream of ε-greedy decisions.
    const obs = Float32Array.of(0.01, 0.2, -0.03, 0.1);
    agent.explorationRate = loaded.explorationRate = 0.5;
    const seqA = Array.from({ length: 40 }, () => agent.predict(obs));
    const seqB = Array.from({ length: 40 }, () => loaded.predict(obs));
    expect(seqB).toEqual(seqA);

    // Two resumptions from the same checkpoint continue identically (optimizer state included).
    const r1 = await DQN.load(ckpt, cartPole());
    const r2 = await DQN.load(ckpt, cartPole());
    await r1.learn({ totalTimesteps: 300, horizon: 1000 });
    await r2.learn({ totalTimesteps: 300, horizon: 1000 });
    expect(r1.counters.numTimesteps).toBe(1000);
    expect(r1.numGradientSteps).toBeGreaterThan(agent.numGradientSteps);
    r1.qNet.getWeights().forEach((w, i) => expect(r2.qNet.getWeights()[i]).toEqual(w));
    for (const m of [agent, loaded, r1, r2]) m.dispose();

    await expect(DQN.load(join(dir, 'missing'), cartPole())).rejects.toThrow(ArbiterError);
    await expect(DQN.load(ckpt, new MaskedCorridorEnv())).rejects.toThrow(/actions/);
  });

  it('a save without the replay memory loads with an empty memory', async () => {
    const agent = new DQN(cartPole(), { ...SMALL, seed: 2, saveReplayBuffer: false });
    await agent.learn({ totalTimesteps: 300 });
    const ckpt = join(dir, 'dqn-no-buffer');
    await agent.save(ckpt);
    const loaded = await DQN.load(ckpt, cartPole());
    expect(loaded.replayBuffer).toBeUndefined();
    await loaded.learn({ totalTimesteps: 100 });
    expect(loaded.replayBuffer!.size).toBe(100);
    agent.dispose();
    loaded.dispose();
  });

  it('smoke: a few thousand CartPole steps beat a random policy clearly', async () => {
    const config: DqnConfig = {
      learningRate: 1e-3,
      bufferSize: 10_000,
      learningStarts: 500,
      batchSize: 64,
      trainFreq: 4,
      gradientSteps: 1,
      targetUpdateInterval: 250,
      explorationFraction: 0.3,
      hiddenSizes: [64, 64],
      seed: 2,
    };
    const agent = new DQN(cartPole(), config);
    const tensorsBefore = tf.memory().numTensors;
    const updates: number[] = [];
    await agent.learn({
      totalTimesteps: 6_000,
      callbacks: [{ onUpdateEnd: (ctx) => void updates.push(ctx.numUpdates) }],
    });
    expect(agent.counters.numTimesteps).toBe(6_000);
    expect(tf.memory().numTensors).toBe(tensorsBefore); // no tensor leaks per step or update
    // One training phase per trainFreq steps once past learningStarts.
    expect(updates.length).toBe(Math.floor(6_000 / 4) - Math.floor(500 / 4));
    expect(agent.numGradientSteps).toBe(updates.length);
    const result = evaluatePolicy(
      (obs, mask) => agent.predict(obs, { deterministic: true, mask }),
      cartPole(),
      {
        episodes: 5,
        seed: 123,
      },
    );
    // A uniformly random policy averages about 22 on CartPole.
    expect(result.meanReturn).toBeGreaterThan(60);
    agent.dispose();
  });
});
