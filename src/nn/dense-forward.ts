/**
 * Dependency-free forward pass of a dense network on Float32Arrays: the fast path for one
 * decision per environment step (no TensorFlow call), and the kernel the standalone deploy
 * runtime reuses. Layout matches TensorFlow's dense layers: `y = x · W + b` with `W` row-major
 * `inDim × outDim`.
 */

/** Hidden-layer nonlinearity. The output layer is always linear. */
export type DenseActivation = 'tanh' | 'relu';

/** One dense layer's parameters. */
export interface DenseLayerF32 {
  /** Row-major `inDim × outDim` kernel. */
  kernel: Float32Array;
  /** `outDim` biases. */
  bias: Float32Array;
  /** Input width. */
  inDim: number;
  /** Output width. */
  outDim: number;
}

/** Scratch buffers for {@link denseForward}, reused across calls to avoid allocation. */
export interface DenseWorkspace {
  a: Float32Array;
  b: Float32Array;
}

/** A workspace large enough for `batch` rows through `layers`. */
export function createDenseWorkspace(layers: readonly DenseLayerF32[], batch: number): DenseWorkspace {
  let width = 0;
  for (const l of layers) width = Math.max(width, l.outDim);
  return { a: new Float32Array(width * batch), b: new Float32Array(width * batch) };
}

/**
 * Runs `batch` row-major input rows `x` (batch × layers[0].inDim) through the layers, applying
 * `activation` after every layer but the last. Writes batch × outDim outputs into `out`
 * (allocated if absent) and returns it. Allocation-free when `out` and `work` are given.
 */
export function denseForward(
  layers: readonly DenseLayerF32[],
  activation: DenseActivation,
  x: Float32Array,
  batch: number,
  out?: Float32Array,
  work?: DenseWorkspace,
): Float32Array {
  const last = layers.length - 1;
  const outDim = layers[last]!.outDim;
  const result = out ?? new Float32Array(batch * outDim);
  const ws = work ?? createDenseWorkspace(layers, batch);
  let input = x;
  for (let l = 0; l <= last; l++) {
    const { kernel, bias, inDim, outDim: od } = layers[l]!;
    const dst = l === last ? result : l % 2 === 0 ? ws.a : ws.b;
    for (let r = 0; r < batch; r++) {
      const xo = r * inDim;
      const yo = r * od;
      for (let j = 0; j < od; j++) dst[yo + j] = bias[j]!;
      // i-outer order walks the kernel row by row (contiguous memory).
      for (let i = 0; i < inDim; i++) {
        const xi = input[xo + i]!;
        if (xi === 0) continue;
        const ko = i * od;
        for (let j = 0; j < od; j++) dst[yo + j] = dst[yo + j]! + xi * kernel[ko + j]!;
      }
      if (l < last) {
        if (activation === 'tanh') for (let j = 0; j < od; j++) dst[yo + j] = Math.tanh(dst[yo + j]!);
        else for (let j = 0; j < od; j++) if (dst[yo + j]! < 0) dst[yo + j] = 0;
      }
    }
    input = dst;
  }
  return result;
}
