import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { createDenseTrainCache, denseBackward, denseForwardTrain } from '../../src/nn/dense-backward.js';
import { denseForward, type DenseActivation, type DenseLayerF32 } from '../../src/nn/dense-forward.js';
import { wasmSimdAvailable, type DenseKernelChoice } from '../../src/nn/dense-forward-wasm.js';
import { setTrainingKernel } from '../../src/nn/dense-train-wasm.js';
import { Mlp } from '../../src/nn/mlp.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});
afterAll(() => setTrainingKernel('auto'));

// Every contract test runs on both training kernels (the WebAssembly one where SIMD exists).
const kernels: DenseKernelChoice[] = wasmSimdAvailable() ? ['js', 'wasm'] : ['js'];

function randomArray(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.random() * 2 - 1) * scale);
}

/** Dense layers of widths `dims` with uniform random weights and biases. */
function randomLayers(dims: readonly number[], rng: Rng): DenseLayerF32[] {
  return dims.slice(1).map((outDim, l) => ({
    kernel: randomArray(dims[l]! * outDim, rng),
    bias: randomArray(outDim, rng),
    inDim: dims[l]!,
    outDim,
  }));
}

/** The host pass: loss = Σ out ⊙ dOut, so ∂L/∂out = dOut. */
function hostGradients(mlp: Mlp, x: Float32Array, batch: number, dOut: Float32Array) {
  const out = Float32Array.from(mlp.forwardTrain(x, batch));
  for (const g of mlp.hostGrads()) g.fill(0);
  const dx = new Float32Array(batch * mlp.config.inputDim);
  mlp.backward(dOut, dx);
  return { out, grads: mlp.hostGrads().map((g) => Float32Array.from(g)), dx };
}

function tfGradients(mlp: Mlp, x: Float32Array, batch: number, dOut: Float32Array) {
  return tf.tidy(() => {
    const xt = tf.tensor2d(x, [batch, mlp.config.inputDim]);
    const w = tf.tensor2d(dOut, [batch, mlp.config.outputDim]);
    const f = (xi: tf.Tensor, ...vs: tf.Tensor[]) => {
      void vs;
      return tf.sum(tf.mul(mlp.apply(xi as tf.Tensor2D), w)) as tf.Scalar;
    };
    const g = tf.grads(f)([xt, ...mlp.variables]);
    return {
      out: Float32Array.from(mlp.apply(xt).dataSync()),
      dx: Float32Array.from(g[0]!.dataSync()),
      grads: mlp.variables.map((v) => {
        const { grads } = tf.variableGrads(() => f(xt), [v]);
        return Float32Array.from(grads[v.name]!.dataSync());
      }),
    };
  });
}

function expectClose(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  expect(worst).toBeLessThan(tol);
}

const shapes = fc.record({
  inputDim: fc.integer({ min: 1, max: 9 }),
  hidden: fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }),
  outputDim: fc.integer({ min: 1, max: 6 }),
  batch: fc.integer({ min: 1, max: 7 }),
  activation: fc.constantFrom<DenseActivation>('tanh', 'relu'),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

