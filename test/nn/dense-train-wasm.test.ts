import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  createDenseTrainCache,
  denseBackward,
  denseForwardTrain,
  type DenseTrainCache,
} from '../../src/nn/dense-backward.js';
import type { DenseActivation, DenseLayerF32 } from '../../src/nn/dense-forward.js';
import { wasmSimdAvailable, type DenseKernelChoice } from '../../src/nn/dense-forward-wasm.js';
import {
  setTrainingKernel,
  trainingKernel,
  trainsOnWasm,
  WASM_TRAIN_MIN_MACS,
  WasmDenseTrainer,
} from '../../src/nn/dense-train-wasm.js';

function randomArray(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.random() * 2 - 1) * scale);
}

/** Layers of widths `dims`, weights ~ U(±scale/√inDim) (scale 3 saturates tanh). */
function randomLayers(dims: readonly number[], rng: Rng, scale = 1): DenseLayerF32[] {
  return dims.slice(1).map((outDim, l) => ({
    kernel: randomArray(dims[l]! * outDim, rng, scale / Math.sqrt(dims[l]!)),
    bias: randomArray(outDim, rng, 0.5),
    inDim: dims[l]!,
    outDim,
  }));
}

/** Everything one training pass produces: output, hidden outputs, accumulated grads, dInput. */
interface Pass {
  out: Float32Array;
  hidden: Float32Array[];
  grads: Float32Array[];
  dx: Float32Array;
}

/**
 * forwardTrain + backward on `kernel`, the gradients accumulated onto `start` (copied), with a
 * cache of `spare` rows more than the batch.
 */
function trainPass(
  kernel: DenseKernelChoice,
  layers: readonly DenseLayerF32[],
  activation: DenseActivation,
  x: Float32Array,
  batch: number,
  dOut: Float32Array,
  start: readonly DenseLayerF32[],
  spare = 0,
): Pass & { cache: DenseTrainCache } {
  setTrainingKernel(kernel);
  const cache = createDenseTrainCache(layers, batch + spare);
  const out = Float32Array.from(denseForwardTrain(layers, activation, x, batch, cache));
  const grads = start.map((g) => ({ ...g, kernel: g.kernel.slice(), bias: g.bias.slice() }));
  const dx = new Float32Array(batch * layers[0]!.inDim);
  denseBackward(layers, activation, cache, dOut, grads, dx);
  return {
    out,
    hidden: cache.outputs.slice(0, -1).map((o, l) => o.slice(0, batch * layers[l]!.outDim)),
    grads: grads.flatMap((g) => [g.kernel, g.bias]),
    dx,
    cache,
  };
}

/** |got − want| ≤ 1e-5 · max(1, max |want|) over the array (summation order differs). */
function expectClose(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * scale);
}

function expectPassesClose(got: Pass, want: Pass): void {
  expectClose(got.out, want.out);
  got.hidden.forEach((h, l) => expectClose(h, want.hidden[l]!));
  got.grads.forEach((g, i) => expectClose(g, want.grads[i]!));
  expectClose(got.dx, want.dx);
}

// Widths around the kernel's 24/16/8/4-column blocks and its partial last block.
const width = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 80 }));

afterEach(() => {
  vi.restoreAllMocks();
  setTrainingKernel('auto');
});

