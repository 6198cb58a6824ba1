import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config-schema.js';
import { Rng } from '../../src/core/rng.js';
import { Box, Discrete } from '../../src/core/spaces.js';
import {
  CNN_LARGENET,
  CNN_NET_SCHEMA,
  CNN_SMALLNET,
  cnnCost,
  imageShape,
} from '../../src/nn/cnn-architecture.js';
import { Cnn } from '../../src/nn/cnn.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

// TF.js's wasm backend has no Conv2D gradient kernels; the CPU backend is the reference here.
beforeAll(async () => {
  await initTf({ backend: 'cpu' });
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('Cnn', () => {
  it('host forward equals the TF.js conv2d forward (strides 1 and 2, several batch sizes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1, 2),
        (seed, batch, stride) => {
          const rng = new Rng(seed);
          const net = new Cnn(
            {
              inputShape: [9, 8, 3],
              conv: [
                { filters: 5, kernel: 3, stride },
                { filters: 4, kernel: 2 },
              ],
              fc: [7],
              outputDim: 3,
            },
            rng,
          );
          const x = Float32Array.from({ length: batch * 9 * 8 * 3 }, () => rng.normal());
          const host = Float32Array.from(net.forwardF32(x, batch));
          const ref = tf.tidy(() => net.apply(tf.tensor2d(x, [batch, 9 * 8 * 3])).dataSync());
          expect(host.length).toBe(batch * 3);
          expect(maxAbsDiff(host, ref)).toBeLessThan(1e-4);
          net.dispose();
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a wide head (the training kernel on WebAssembly) acts as TF.js does and as forwardTrain does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 4 }), (seed, batch) => {
        const rng = new Rng(seed);
        const net = new Cnn(
          {
            inputShape: [7, 7, 2],
            conv: [
              { filters: 8, kernel: 3 },
              { filters: 16, kernel: 3 },
            ],
            fc: [96],
            outputDim: 6,
          },
          rng,
        );
        const x = Float32Array.from({ length: batch * 98 }, () => (rng.random() < 0.3 ? 1 : 0));
        const host = Float32Array.from(net.forwardF32(x, batch));
        const ref = tf.tidy(() => net.apply(tf.tensor2d(x, [batch, 98])).dataSync());
        expect(maxAbsDiff(host, ref)).toBeLessThan(1e-4);
        expect(Array.from(net.forwardTrain(x, batch))).toEqual(Array.from(host));
        net.dispose();
      }),
      { numRuns: 6 },
    );
  });

  it.each(['normal', 'binary'])(
    'host gradients equal the TF.js gradients of the same loss (%s inputs)',
    (inputs) => {
      const rng = new Rng(4);
      const net = new Cnn(
        {
          inputShape: [6, 6, 2],
          conv: [
            { filters: 4, kernel: 3 },
            { filters: 3, kernel: 2, stride: 2 },
          ],
          fc: [5],
          outputDim: 2,
        },
        rng,
      );
      const B = 3;
      // Binary pixels take the zero-input shortcuts of the host passes.
      const x = Float32Array.from({ length: B * 72 }, () =>
        inputs === 'binary' ? (rng.random() < 0.2 ? 1 : 0) : rng.normal(),
      );
      const dOut = Float32Array.from({ length: B * 2 }, () => rng.normal());
      // L = Σ dOut · f(x): ∂L/∂f = dOut.
      for (const g of net.hostGrads()) g.fill(0);
      net.forwardTrain(x, B);
      net.backward(dOut);
      const host = net.hostGrads().map((g) => Float32Array.from(g));
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(net.apply(tf.tensor2d(x, [B, 72])), tf.tensor2d(dOut, [B, 2]))) as tf.Scalar,
        net.variables,
      );
      net.variables.forEach((v, i) => {
        const ref = grads[v.name]!.dataSync();
        expect(maxAbsDiff(host[i]!, ref), `param ${i}`).toBeLessThan(1e-4);
      });
      expect(host.some((g) => g.some((v) => v !== 0))).toBe(true);
    },
  );

  it('setWeights/getWeights/copyFrom round-trip and host changes reach TF.js', () => {
    const cfg = { inputShape: [5, 5, 1] as const, conv: [{ filters: 2, kernel: 2 }], fc: [], outputDim: 2 };
    const a = new Cnn(cfg, new Rng(1));
    const b = new Cnn(cfg, new Rng(2));
    const x = Float32Array.from({ length: 25 }, (_, i) => (i % 3) - 1);
    expect(maxAbsDiff(a.forwardF32(x, 1), b.forwardF32(x, 1))).toBeGreaterThan(1e-3);
    b.copyFrom(a);
    expect(Array.from(b.forwardF32(x, 1))).toEqual(Array.from(a.forwardF32(x, 1)));
    const ref = tf.tidy(() => b.apply(tf.tensor2d(x, [1, 25])).dataSync());
    expect(maxAbsDiff(ref, a.forwardF32(x, 1))).toBeLessThan(1e-5);
    const c = new Cnn(cfg, new Rng(3));
    c.setWeights(a.getWeights());
    expect(Array.from(c.forwardF32(x, 1))).toEqual(Array.from(a.forwardF32(x, 1)));
    expect(() => c.setWeights(a.getWeights().slice(1))).toThrow(/expected/);
  });

  it("the paper's largenet and smallnet on 10×10×4: smallnet has ≈ 6.7 % of largenet's parameters", () => {
    const large = cnnCost([10, 10, 4], CNN_LARGENET, 6);
    const small = cnnCost([10, 10, 4], CNN_SMALLNET, 6);
    expect(large.params).toBe(1184 + 18496 + 36928 + 1024 * 512 + 512 + 512 * 6 + 6);
    expect(small.params).toBe(592 + 2320 + 2320 + 256 * 128 + 128 + 128 * 6 + 6);
    expect(small.params / large.params).toBeGreaterThan(0.06);
    expect(small.params / large.params).toBeLessThan(0.07);
    const net = new Cnn(
      { inputShape: [10, 10, 4], conv: CNN_SMALLNET.conv, fc: CNN_SMALLNET.fc!, outputDim: 6 },
      new Rng(0),
    );
    expect(net.numParams()).toBe(small.params);
  });

  it('refuses bad architectures and non-image spaces with clear errors', () => {
    expect(() =>
      parseConfig(CNN_NET_SCHEMA, { type: 'cnn', conv: [] }, { source: 't', what: 'net' }),
    ).toThrow(/conv/);
    expect(() =>
      parseConfig(
        CNN_NET_SCHEMA,
        { type: 'cnn', conv: [{ filters: 0, kernel: 3 }] },
        { source: 't', what: 'net' },
      ),
    ).toThrow(/filters/);
    expect(() =>
      parseConfig(
        CNN_NET_SCHEMA,
        { type: 'cnn', conv: [{ filters: 2, kernel: 3, pad: 1 }] },
        { source: 't', what: 'net' },
      ),
    ).toThrow(/pad/);
    expect(() =>
      cnnCost(
        [4, 4, 1],
        {
          type: 'cnn',
          conv: [
            { filters: 2, kernel: 3 },
            { filters: 2, kernel: 3 },
          ],
        },
        2,
      ),
    ).toThrow(/conv\[1\]: kernel 3 does not fit the 2×2 input/);
    expect(() => imageShape(new Box(0, 1, [62]), 'DQN')).toThrow(/shape \[H, W, C\].*shape \[62\]/);
    expect(() => imageShape(new Discrete(3), 'DQN')).toThrow(/discrete/);
    expect(imageShape(new Box(0, 1, [3, 4, 2]), 'DQN')).toEqual([3, 4, 2]);
  });
});
