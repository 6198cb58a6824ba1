/**
 * Training pass of a dense network on Float32Arrays: a forward pass that keeps every layer's
 * output, and the matching backward pass (weight, bias and input gradients). It is the hot path
 * of the fast learner, where a framework call per operation would cost more than the arithmetic
 * of these small layers. Same layout and function as {@link denseForward}; checked against
 * TensorFlow.js gradients and finite differences in the tests.
 *
 * Every innermost loop is a dot product over contiguous memory with its sums in registers: the
 * forward pass reads a transposed copy of the kernel, the weight gradient batch-major copies of
 * the layer's input and output gradient, and blocks of rows × outputs share each load. Sums run in
 * double precision and are rounded to float32 once, when stored (so outputs may differ from the
 * float32-accumulating rollout pass {@link denseForward} in the last bit).
 */
import { transposeInto, type DenseActivation, type DenseLayerF32 } from './dense-forward.js';

/** Every layer's output for up to `capacity` rows, kept by {@link denseForwardTrain} for the backward pass. */
export interface DenseTrainCache {
  /** Rows the buffers hold. */
  readonly capacity: number;
  /** Per layer: post-activation outputs (linear for the last layer), capacity × outDim. */
  readonly outputs: Float32Array[];
  /** Scratch for the gradient at a layer's output and input, capacity × max width. */
  readonly dA: Float32Array;
  readonly dB: Float32Array;
  /** Per layer: the kernel transposed (outDim × inDim), refreshed by every forward pass. */
  readonly kernelT: Float32Array[];
  /** Scratch for a layer's input and output gradient transposed (max width × capacity). */
  readonly xT: Float32Array;
  readonly dzT: Float32Array;
  /** The input rows of the last forward pass (not copied: the caller keeps them alive). */
  input: Float32Array;
  /** Rows of the last forward pass. */
  batch: number;
}

/** A cache for `capacity` rows through `layers` (allocates once; reuse it for every minibatch). */
export function createDenseTrainCache(layers: readonly DenseLayerF32[], capacity: number): DenseTrainCache {
  let width = layers[0]?.inDim ?? 0;
  for (const l of layers) width = Math.max(width, l.outDim, l.inDim);
  return {
    capacity,
    outputs: layers.map((l) => new Float32Array(capacity * l.outDim)),
    dA: new Float32Array(capacity * width),
    dB: new Float32Array(capacity * width),
    kernelT: layers.map((l) => new Float32Array(l.inDim * l.outDim)),
    xT: new Float32Array(capacity * width),
    dzT: new Float32Array(capacity * width),
    input: new Float32Array(0),
    batch: 0,
  };
}

/**
 * Forward pass of `batch` rows of `x` (batch × inDim), keeping each layer's output in `cache`.
 * Returns the output rows (a view into the cache, valid until the next call).
 */
export function denseForwardTrain(
  layers: readonly DenseLayerF32[],
  activation: DenseActivation,
  x: Float32Array,
  batch: number,
  cache: DenseTrainCache,
): Float32Array {
  if (batch > cache.capacity)
    throw new RangeError(`denseForwardTrain: batch ${batch} exceeds the cache capacity ${cache.capacity}`);
  cache.input = x;
  cache.batch = batch;
  const last = layers.length - 1;
  let input = x;
  for (let l = 0; l <= last; l++) {
    const { kernel, bias, inDim, outDim } = layers[l]!;
    const y = cache.outputs[l]!;
    const kt = cache.kernelT[l]!;
    transposeInto(kernel, inDim, outDim, kt);
    trainLayerForward(kt, bias, inDim, outDim, input, batch, y);
    if (l < last) {
      const m = batch * outDim;
      if (activation === 'tanh') for (let k = 0; k < m; k++) y[k] = Math.tanh(y[k]!);
      else for (let k = 0; k < m; k++) if (y[k]! < 0) y[k] = 0;
    }
    input = y;
  }
  return cache.outputs[last]!.subarray(0, batch * layers[last]!.outDim);
}

/**
 * Backward pass of the last {@link denseForwardTrain} on `cache`: given `dOut` = ∂L/∂output
 * (batch × outDim), **adds** ∂L/∂W and ∂L/∂b into `grads` (same shapes as `layers`; zero them
 * first for a fresh gradient) and, when `dInput` is given, **writes** ∂L/∂x (batch × inDim) there.
 */
