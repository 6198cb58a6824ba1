import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  diagGaussianEntropy,
  diagGaussianEntropyTensor,
  diagGaussianLogProb,
  diagGaussianLogProbTensor,
  sampleDiagGaussian,
} from '../../src/nn/diag-gaussian.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

describe('diagonal Gaussian', () => {
  it('log-density and entropy follow the closed forms', () => {
    const mean = [0.5, -1];
    const logStd = [Math.log(2), 0];
    const a = [1.5, 0];
    // N(0.5, 2²) at 1.5: z = 0.5; N(−1, 1) at 0: z = 1.
    const expected =
      -0.5 * 0.25 - Math.log(2) - 0.5 * Math.log(2 * Math.PI) + (-0.5 * 1 - 0 - 0.5 * Math.log(2 * Math.PI));
    expect(diagGaussianLogProb(mean, 0, logStd, a, 0)).toBeCloseTo(expected, 10);
    expect(diagGaussianEntropy(logStd)).toBeCloseTo(
      2 * (0.5 + 0.5 * Math.log(2 * Math.PI)) + Math.log(2),
      10,
    );
  });

  it('samples have the right mean and std; the returned log-prob is the density of the sample', () => {
    const rng = new Rng(4);
    const out = new Float32Array(2);
    const n = 20000;
    let s0 = 0;
    let ss0 = 0;
    for (let k = 0; k < n; k++) {
      const lp = sampleDiagGaussian([1, -2], 0, [Math.log(0.5), 0], rng, false, out, 0);
      if (k < 10) expect(lp).toBeCloseTo(diagGaussianLogProb([1, -2], 0, [Math.log(0.5), 0], out, 0), 5);
      s0 += out[0]!;
      ss0 += out[0]! ** 2;
    }
    const m = s0 / n;
    expect(m).toBeCloseTo(1, 1);
    expect(Math.sqrt(ss0 / n - m * m)).toBeCloseTo(0.5, 1);
    sampleDiagGaussian([1, -2], 0, [0, 0], rng, true, out, 0);
    expect([...out]).toEqual([1, -2]);
  });

  it('tensor versions equal the Float32 versions', () => {
    const mean = [0.1, 0.2, -0.3, 0.4];
    const logStd = [-0.5, 0.3];
    const actions = [0, 1, 1, -1];
    const [lp, ent] = tf.tidy(() => [
      diagGaussianLogProbTensor(
        tf.tensor2d(mean, [2, 2]),
        tf.tensor1d(logStd),
        tf.tensor2d(actions, [2, 2]),
      ).dataSync(),
      diagGaussianEntropyTensor(tf.tensor1d(logStd), 2).dataSync(),
    ]);
    for (let b = 0; b < 2; b++) {
      expect(lp[b]).toBeCloseTo(diagGaussianLogProb(mean, b * 2, logStd, actions, b * 2), 5);
      expect(ent[b]).toBeCloseTo(diagGaussianEntropy(logStd), 5);
    }
  });
});