describe.each(kernels)('dense backward pass (fast learner kernel, %s)', (kernel) => {
  beforeAll(() => setTrainingKernel(kernel));

  it('matches TensorFlow.js outputs, weight and input gradients over random shapes', () => {
    fc.assert(
      fc.property(shapes, ({ inputDim, hidden, outputDim, batch, activation, seed }) => {
        const rng = new Rng(seed);
        const mlp = new Mlp({ inputDim, hiddenSizes: hidden, outputDim, activation, outputGain: 1 }, rng);
        try {
          const x = randomArray(batch * inputDim, rng, 2);
          const dOut = randomArray(batch * outputDim, rng);
          const host = hostGradients(mlp, x, batch, dOut);
          const ref = tfGradients(mlp, x, batch, dOut);
          expectClose(host.out, ref.out, 1e-5);
          expectClose(host.dx, ref.dx, 1e-4);
          host.grads.forEach((g, i) => expectClose(g, ref.grads[i]!, 1e-4));
        } finally {
          mlp.dispose();
        }
      }),
      { numRuns: 40 },
    );
  });

  it.runIf(kernel === 'js')(
    'property: bit for bit the plain loops (denseForward outputs, row-by-row gradient sums)',
    () => {
      fc.assert(
        fc.property(shapes, ({ inputDim, hidden, outputDim, batch, activation, seed }) => {
          const rng = new Rng(seed);
          const layers = randomLayers([inputDim, ...hidden, outputDim], rng);
          const x = randomArray(batch * inputDim, rng);
          const dOut = randomArray(batch * outputDim, rng);
          const zeroed = (): DenseLayerF32[] =>
            layers.map((l) => ({
              ...l,
              kernel: new Float32Array(l.kernel.length),
              bias: new Float32Array(l.outDim),
            }));
          const grads = zeroed();
          const dx = new Float32Array(batch * inputDim);
          const cache = createDenseTrainCache(layers, batch);
          const out = denseForwardTrain(layers, activation, x, batch, cache);
          expect(Array.from(out)).toEqual(Array.from(denseForward(layers, activation, x, batch)));
          denseBackward(layers, activation, cache, dOut, grads, dx);

          // The plain loops: gradients added one row at a time, Float32 after every addition.
          const ref = zeroed();
          const refDx = new Float32Array(batch * inputDim);
          let dz = dOut;
          for (let l = layers.length - 1; l >= 0; l--) {
            const { kernel, inDim, outDim } = layers[l]!;
            const xin = l === 0 ? x : cache.outputs[l - 1]!;
            const next = l === 0 ? refDx : new Float32Array(batch * inDim);
            for (let r = 0; r < batch; r++)
              for (let j = 0; j < outDim; j++) {
                ref[l]!.bias[j] = ref[l]!.bias[j]! + dz[r * outDim + j]!;
                for (let i = 0; i < inDim; i++)
                  ref[l]!.kernel[i * outDim + j] =
                    ref[l]!.kernel[i * outDim + j]! + xin[r * inDim + i]! * dz[r * outDim + j]!;
              }
            for (let r = 0; r < batch; r++)
              for (let i = 0; i < inDim; i++) {
                let s = 0;
                for (let j = 0; j < outDim; j++) s += dz[r * outDim + j]! * kernel[i * outDim + j]!;
                // Stored as Float32 before the activation's derivative scales it, as the kernel does.
                const d = Math.fround(s);
                const y = xin[r * inDim + i]!;
                next[r * inDim + i] = l === 0 ? d : activation === 'tanh' ? d * (1 - y * y) : y > 0 ? d : 0;
              }
            dz = next;
          }
          grads.forEach((g, l) => {
            expect(Array.from(g.kernel)).toEqual(Array.from(ref[l]!.kernel));
            expect(Array.from(g.bias)).toEqual(Array.from(ref[l]!.bias));
          });
          expect(Array.from(dx)).toEqual(Array.from(refDx));
        }),
        { numRuns: 60 },
      );
    },
  );

  it('matches central finite differences of the loss (tanh, float64 evaluation)', () => {
    fc.assert(
      fc.property(shapes, ({ inputDim, hidden, outputDim, batch, seed }) => {
        const rng = new Rng(seed);
        const layers = randomLayers([inputDim, ...hidden, outputDim], rng);
        const x = randomArray(batch * inputDim, rng);
        const dOut = randomArray(batch * outputDim, rng);
        // Float64 loss of the same network, to difference without Float32 rounding noise.
        const loss = (): number => {
          let h = Array.from(x, Number);
          for (let l = 0; l < layers.length; l++) {
            const { kernel, bias, inDim, outDim } = layers[l]!;
            const y = new Array<number>(batch * outDim).fill(0);
            for (let r = 0; r < batch; r++)
              for (let j = 0; j < outDim; j++) {
                let s = bias[j]!;
                for (let i = 0; i < inDim; i++) s += h[r * inDim + i]! * kernel[i * outDim + j]!;
                y[r * outDim + j] = l + 1 < layers.length ? Math.tanh(s) : s;
              }
            h = y;
          }
          return h.reduce((s, v, k) => s + v * dOut[k]!, 0);
        };
        const grads = layers.map((l) => ({
          ...l,
          kernel: new Float32Array(l.kernel.length),
          bias: new Float32Array(l.bias.length),
        }));
        const cache = createDenseTrainCache(layers, batch);
        denseForwardTrain(layers, 'tanh', x, batch, cache);
        denseBackward(layers, 'tanh', cache, dOut, grads);
        const h = 1e-3;
        for (let l = 0; l < layers.length; l++)
          for (const key of ['kernel', 'bias'] as const) {
            const p = layers[l]![key];
            // A few entries per array keep the property fast.
            for (const i of [0, p.length - 1, Math.floor(p.length / 2)]) {
              const v = p[i]!;
              p[i] = v + h;
              const up = loss();
              p[i] = v - h;
              const down = loss();
              p[i] = v;
              // p holds Float32 values, so the actual step is the rounded difference.
              const fd = (up - down) / (Math.fround(v + h) - Math.fround(v - h));
              expect(Math.abs(grads[l]![key][i]! - fd)).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
            }
          }
      }),
      { numRuns: 30 },
    );
  });

  it('accumulates weight gradients across calls (per-graph loops add into one gradient)', () => {
    const rng = new Rng(3);
    const mlp = new Mlp({ inputDim: 3, hiddenSizes: [4], outputDim: 2 }, rng);
    const x = randomArray(6, rng);
    const d = randomArray(4, rng);
    const once = hostGradients(mlp, x, 2, d).grads;
    mlp.forwardTrain(x, 2);
    mlp.backward(d); // adds a second copy on top of the first
    mlp.hostGrads().forEach((g, i) =>
      expectClose(
        g,
        once[i]!.map((v) => 2 * v),
        1e-6,
      ),
    );
    mlp.dispose();
  });
});

describe('Mlp host and TF.js weights stay one network', () => {
  it('a host update is seen by apply, getWeights and variables; a TF assign is seen by forwardF32', () => {
    const rng = new Rng(5);
    const mlp = new Mlp({ inputDim: 2, hiddenSizes: [3], outputDim: 1 }, rng);
    const x = Float32Array.of(0.5, -1);
    const params = mlp.hostParams();
    params[0]![0] = params[0]![0]! + 0.25;
    params[3]![0] = 1.5;
    mlp.markHostChanged();
    const viaTf = tf.tidy(() => mlp.apply(tf.tensor2d(x, [1, 2])).dataSync()[0]!);
    expect(viaTf).toBeCloseTo(mlp.forwardF32(x, 1)[0]!, 6);
    expect(mlp.getWeights()[3]![0]).toBe(1.5);
    expect(mlp.variables[3]!.dataSync()[0]).toBe(1.5);
    mlp.setWeights([params[0]!, params[1]!, params[2]!, Float32Array.of(-2)]);
    expect(mlp.forwardF32(x, 1)[0]).toBeCloseTo(viaTf - 3.5, 5);
    expect(mlp.hostParams()[3]).toBe(params[3]); // same array, refreshed in place
    mlp.dispose();
  });
});
