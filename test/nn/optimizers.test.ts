import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../../src/nn/adam.js';
import { clipGradNorm } from '../../src/nn/clip-grad-norm.js';
import { RmsProp } from '../../src/nn/rmsprop.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

/** Reference Adam in float64 (PyTorch's formulas) on f(x) = Σ c_i x_i², gradient 2 c x. */
function referenceAdam(x0: number[], c: number[], steps: number, lr: number, eps: number): number[] {
  const x = [...x0];
  const m = x.map(() => 0);
  const v = x.map(() => 0);
  for (let t = 1; t <= steps; t++)
    for (let i = 0; i < x.length; i++) {
      const g = 2 * c[i]! * x[i]!;
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - 0.999 ** t) + eps;
      x[i] = x[i]! - (lr / (1 - 0.9 ** t)) * (m[i]! / denom);
    }
  return x;
}

function quadGrads(x: tf.Variable, c: number[]): tf.Tensor[] {
  return [tf.mul(tf.mul(x, tf.tensor1d(c)), 2)];
}

describe('Adam', () => {
  it('matches a float64 reference implementation of PyTorch Adam', () => {
    const c = [1, 10, 0.1];
    const x = tf.variable(tf.tensor1d([1, -2, 3]));
    const opt = new Adam([x], { eps: 1e-5 });
    for (let t = 0; t < 20; t++) tf.tidy(() => opt.applyGradients(quadGrads(x, c), 0.05));
    const ref = referenceAdam([1, -2, 3], c, 20, 0.05, 1e-5);
    const got = x.dataSync();
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(ref[i]!, 4);
    expect(opt.steps).toBe(20);
    x.dispose();
    opt.dispose();
  });

  it('state save/restore continues exactly as without interruption', () => {
    const c = [2, 0.5];
    const run = (split: boolean): Float32Array => {
      const x = tf.variable(tf.tensor1d([1, 1]));
      let opt = new Adam([x]);
      for (let t = 0; t < 5; t++) tf.tidy(() => opt.applyGradients(quadGrads(x, c), 0.1));
      if (split) {
        const state = opt.getState();
        opt.dispose();
        opt = new Adam([x]);
        opt.setState(state);
      }
      for (let t = 0; t < 5; t++) tf.tidy(() => opt.applyGradients(quadGrads(x, c), 0.1));
      const out = Float32Array.from(x.dataSync() as Float32Array);
      x.dispose();
      opt.dispose();
      return out;
    };
    expect(run(true)).toEqual(run(false));
    const x = tf.variable(tf.tensor1d([1]));
    expect(() => new Adam([x]).setState({})).toThrow(/adam\/step/);
    x.dispose();
  });
});

describe('RmsProp', () => {
  it('first step moves each coordinate by lr·g/(√((1−α)g²)+ε)', () => {
    const x = tf.variable(tf.tensor1d([1, -1]));
    const opt = new RmsProp([x], { alpha: 0.99, eps: 1e-5 });
    tf.tidy(() => opt.applyGradients([tf.tensor1d([0.5, 2])], 0.01));
    const got = x.dataSync();
    expect(got[0]).toBeCloseTo(1 - (0.01 * 0.5) / (Math.sqrt(0.01 * 0.25) + 1e-5), 5);
    expect(got[1]).toBeCloseTo(-1 - (0.01 * 2) / (Math.sqrt(0.01 * 4) + 1e-5), 5);
    const state = opt.getState();
    expect(state['rmsprop/step']).toEqual(Float32Array.of(1));
    x.dispose();
    opt.dispose();
  });
});

describe('clipGradNorm', () => {
  it('scales gradients to the max global norm and leaves small ones alone', () => {
    tf.tidy(() => {
      const big = clipGradNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
      expect(big.norm.dataSync()[0]).toBeCloseTo(5, 5);
      expect([...big.grads[0]!.dataSync(), ...big.grads[1]!.dataSync()].map((v) => +v.toFixed(4))).toEqual([
        0.6, 0, 0.8,
      ]);
      const small = clipGradNorm([tf.tensor1d([0.3, 0.4])], 1);
      expect([...small.grads[0]!.dataSync()].map((v) => +v.toFixed(5))).toEqual([0.3, 0.4]);
    });
  });
});