export function denseBackward(
  layers: readonly DenseLayerF32[],
  activation: DenseActivation,
  cache: DenseTrainCache,
  dOut: Float32Array,
  grads: readonly DenseLayerF32[],
  dInput?: Float32Array,
): void {
  const batch = cache.batch;
  const last = layers.length - 1;
  // dz holds ∂L/∂(pre-activation) of layer l; the first one is dOut (the last layer is linear).
  let dz: Float32Array = dOut;
  for (let l = last; l >= 0; l--) {
    const { kernel, inDim, outDim } = layers[l]!;
    const g = grads[l]!;
    const x = l === 0 ? cache.input : cache.outputs[l - 1]!;
    // Batch-major copies make the sums over rows run on contiguous memory.
    transposeInto(x, batch, inDim, cache.xT);
    transposeInto(dz, batch, outDim, cache.dzT);
    accumulateWeightGrads(cache.xT, cache.dzT, batch, inDim, outDim, g.kernel, g.bias);
    if (l === 0 && !dInput) break;
    // ∂L/∂x of this layer, then through the previous layer's activation (its output is x).
    const dx = l === 0 ? dInput! : dz === cache.dA ? cache.dB : cache.dA;
    inputGrads(kernel, dz, batch, inDim, outDim, dx);
    if (l > 0) {
      const m = batch * inDim;
      if (activation === 'tanh')
        for (let k = 0; k < m; k++) {
          const y = x[k]!;
          dx[k] = dx[k]! * (1 - y * y);
        }
      else for (let k = 0; k < m; k++) if (x[k]! <= 0) dx[k] = 0;
    }
    dz = dx;
  }
}

/**
 * `gW[i, j] += Σ_r x[r, i] · dz[r, j]` and `gB[j] += Σ_r dz[r, j]` from batch-major `xT`
 * (inDim × batch) and `dzT` (outDim × batch), in blocks of two inputs × four outputs.
 * Sums over rows run in double precision, rounded to float32 once when stored.
 */
function accumulateWeightGrads(
  xT: Float32Array,
  dzT: Float32Array,
  batch: number,
  inDim: number,
  outDim: number,
  gW: Float32Array,
  gB: Float32Array,
): void {
  for (let j = 0; j < outDim; j++) {
    const zo = j * batch;
    let s = gB[j]!;
    for (let r = 0; r < batch; r++) s += dzT[zo + r]!;
    gB[j] = s;
  }
  let i = 0;
  // Two inputs × four outputs per pass: each load serves two or four products.
  for (; i + 2 <= inDim; i += 2) {
    const xa = i * batch;
    const xb = xa + batch;
    const ga = i * outDim;
    const gb = ga + outDim;
    let j = 0;
    for (; j + 4 <= outDim; j += 4) {
      const z0 = j * batch;
      const z1 = z0 + batch;
      const z2 = z1 + batch;
      const z3 = z2 + batch;
      let a0 = gW[ga + j]!;
      let a1 = gW[ga + j + 1]!;
      let a2 = gW[ga + j + 2]!;
      let a3 = gW[ga + j + 3]!;
      let b0 = gW[gb + j]!;
      let b1 = gW[gb + j + 1]!;
      let b2 = gW[gb + j + 2]!;
      let b3 = gW[gb + j + 3]!;
      for (let r = 0; r < batch; r++) {
        const u = xT[xa + r]!;
        const v = xT[xb + r]!;
        const d0 = dzT[z0 + r]!;
        const d1 = dzT[z1 + r]!;
        const d2 = dzT[z2 + r]!;
        const d3 = dzT[z3 + r]!;
        a0 += u * d0;
        a1 += u * d1;
        a2 += u * d2;
        a3 += u * d3;
        b0 += v * d0;
        b1 += v * d1;
        b2 += v * d2;
        b3 += v * d3;
      }
      gW[ga + j] = a0;
      gW[ga + j + 1] = a1;
      gW[ga + j + 2] = a2;
      gW[ga + j + 3] = a3;
      gW[gb + j] = b0;
      gW[gb + j + 1] = b1;
      gW[gb + j + 2] = b2;
      gW[gb + j + 3] = b3;
    }
    for (; j < outDim; j++) {
      const zo = j * batch;
      let a = gW[ga + j]!;
      let b = gW[gb + j]!;
      for (let r = 0; r < batch; r++) {
        const d = dzT[zo + r]!;
        a += xT[xa + r]! * d;
        b += xT[xb + r]! * d;
      }
      gW[ga + j] = a;
      gW[gb + j] = b;
    }
  }
  for (; i < inDim; i++) {
    const xo = i * batch;
    const go = i * outDim;
    for (let j = 0; j < outDim; j++) {
      const zo = j * batch;
      let s = gW[go + j]!;
      for (let r = 0; r < batch; r++) s += xT[xo + r]! * dzT[zo + r]!;
      gW[go + j] = s;
    }
  }
}

