/**
 * The OD3 distiller's fast learner against the TensorFlow.js reference: the cross-entropy
 * gradient against TF.js autodiff and finite differences (masks included), distillation steps
 * from identical weights and minibatches, and checkpoints that move between the two learners.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  distillationLossGrad,
  Od3Distiller,
  sharpenedSoftmax,
  type Od3Config,
} from '../../../src/agents/od3/od3-distiller.js';
import { makeEnv } from '../../../src/core/make-env.js';
import { Rng } from '../../../src/core/rng.js';
import { registerBuiltinEnvs } from '../../../src/envs/register-envs.js';
import type { ActorCriticPolicy } from '../../../src/nn/actor-critic-policy.js';
import { maskedLogSoftmax } from '../../../src/nn/masked-categorical.js';
import { initTf, tf } from '../../../src/nn/tf-backend.js';
import { heuristicTeacher } from '../fixtures/heuristic-teacher.js';
import { expectSameOptimizerState, maxAbsDiff } from '../fixtures/learner-agreement.js';

const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

let dir: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  dir = mkdtempSync(join(tmpdir(), 'arbiter-od3-fast-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Random student logits, sharpened teacher targets and masks (at least one action allowed per row). */
function problem(B: number, n: number, seed: number, masked: boolean) {
  const rng = new Rng(seed);
  const z = Float32Array.from({ length: B * n }, () => 2 * rng.normal());
  const mask = masked ? Uint8Array.from({ length: B * n }, () => (rng.random() < 0.7 ? 1 : 0)) : undefined;
  if (mask) for (let b = 0; b < B; b++) mask[b * n + rng.int(n)] = 1;
  const teacher = Float32Array.from({ length: B * n }, () => rng.normal());
  const pT = new Float32Array(B * n);
  for (let b = 0; b < B; b++) sharpenedSoftmax(teacher, b * n, n, 0.5, mask, pT);
  return { z, pT, mask };
}

