/**
 * Training pass of a dense network on Float32Arrays: a forward pass that keeps every layer's
 * output, and the matching backward pass (weight, bias and input gradients). It is the hot path
 * of the fast learner, where a framework call per operation would cost more than the arithmetic
 * of these small layers. Same layout and function as {@link denseForward}; checked against
 * TensorFlow.js gradients and finite differences in the tests.
 *
 * Every output, weight-gradient and input-gradient entry is summed in the same order as
 * {@link denseForward} (`y[r,j]`: bias, then i ascending; `dW[i,j]`: r ascending; `dx[r,i]`: j
 * ascending), each partial sum rounded to Float32 where the plain loop would store it, so the
 * results are bit-identical to it. The loops are blocked by four outputs, weight columns or
 * inputs, whose partial sums stay in registers: one load feeds four multiply-adds instead of
 * each one reading and writing memory.
 *
 * Networks large enough to pay for it run on the WebAssembly SIMD kernels instead
 * (`dense-train-wasm.ts`, chosen process-wide by `setTrainingKernel` / `ARBITER_KERNEL`): the
 * same function and contract, equal to these loops within Float32 summation order.
 */
import type { DenseActivation, DenseLayerF32 } from './dense-forward.js';
import { trainsOnWasm, WasmDenseTrainer } from './dense-train-wasm.js';

const f32 = Math.fround;

/** Every layer's output for up to `capacity` rows, kept by {@link denseForwardTrain} for the backward pass. */
export interface DenseTrainCache {
  /** Rows the buffers hold. */
  readonly capacity: number;
  /** Per layer: post-activation outputs (linear for the last layer), capacity × outDim. */
  readonly outputs: Float32Array[];
  /** Scratch for the gradient at a layer's output and input, capacity × max width. */
  readonly dA: Float32Array;
  readonly dB: Float32Array;
  /** The input rows of the last forward pass (not copied: the caller keeps them alive). */
  input: Float32Array;
  /** Rows of the last forward pass. */
  batch: number;
  /** The WebAssembly training state, created on the first pass that runs there. */
  wasm?: WasmDenseTrainer;
  /** Whether the last forward pass ran on {@link DenseTrainCache.wasm} (its backward does too). */
  onWasm?: boolean;
}

