import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { diagGaussianBackward, diagGaussianForward } from '../../src/nn/diag-gaussian-backward.js';
import { diagGaussianEntropyTensor, diagGaussianLogProbTensor } from '../../src/nn/diag-gaussian.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

interface Case {
  batch: number;
  d: number;
  mean: Float32Array;
  logStd: Float32Array;
  actions: Float32Array;
  dLogProb: Float32Array;
  dEntropy: Float32Array;
}

const caseArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 6 }),
    d: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 1, max: 1e6 }),
  })
  .map(({ batch, d, seed }): Case => {
    const rng = new Rng(seed);
    const u = (n: number, s: number) => Float32Array.from({ length: n }, () => (rng.random() * 2 - 1) * s);
    return {
      batch,
      d,
      mean: u(batch * d, 2),
      logStd: u(d, 1),
      actions: u(batch * d, 3),
      dLogProb: u(batch, 1),
      dEntropy: u(batch, 1),
    };
  });

function host(c: Case) {
  const logProb = new Float32Array(c.batch);
  const entropy = new Float32Array(c.batch);
  diagGaussianForward(c.mean, c.logStd, c.actions, c.batch, logProb, entropy);
  const dMean = new Float32Array(c.batch * c.d);
  const dLogStd = new Float32Array(c.d);
  diagGaussianBackward(c.mean, c.logStd, c.actions, c.batch, c.dLogProb, c.dEntropy, dMean, dLogStd);
  return { logProb, entropy, dMean, dLogStd };
}

function lossOf(c: Case, mean: tf.Tensor, logStd: tf.Tensor): tf.Scalar {
  const a = tf.tensor2d(c.actions, [c.batch, c.d]);
  const lp = diagGaussianLogProbTensor(mean as tf.Tensor2D, logStd as tf.Tensor1D, a);
  const h = diagGaussianEntropyTensor(logStd as tf.Tensor1D, c.batch);
  return tf.add(tf.sum(tf.mul(lp, c.dLogProb)), tf.sum(tf.mul(h, c.dEntropy))) as tf.Scalar;
}

function expectClose(a: Float32Array, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

describe('diagonal Gaussian head on host arrays', () => {
  it('property: log-density, entropy, ∂mean and ∂logStd match TensorFlow.js', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const h = host(c);
        tf.tidy(() => {
          const mean = tf.tensor2d(c.mean, [c.batch, c.d]);
          const logStd = tf.tensor1d(c.logStd);
          const a = tf.tensor2d(c.actions, [c.batch, c.d]);
          expectClose(h.logProb, diagGaussianLogProbTensor(mean, logStd, a).dataSync(), 1e-5);
          expectClose(h.entropy, diagGaussianEntropyTensor(logStd, c.batch).dataSync(), 1e-5);
          const [gm, gs] = tf.grads((m: tf.Tensor, s: tf.Tensor) => lossOf(c, m, s))([mean, logStd]);
          expectClose(h.dMean, gm!.dataSync(), 1e-4);
          expectClose(h.dLogStd, gs!.dataSync(), 1e-4);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('property: ∂mean and ∂logStd agree with central finite differences', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const h = host(c);
        const lossAt = (mean: Float32Array, logStd: Float32Array): number => {
          const r = host({ ...c, mean, logStd });
          let l = 0;
          for (let b = 0; b < c.batch; b++)
            l += c.dLogProb[b]! * r.logProb[b]! + c.dEntropy[b]! * r.entropy[b]!;
          return l;
        };
        const eps = 1e-2;
        const check = (which: 'mean' | 'logStd', grad: Float32Array) => {
          for (let i = 0; i < grad.length; i++) {
            const up = Float32Array.from(c[which]);
            const down = Float32Array.from(c[which]);
            up[i] = up[i]! + eps;
            down[i] = down[i]! - eps;
            const fd =
              which === 'mean'
                ? (lossAt(up, c.logStd) - lossAt(down, c.logStd)) / (2 * eps)
                : (lossAt(c.mean, up) - lossAt(c.mean, down)) / (2 * eps);
            expect(Math.abs(fd - grad[i]!)).toBeLessThan(2e-2 * (1 + Math.abs(grad[i]!)));
          }
        };
        check('mean', h.dMean);
        check('logStd', h.dLogStd);
      }),
      { numRuns: 100 },
    );
  });
});
