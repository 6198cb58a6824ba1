/**
 * The dependency-free inference runtime of an exported policy: observation normalization, the
 * convolutions of a CNN (NHWC, 'valid'; one double accumulator per output, in the order of the
 * generated C), the dense layers on Float32Array, and the (masked) argmax decision. Buffers are allocated once at
 * creation; `forward` and `act` allocate nothing. Float32 kernels are repacked so that eight
 * outputs read one contiguous weight stream, and each output is a double-precision dot product
 * rounded once to Float32 (see `matVecF32`); tanh is evaluated without a library call (see
 * `fastTanh`). Outputs agree with the model's to ~1e-7 relative. The generated C code
 * (`c-codegen.ts`) computes the same dot products (with the C library's tanh).
 *
 * Where WebAssembly SIMD is available, Float32 networks run on the single-row SIMD kernel of
 * `WasmMatVecNet` instead (weights resident in WebAssembly memory in its packed layout, all layers
 * in one call; f32x4, Float32 accumulators like TF.js: ~1e-7 of Σ|x·w| from the double sums; tanh
 * within two Float32 steps, not one): about ten times faster than the JavaScript kernel from 64
 * units on (bench/results/deploy.md). The `kernel` option forces either path; the
 * generated C matches the JavaScript one. Int8 networks always run in JavaScript.
 */
import { ArbiterError } from '../core/errors.js';
import { fastTanh } from '../core/fast-math.js';
import { maskedArgmax } from '../core/masked-argmax.js';
import { useWasmKernel, type DenseKernelChoice } from '../nn/dense-forward-wasm.js';
import { WasmMatVecNet } from '../nn/dense-matvec-wasm.js';
import {
  convOutputShape,
  type ArtifactActivation,
  type FloatConvArtifactLayer,
  type Int8ConvArtifactLayer,
  type PolicyArtifact,
} from './policy-artifact.js';

/** A ready-to-run policy. */
export interface PolicyRuntime {
  /** Flat observation length. */
  readonly inputDim: number;
  /** Number of outputs (actions). */
  readonly outputDim: number;
  /** The dense kernel in use: WebAssembly SIMD or JavaScript (convolutions always run in JavaScript). */
  readonly kernel: 'wasm' | 'js';
  /**
   * Network outputs (logits or Q-values) of one raw observation. Returns an internal buffer that
   * the next call overwrites (copy it to keep it).
   */
  forward(obs: Float32Array): Float32Array;
  /**
   * Index (0 … outputDim − 1) of the largest output among the allowed actions (`mask[a] ≠ 0`;
   * all allowed without a mask); ties go to the lowest index. The environment action is
   * `actionSpace.start + index`. Throws `empty-mask` when nothing is allowed.
   */
  act(obs: Float32Array, mask?: ArrayLike<number>): number;
}

interface RuntimeLayer {
  inDim: number;
  outDim: number;
  activation: ArtifactActivation;
  /**
   * Float32: the kernel packed for {@link matVecF32} (see {@link packKernel}); int8: transposed to
   * row-major `outDim × inDim`, so each output reads one contiguous row.
   */
  kernelT: Float32Array | Int8Array;
  scales: Float32Array | undefined;
  bias: Float32Array;
}

/** Options of {@link createPolicyRuntime}. */
export interface PolicyRuntimeOptions {
  /**
   * Dense kernel of Float32 networks: `auto` (default) the WebAssembly SIMD one where the engine
   * has it and `ARBITER_KERNEL` is not `js`, else JavaScript; `wasm` throws `unsupported` where it is missing; `js` always
   * JavaScript (the arithmetic of the generated C code). Int8 networks always use JavaScript.
   */
  kernel?: DenseKernelChoice;
}