describe.runIf(wasmSimdAvailable())('dense training pass on WebAssembly SIMD', () => {
  it('property: outputs, accumulated weight/bias gradients and dInput equal the JavaScript kernel within 1e-5', () => {
    fc.assert(
      fc.property(
        fc.array(width, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<DenseActivation>('tanh', 'relu'),
        fc.constantFrom(0.5, 1, 3),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (dims, batch, activation, scale, spare, seed) => {
          const rng = new Rng(seed);
          const layers = randomLayers(dims, rng, scale);
          const start = randomLayers(dims, rng); // gradients accumulate onto these
          const x = randomArray(batch * dims[0]!, rng, 2);
          const dOut = randomArray(batch * dims[dims.length - 1]!, rng);
          const want = trainPass('js', layers, activation, x, batch, dOut, start, spare);
          const got = trainPass('wasm', layers, activation, x, batch, dOut, start, spare);
          expect(want.cache.onWasm).toBe(false);
          expect(got.cache.onWasm).toBe(true);
          expectPassesClose(got, want);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a second backward of one forward pass adds the same gradient again, on the forward pass’s kernel', () => {
    const rng = new Rng(4);
    const layers = randomLayers([5, 30, 7, 3], rng);
    const zeros = (): DenseLayerF32[] =>
      layers.map((l) => ({
        ...l,
        kernel: new Float32Array(l.kernel.length),
        bias: new Float32Array(l.outDim),
      }));
    const flat = (g: DenseLayerF32[]): Float32Array[] => g.flatMap((l) => [l.kernel, l.bias]);
    const x = randomArray(6 * 5, rng);
    const dOut = randomArray(6 * 3, rng);
    setTrainingKernel('wasm');
    const cache = createDenseTrainCache(layers, 6);
    denseForwardTrain(layers, 'tanh', x, 6, cache);
    const acc = zeros();
    denseBackward(layers, 'tanh', cache, dOut, acc);
    const once = flat(acc).map((g) => g.slice());
    // The backward pass follows the kernel its forward pass ran on: the same bits again.
    setTrainingKernel('js');
    const again = zeros();
    denseBackward(layers, 'tanh', cache, dOut, again);
    expect(flat(again)).toEqual(once);
    denseBackward(layers, 'tanh', cache, dOut, acc);
    flat(acc).forEach((g, i) =>
      expectClose(
        g,
        once[i]!.map((v) => 2 * v),
      ),
    );
  });

  it('the trainer lays itself out again for other shapes and follows weights changed between passes', () => {
    const rng = new Rng(9);
    const small = randomLayers([3, 5, 2], rng);
    const big = randomLayers([70, 130, 9], rng);
    const trainer = new WasmDenseTrainer(small, 16);
    for (const layers of [small, big, small]) {
      const batch = 16;
      const outputs = layers.map((l) => new Float32Array(batch * l.outDim));
      const x = randomArray(batch * layers[0]!.inDim, rng);
      trainer.forward(layers, 'relu', x, batch, outputs);
      const want = trainPass(
        'js',
        layers,
        'relu',
        x,
        batch,
        new Float32Array(batch * layers[1]!.outDim),
        layers,
      );
      expectClose(outputs[1]!, want.out);
      layers[0]!.kernel[0] = layers[0]!.kernel[0]! + 1;
    }
    expect(() => trainer.forward(small, 'relu', new Float32Array(17 * 3), 17, [])).toThrow(/capacity 16/);
    expect(() => trainer.forward(small, 'relu', new Float32Array(5), 2, [])).toThrow(/need 2 × 3/);
  });

  it('auto: networks below the crossover stay on the JavaScript loops, larger ones run on WebAssembly', () => {
    setTrainingKernel('auto');
    const rng = new Rng(2);
    const tiny = randomLayers([2, 3, 1], rng); // 9 multiply-adds a row
    expect(trainsOnWasm(tiny, 1)).toBe(false);
    expect(trainsOnWasm(tiny, Math.ceil(WASM_TRAIN_MIN_MACS / 9))).toBe(true);
    const cache = createDenseTrainCache(tiny, 1);
    denseForwardTrain(tiny, 'tanh', Float32Array.of(0.5, -1), 1, cache);
    expect(cache.onWasm).toBe(false);
    setTrainingKernel('wasm');
    expect(trainsOnWasm(tiny, 1)).toBe(true);
    setTrainingKernel('js');
    expect(trainsOnWasm(randomLayers([64, 256, 8], rng), 128)).toBe(false);
  });
});

describe('training kernel choice', () => {
  it('where WebAssembly SIMD is reported missing: auto runs the JavaScript loops, wasm throws unsupported', () => {
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    vi.spyOn(wasm, 'validate').mockReturnValue(false);
    setTrainingKernel('auto');
    const rng = new Rng(6);
    const layers = randomLayers([4, 64, 64, 2], rng);
    expect(trainsOnWasm(layers, 128)).toBe(false);
    const x = randomArray(128 * 4, rng);
    const dOut = randomArray(128 * 2, rng);
    const auto = trainPass('auto', layers, 'tanh', x, 128, dOut, layers);
    const js = trainPass('js', layers, 'tanh', x, 128, dOut, layers);
    expect(auto.cache.onWasm).toBe(false);
    expect(auto.grads).toEqual(js.grads); // the same loops: bit for bit
    expect(() => setTrainingKernel('wasm')).toThrow(expect.objectContaining({ code: 'unsupported' }));
    expect(() => new WasmDenseTrainer(layers, 1)).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('refuses an unknown choice', () => {
    expect(() => setTrainingKernel('gpu' as DenseKernelChoice)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(trainingKernel()).toBe('auto');
  });

  it('ARBITER_KERNEL selects the initial choice; an unknown value is refused on first use', async () => {
    try {
      for (const value of ['js', 'wasm', 'auto'] as const) {
        vi.stubEnv('ARBITER_KERNEL', value);
        vi.resetModules();
        const fresh = await import('../../src/nn/dense-train-wasm.js');
        expect(fresh.trainingKernel()).toBe(value);
      }
      vi.stubEnv('ARBITER_KERNEL', 'fast');
      vi.resetModules();
      const fresh = await import('../../src/nn/dense-train-wasm.js');
      expect(() => fresh.trainingKernel()).toThrow(/ARBITER_KERNEL must be one of auto, wasm, js/);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
