import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  categoricalEntropy,
  categoricalLogProb,
  maskedArgmax,
  maskedEntropy,
  maskedLogProb,
  maskedLogSoftmax,
  sampleMaskedCategorical,
} from '../../src/nn/masked-categorical.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const logitsArb = (n: number) =>
  fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: n, maxLength: n });
const maskArb = (n: number) =>
  fc
    .array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n })
    .filter((m) => m.some((x) => x === 1));

describe('masked categorical (Float32 path)', () => {
  it('property: a masked action is never sampled, stochastic or deterministic', () => {
    fc.assert(
      fc.property(logitsArb(6), maskArb(6), fc.integer(), (logits, maskArr, seed) => {
        const mask = Uint8Array.from(maskArr);
        const rng = new Rng(seed);
        for (let k = 0; k < 50; k++) {
          const a = sampleMaskedCategorical(logits, 0, 6, rng, false, mask);
          expect(mask[a]).toBe(1);
        }
        expect(mask[sampleMaskedCategorical(logits, 0, 6, rng, true, mask)]).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('masked actions are never sampled even when their logit is by far the largest', () => {
    const logits = [0, 50, 0, 50];
    const mask = Uint8Array.of(1, 0, 1, 0);
    const rng = new Rng(1);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 4000; k++) counts[sampleMaskedCategorical(logits, 0, 4, rng, false, mask)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    // The two allowed equal logits share the mass evenly.
    expect(Math.abs(counts[0]! - 2000)).toBeLessThan(200);
    expect(maskedArgmax(logits, 0, 4, mask)).toBe(0);
  });

  it('log-prob and entropy are those of the softmax restricted to allowed actions', () => {
    const logits = [1, 2, 3, 4];
    const mask = Uint8Array.of(1, 0, 1, 1);
    const z = Math.exp(1) + Math.exp(3) + Math.exp(4);
    const p = [Math.exp(1) / z, 0, Math.exp(3) / z, Math.exp(4) / z];
    expect(maskedLogProb(logits, 0, 4, 2, mask)).toBeCloseTo(Math.log(p[2]!), 10);
    expect(maskedLogProb(logits, 0, 4, 1, mask)).toBe(Number.NEGATIVE_INFINITY);
    const h = -[0, 2, 3].reduce((s, i) => s + p[i]! * Math.log(p[i]!), 0);
    expect(maskedEntropy(logits, 0, 4, mask)).toBeCloseTo(h, 10);
    // One allowed action: probability 1, entropy 0.
    expect(maskedLogProb(logits, 0, 4, 0, Uint8Array.of(1, 0, 0, 0))).toBeCloseTo(0, 12);
    expect(maskedEntropy(logits, 0, 4, Uint8Array.of(1, 0, 0, 0))).toBeCloseTo(0, 12);
    // No mask: the plain softmax.
    const zAll = [1, 2, 3, 4].reduce((s, l) => s + Math.exp(l), 0);
    expect(maskedLogProb(logits, 0, 4, 3)).toBeCloseTo(4 - Math.log(zAll), 10);
  });

  it('sample frequencies follow the masked softmax', () => {
    const logits = [0, Math.log(3), 5, 0];
    const mask = Uint8Array.of(1, 1, 0, 0);
    const rng = new Rng(9);
    let ones = 0;
    const n = 20000;
    for (let k = 0; k < n; k++) ones += sampleMaskedCategorical(logits, 0, 4, rng, false, mask);
    expect(ones / n).toBeCloseTo(0.75, 1);
  });

  it('rejects an all-zero mask with a typed error', () => {
    expect(() => sampleMaskedCategorical([1, 2], 0, 2, new Rng(0), false, Uint8Array.of(0, 0))).toThrow(
      expect.objectContaining({ code: 'empty-mask' }),
    );
  });
});

describe('masked categorical (tensor path)', () => {
  it('property: tensor log-probs and entropies equal the Float32 ones; masked probability is exactly 0', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(logitsArb(5), maskArb(5)), { minLength: 1, maxLength: 6 }), (rows) => {
        const batch = rows.length;
        const flatLogits = rows.flatMap(([l]) => l);
        const flatMask = Uint8Array.from(rows.flatMap(([, m]) => m));
        const actions = rows.map(([, m]) => m.indexOf(1));
        const [lp, ent, probs] = tf.tidy(() => {
          const logp = maskedLogSoftmax(
            tf.tensor2d(flatLogits, [batch, 5]),
            tf.tensor2d(flatMask, [batch, 5], 'int32'),
          );
          return [
            categoricalLogProb(logp, tf.tensor1d(actions, 'int32')).dataSync(),
            categoricalEntropy(logp).dataSync(),
            tf.exp(logp).dataSync(),
          ];
        });
        for (let b = 0; b < batch; b++) {
          expect(lp[b]).toBeCloseTo(maskedLogProb(flatLogits, b * 5, 5, actions[b]!, flatMask), 3);
          expect(ent[b]).toBeCloseTo(maskedEntropy(flatLogits, b * 5, 5, flatMask), 3);
          expect(Number.isFinite(ent[b]!)).toBe(true);
          for (let i = 0; i < 5; i++) if (!flatMask[b * 5 + i]) expect(probs[b * 5 + i]).toBe(0);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gradients through masked logits are finite and zero on masked entries', () => {
    const logits = tf.variable(tf.tensor2d([[1, 2, 3]]));
    const mask = tf.tensor2d([[1, 0, 1]], [1, 3], 'int32');
    const g = tf.grad((x: tf.Tensor) => tf.sum(categoricalEntropy(maskedLogSoftmax(x as tf.Tensor2D, mask))))(
      logits,
    );
    const gv = g.dataSync();
    expect([...gv].every(Number.isFinite)).toBe(true);
    expect(gv[1]).toBe(0);
    logits.dispose();
  });
});