/** Builds the runtime of a validated artifact (see {@link PolicyRuntime}). */
export function createPolicyRuntime(
  artifact: PolicyArtifact,
  options: PolicyRuntimeOptions = {},
): PolicyRuntime {
  const inputDim = artifact.inputDim;
  const outputDim = artifact.outputDim;
  const isFloat = artifact.layers.every((l) => l.weights instanceof Float32Array);
  const conv = (artifact.conv ?? []) as (FloatConvArtifactLayer | Int8ConvArtifactLayer)[];
  const convOut = conv.map((l) => convOutputShape(l));
  let convWidth = 0;
  let maxFilters = 0;
  for (const [h, w, c] of convOut) {
    convWidth = Math.max(convWidth, h * w * c);
    maxFilters = Math.max(maxFilters, c);
  }
  const convA = new Float32Array(convWidth);
  const convB = new Float32Array(convWidth);
  const acc = new Float64Array(maxFilters);
  const wasm =
    isFloat && useWasmKernel(options.kernel ?? 'auto')
      ? new WasmMatVecNet(
          artifact.layers.map((l) => ({
            kernel: l.weights as Float32Array,
            bias: l.bias,
            inDim: l.inputDim,
            outDim: l.outputDim,
          })),
          artifact.layers.map((l) => l.activation),
        )
      : undefined;
  // The JavaScript kernels' packed copies, only where they run.
  const layers: RuntimeLayer[] = (wasm ? [] : artifact.layers).map((l) => ({
    inDim: l.inputDim,
    outDim: l.outputDim,
    activation: l.activation,
    kernelT:
      l.weights instanceof Int8Array
        ? transpose(l.weights, l.inputDim, l.outputDim)
        : packKernel(l.weights, l.inputDim, l.outputDim),
    scales: 'scales' in l ? l.scales : undefined,
    bias: l.bias,
  }));
  let width = inputDim;
  for (const l of layers) width = Math.max(width, l.outDim);
  const bufA = new Float32Array(width);
  const bufB = new Float32Array(width);
  const normIn = new Float32Array(inputDim);
  const out = new Float32Array(outputDim);
  const norm = artifact.normalization;
  const mean = norm ? Float64Array.from(norm.mean) : undefined;
  const variance = norm ? Float64Array.from(norm.var) : undefined;
  const clip = norm?.clip ?? 0;
  const eps = norm?.epsilon ?? 0;
  const last = layers.length - 1;

  const forward = (obs: Float32Array): Float32Array => {
    if (obs.length < inputDim)
      throw new ArbiterError(
        'invalid-input',
        `policy runtime: observation has ${obs.length} values, expected ${inputDim}`,
      );
    let input: Float32Array = obs;
    if (mean && variance) {
      // Same expression as VecNormalizer.normalizeObs, in doubles, rounded once to Float32.
      for (let j = 0; j < inputDim; j++) {
        const z = (obs[j]! - mean[j]!) / Math.sqrt(variance[j]! + eps);
        normIn[j] = z > clip ? clip : z < -clip ? -clip : z;
      }
      input = normIn;
    }
    for (let l = 0; l < conv.length; l++) {
      const dst = l % 2 === 0 ? convA : convB;
      conv2dDouble(conv[l]!, input, dst, acc);
      const [h, w, c] = convOut[l]!;
      applyActivation(dst, h * w * c, conv[l]!.activation);
      input = dst;
    }
    if (wasm) return wasm.forward(input, out);
    for (let l = 0; l <= last; l++) {
      const { kernelT, scales, bias, inDim, outDim: od, activation } = layers[l]!;
      const dst = l === last ? out : l % 2 === 0 ? bufA : bufB;
      // Two kernels so that each kernel read site sees one array type (monomorphic in V8).
      if (scales) matVecI8(input, kernelT as Int8Array, scales, bias, dst, inDim, od);
      else matVecF32(input, kernelT as Float32Array, bias, dst, inDim, od);
      applyActivation(dst, od, activation);
      input = dst;
    }
    return out;
  };

  const act = (obs: Float32Array, mask?: ArrayLike<number>): number => {
    const y = forward(obs);
    return maskedArgmax(y, 0, outputDim, mask, 0, 'policy runtime');
  };

  return { inputDim, outputDim, kernel: wasm ? 'wasm' : 'js', forward, act };
}

/** The layer's nonlinearity on the first `n` values of `y`, in place. */
function applyActivation(y: Float32Array, n: number, activation: ArtifactActivation): void {
  if (activation === 'tanh') for (let j = 0; j < n; j++) y[j] = fastTanh(y[j]!);
  else if (activation === 'relu') for (let j = 0; j < n; j++) if (y[j]! < 0) y[j] = 0;
}

/**
 * A 'valid' convolution of one NHWC image `x` into `y` (before the activation): each output is
 * `bias + Σ x·w` (int8: `bias + scale·Σ x·q`) with one double accumulator per filter, summed over
 * kernel row, then column and input channel, and rounded once to Float32 — the order of the
 * generated C. Zero inputs are skipped (exact: adding ±0 changes no sum), which pays off on
 * binary pixels. `acc` holds ≥ filters doubles.
 */
function conv2dDouble(
  layer: FloatConvArtifactLayer | Int8ConvArtifactLayer,
  x: Float32Array,
  y: Float32Array,
  acc: Float64Array,
): void {
  const [, inW, inC] = layer.inputShape;
  const { kernel: k, stride, filters: F, weights: wts, bias } = layer;
  const scales = 'scales' in layer ? layer.scales : undefined;
  const [outH, outW] = convOutputShape(layer);
  const span = k * inC;
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++) {
      for (let f = 0; f < F; f++) acc[f] = 0;
      for (let ky = 0; ky < k; ky++) {
        const xr = ((oy * stride + ky) * inW + ox * stride) * inC;
        const wr = ky * span * F;
        for (let i = 0; i < span; i++) {
          const xv = x[xr + i]!;
          if (xv === 0) continue;
          const wi = wr + i * F;
          for (let f = 0; f < F; f++) acc[f] = acc[f]! + xv * wts[wi + f]!;
        }
      }
      const o = (oy * outW + ox) * F;
      if (scales) for (let f = 0; f < F; f++) y[o + f] = bias[f]! + acc[f]! * scales[f]!;
      else for (let f = 0; f < F; f++) y[o + f] = bias[f]! + acc[f]!;
    }
}

