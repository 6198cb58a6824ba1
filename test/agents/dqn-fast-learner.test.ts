/**
 * DQN's fast learner against the TensorFlow.js reference: the TD-loss derivative against finite
 * differences, one (and a few) gradient steps from identical weights and minibatch, the Polyak
 * target update, and checkpoints that move between the two learners.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/agents/checkpoint.js';
import { DQN, dqnTargets, tdLossGrad, type DqnConfig } from '../../src/agents/dqn.js';
import type { ReplayBatch } from '../../src/agents/replay-buffer.js';
import { Rng } from '../../src/core/rng.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { expectSameOptimizerState, maxAbsDiff } from './fixtures/learner-agreement.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-dqn-fast-'));
});

const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

/** The private gradient steps, reached for a fixed minibatch. */
interface Steps {
  gradientStep(b: ReplayBatch): { loss: number; gradNorm: number };
  fastGradientStep(b: ReplayBatch): { loss: number; gradNorm: number };
  updateTarget(): void;
  optimizer: { getState(): Record<string, Float32Array> };
}
const steps = (a: DQN): Steps => a as unknown as Steps;

/**
 * A CartPole-shaped minibatch: half the rows terminal, rewards spread so that the TD errors fall
 * on both sides of the Huber loss's |δ| = 1.
 */
function minibatch(B: number, seed: number): ReplayBatch {
  const rng = new Rng(seed);
  const obs = Float32Array.from({ length: B * 4 }, () => rng.normal());
  const nextObs = Float32Array.from({ length: B * 4 }, () => rng.normal());
  return {
    batchSize: B,
    obs,
    nextObs,
    actions: Int32Array.from({ length: B }, (_, i) => i % 2),
    rewards: Float32Array.from({ length: B }, (_, i) => [0, 0.3, 3, -2.5][i % 4]!),
    terminated: Uint8Array.from({ length: B }, (_, i) => (i >> 1) % 2),
    nextMasks: undefined,
    indices: new Int32Array(B),
  };
}

