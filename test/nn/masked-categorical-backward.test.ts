import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  maskedCategoricalBackward,
  maskedCategoricalForward,
} from '../../src/nn/masked-categorical-backward.js';
import { categoricalEntropy, categoricalLogProb, maskedLogSoftmax } from '../../src/nn/masked-categorical.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

interface Case {
  batch: number;
  n: number;
  logits: Float32Array;
  actions: Int32Array;
  masks: Uint8Array | undefined;
  dLogProb: Float32Array;
  dEntropy: Float32Array;
}

/** Random rows; `allowedActions` keeps each action allowed (finite differences need it). */
const caseArb = (allowedActions: boolean) =>
  fc
    .record({
      batch: fc.integer({ min: 1, max: 6 }),
      n: fc.integer({ min: 2, max: 7 }), // TF.js oneHot needs depth ≥ 2
      masked: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1e6 }),
    })
    .map(({ batch, n, masked, seed }): Case => {
      const rng = new Rng(seed);
      const logits = Float32Array.from({ length: batch * n }, () => (rng.random() * 2 - 1) * 4);
      // Masks may forbid every action of a row (uniform over the row, as in TF.js).
      const masks = masked
        ? Uint8Array.from({ length: batch * n }, () => (rng.random() < 0.6 ? 1 : 0))
        : undefined;
      const actions = Int32Array.from({ length: batch }, () => Math.floor(rng.random() * n));
      if (masks && allowedActions) for (let b = 0; b < batch; b++) masks[b * n + actions[b]!] = 1;
      const dLogProb = Float32Array.from({ length: batch }, () => rng.random() * 2 - 1);
      const dEntropy = Float32Array.from({ length: batch }, () => rng.random() * 2 - 1);
      return { batch, n, logits, actions, masks, dLogProb, dEntropy };
    });

function host(c: Case) {
  const logp = new Float32Array(c.batch * c.n);
  const logProb = new Float32Array(c.batch);
  const entropy = new Float32Array(c.batch);
  maskedCategoricalForward(c.logits, c.batch, c.n, c.actions, c.masks, logp, logProb, entropy);
  const dLogits = new Float32Array(c.batch * c.n);
  maskedCategoricalBackward(logp, c.batch, c.n, c.actions, c.masks, entropy, c.dLogProb, c.dEntropy, dLogits);
  return { logp, logProb, entropy, dLogits };
}

function reference(c: Case) {
  return tf.tidy(() => {
    const x = tf.tensor2d(c.logits, [c.batch, c.n]);
    const m = c.masks ? tf.tensor2d(c.masks, [c.batch, c.n], 'int32') : undefined;
    const a = tf.tensor1d(c.actions, 'int32');
    const parts = (z: tf.Tensor2D) => {
      const logp = maskedLogSoftmax(z, m);
      return { logp, logProb: categoricalLogProb(logp, a), entropy: categoricalEntropy(logp) };
    };
    const loss = (z: tf.Tensor) => {
      const { logProb, entropy } = parts(z as tf.Tensor2D);
      return tf.add(tf.sum(tf.mul(logProb, c.dLogProb)), tf.sum(tf.mul(entropy, c.dEntropy))) as tf.Scalar;
    };
    const out = parts(x);
    return {
      logp: Float32Array.from(out.logp.dataSync()),
      logProb: Float32Array.from(out.logProb.dataSync()),
      entropy: Float32Array.from(out.entropy.dataSync()),
      dLogits: Float32Array.from(tf.grad(loss)(x).dataSync()),
    };
  });
}

function expectClose(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

describe('masked categorical head on host arrays', () => {
  it('property: log-softmax, log π(a), entropy and ∂L/∂logits match TensorFlow.js (masked actions too)', () => {
    fc.assert(
      fc.property(caseArb(false), (c) => {
        const h = host(c);
        const r = reference(c);
        expectClose(h.logp, r.logp, 1e-5);
        expectClose(h.logProb, r.logProb, 1e-5);
        expectClose(h.entropy, r.entropy, 1e-5);
        expectClose(h.dLogits, r.dLogits, 1e-5);
      }),
      { numRuns: 150 },
    );
  });

  it('property: ∂L/∂logits agrees with central finite differences', () => {
    fc.assert(
      fc.property(caseArb(true), (c) => {
        const { dLogits } = host(c);
        const lossAt = (logits: Float32Array): number => {
          const { logProb, entropy } = host({ ...c, logits });
          let l = 0;
          for (let b = 0; b < c.batch; b++) l += c.dLogProb[b]! * logProb[b]! + c.dEntropy[b]! * entropy[b]!;
          return l;
        };
        const eps = 1e-2;
        for (let i = 0; i < c.logits.length; i++) {
          const up = Float32Array.from(c.logits);
          const down = Float32Array.from(c.logits);
          up[i] = up[i]! + eps;
          down[i] = down[i]! - eps;
          const fd = (lossAt(up) - lossAt(down)) / (2 * eps);
          expect(Math.abs(fd - dLogits[i]!)).toBeLessThan(2e-3);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('masked-out logits get no gradient and probability 0; an all-masked row is uniform', () => {
    const c: Case = {
      batch: 2,
      n: 3,
      logits: Float32Array.of(5, 1, -2, 3, 0, 1),
      actions: Int32Array.of(1, 0),
      masks: Uint8Array.of(1, 0, 1, 0, 0, 0),
      dLogProb: Float32Array.of(1, 1),
      dEntropy: Float32Array.of(1, 1),
    };
    const h = host(c);
    expect(h.dLogits[1]).toBe(0);
    expect(Math.exp(h.logp[1]!)).toBe(0);
    expect(h.logProb[0]!).toBeLessThan(-1e8);
    for (let k = 3; k < 6; k++) {
      expect(h.logp[k]!).toBeCloseTo(-Math.log(3), 5);
      expect(h.dLogits[k]).toBe(0);
    }
    expect(h.entropy[1]!).toBeCloseTo(Math.log(3), 5);
  });
});