/** A cache for `capacity` rows through `layers` (allocates once; reuse it for every minibatch). */
export function createDenseTrainCache(layers: readonly DenseLayerF32[], capacity: number): DenseTrainCache {
  let width = layers[0]?.inDim ?? 0;
  for (const l of layers) width = Math.max(width, l.outDim);
  return {
    capacity,
    outputs: layers.map((l) => new Float32Array(capacity * l.outDim)),
    dA: new Float32Array(capacity * width),
    dB: new Float32Array(capacity * width),
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
  cache.onWasm = trainsOnWasm(layers, batch);
  if (cache.onWasm) {
    (cache.wasm ??= new WasmDenseTrainer(layers, cache.capacity)).forward(
      layers,
      activation,
      x,
      batch,
      cache.outputs,
    );
    return cache.outputs[last]!.subarray(0, batch * layers[last]!.outDim);
  }
  let input = x;
  for (let l = 0; l <= last; l++) {
    const { kernel, bias, inDim, outDim } = layers[l]!;
    const y = cache.outputs[l]!;
    const j4 = outDim & ~3;
    for (let r = 0; r < batch; r++) {
      const xo = r * inDim;
      const yo = r * outDim;
      let j = 0;
      for (; j < j4; j += 4) {
        let a0 = bias[j]!;
        let a1 = bias[j + 1]!;
        let a2 = bias[j + 2]!;
        let a3 = bias[j + 3]!;
        for (let i = 0; i < inDim; i++) {
          const xi = input[xo + i]!;
          if (xi === 0) continue;
          const k = i * outDim + j;
          a0 = f32(a0 + xi * kernel[k]!);
          a1 = f32(a1 + xi * kernel[k + 1]!);
          a2 = f32(a2 + xi * kernel[k + 2]!);
          a3 = f32(a3 + xi * kernel[k + 3]!);
        }
        y[yo + j] = a0;
        y[yo + j + 1] = a1;
        y[yo + j + 2] = a2;
        y[yo + j + 3] = a3;
      }
      for (; j < outDim; j++) {
        let a = bias[j]!;
        for (let i = 0; i < inDim; i++) {
          const xi = input[xo + i]!;
          if (xi !== 0) a = f32(a + xi * kernel[i * outDim + j]!);
        }
        y[yo + j] = a;
      }
    }
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
  if (cache.onWasm) {
    cache.wasm!.backward(activation, dOut, grads, dInput);
    return;
  }
  const batch = cache.batch;
  const last = layers.length - 1;
  // dz holds ∂L/∂(pre-activation) of layer l; the first one is dOut (the last layer is linear).
  let dz: Float32Array = dOut;
  for (let l = last; l >= 0; l--) {
    const { kernel, inDim, outDim } = layers[l]!;
    const g = grads[l]!;
    const gW = g.kernel;
    const gB = g.bias;
    const x = l === 0 ? cache.input : cache.outputs[l - 1]!;
    for (let j = 0; j < outDim; j++) {
      let s = gB[j]!;
      for (let r = 0; r < batch; r++) s = f32(s + dz[r * outDim + j]!);
      gB[j] = s;
    }
    const j4 = outDim & ~3;
    for (let i = 0; i < inDim; i++) {
      const ko = i * outDim;
      let j = 0;
      for (; j < j4; j += 4) {
        let g0 = gW[ko + j]!;
        let g1 = gW[ko + j + 1]!;
        let g2 = gW[ko + j + 2]!;
        let g3 = gW[ko + j + 3]!;
        for (let r = 0; r < batch; r++) {
          const xi = x[r * inDim + i]!;
          if (xi === 0) continue;
          const zo = r * outDim + j;
          g0 = f32(g0 + xi * dz[zo]!);
          g1 = f32(g1 + xi * dz[zo + 1]!);
          g2 = f32(g2 + xi * dz[zo + 2]!);
          g3 = f32(g3 + xi * dz[zo + 3]!);
        }
        gW[ko + j] = g0;
        gW[ko + j + 1] = g1;
        gW[ko + j + 2] = g2;
        gW[ko + j + 3] = g3;
      }
      for (; j < outDim; j++) {
        let g = gW[ko + j]!;
        for (let r = 0; r < batch; r++) {
          const xi = x[r * inDim + i]!;
          if (xi !== 0) g = f32(g + xi * dz[r * outDim + j]!);
        }
        gW[ko + j] = g;
      }
    }
    if (l === 0 && !dInput) break;
    // ∂L/∂x of this layer, then through the previous layer's activation (its output is x).
    const dx = l === 0 ? dInput! : dz === cache.dA ? cache.dB : cache.dA;
    const i4 = inDim & ~3;
    for (let r = 0; r < batch; r++) {
      const zo = r * outDim;
      const xo = r * inDim;
      let i = 0;
      for (; i < i4; i += 4) {
        const k0 = i * outDim;
        const k1 = k0 + outDim;
        const k2 = k1 + outDim;
        const k3 = k2 + outDim;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < outDim; j++) {
          const d = dz[zo + j]!;
          s0 += d * kernel[k0 + j]!;
          s1 += d * kernel[k1 + j]!;
          s2 += d * kernel[k2 + j]!;
          s3 += d * kernel[k3 + j]!;
        }
        dx[xo + i] = s0;
        dx[xo + i + 1] = s1;
        dx[xo + i + 2] = s2;
        dx[xo + i + 3] = s3;
      }
      for (; i < inDim; i++) {
        const ko = i * outDim;
        let s = 0;
        for (let j = 0; j < outDim; j++) s += dz[zo + j]! * kernel[ko + j]!;
        dx[xo + i] = s;
      }
    }
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