describe('distillationLossGrad', () => {
  it('property: loss and ∂L/∂z equal TF.js autodiff of −mean Σ p_T · maskedLogSoftmax(z) (1e-5)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (B, n, masked, seed) => {
          const { z, pT, mask } = problem(B, n, seed, masked);
          const dz = new Float32Array(B * n);
          const loss = distillationLossGrad(z, pT, mask, B, n, dz);
          const [refLoss, refGrad] = tf.tidy(() => {
            const p = tf.tensor2d(pT, [B, n]);
            const m = mask ? tf.tensor2d(mask, [B, n], 'int32') : undefined;
            const f = (x: tf.Tensor): tf.Scalar =>
              tf.neg(tf.mean(tf.sum(tf.mul(p, maskedLogSoftmax(x as tf.Tensor2D, m)), 1))) as tf.Scalar;
            const zt = tf.tensor2d(z, [B, n]);
            return [f(zt).dataSync()[0]!, tf.grad(f)(zt).dataSync() as Float32Array];
          });
          expect(Math.abs(loss - refLoss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(refLoss)));
          dz.forEach((g, k) => expect(Math.abs(g - refGrad[k]!)).toBeLessThan(1e-5));
          if (mask) dz.forEach((g, k) => mask[k] || expect(g).toBe(0));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('property: ∂L/∂z matches central finite differences of the loss', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer(),
        (B, n, seed) => {
          const { z, pT, mask } = problem(B, n, seed, true);
          const z64 = Float64Array.from(z);
          const scratch = new Float32Array(B * n);
          const dz = new Float32Array(B * n);
          distillationLossGrad(z64, pT, mask, B, n, dz);
          const h = 1e-5;
          for (let k = 0; k < B * n; k++) {
            const up = Float64Array.from(z64);
            const dn = Float64Array.from(z64);
            up[k] = up[k]! + h;
            dn[k] = dn[k]! - h;
            const fd =
              (distillationLossGrad(up, pT, mask, B, n, scratch) -
                distillationLossGrad(dn, pT, mask, B, n, scratch)) /
              (2 * h);
            expect(Math.abs(dz[k]! - fd)).toBeLessThan(1e-5);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** The optimizer of a distiller (private), for its state. */
interface Inside {
  optimizer: { getState(): Record<string, Float32Array> };
}
const adamState = (d: Od3Distiller): Record<string, Float32Array> =>
  (d as unknown as Inside).optimizer.getState();
const actorWeights = (d: Od3Distiller): Float32Array[] =>
  (d.student.policy as ActorCriticPolicy).actor.getWeights();

describe("Od3Distiller learner 'fast' against 'tfjs'", () => {
  for (const [name, cfg] of [
    ['τ = 0.01, tanh, clipped', { tau: 0.01, maxGradNorm: 0.05 }],
    ['τ = 1, relu, masks', { tau: 1, activation: 'relu', maxGradNorm: Infinity }],
  ] as [string, Partial<Od3Config>][])
    it(`${name}: the same KL, gradient norm and student weights over five steps (1e-4)`, () => {
      const config: Od3Config = {
        hiddenSizes: [16, 8],
        minibatchSize: 16,
        learningRate: 1e-3,
        seed: 4,
        ...cfg,
      };
      const fast = new Od3Distiller(heuristicTeacher, cartPole, { ...config, learner: 'fast' });
      const ref = new Od3Distiller(heuristicTeacher, cartPole, { ...config, learner: 'tfjs' });
      expect(actorWeights(fast)).toEqual(actorWeights(ref));
      const rng = new Rng(7);
      for (let i = 0; i < 64; i++) {
        const obs = Float32Array.from({ length: 4 }, () => rng.normal());
        const mask = cfg.activation === 'relu' && i % 3 === 0 ? Uint8Array.of(i % 2, 1 - (i % 2)) : undefined;
        fast.memory.add(obs, mask);
        ref.memory.add(obs, mask);
      }
      for (let s = 0; s < 5; s++) {
        const a = fast.distillStep();
        const b = ref.distillStep();
        expect(Math.abs(a.kl - b.kl)).toBeLessThan(1e-4 * Math.max(1, b.kl));
        expect(Math.abs(a.gradNorm - b.gradNorm)).toBeLessThan(1e-4 * Math.max(1, b.gradNorm));
        expect(maxAbsDiff(actorWeights(fast), actorWeights(ref))).toBeLessThan(1e-4);
      }
      expect(adamState(fast)['adam/step']).toEqual(Float32Array.of(5));
      expectSameOptimizerState(adamState(fast), adamState(ref), 1e-4);
      void fast.close();
      void ref.close();
    });

  it("'fast' is the default; a checkpoint continues under the other learner and back", async () => {
    const config: Od3Config = { hiddenSizes: [8], minibatchSize: 8, seed: 2 };
    const d = await Od3Distiller.create(heuristicTeacher, cartPole, config);
    expect(d.config.learner).toBe('fast');
    await d.learn({ totalTimesteps: 200 });
    await d.save(join(dir, 'fast'));

    const asFast = await Od3Distiller.load(join(dir, 'fast'), heuristicTeacher, cartPole);
    const asTf = await Od3Distiller.load(join(dir, 'fast'), heuristicTeacher, cartPole, { learner: 'tfjs' });
    expect(asFast.config.learner).toBe('fast');
    expect(asTf.config.learner).toBe('tfjs');
    for (const m of [asFast, asTf]) {
      expect(actorWeights(m)).toEqual(actorWeights(d));
      expect(adamState(m)).toEqual(adamState(d));
    }
    // The same continuation on either learner, up to rounding.
    await asFast.learn({ totalTimesteps: 100 });
    await asTf.learn({ totalTimesteps: 100 });
    expect(asTf.counters).toEqual(asFast.counters);
    expect(maxAbsDiff(actorWeights(asTf), actorWeights(asFast))).toBeLessThan(1e-4);
    expect(maxAbsDiff(actorWeights(asTf), actorWeights(d))).toBeGreaterThan(1e-4);

    // And back: the TF.js run's checkpoint continues on the fast learner with its exact state.
    await asTf.save(join(dir, 'tfjs'));
    const back = await Od3Distiller.load(join(dir, 'tfjs'), heuristicTeacher, cartPole, { learner: 'fast' });
    expect(actorWeights(back)).toEqual(actorWeights(asTf));
    expect(adamState(back)).toEqual(adamState(asTf));
    await back.learn({ totalTimesteps: 50 });
    expect(back.counters.numTimesteps).toBe(350);
    for (const m of [d, asFast, asTf, back]) await m.close();
  });
});