describe('tdLossGrad', () => {
  it('property: its derivative matches central finite differences of its loss (Huber both sides, MSE)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<'huber' | 'mse'>('huber', 'mse'),
        fc.integer({ min: 0, max: 1e6 }),
        (B, n, loss, seed) => {
          const rng = new Rng(seed);
          const q = Float64Array.from({ length: B * n }, () => 3 * rng.normal());
          const actions = Int32Array.from({ length: B }, () => rng.int(n));
          const targets = Float64Array.from({ length: B }, () => 3 * rng.normal());
          const at = (qq: ArrayLike<number>): number =>
            tdLossGrad({ q: qq, actions, targets, numActions: n, loss }, new Float32Array(B * n));
          const dQ = new Float32Array(B * n);
          tdLossGrad({ q, actions, targets, numActions: n, loss }, dQ);
          const h = 1e-5;
          for (let k = 0; k < B * n; k++) {
            const err = q[k]! - targets[(k / n) | 0]!;
            if (loss === 'huber' && Math.abs(Math.abs(err) - 1) < 1e-3) continue; // the kink
            const up = Float64Array.from(q);
            const dn = Float64Array.from(q);
            up[k] = up[k]! + h;
            dn[k] = dn[k]! - h;
            const fd = (at(up) - at(dn)) / (2 * h);
            expect(Math.abs(dQ[k]! - fd)).toBeLessThan(1e-4);
            // Only the taken action carries a gradient.
            if (k % n !== actions[(k / n) | 0]) expect(dQ[k]).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hand-computed: Huber is ½δ² within |δ| ≤ 1 and |δ| − ½ beyond, MSE is δ², both batch means', () => {
    const q = [2, 0, 0.5, 9, -1, 0];
    const input = { q, actions: [0, 1, 0], targets: [0.5, 7, -1.5], numActions: 2 };
    const dQ = new Float32Array(6);
    // δ = Q(s, a) − y = 2 − 0.5, 9 − 7, −1 − (−1.5) = 1.5, 2, 0.5.
    const huber = tdLossGrad({ ...input, loss: 'huber' }, dQ);
    expect(huber).toBeCloseTo((1 + 1.5 + 0.125) / 3, 6);
    expect(Array.from(dQ)).toEqual([1 / 3, 0, 0, 1 / 3, 0.5 / 3, 0].map(Math.fround));
    const mse = tdLossGrad({ ...input, loss: 'mse' }, dQ);
    expect(mse).toBeCloseTo((2.25 + 4 + 0.25) / 3, 6);
    expect(Array.from(dQ)).toEqual([3 / 3, 0, 0, 4 / 3, 1 / 3, 0].map(Math.fround));
    const small = tdLossGrad({ q: [0.2], actions: [0], targets: [0.5], numActions: 1, loss: 'huber' }, dQ);
    expect(small).toBeCloseTo(0.5 * 0.09, 7);
    expect(dQ[0]).toBeCloseTo(-0.3, 6);
  });
});

describe("DQN learner 'fast' against 'tfjs'", () => {
  const variants: [string, DqnConfig][] = [
    ['Huber, DQN', {}],
    ['Huber, Double DQN, no clipping', { doubleDqn: true, maxGradNorm: Infinity }],
    ['MSE, Double DQN, clipped', { loss: 'mse', doubleDqn: true, maxGradNorm: 0.5 }],
    ['Huber, tanh', { activation: 'tanh', gamma: 0.9 }],
  ];
  for (const [name, cfg] of variants)
    it(`${name}: the same loss, gradient norm and weights after one and five steps (1e-4)`, () => {
      const config: DqnConfig = { hiddenSizes: [16, 8], batchSize: 24, learningRate: 1e-3, seed: 9, ...cfg };
      const fast = new DQN(cartPole(), { ...config, learner: 'fast' });
      const ref = new DQN(cartPole(), { ...config, learner: 'tfjs' });
      expect(fast.qNet.getWeights()).toEqual(ref.qNet.getWeights());
      const batch = minibatch(24, 3);

      // The minibatch covers terminal and bootstrapped rows on both sides of |δ| = 1.
      const q = fast.qNet.forwardF32(batch.obs, 24);
      const y = dqnTargets(
        {
          rewards: batch.rewards,
          terminated: batch.terminated,
          nextQTarget: fast.qNetTarget.forwardF32(batch.nextObs, 24),
          numActions: 2,
          gamma: fast.config.gamma,
        },
        new Float32Array(24),
      );
      const deltas = Array.from(y, (yi, i) => Math.abs(q[2 * i + batch.actions[i]!]! - yi));
      expect(deltas.some((d) => d <= 1)).toBe(true);
      expect(deltas.some((d) => d > 1)).toBe(true);

      for (let s = 0; s < 5; s++) {
        const a = steps(fast).fastGradientStep(batch);
        const b = steps(ref).gradientStep(batch);
        expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4 * Math.max(1, b.loss));
        expect(Math.abs(a.gradNorm - b.gradNorm)).toBeLessThan(1e-4 * Math.max(1, b.gradNorm));
        expect(maxAbsDiff(fast.qNet.getWeights(), ref.qNet.getWeights())).toBeLessThan(1e-4);
      }
      expectSameOptimizerState(steps(fast).optimizer.getState(), steps(ref).optimizer.getState(), 1e-4);
      fast.dispose();
      ref.dispose();
    });

  it('Polyak target update on the host equals the TF.js one', () => {
    const fast = new DQN(cartPole(), { hiddenSizes: [5], tau: 0.3, seed: 2, learner: 'fast' });
    const ref = new DQN(cartPole(), { hiddenSizes: [5], tau: 0.3, seed: 2, learner: 'tfjs' });
    const rng = new Rng(4);
    const online = fast.qNet.getWeights().map((w) => w.map(() => rng.normal()));
    for (const m of [fast, ref]) {
      m.qNet.setWeights(online);
      steps(m).updateTarget();
    }
    expect(maxAbsDiff(fast.qNetTarget.getWeights(), ref.qNetTarget.getWeights())).toBeLessThan(1e-6);
    expect(maxAbsDiff(fast.qNetTarget.getWeights(), online)).toBeGreaterThan(0.01);
    // The TF.js side of the target net follows the host update.
    const x = Float32Array.of(0.1, -0.2, 0.3, 0.4);
    expect(maxAbsDiff([fast.qNetTarget.forwardF32(x, 1)], [ref.qNetTarget.forwardF32(x, 1)])).toBeLessThan(
      1e-6,
    );
    fast.dispose();
    ref.dispose();
  });

  it("'fast' is the default, 'tfjs' is chosen by name, anything else is refused", () => {
    const m = new DQN(cartPole(), { hiddenSizes: [4] });
    expect(m.config.learner).toBe('fast');
    m.dispose();
    expect(() => new DQN(cartPole(), { learner: 'torch' as 'fast' })).toThrow(/learner/);
  });
});

