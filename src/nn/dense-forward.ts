/**
 * Dependency-free forward pass of a dense network on Float32Arrays: the fast path for one
 * decision per environment step (no TensorFlow call), and the kernel the standalone deploy
 * runtime reuses. Layout matches TensorFlow's dense layers: `y = x · W + b` with `W` row-major
 * `inDim × outDim`. Each output is a dot product with a row of the transposed kernel (kept by the
 * caller, e.g. `Mlp`, while the weights do not change), rounded to float32 in the order of a
 * plain float32 accumulation, so results are bit for bit those of the simple loops.
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
  /** Transposed kernels (outDim × inDim per layer), when the caller passes none. */
  kernelT: Float32Array[];
}

/** A workspace large enough for `batch` rows through `layers`. */
export function createDenseWorkspace(layers: readonly DenseLayerF32[], batch: number): DenseWorkspace {
  let width = 0;
  for (const l of layers) width = Math.max(width, l.outDim);
  return {
    a: new Float32Array(width * batch),
    b: new Float32Array(width * batch),
    kernelT: layers.map((l) => new Float32Array(l.inDim * l.outDim)),
  };
}

/**
 * Runs `batch` row-major input rows `x` (batch × layers[0].inDim) through the layers, applying
 * `activation` after every layer but the last. Writes batch × outDim outputs into `out`
 * (allocated if absent) and returns it. Allocation-free when `out` and `work` are given.
 * `kernelsT` are the layers' kernels transposed ({@link transposeInto}), when the caller keeps
 * them current (weights that change rarely); otherwise they are transposed here.
 */
export function denseForward(
  layers: readonly DenseLayerF32[],
  activation: DenseActivation,
  x: Float32Array,
  batch: number,
  out?: Float32Array,
  work?: DenseWorkspace,
  kernelsT?: readonly Float32Array[],
): Float32Array {
  const last = layers.length - 1;
  const outDim = layers[last]!.outDim;
  const result = out ?? new Float32Array(batch * outDim);
  const ws = work ?? createDenseWorkspace(layers, batch);
  let input = x;
  for (let l = 0; l <= last; l++) {
    const { kernel, bias, inDim, outDim: od } = layers[l]!;
    const dst = l === last ? result : l % 2 === 0 ? ws.a : ws.b;
    let kt = kernelsT?.[l];
    if (!kt) {
      kt = ws.kernelT[l]!;
      transposeInto(kernel, inDim, od, kt);
    }
    denseLayerForward(kt, bias, inDim, od, input, batch, dst);
    if (l < last) {
      const m = batch * od;
      if (activation === 'tanh') for (let k = 0; k < m; k++) dst[k] = Math.tanh(dst[k]!);
      else for (let k = 0; k < m; k++) if (dst[k]! < 0) dst[k] = 0;
    }
    input = dst;
  }
  return result;
}

/** Writes the `rows × cols` row-major matrix `a` transposed into `out` (cols × rows). */
export function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const ro = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[ro + c]!;
  }
}

/**
 * `y = x · W + b` for `batch` rows, from the transposed kernel `kt` (outDim × inDim): each output
 * is a dot product over contiguous memory, four rows at a time sharing the weight loads. Every
 * partial sum is rounded to float32 in input order, so the result is bit for bit that of a
 * float32 accumulation `y[j] += x[i] · W[i, j]` in input order. Writes batch × outDim into `y`.
 */
function denseLayerForward(
  kt: Float32Array,
  bias: Float32Array,
  inDim: number,
  outDim: number,
  x: Float32Array,
  batch: number,
  y: Float32Array,
): void {
  const f = Math.fround;
  let r = 0;
  for (; r + 4 <= batch; r += 4) {
    const x0 = r * inDim;
    const y0 = r * outDim;
    for (let j = 0; j < outDim; j++) {
      const wo = j * inDim;
      let s0 = bias[j]!;
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let i = 0; i < inDim; i++) {
        const w = kt[wo + i]!;
        s0 = f(s0 + x[x0 + i]! * w);
        s1 = f(s1 + x[x0 + inDim + i]! * w);
        s2 = f(s2 + x[x0 + 2 * inDim + i]! * w);
        s3 = f(s3 + x[x0 + 3 * inDim + i]! * w);
      }
      y[y0 + j] = s0;
      y[y0 + outDim + j] = s1;
      y[y0 + 2 * outDim + j] = s2;
      y[y0 + 3 * outDim + j] = s3;
    }
  }
  for (; r < batch; r++) {
    const xo = r * inDim;
    const yo = r * outDim;
    for (let j = 0; j < outDim; j++) {
      const wo = j * inDim;
      let s = bias[j]!;
      for (let i = 0; i < inDim; i++) s = f(s + x[xo + i]! * kt[wo + i]!);
      y[yo + j] = s;
    }
  }
}
