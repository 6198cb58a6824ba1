import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { denseForward, type DenseActivation, type DenseLayerF32 } from '../../src/nn/dense-forward.js';
import {
  denseForwardWasm,
  useWasmKernel,
  WasmDenseNet,
  wasmSimdAvailable,
  type LayerActivation,
} from '../../src/nn/dense-forward-wasm.js';
import { packMatVecLayer, WasmMatVecNet } from '../../src/nn/dense-matvec-wasm.js';

/** Random layers of the given widths, weights ~ N(0, scale²/inDim) (scale 3 saturates tanh). */
function randomLayers(dims: readonly number[], rng: Rng, scale: number): DenseLayerF32[] {
  return dims.slice(1).map((outDim, l) => {
    const inDim = dims[l]!;
    const s = scale / Math.sqrt(inDim);
    return {
      inDim,
      outDim,
      kernel: Float32Array.from({ length: inDim * outDim }, () => rng.normal() * s),
      bias: Float32Array.from({ length: outDim }, () => rng.normal() * 0.5),
    };
  });
}

/** y = x · 1 + (−0): x itself, −0 included (a +0 bias would turn −0 into +0). */
function identityLayer(): DenseLayerF32 {
  return { inDim: 1, outDim: 1, kernel: Float32Array.of(1), bias: Float32Array.of(-0) };
}

function randomInput(length: number, rng: Rng): Float32Array {
  return Float32Array.from({ length }, () => rng.normal() * 2);
}

/**
 * The scale of Float32 rounding in each output: the network on |x|, |W|, |b| with identity
 * hidden layers bounds every partial sum (|tanh z| ≤ |z|), and summation-order differences grow
 * with it, not with the (possibly cancelled) output.
 */
function magnitudes(layers: readonly DenseLayerF32[], x: Float32Array, batch: number): Float32Array {
  const abs = layers.map((l) => ({ ...l, kernel: l.kernel.map(Math.abs), bias: l.bias.map(Math.abs) }));
  return denseForward(abs, 'relu', x.map(Math.abs), batch);
}

/** |got − want| ≤ 1e-5·max(1, |want|) + 1e-6·magnitude, per output. */
function expectClose(got: Float32Array, want: Float32Array, magnitude?: Float32Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(
      1e-5 * Math.max(1, Math.abs(want[i]!)) + 1e-6 * (magnitude?.[i] ?? 0),
    );
}

// Widths around the kernel's 32/16/8/4-column blocks and its overrunning last block.
const width = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 80 }));