/** `dx[r, i] = Σ_j dz[r, j] · W[i, j]` (double sums), four rows at a time sharing the weight loads. */
function inputGrads(
  kernel: Float32Array,
  dz: Float32Array,
  batch: number,
  inDim: number,
  outDim: number,
  dx: Float32Array,
): void {
  let r = 0;
  for (; r + 4 <= batch; r += 4) {
    const z0 = r * outDim;
    const z1 = z0 + outDim;
    const z2 = z1 + outDim;
    const z3 = z2 + outDim;
    const xo = r * inDim;
    for (let i = 0; i < inDim; i++) {
      const ko = i * outDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < outDim; j++) {
        const k = kernel[ko + j]!;
        s0 += dz[z0 + j]! * k;
        s1 += dz[z1 + j]! * k;
        s2 += dz[z2 + j]! * k;
        s3 += dz[z3 + j]! * k;
      }
      dx[xo + i] = s0;
      dx[xo + inDim + i] = s1;
      dx[xo + 2 * inDim + i] = s2;
      dx[xo + 3 * inDim + i] = s3;
    }
  }
  for (; r < batch; r++) {
    const zo = r * outDim;
    const xo = r * inDim;
    for (let i = 0; i < inDim; i++) {
      const ko = i * outDim;
      let s = 0;
      for (let j = 0; j < outDim; j++) s += dz[zo + j]! * kernel[ko + j]!;
      dx[xo + i] = s;
    }
  }
}

/**
 * `y = x · W + b` for `batch` rows from the transposed kernel `kt` (outDim × inDim), in blocks of
 * four rows × two outputs; sums in double precision, rounded to float32 once when stored.
 */
function trainLayerForward(
  kt: Float32Array,
  bias: Float32Array,
  inDim: number,
  outDim: number,
  x: Float32Array,
  batch: number,
  y: Float32Array,
): void {
  let r = 0;
  for (; r + 4 <= batch; r += 4) {
    const x0 = r * inDim;
    const x1 = x0 + inDim;
    const x2 = x1 + inDim;
    const x3 = x2 + inDim;
    const y0 = r * outDim;
    const y1 = y0 + outDim;
    const y2 = y1 + outDim;
    const y3 = y2 + outDim;
    let j = 0;
    // Four rows × two outputs per pass: each x and w load serves two or four products.
    for (; j + 2 <= outDim; j += 2) {
      const wa = j * inDim;
      const wb = wa + inDim;
      let a0 = bias[j]!;
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let b0 = bias[j + 1]!;
      let b1 = b0;
      let b2 = b0;
      let b3 = b0;
      for (let i = 0; i < inDim; i++) {
        const u = kt[wa + i]!;
        const v = kt[wb + i]!;
        const p0 = x[x0 + i]!;
        const p1 = x[x1 + i]!;
        const p2 = x[x2 + i]!;
        const p3 = x[x3 + i]!;
        a0 += p0 * u;
        a1 += p1 * u;
        a2 += p2 * u;
        a3 += p3 * u;
        b0 += p0 * v;
        b1 += p1 * v;
        b2 += p2 * v;
        b3 += p3 * v;
      }
      y[y0 + j] = a0;
      y[y1 + j] = a1;
      y[y2 + j] = a2;
      y[y3 + j] = a3;
      y[y0 + j + 1] = b0;
      y[y1 + j + 1] = b1;
      y[y2 + j + 1] = b2;
      y[y3 + j + 1] = b3;
    }
    for (; j < outDim; j++) {
      const wo = j * inDim;
      let s0 = bias[j]!;
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let i = 0; i < inDim; i++) {
        const w = kt[wo + i]!;
        s0 += x[x0 + i]! * w;
        s1 += x[x1 + i]! * w;
        s2 += x[x2 + i]! * w;
        s3 += x[x3 + i]! * w;
      }
      y[y0 + j] = s0;
      y[y1 + j] = s1;
      y[y2 + j] = s2;
      y[y3 + j] = s3;
    }
  }
  for (; r < batch; r++) {
    const xo = r * inDim;
    const yo = r * outDim;
    for (let j = 0; j < outDim; j++) {
      const wo = j * inDim;
      let s = bias[j]!;
      for (let i = 0; i < inDim; i++) s += x[xo + i]! * kt[wo + i]!;
      y[yo + j] = s;
    }
  }
}
