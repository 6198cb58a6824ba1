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
  /** Scratch for a weight gradient (max width²) and a zero bias (max width). */
  readonly product: Float32Array;
  readonly zeros: Float32Array;
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
    product: new Float32Array(width * width),
    zeros: new Float32Array(width),
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
    matMulTransposed(input, batch, inDim, kt, outDim, bias, y);
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
    // ∂L/∂W = xᵀ·dz: rows of xT times rows of dzT, added into the gradient.
    const prod = cache.product;
    matMulTransposed(cache.xT, inDim, batch, cache.dzT, outDim, cache.zeros, prod);
    const gW = g.kernel;
    for (let k = 0; k < gW.length; k++) gW[k] = gW[k]! + prod[k]!;
    const gB = g.bias;
    const dzT = cache.dzT;
    for (let j = 0; j < outDim; j++) {
      let s = 0;
      for (let r = 0; r < batch; r++) s += dzT[j * batch + r]!;
      gB[j] = gB[j]! + s;
    }
    if (l === 0 && !dInput) break;
    // ∂L/∂x of this layer, then through the previous layer's activation (its output is x).
    const dx = l === 0 ? dInput! : dz === cache.dA ? cache.dB : cache.dA;
    // ∂L/∂x = dz·Wᵀ: rows of dz times rows of the (row-major inDim × outDim) kernel.
    matMulTransposed(dz, batch, outDim, kernel, inDim, cache.zeros, dx);
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
 * `out[r, c] = bias[c] + Σ_k a[r, k] · b[c, k]` for row-major `a` (rows × inner) and `b`
 * (cols × inner): every sum is a dot product of two contiguous rows, computed in blocks of four
 * rows × two columns so that each load serves two or four products. Sums run in double
 * precision and are rounded to float32 once, when stored. The one kernel of the training pass:
 * the forward pass (`b` = transposed kernel), ∂L/∂x (`b` = kernel) and ∂L/∂W (`a`, `b` = batch-major
 * input and output gradient).
 */
function matMulTransposed(
  a: Float32Array,
  rows: number,
  inner: number,
  b: Float32Array,
  cols: number,
  bias: Float32Array,
  out: Float32Array,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a0 = r * inner;
    const a1 = a0 + inner;
    const a2 = a1 + inner;
    const a3 = a2 + inner;
    const o0 = r * cols;
    const o1 = o0 + cols;
    const o2 = o1 + cols;
    const o3 = o2 + cols;
    for (let c = 0; c < cols; c += 2) {
      // An odd last column reuses its own row as the second one and discards that result.
      const second = c + 1 < cols;
      const bu = c * inner;
      const bv = second ? bu + inner : bu;
      let u0 = 0;
      let u1 = 0;
      let u2 = 0;
      let u3 = 0;
      let v0 = 0;
      let v1 = 0;
      let v2 = 0;
      let v3 = 0;
      for (let k = 0; k < inner; k++) {
        const u = b[bu + k]!;
        const v = b[bv + k]!;
        const p0 = a[a0 + k]!;
        const p1 = a[a1 + k]!;
        const p2 = a[a2 + k]!;
        const p3 = a[a3 + k]!;
        u0 += p0 * u;
        u1 += p1 * u;
        u2 += p2 * u;
        u3 += p3 * u;
        v0 += p0 * v;
        v1 += p1 * v;
        v2 += p2 * v;
        v3 += p3 * v;
      }
      const bc = bias[c]!;
      out[o0 + c] = bc + u0;
      out[o1 + c] = bc + u1;
      out[o2 + c] = bc + u2;
      out[o3 + c] = bc + u3;
      if (second) {
        const bd = bias[c + 1]!;
        out[o0 + c + 1] = bd + v0;
        out[o1 + c + 1] = bd + v1;
        out[o2 + c + 1] = bd + v2;
        out[o3 + c + 1] = bd + v3;
      }
    }
  }
  for (; r < rows; r++) {
    const ao = r * inner;
    const oo = r * cols;
    for (let c = 0; c < cols; c++) {
      const bo = c * inner;
      let s = 0;
      for (let k = 0; k < inner; k++) s += a[ao + k]! * b[bo + k]!;
      out[oo + c] = bias[c]! + s;
    }
  }
}