/**
 * The Float32 kernel (row-major `n × m`, `W[i][j]` at `i·m + j`) packed for {@link matVecF32}:
 * each full block of eight outputs as `n` groups of eight weights (`W[i][j…j+7]` side by side, so
 * the block reads one contiguous stream), then the remaining `m mod 8` outputs as rows of `n`.
 */
function packKernel(w: Float32Array, n: number, m: number): Float32Array {
  const p = new Float32Array(w.length);
  let o = 0;
  let j = 0;
  for (; j + 7 < m; j += 8)
    for (let i = 0; i < n; i++) for (let r = 0; r < 8; r++) p[o++] = w[i * m + j + r]!;
  for (; j < m; j++) for (let i = 0; i < n; i++) p[o++] = w[i * m + j]!;
  return p;
}

/**
 * `y[j] = bias[j] + Σ_i x[i]·W[i][j]` for `m` outputs on a {@link packKernel} kernel. Eight
 * outputs at a time: each `x[i]` is loaded once for eight multiply-adds into eight independent
 * double accumulators (a single accumulator's add latency, not the arithmetic, bounds a plain dot
 * product). Then four rows, then single rows with four partial sums, for the small output layer.
 * Each output is rounded once to Float32 on the store; the summation order differs from a
 * left-to-right sum by rounding only (≈ 1e-16 relative before that rounding).
 */
function matVecF32(
  x: Float32Array,
  k: Float32Array,
  bias: Float32Array,
  y: Float32Array,
  n: number,
  m: number,
): void {
  let j = 0;
  let o = 0;
  for (; j + 7 < m; j += 8) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let i = 0; i < n; i++, o += 8) {
      const xi = x[i]!;
      a0 += xi * k[o]!;
      a1 += xi * k[o + 1]!;
      a2 += xi * k[o + 2]!;
      a3 += xi * k[o + 3]!;
      a4 += xi * k[o + 4]!;
      a5 += xi * k[o + 5]!;
      a6 += xi * k[o + 6]!;
      a7 += xi * k[o + 7]!;
    }
    y[j] = bias[j]! + a0;
    y[j + 1] = bias[j + 1]! + a1;
    y[j + 2] = bias[j + 2]! + a2;
    y[j + 3] = bias[j + 3]! + a3;
    y[j + 4] = bias[j + 4]! + a4;
    y[j + 5] = bias[j + 5]! + a5;
    y[j + 6] = bias[j + 6]! + a6;
    y[j + 7] = bias[j + 7]! + a7;
  }
  for (; j + 3 < m; j += 4, o += 4 * n) {
    const o1 = o + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      a0 += xi * k[o + i]!;
      a1 += xi * k[o1 + i]!;
      a2 += xi * k[o2 + i]!;
      a3 += xi * k[o3 + i]!;
    }
    y[j] = bias[j]! + a0;
    y[j + 1] = bias[j + 1]! + a1;
    y[j + 2] = bias[j + 2]! + a2;
    y[j + 3] = bias[j + 3]! + a3;
  }
  for (; j < m; j++, o += n) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      a0 += x[i]! * k[o + i]!;
      a1 += x[i + 1]! * k[o + i + 1]!;
      a2 += x[i + 2]! * k[o + i + 2]!;
      a3 += x[i + 3]! * k[o + i + 3]!;
    }
    for (; i < n; i++) a0 += x[i]! * k[o + i]!;
    y[j] = bias[j]! + (a0 + a1 + (a2 + a3));
  }
}

/** {@link matVecF32} for int8 kernels with per-output scales: `y[j] = bias[j] + scales[j]·Σ_i x[i]·q[j·n + i]`. */
function matVecI8(
  x: Float32Array,
  q: Int8Array,
  scales: Float32Array,
  bias: Float32Array,
  y: Float32Array,
  n: number,
  m: number,
): void {
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const o0 = j * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      a0 += xi * q[o0 + i]!;
      a1 += xi * q[o1 + i]!;
      a2 += xi * q[o2 + i]!;
      a3 += xi * q[o3 + i]!;
    }
    y[j] = bias[j]! + a0 * scales[j]!;
    y[j + 1] = bias[j + 1]! + a1 * scales[j + 1]!;
    y[j + 2] = bias[j + 2]! + a2 * scales[j + 2]!;
    y[j + 3] = bias[j + 3]! + a3 * scales[j + 3]!;
  }
  for (; j < m; j++) {
    const o = j * n;
    let a0 = 0;
    let a1 = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      a0 += x[i]! * q[o + i]!;
      a1 += x[i + 1]! * q[o + i + 1]!;
    }
    if (i < n) a0 += x[i]! * q[o + i]!;
    y[j] = bias[j]! + (a0 + a1) * scales[j]!;
  }
}

/** `w` (row-major rows × cols) transposed to row-major cols × rows, same element type. */
function transpose<T extends Float32Array | Int8Array>(w: T, rows: number, cols: number): T {
  const t = (w instanceof Int8Array ? new Int8Array(w.length) : new Float32Array(w.length)) as T;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j]!;
  return t;
}
