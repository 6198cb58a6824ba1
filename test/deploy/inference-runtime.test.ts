import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { createPolicyRuntime } from '../../src/deploy/inference-runtime.js';
import { wasmSimdAvailable } from '../../src/nn/dense-forward-wasm.js';
import type { FloatPolicyArtifact } from '../../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../../src/deploy/quantize-int8.js';

/** A random artifact with the given widths (weights scaled by `scale` to reach tanh saturation). */
function randomArtifact(
  dims: number[],
  activation: 'tanh' | 'relu',
  seed: number,
  scale: number,
): FloatPolicyArtifact {
  const rng = new Rng(seed);
  return {
    format: 'arbiter-policy',
    version: 1,
    kind: 'mlp',
    inputDim: dims[0]!,
    outputDim: dims.at(-1)!,
    decision: 'argmax',
    actionSpace: { kind: 'discrete', n: dims.at(-1)!, start: 0 },
    layers: dims.slice(1).map((o, l) => ({
      inputDim: dims[l]!,
      outputDim: o,
      activation: l === dims.length - 2 ? 'linear' : activation,
      weights: Float32Array.from({ length: dims[l]! * o }, () => rng.normal() * scale),
      bias: Float32Array.from({ length: o }, () => rng.normal() * scale),
    })),
  };
}

/** Reference forward pass: left-to-right double sums, Math.tanh, Float32 rounding per layer. */
function reference(art: FloatPolicyArtifact, x: Float32Array): Float32Array {
  let h = x;
  for (const l of art.layers) {
    const y = new Float32Array(l.outputDim);
    for (let j = 0; j < l.outputDim; j++) {
      let s = l.bias[j]!;
      for (let i = 0; i < l.inputDim; i++) s += h[i]! * l.weights[i * l.outputDim + j]!;
      y[j] = s;
    }
    for (let j = 0; j < y.length; j++)
      y[j] =
        l.activation === 'tanh' ? Math.tanh(y[j]!) : l.activation === 'relu' ? Math.max(0, y[j]!) : y[j]!;
    h = y;
  }
  return h;
}

/** Σ|b| + Σ|x·w| through the layers (identity hidden layers): the scale of Float32 summation error. */
function magnitude(art: FloatPolicyArtifact, x: Float32Array): Float64Array {
  let h = Float64Array.from(x, Math.abs);
  for (const l of art.layers) {
    const y = new Float64Array(l.outputDim);
    for (let j = 0; j < l.outputDim; j++) {
      let s = Math.abs(l.bias[j]!);
      for (let i = 0; i < l.inputDim; i++) s += h[i]! * Math.abs(l.weights[i * l.outputDim + j]!);
      y[j] = s;
    }
    h = y;
  }
  return h;
}

// Both dense kernels, where the engine has WebAssembly SIMD.
const KERNELS = wasmSimdAvailable() ? (['js', 'wasm'] as const) : (['js'] as const);

describe.each(KERNELS)('createPolicyRuntime (%s kernel)', (kernel) => {
  it('uses the kernel asked for', () => {
    expect(createPolicyRuntime(randomArtifact([3, 5, 2], 'tanh', 0, 1), { kernel }).kernel).toBe(kernel);
  });

  it('property: matches a plain reference within 1e-5 for any widths (8/4/1-row blocks) and saturating tanh', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }),
        fc.constantFrom<'tanh' | 'relu'>('tanh', 'relu'),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0.1, 1, 5),
        (dims, activation, seed, scale) => {
          const art = randomArtifact(dims, activation, seed, scale);
          const rt = createPolicyRuntime(art, { kernel });
          const rng = new Rng(seed + 1);
          for (let k = 0; k < 5; k++) {
            const x = Float32Array.from({ length: dims[0]! }, () => rng.normal() * 3);
            const want = reference(art, x);
            const got = rt.forward(x);
            // Double sums (js) agree to 1e-5 relative; Float32 sums (wasm) also to ~1e-7 of Σ|x·w|.
            const m = kernel === 'wasm' ? magnitude(art, x) : undefined;
            for (let j = 0; j < want.length; j++)
              expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(
                1e-5 * Math.max(1, Math.abs(want[j]!)) + (m ? 1e-6 * m[j]! : 0),
              );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  // One Float32 step in JavaScript, two in the WebAssembly kernel (see dense-kernel-wasm.ts).
  it('its tanh is Math.tanh to within one (js) or two (wasm) Float32 steps over the whole line', () => {
    const art = randomArtifact([1, 1, 1], 'tanh', 0, 1);
    art.layers[0]!.weights[0] = 1;
    art.layers[0]!.bias[0] = 0;
    art.layers[1]!.weights[0] = 1;
    art.layers[1]!.bias[0] = 0;
    const rt = createPolicyRuntime(art, { kernel });
    const x = new Float32Array(1);
    let worst = 0;
    for (let v = -25; v <= 25; v += 0.001) {
      x[0] = v;
      worst = Math.max(worst, Math.abs(rt.forward(x)[0]! - Math.fround(Math.tanh(x[0]))));
    }
    expect(worst).toBeLessThanOrEqual(kernel === 'js' ? 6e-8 : 1.2e-7);
  });
});

describe('createPolicyRuntime', () => {
  afterEach(() => vi.restoreAllMocks());

  it('falls back to the JavaScript kernel where WebAssembly SIMD is reported missing (auto); wasm throws', () => {
    const art = randomArtifact([6, 9, 3], 'relu', 2, 1);
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    vi.spyOn(wasm, 'validate').mockReturnValue(false);
    const rt = createPolicyRuntime(art);
    expect(rt.kernel).toBe('js');
    const x = Float32Array.of(1, -2, 0.5, 3, -1, 0);
    const want = reference(art, x);
    rt.forward(x).forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 5));
    expect(() => createPolicyRuntime(art, { kernel: 'wasm' })).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });

  it.runIf(wasmSimdAvailable())(
    'uses the WebAssembly kernel by default where SIMD is available (float networks only)',
    () => {
      const art = randomArtifact([6, 9, 3], 'tanh', 2, 1);
      expect(createPolicyRuntime(art).kernel).toBe('wasm');
      expect(createPolicyRuntime(quantizeInt8(art)).kernel).toBe('js');
    },
  );
  it('int8 kernels with odd widths agree with the dequantized float network', () => {
    const art = randomArtifact([7, 13, 5, 3], 'tanh', 3, 0.5);
    const q = quantizeInt8(art);
    const deq: FloatPolicyArtifact = {
      ...art,
      layers: q.layers.map((l) => ({
        inputDim: l.inputDim,
        outputDim: l.outputDim,
        activation: l.activation,
        weights: Float32Array.from(l.weights, (w, idx) => w * l.scales[idx % l.outputDim]!),
        bias: l.bias,
      })),
    };
    const rq = createPolicyRuntime(q);
    const rng = new Rng(9);
    for (let k = 0; k < 50; k++) {
      const x = Float32Array.from({ length: 7 }, () => rng.normal());
      const want = reference(deq, x);
      const got = rq.forward(x);
      for (let j = 0; j < 3; j++) expect(got[j]!).toBeCloseTo(want[j]!, 5);
    }
  });
});
