import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Adam } from '../../src/nn/adam.js';
import { AdamF32 } from '../../src/nn/adam-f32.js';
import { clipGradNorm } from '../../src/nn/clip-grad-norm.js';
import { clipGlobalNorm, firstNonFiniteArray } from '../../src/nn/host-params.js';
import type { HostOptimizer } from '../../src/nn/host-optimizer.js';
import type { Optimizer } from '../../src/nn/optimizer.js';
import { RmsProp } from '../../src/nn/rmsprop.js';
import { RmsPropF32 } from '../../src/nn/rmsprop-f32.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

type Pair = [(v: tf.Variable[]) => Optimizer, (p: Float32Array[]) => HostOptimizer];
const PAIRS: Record<string, Pair> = {
  adam: [(v) => new Adam(v, { eps: 1e-5 }), (p) => new AdamF32(p, { eps: 1e-5 })],
  rmsprop: [(v) => new RmsProp(v), (p) => new RmsPropF32(p)],
};

describe.each(Object.keys(PAIRS))('%s on host arrays', (name) => {
  const [makeTf, makeHost] = PAIRS[name]!;

  it('takes the same steps as the TF.js optimizer and writes the same state keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1e6 }),
        (sizes, seed) => {
          const rng = new Rng(seed);
          const init = sizes.map((n) => Float32Array.from({ length: n }, () => rng.normal()));
          const vars = init.map((a) => tf.variable(tf.tensor1d(a)));
          const host = init.map((a) => Float32Array.from(a));
          const opt = makeTf(vars);
          const hopt = makeHost(host);
          for (let t = 0; t < 6; t++) {
            const g = sizes.map((n) => Float32Array.from({ length: n }, () => rng.normal()));
            const lr = 0.01 * (t + 1);
            tf.tidy(() =>
              opt.applyGradients(
                g.map((a) => tf.tensor1d(a)),
                lr,
              ),
            );
            hopt.applyGradients(g, lr);
          }
          vars.forEach((v, i) => {
            const want = v.dataSync();
            for (let k = 0; k < want.length; k++) expect(host[i]![k]).toBeCloseTo(want[k]!, 5);
          });
          const a = opt.getState();
          const b = hopt.getState();
          expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
          for (const k of Object.keys(a)) a[k]!.forEach((x, j) => expect(b[k]![j]).toBeCloseTo(x, 5));
          opt.dispose();
          vars.forEach((v) => v.dispose());
        },
      ),
      { numRuns: 15 },
    );
  });

  it('restores the TF.js optimizer state and continues identically; refuses a mis-sized state', () => {
    const v = [tf.variable(tf.tensor1d([1, 2, 3]))];
    const opt = makeTf(v);
    tf.tidy(() => opt.applyGradients([tf.tensor1d([0.5, -1, 2])], 0.1));
    const host = [Float32Array.from(v[0]!.dataSync())];
    const hopt = makeHost(host);
    hopt.setState(opt.getState());
    expect(hopt.steps).toBe(1);
    tf.tidy(() => opt.applyGradients([tf.tensor1d([1, 1, -1])], 0.1));
    hopt.applyGradients([Float32Array.of(1, 1, -1)], 0.1);
    v[0]!.dataSync().forEach((x, k) => expect(host[0]![k]).toBeCloseTo(x, 6));
    const small = makeHost([new Float32Array(2)]);
    expect(() => small.setState(opt.getState())).toThrow(/mis-sized/);
    opt.dispose();
  });
});

describe('host gradient helpers', () => {
  it('clipGlobalNorm matches clipGradNorm (norm and clipped values)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        (vals, maxNorm) => {
          const g = Float32Array.from(vals);
          const ref = tf.tidy(() => {
            const { grads, norm } = clipGradNorm([tf.tensor1d(g)], maxNorm);
            return { g: grads[0]!.dataSync(), n: norm.dataSync()[0]! };
          });
          const n = clipGlobalNorm([g], maxNorm);
          expect(n).toBeCloseTo(ref.n, 3);
          ref.g.forEach((x, i) => expect(g[i]).toBeCloseTo(x, 4));
        },
      ),
    );
  });

  it('firstNonFiniteArray names the first array with NaN or Infinity', () => {
    expect(firstNonFiniteArray([Float32Array.of(1), Float32Array.of(2)])).toBeUndefined();
    expect(firstNonFiniteArray([Float32Array.of(1), Float32Array.of(NaN), Float32Array.of(Infinity)])).toBe(
      1,
    );
  });
});