describe('checkpoints move between learners', () => {
  const config: DqnConfig = {
    learningStarts: 50,
    trainFreq: 2,
    targetUpdateInterval: 64,
    tau: 0.5,
    seed: 5,
    bufferSize: 1000,
    hiddenSizes: [16, 16],
  };

  /** Loads `dir` into a model with `learner`, as `DQN.load` would with the saved config. */
  async function loadAs(dir: string, learner: 'fast' | 'tfjs'): Promise<DQN> {
    const ckpt = await loadCheckpoint(dir);
    const m = new DQN(cartPole(), { ...(ckpt.config as DqnConfig), learner });
    m.restoreCheckpoint(ckpt, dir);
    return m;
  }

  it('fast → save → tfjs → save → fast continues, and matches a run that never switched (1e-4)', async () => {
    const straight = new DQN(cartPole(), { ...config, learner: 'fast' });
    await straight.learn({ totalTimesteps: 300, horizon: 300 });

    const first = new DQN(cartPole(), { ...config, learner: 'fast' });
    await first.learn({ totalTimesteps: 100, horizon: 300 });
    await first.save(path.join(tmp, 'a'));
    const mid = await loadAs(path.join(tmp, 'a'), 'tfjs');
    expect(mid.config.learner).toBe('tfjs');
    expect(mid.qNet.getWeights()).toEqual(first.qNet.getWeights());
    expect(steps(mid).optimizer.getState()).toEqual(steps(first).optimizer.getState());
    await mid.learn({ totalTimesteps: 100, horizon: 300 });
    await mid.save(path.join(tmp, 'b'));
    const last = await loadAs(path.join(tmp, 'b'), 'fast');
    expect(last.qNetTarget.getWeights()).toEqual(mid.qNetTarget.getWeights());
    expect(steps(last).optimizer.getState()).toEqual(steps(mid).optimizer.getState());
    await last.learn({ totalTimesteps: 100, horizon: 300 });

    expect(last.counters).toEqual(straight.counters);
    expect(last.numGradientSteps).toBe(straight.numGradientSteps);
    // Same transitions (the env and RNG streams do not depend on the learner) ...
    expect(last.replayBuffer!.getState().actions).toEqual(straight.replayBuffer!.getState().actions);
    // ... and weights equal up to the learners' rounding differences.
    expect(maxAbsDiff(last.qNet.getWeights(), straight.qNet.getWeights())).toBeLessThan(1e-4);
    for (const m of [straight, first, mid, last]) m.dispose();
  });

  it('exact resume on the fast learner: train N, save, load, train M == N + M straight, bit for bit', async () => {
    const straight = new DQN(cartPole(), { ...config, learner: 'fast' });
    await straight.learn({ totalTimesteps: 300 });
    const first = new DQN(cartPole(), { ...config, learner: 'fast' });
    await first.learn({ totalTimesteps: 150, horizon: 300 });
    await first.save(path.join(tmp, 'exact'));
    first.dispose();
    const resumed = await DQN.load(path.join(tmp, 'exact'), cartPole());
    expect(resumed.config.learner).toBe('fast');
    await resumed.learn({ totalTimesteps: 150, horizon: 300 });
    expect(resumed.counters).toEqual(straight.counters);
    expect(resumed.qNet.getWeights()).toEqual(straight.qNet.getWeights());
    expect(resumed.qNetTarget.getWeights()).toEqual(straight.qNetTarget.getWeights());
    expect(steps(resumed).optimizer.getState()).toEqual(steps(straight).optimizer.getState());
    straight.dispose();
    resumed.dispose();
  });
});