describe.runIf(wasmSimdAvailable())('WasmDenseNet', () => {
  it('property: equals denseForward within 1e-5 for any widths, batch and activation', () => {
    fc.assert(
      fc.property(
        fc.array(width, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<DenseActivation>('tanh', 'relu'),
        fc.constantFrom(0.5, 1, 3),
        fc.integer({ min: 0, max: 1 << 30 }),
        (dims, batch, activation, scale, seed) => {
          const rng = new Rng(seed);
          const layers = randomLayers(dims, rng, scale);
          const x = randomInput(batch * dims[0]!, rng);
          const net = new WasmDenseNet(layers, activation);
          expectClose(
            net.forward(x, batch),
            denseForward(layers, activation, x, batch),
            magnitudes(layers, x, batch),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: one activation per layer, linear hidden layers included', () => {
    fc.assert(
      fc.property(
        fc.array(width, { minLength: 3, maxLength: 4 }),
        fc.array(fc.constantFrom<LayerActivation>('tanh', 'relu', 'linear'), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (dims, actChoice, seed) => {
          const rng = new Rng(seed);
          const layers = randomLayers(dims, rng, 2);
          const acts = layers.map((_, l) => actChoice[l]!);
          const x = randomInput(dims[0]!, rng);
          // Reference: one layer at a time through denseForward (its last layer is linear).
          let h = x;
          layers.forEach((layer, l) => {
            h = denseForward([layer], 'tanh', h, 1);
            if (acts[l] === 'tanh') h = h.map(Math.tanh);
            if (acts[l] === 'relu') h = h.map((v) => Math.max(0, v));
          });
          expectClose(new WasmDenseNet(layers, acts).forward(x, 1), h, magnitudes(layers, x, 1));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('tanh is Math.tanh within two Float32 steps over the whole line; NaN, ±∞ and −0 as in JavaScript', () => {
    const identity = identityLayer();
    const net = new WasmDenseNet([identity], ['tanh']);
    const xs: number[] = [];
    for (let v = -25; v <= 25; v += 0.00007) xs.push(v);
    xs.push(1e-30, -1e-30, 1e-8, 0.2499999, 0.25, 0.2500001, 8.99, 9, 9.01, 20, 1e30);
    const x = Float32Array.from(xs);
    const out = new Float32Array(x.length);
    // As a batch of rows of width 1: the 4-wide loop and the tail.
    new WasmDenseNet([identity], ['tanh'], x.length).forward(x, x.length, out);
    // Within two Float32 steps (ulps) of the rounded value, near 0 as near ±1.
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(Math.tanh(x[i]!));
      const ulp = want === 0 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(want))) - 23);
      expect(Math.abs(out[i]! - want)).toBeLessThanOrEqual(2 * ulp);
    }
    expect(net.forward(Float32Array.of(NaN), 1)[0]).toBeNaN();
    expect(net.forward(Float32Array.of(Infinity), 1)[0]).toBe(1);
    expect(net.forward(Float32Array.of(-Infinity), 1)[0]).toBe(-1);
    expect(Object.is(net.forward(Float32Array.of(-0), 1)[0], -0)).toBe(true);
  });

  it('relu keeps NaN and −0 like the JavaScript loop', () => {
    const layer = identityLayer();
    const x = Float32Array.of(NaN, -0, -2, 3, -1, NaN, 0.5);
    const out = new WasmDenseNet([layer], ['relu'], 7).forward(x, 7);
    expect(Array.from(out, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v))).toEqual([
      'NaN',
      '-0',
      0,
      3,
      0,
      'NaN',
      0.5,
    ]);
  });

  it('grows for a larger batch and a larger network, and follows weights changed in place after load', () => {
    const rng = new Rng(5);
    const small = randomLayers([3, 5, 2], rng, 1);
    const big = randomLayers([70, 200, 130, 9], rng, 1);
    const net = new WasmDenseNet(small, 'tanh');
    const xs = randomInput(3 * 40, rng);
    expectClose(net.forward(xs, 40), denseForward(small, 'tanh', xs, 40));
    expect(net.capacity).toBe(40);
    net.load(big, 'relu');
    expect([net.inputDim, net.outputDim]).toEqual([70, 9]);
    const xb = randomInput(70 * 64, rng);
    expectClose(net.forward(xb, 64), denseForward(big, 'relu', xb, 64));
    big[1]!.kernel[7] = 3;
    big[2]!.bias[0] = -1;
    expect(net.forward(xb, 1)[0]).not.toBe(denseForward(big, 'relu', xb, 1)[0]);
    net.load(big, 'relu');
    expectClose(net.forward(xb, 64), denseForward(big, 'relu', xb, 64));
  });

  it('denseForwardWasm has denseForward’s signature and result, the net as workspace', () => {
    const rng = new Rng(8);
    const layers = randomLayers([6, 33, 7], rng, 1);
    const x = randomInput(6 * 3, rng);
    const want = denseForward(layers, 'tanh', x, 3);
    expectClose(denseForwardWasm(layers, 'tanh', x, 3), want);
    const out = new Float32Array(21);
    const net = new WasmDenseNet(layers, 'tanh', 3);
    expect(denseForwardWasm(layers, 'tanh', x, 3, out, net)).toBe(out);
    expectClose(out, want);
  });

  it('refuses layers that do not chain or do not match their shapes', () => {
    const rng = new Rng(1);
    const [a, b] = randomLayers([4, 6, 3], rng, 1);
    expect(() => new WasmDenseNet([a!, { ...b!, inDim: 5, kernel: new Float32Array(15) }], 'tanh')).toThrow(
      /layer 1 takes 5 inputs/,
    );
    expect(() => new WasmDenseNet([{ ...a!, kernel: new Float32Array(3) }], 'tanh')).toThrow(/3 weights/);
    expect(() => new WasmDenseNet([a!], 'tanh').forward(new Float32Array(3), 1)).toThrow(/need 1 × 4/);
  });
});

/** The layer-by-layer reference of a network with one activation per layer: denseForward, then the activation. */
function referenceForward(
  layers: readonly DenseLayerF32[],
  acts: readonly LayerActivation[],
  x: Float32Array,
): Float32Array {
  let h = x;
  layers.forEach((layer, l) => {
    h = denseForward([layer], 'tanh', h, 1); // one layer: linear
    if (acts[l] === 'tanh') h = h.map(Math.tanh);
    if (acts[l] === 'relu') h = h.map((v) => Math.max(0, v));
  });
  return h;
}

// Widths around the packed kernel's 24/20/16/12/8/4-output blocks, its 4-input steps and wide layers.
const matVecWidth = fc.oneof(
  fc.integer({ min: 1, max: 9 }),
  fc.integer({ min: 10, max: 60 }),
  fc.integer({ min: 61, max: 300 }),
);

describe.runIf(wasmSimdAvailable())('WasmMatVecNet', () => {
  it('property: equals the double-precision reference within 1e-5·max(1, |y|) + 1e-6·Σ|x·w| for any widths and activations', () => {
    fc.assert(
      fc.property(
        fc.array(matVecWidth, { minLength: 2, maxLength: 4 }),
        fc.array(fc.constantFrom<LayerActivation>('tanh', 'relu', 'linear'), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(0.5, 1, 3),
        fc.integer({ min: 0, max: 1 << 30 }),
        (dims, actChoice, scale, seed) => {
          const rng = new Rng(seed);
          const layers = randomLayers(dims, rng, scale);
          const acts = layers.map((_, l) => actChoice[l]!);
          const x = randomInput(dims[0]!, rng);
          const net = new WasmMatVecNet(layers, acts);
          const got = net.forward(x);
          expectClose(got, referenceForward(layers, acts, x), magnitudes(layers, x, 1));
          // The batch kernel on row-major weights: same Float32 arithmetic, other summation order.
          expectClose(got, new WasmDenseNet(layers, acts).forward(x, 1), magnitudes(layers, x, 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads only the first inputDim values, writes into the given buffer, and repeats itself exactly', () => {
    const rng = new Rng(3);
    const layers = randomLayers([37, 130, 5], rng, 2);
    const net = new WasmMatVecNet(layers, ['tanh', 'linear']);
    expect([net.inputDim, net.outputDim]).toEqual([37, 5]);
    const x = randomInput(37, rng);
    const longer = Float32Array.from([...x, 1e30, NaN]);
    const out = new Float32Array(5);
    expect(net.forward(longer, out)).toBe(out);
    const first = Array.from(out);
    net.forward(randomInput(37, rng), out); // another decision in between
    expect(Array.from(net.forward(x))).toEqual(first);
  });

  it('gives the batch kernel’s tanh bit for bit over finite Float32 values of every magnitude (its clamp is f32x4.pmin)', () => {
    const w = 64;
    const diagonal: DenseLayerF32 = {
      inDim: w,
      outDim: w,
      kernel: Float32Array.from({ length: w * w }, (_, i) => (i % (w + 1) === 0 ? 1 : 0)),
      bias: new Float32Array(w),
    };
    const single = new WasmMatVecNet([diagonal], ['tanh']);
    const batch = new WasmDenseNet([diagonal], ['tanh'], 1);
    const bits = new Uint32Array(w);
    const x = new Float32Array(bits.buffer);
    let compared = 0;
    for (let k = 0; k < 2 ** 32; k += 65_537 * w) {
      for (let i = 0; i < w; i++) bits[i] = (k + 65_537 * i) >>> 0;
      for (let i = 0; i < w; i++) if (!Number.isFinite(x[i]!)) x[i] = 0; // ∞ · 0 would be NaN for all
      const a = Array.from(single.forward(x));
      const b = Array.from(batch.forward(x, 1));
      for (let i = 0; i < w; i++) if (!Object.is(a[i], b[i])) expect([x[i], a[i]]).toEqual([x[i], b[i]]);
      compared += w;
    }
    expect(compared).toBeGreaterThan(60_000);
  });

  it('keeps −0, NaN and ±∞ through the layers like the batch kernel', () => {
    const net = new WasmMatVecNet([identityLayer(), identityLayer()], ['tanh', 'linear']);
    expect(Object.is(net.forward(Float32Array.of(-0))[0], -0)).toBe(true);
    expect(net.forward(Float32Array.of(NaN))[0]).toBeNaN();
    expect(net.forward(Float32Array.of(Infinity))[0]).toBe(1);
    expect(new WasmMatVecNet([identityLayer()], ['relu']).forward(Float32Array.of(-3))[0]).toBe(0);
  });

  it('packs each block of up to six output quads as its biases, then its weights input by input', () => {
    // 2 inputs, 30 outputs: quads 0–5 (24 outputs) in one block, quads 6–7 (6 outputs, 2 padded) in the next.
    const n = 2;
    const m = 30;
    const kernel = Float32Array.from({ length: n * m }, (_, i) => 1000 + i);
    const bias = Float32Array.from({ length: m }, (_, j) => -1 - j);
    const dst = new Float32Array(4 * 8 * (n + 1) + 3).fill(NaN);
    packMatVecLayer(kernel, bias, n, m, dst, 3);
    const w = (i: number, j: number): number => (j < m ? kernel[i * m + j]! : 0);
    const b = (j: number): number => (j < m ? bias[j]! : 0);
    const want = [
      ...Array.from({ length: 24 }, (_, c) => b(c)),
      ...Array.from({ length: 24 }, (_, c) => w(0, c)),
      ...Array.from({ length: 24 }, (_, c) => w(1, c)),
      ...Array.from({ length: 8 }, (_, c) => b(24 + c)),
      ...Array.from({ length: 8 }, (_, c) => w(0, 24 + c)),
      ...Array.from({ length: 8 }, (_, c) => w(1, 24 + c)),
    ];
    expect(Array.from(dst.subarray(3))).toEqual(want);
    expect(dst.subarray(0, 3).every(Number.isNaN)).toBe(true);
  });

  it('refuses layers that do not chain or do not match their shapes, and a short input', () => {
    const rng = new Rng(1);
    const [a, b] = randomLayers([4, 6, 3], rng, 1);
    expect(
      () => new WasmMatVecNet([a!, { ...b!, inDim: 5, kernel: new Float32Array(15) }], ['tanh', 'linear']),
    ).toThrow(/layer 1 takes 5 inputs/);
    expect(() => new WasmMatVecNet([{ ...a!, kernel: new Float32Array(3) }], ['tanh'])).toThrow(/3 weights/);
    expect(() => new WasmMatVecNet([a!], ['tanh', 'relu'])).toThrow(/2 activations for 1 layers/);
    expect(() => new WasmMatVecNet([a!], ['tanh']).forward(new Float32Array(3))).toThrow(/need 4/);
  });
});

describe('dense kernel choice', () => {
  afterEach(() => vi.restoreAllMocks());

  it('where WebAssembly SIMD is reported missing: auto falls back to JavaScript, wasm throws unsupported', () => {
    // The project's TS libs do not declare WebAssembly; the engine has it.
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    vi.spyOn(wasm, 'validate').mockReturnValue(false);
    expect(wasmSimdAvailable()).toBe(false);
    expect(useWasmKernel('auto')).toBe(false);
    expect(useWasmKernel('js')).toBe(false);
    expect(() => useWasmKernel('wasm')).toThrow(expect.objectContaining({ code: 'unsupported' }));
    const layer = identityLayer();
    expect(() => new WasmDenseNet([layer], 'tanh')).toThrow(expect.objectContaining({ code: 'unsupported' }));
    expect(() => new WasmMatVecNet([layer], ['tanh'])).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });

  it.runIf(wasmSimdAvailable())('auto and wasm select the WebAssembly kernel where SIMD validates', () => {
    expect(useWasmKernel('auto')).toBe(true);
    expect(useWasmKernel('wasm')).toBe(true);
    expect(useWasmKernel('js')).toBe(false);
  });
});
