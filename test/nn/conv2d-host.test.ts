import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  conv2dBackward,
  conv2dForward,
  conv2dShape,
  createConv2dWorkspace,
  type Conv2dLayerF32,
  type Conv2dWorkspace,
} from '../../src/nn/conv2d-host.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';
import { maxAbsDiff as maxAbsDiffOf } from '../agents/fixtures/learner-agreement.js';

// TF.js's CPU backend (it has Conv2D gradients) is the reference.
beforeAll(async () => {
  await initTf({ backend: 'cpu' });
});

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => maxAbsDiffOf([a], [b]);

interface Case {
  layer: Conv2dLayerF32;
  batch: number;
  x: Float32Array;
  dOut: Float32Array;
}

function makeCase(
  seed: number,
  [inH, inW, inC, outC, kernel, stride, batch]: number[],
  binary: boolean,
): Case {
  const rng = new Rng(seed);
  const s = conv2dShape(inH!, inW!, inC!, outC!, kernel!, stride!);
  const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
  const layer = { ...s, weights: rand(kernel! * kernel! * inC! * outC!), bias: rand(outC!) };
  const x = binary
    ? Float32Array.from({ length: batch! * inH! * inW! * inC! }, () => (rng.random() < 0.2 ? 1 : 0))
    : rand(batch! * inH! * inW! * inC!);
  return { layer, batch: batch!, x, dOut: rand(batch! * s.outH * s.outW * outC!) };
}

// Forward, then the backward of L = Σ dOut · y, on one workspace.
function hostPass(c: Case, relu: boolean, ws: Conv2dWorkspace) {
  const { layer, batch, x } = c;
  const y = new Float32Array(batch * layer.outH * layer.outW * layer.outC);
  conv2dForward(layer, x, batch, y, relu, ws);
  const dW = new Float32Array(layer.weights.length);
  const dB = new Float32Array(layer.outC);
  const dx = new Float32Array(x.length).fill(7); // written, not added to
  conv2dBackward(layer, x, y, Float32Array.from(c.dOut), batch, relu, dW, dB, dx, ws);
  return { y, dW, dB, dx };
}

// The same through TF.js: conv2d + bias (+ relu) and its gradients.
function tfPass(c: Case, relu: boolean) {
  const { layer: l, batch, x } = c;
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, [batch, l.inH, l.inW, l.inC]);
    const wt = tf.tensor4d(l.weights, [l.kernel, l.kernel, l.inC, l.outC]);
    const bt = tf.tensor1d(l.bias);
    const f = (xi: tf.Tensor4D, wi: tf.Tensor4D, bi: tf.Tensor1D): tf.Tensor4D => {
      const z = tf.add(tf.conv2d(xi, wi, l.stride, 'valid'), bi) as tf.Tensor4D;
      return relu ? tf.relu(z) : z;
    };
    const y = f(xt, wt, bt);
    const d = tf.tensor4d(c.dOut, y.shape);
    const [gx, gw, gb] = tf.grads((a, b, cc) =>
      tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D, cc as tf.Tensor1D), d)),
    )([xt, wt, bt]);
    const f32 = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
    return { y: f32(y), dW: f32(gw!), dB: f32(gb!), dx: f32(gx!) };
  });
}

const shapeArb = fc
  .record({
    inH: fc.integer({ min: 3, max: 9 }),
    inW: fc.integer({ min: 3, max: 9 }),
    inC: fc.integer({ min: 1, max: 6 }),
    outC: fc.integer({ min: 1, max: 9 }),
    kernel: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    batch: fc.integer({ min: 1, max: 4 }),
  })
  .map((r) => [r.inH, r.inW, r.inC, r.outC, r.kernel, r.stride, r.batch]);

describe('conv2d host passes', () => {
  const simd = createConv2dWorkspace('wasm');
  const direct = createConv2dWorkspace('js');

  it('the SIMD (im2col) and direct passes equal TF.js conv2d and its gradients for any shape', () => {
    expect(simd.simd).toBeDefined();
    expect(direct.simd).toBeUndefined();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        shapeArb,
        fc.boolean(),
        fc.boolean(),
        (seed, shape, relu, binary) => {
          const c = makeCase(seed, shape, binary);
          const ref = tfPass(c, relu);
          for (const ws of [simd, direct]) {
            const host = hostPass(c, relu, ws);
            const tol = 1e-4 * (1 + c.layer.kernel * c.layer.kernel * c.layer.inC);
            for (const k of ['y', 'dW', 'dB', 'dx'] as const)
              expect(maxAbsDiff(host[k], ref[k]), `${k} (${ws.simd ? 'simd' : 'js'})`).toBeLessThan(tol);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gradients match central finite differences of L = Σ dOut · relu(conv(x))', () => {
    const c = makeCase(11, [5, 6, 3, 4, 3, 1, 2], false);
    const host = hostPass(c, true, simd);
    const loss = (layer: Conv2dLayerF32, x: Float32Array): number => {
      const y = new Float32Array(c.dOut.length);
      conv2dForward(layer, x, c.batch, y, true, simd);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]! * c.dOut[i]!;
      return s;
    };
    const h = 1e-2;
    const probe = (arr: Float32Array, i: number, f: () => number): number => {
      const v = arr[i]!;
      arr[i] = v + h;
      const up = f();
      arr[i] = v - h;
      const down = f();
      arr[i] = v;
      return (up - down) / (2 * h);
    };
    for (const i of [0, 7, 19, 50, 107]) {
      const fd = probe(c.layer.weights, i, () => loss(c.layer, c.x));
      expect(Math.abs(fd - host.dW[i]!)).toBeLessThan(2e-2 * (1 + Math.abs(fd)));
    }
    for (const i of [0, 1, 3]) {
      const fd = probe(c.layer.bias, i, () => loss(c.layer, c.x));
      expect(Math.abs(fd - host.dB[i]!)).toBeLessThan(2e-2 * (1 + Math.abs(fd)));
    }
    for (const i of [0, 13, 44, 90, 179]) {
      const fd = probe(c.x, i, () => loss(c.layer, c.x));
      expect(Math.abs(fd - host.dx[i]!)).toBeLessThan(2e-2 * (1 + Math.abs(fd)));
    }
  });

  it('a batch too large for one column matrix goes through in chunks with the same result', () => {
    // 40×40×16 with 3×3 kernels: 38·38·144 ≈ 208k column floats per image, so 7 images take 2 chunks.
    const c = makeCase(5, [40, 40, 16, 4, 3, 1, 7], true);
    const a = hostPass(c, true, simd);
    const b = hostPass(c, true, direct);
    for (const k of ['y', 'dW', 'dB', 'dx'] as const) expect(maxAbsDiff(a[k], b[k]), k).toBeLessThan(1e-3);
    expect(a.dW.some((v) => v !== 0)).toBe(true);
  });

  it('reuses its kernel heap: a second pass of the same size allocates nothing', () => {
    const c = makeCase(3, [10, 10, 4, 16, 3, 1, 32], true);
    const ws = createConv2dWorkspace('wasm');
    hostPass(c, true, ws);
    const heap = ws.simd!.heap;
    hostPass(c, true, ws);
    expect(ws.simd!.heap).toBe(heap);
  });
});
