/**
 * The dependency-free inference runtime of an exported policy: observation normalization, the
 * dense layers on Float32Array, and the (masked) argmax decision. Buffers are allocated once at
 * creation; `forward` and `act` allocate nothing. Kernels are stored transposed and each output is
 * one double-precision dot product rounded once to Float32 (faster than the training code's
 * row-by-row Float32 accumulation and at least as accurate; outputs agree with the model's to
 * ~1e-7 relative). The generated C code (`c-codegen.ts`) does the same arithmetic.
 */
import { ArbiterError } from '../core/errors.js';
import type { ArtifactActivation, PolicyArtifact } from './policy-artifact.js';

/** A ready-to-run policy. */
export interface PolicyRuntime {
  /** Flat observation length. */
  readonly inputDim: number;
  /** Number of outputs (actions). */
  readonly outputDim: number;
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
  /** Kernel transposed to row-major `outDim × inDim`, so each output reads one contiguous row. */
  kernelT: Float32Array | Int8Array;
  scales: Float32Array | undefined;
  bias: Float32Array;
}

/** Builds the runtime of a validated artifact (see {@link PolicyRuntime}). */
export function createPolicyRuntime(artifact: PolicyArtifact): PolicyRuntime {
  const inputDim = artifact.inputDim;
  const outputDim = artifact.outputDim;
  const layers: RuntimeLayer[] = artifact.layers.map((l) => ({
    inDim: l.inputDim,
    outDim: l.outputDim,
    activation: l.activation,
    kernelT: transpose(l.weights, l.inputDim, l.outputDim),
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
    for (let l = 0; l <= last; l++) {
      const { kernelT, scales, bias, inDim, outDim: od, activation } = layers[l]!;
      const dst = l === last ? out : l % 2 === 0 ? bufA : bufB;
      // Dot products over contiguous kernel rows in doubles, rounded once to Float32 (see dotRow).
      // Two loops so that each kernel read site sees one array type (monomorphic in V8).
      if (scales) {
        const q = kernelT as Int8Array;
        for (let j = 0; j < od; j++) {
          const ko = j * inDim;
          dst[j] = bias[j]! + dotRow(input, q, ko, inDim) * scales[j]!;
        }
      } else {
        const w = kernelT as Float32Array;
        for (let j = 0; j < od; j++) {
          const ko = j * inDim;
          dst[j] = bias[j]! + dotRowF32(input, w, ko, inDim);
        }
      }
      if (activation === 'tanh') for (let j = 0; j < od; j++) dst[j] = Math.tanh(dst[j]!);
      else if (activation === 'relu') for (let j = 0; j < od; j++) if (dst[j]! < 0) dst[j] = 0;
      input = dst;
    }
    return out;
  };

  const act = (obs: Float32Array, mask?: ArrayLike<number>): number => {
    const y = forward(obs);
    let best = -1;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < outputDim; a++) {
      if (mask && !mask[a]) continue;
      if (best < 0 || y[a]! > bestV) {
        best = a;
        bestV = y[a]!;
      }
    }
    if (best < 0) throw new ArbiterError('empty-mask', 'policy runtime: the action mask allows no action');
    return best;
  };

  return { inputDim, outputDim, forward, act };
}

/**
 * `Σ x[i]·k[off + i]` with four independent double accumulators: the loop-carried dependency of a
 * single accumulator, not the arithmetic, bounds a naive dot product (≈ 1.7× faster here). The
 * summation order differs from a left-to-right sum by rounding only (≈ 1e-7 relative).
 */
function dotRow(x: Float32Array, k: Int8Array, off: number, n: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a0 += x[i]! * k[off + i]!;
    a1 += x[i + 1]! * k[off + i + 1]!;
    a2 += x[i + 2]! * k[off + i + 2]!;
    a3 += x[i + 3]! * k[off + i + 3]!;
  }
  for (; i < n; i++) a0 += x[i]! * k[off + i]!;
  return a0 + a1 + (a2 + a3);
}

/** {@link dotRow} for Float32 kernels (a separate function keeps each one monomorphic). */
function dotRowF32(x: Float32Array, k: Float32Array, off: number, n: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a0 += x[i]! * k[off + i]!;
    a1 += x[i + 1]! * k[off + i + 1]!;
    a2 += x[i + 2]! * k[off + i + 2]!;
    a3 += x[i + 3]! * k[off + i + 3]!;
  }
  for (; i < n; i++) a0 += x[i]! * k[off + i]!;
  return a0 + a1 + (a2 + a3);
}

/** `w` (row-major rows × cols) transposed to row-major cols × rows, same element type. */
function transpose<T extends Float32Array | Int8Array>(w: T, rows: number, cols: number): T {
  const t = (w instanceof Int8Array ? new Int8Array(w.length) : new Float32Array(w.length)) as T;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j]!;
  return t;
}
