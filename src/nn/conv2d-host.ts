/**
 * 2-D convolution on host Float32Arrays (no TensorFlow.js): the forward pass for per-step
 * decisions and the fast learner, and its backward pass. Layout is TensorFlow's: images NHWC
 * (`[batch][row][col][channel]`), kernels `[kh][kw][inC][outC]`, 'valid' padding (no border),
 * square kernels and equal strides.
 *
 * Where WebAssembly SIMD runs, a convolution is a matrix product: im2col copies each output
 * position's window (k rows of k·inC contiguous values in NHWC) into one row of a column matrix,
 * so `y = relu(cols · W + bias)` (W seen as (k·k·inC) × outC), `∂L/∂W += colsᵀ · dy` and
 * `∂cols = dy · Wᵀ`, scattered back into ∂L/∂x (col2im). The products run on the matrix product
 * of {@link GraphTrainKernels} (the project's one SIMD matrix-product kernel), whose heap holds
 * the weights, the column matrix and the layer's output or gradient; im2col writes straight into
 * it. The heap lives in a {@link Conv2dWorkspace}, grown on demand and reused, and large batches
 * go through in chunks of images so it stays bounded. Elsewhere (or with the training kernel set
 * to `js`) direct loops run, output channel innermost so each input value meets one contiguous run
 * of weights; they are also the reference of the tests.
 */
import { ArbiterError } from '../core/errors.js';
import type { DenseKernelChoice } from './dense-forward-wasm.js';
import { trainingKernel } from './dense-train-wasm.js';
import { createGraphTrainKernels, HEAP_SLACK, type GraphTrainKernels } from './graph-train-kernels.js';

/** Geometry of one convolution layer. */
export interface Conv2dShape {
  /** Input rows, columns and channels. */
  inH: number;
  /** Input columns. */
  inW: number;
  /** Input channels. */
  inC: number;
  /** Output channels (filters). */
  outC: number;
  /** Side of the square kernel. */
  kernel: number;
  /** Step between windows, in both directions. */
  stride: number;
  /** Output rows: `floor((inH − kernel) / stride) + 1`. */
  outH: number;
  /** Output columns. */
  outW: number;
}

/** A convolution layer's weights with its geometry: `kernel` is `[k][k][inC][outC]` row-major. */
export interface Conv2dLayerF32 extends Conv2dShape {
  /** `k·k·inC·outC` weights. */
  weights: Float32Array;
  /** `outC` biases. */
  bias: Float32Array;
}

/**
 * The geometry of a 'valid' convolution of an `[inH, inW, inC]` input; throws `invalid-config`
 * (naming `where`) when the kernel does not fit the input.
 */
export function conv2dShape(
  inH: number,
  inW: number,
  inC: number,
  outC: number,
  kernel: number,
  stride: number,
  where = 'conv2d',
): Conv2dShape {
  if (kernel > inH || kernel > inW)
    throw new ArbiterError(
      'invalid-config',
      `${where}: kernel ${kernel} does not fit the ${inH}×${inW} input (use a smaller kernel or fewer layers)`,
    );
  const outH = Math.floor((inH - kernel) / stride) + 1;
  const outW = Math.floor((inW - kernel) / stride) + 1;
  return { inH, inW, inC, outC, kernel, stride, outH, outW };
}

/** Multiply-adds of one image through the layer. */
export function conv2dMacs(s: Conv2dShape): number {
  return s.outH * s.outW * s.outC * s.kernel * s.kernel * s.inC;
}

/** Upper bound on a column matrix (floats): larger batches go through in chunks of images. */
const COLS_MAX_FLOATS = 1 << 20;

/**
 * Scratch space of the convolution passes: the matrix-product kernels on WebAssembly SIMD, whose
 * heap holds the operands (undefined: the direct loops run). The heap grows on demand and is
 * reused. One workspace serves any number of layers, one call at a time.
 */
export interface Conv2dWorkspace {
  /** The matrix-product kernels (WebAssembly SIMD), or undefined for the direct JavaScript loops. */
  readonly simd: GraphTrainKernels | undefined;
}

/**
 * A fresh workspace: SIMD matrix products unless `kernel` is `js` (by default the process's
 * dense training-kernel choice, `setTrainingKernel` / `ARBITER_KERNEL`) or the engine lacks
 * WebAssembly SIMD; `wasm` throws `unsupported` where it is missing.
 */
export function createConv2dWorkspace(kernel: DenseKernelChoice = trainingKernel()): Conv2dWorkspace {
  const kernels = kernel === 'js' ? undefined : createGraphTrainKernels();
  // Without SIMD the kernel set is JavaScript loops on its heap: the direct loops are faster.
  const simd = kernels?.simd ? kernels : undefined;
  if (kernel === 'wasm' && !simd)
    throw new ArbiterError('unsupported', 'conv2d: WebAssembly SIMD is not available in this engine');
  return { simd };
}

let shared: { kernel: DenseKernelChoice; ws: Conv2dWorkspace } | undefined;

// The workspace of calls that bring none, following the training-kernel choice.
function sharedWorkspace(): Conv2dWorkspace {
  const kernel = trainingKernel();
  if (shared?.kernel !== kernel) shared = { kernel, ws: createConv2dWorkspace(kernel) };
  return shared.ws;
}

const up4 = (n: number): number => (n + 3) & ~3;

/**
 * Float offsets of one layer's operands on the kernels' heap, for chunks of `images` images
 * (offset 0 stays free: the kernels read 0 as "no buffer").
 */
interface HeapLayout {
  /** Images per im2col chunk. */
  images: number;
  /** W, (k·k·inC) × outC. */
  w: number;
  /** Wᵀ, outC × (k·k·inC) (the backward pass's ∂cols = dy · Wᵀ reads B row by row). */
  wT: number;
  /** The bias, outC. */
  bias: number;
  /** ∂L/∂W, accumulated over the chunks. */
  dW: number;
  /** The column matrix (or ∂cols), images·outH·outW rows of k·k·inC. */
  cols: number;
  /** A chunk's y or dy, images·outH·outW rows of outC. */
  out: number;
}

// The layout for `batch` images of layer `s`, the heap grown to hold it.
function heapLayout(s: Conv2dShape, batch: number, kernels: GraphTrainKernels): HeapLayout {
  const kkC = s.kernel * s.kernel * s.inC;
  const positions = s.outH * s.outW;
  const images = Math.max(1, Math.min(batch, Math.floor(COLS_MAX_FLOATS / (positions * kkC))));
  const wSize = up4(kkC * s.outC);
  const w = 4;
  const wT = w + wSize;
  const bias = wT + wSize;
  const dW = bias + up4(s.outC);
  const cols = dW + wSize;
  const out = cols + up4(images * positions * kkC);
  kernels.reserve(out + up4(images * positions * s.outC) + HEAP_SLACK);
  return { images, w, wT, bias, dW, cols, out };
}

// im2col (`scatter` false): row (b, oy, ox) of `cols` (from offset `c0`) becomes the window of
// output (oy, ox) of image b, for images [b0, b0 + count); a window is k runs of k·inC contiguous
// inputs. col2im (`scatter` true), its adjoint: each row of `cols` is added back onto its window
// of `x`.
function windows(
  s: Conv2dShape,
  x: Float32Array,
  b0: number,
  count: number,
  cols: Float32Array,
  c0: number,
  scatter: boolean,
): void {
  const { inH, inW, inC, kernel: k, stride, outH, outW } = s;
  const rowLen = inW * inC;
  const run = k * inC;
  let c = c0;
  for (let b = b0; b < b0 + count; b++) {
    const xb = b * inH * rowLen;
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let ky = 0; ky < k; ky++) {
          const xr = xb + (oy * stride + ky) * rowLen + ox * stride * inC;
          if (scatter) for (let i = 0; i < run; i++) x[xr + i] = x[xr + i]! + cols[c++]!;
          else for (let i = 0; i < run; i++) cols[c++] = x[xr + i]!;
        }
  }
}

/**
 * `y = act(conv(x) + bias)` for `batch` images: `x` is batch × inH × inW × inC, `y` batch × outH ×
 * outW × outC (written, Float32 accumulation). `relu` applies max(0, ·). `ws` defaults to a
 * process-wide workspace.
 */
export function conv2dForward(
  layer: Conv2dLayerF32,
  x: Float32Array,
  batch: number,
  y: Float32Array,
  relu: boolean,
  ws: Conv2dWorkspace = sharedWorkspace(),
): void {
  const kernels = ws.simd;
  if (!kernels) return forwardDirect(layer, x, batch, y, relu);
  const { outC, kernel: k, inC, outH, outW, weights: w, bias } = layer;
  const positions = outH * outW;
  const kkC = k * k * inC;
  const at = heapLayout(layer, batch, kernels);
  const h = kernels.heap;
  h.set(w.subarray(0, kkC * outC), at.w);
  h.set(bias.subarray(0, outC), at.bias);
  for (let b0 = 0; b0 < batch; b0 += at.images) {
    const count = Math.min(at.images, batch - b0);
    const rows = count * positions;
    windows(layer, x, b0, count, h, at.cols, false);
    // y = act(cols · W + bias), bias and ReLU fused into the product's store.
    kernels.mm(at.cols, at.w, at.out, rows, kkC, outC, kkC, 1, outC, outC, 0, 0, at.bias, 1, relu);
    y.set(h.subarray(at.out, at.out + rows * outC), b0 * positions * outC);
  }
}

/**
 * Backward pass of {@link conv2dForward} for `batch` images: given `dy` (∂L/∂y; with `relu`, `y`
 * is the layer's output and `dy` is masked by `y > 0` in place), **adds** ∂L/∂weights into
 * `dWeights` and ∂L/∂bias into `dBias`, and **writes** ∂L/∂x into `dx` when given. `ws` defaults
 * to a process-wide workspace.
 */
export function conv2dBackward(
  layer: Conv2dLayerF32,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  batch: number,
  relu: boolean,
  dWeights: Float32Array,
  dBias: Float32Array,
  dx: Float32Array | undefined,
  ws: Conv2dWorkspace = sharedWorkspace(),
): void {
  const { inH, inW, inC, outC, kernel: k, outH, outW, weights: w } = layer;
  const positions = outH * outW;
  const n = batch * positions * outC;
  if (relu) for (let i = 0; i < n; i++) if (!(y[i]! > 0)) dy[i] = 0;
  if (dx) dx.fill(0, 0, batch * inH * inW * inC);
  const kernels = ws.simd;
  if (!kernels) return backwardDirect(layer, x, dy, batch, dWeights, dBias, dx);
  for (let o = 0; o < n; o += outC) for (let f = 0; f < outC; f++) dBias[f] = dBias[f]! + dy[o + f]!;
  const kkC = k * k * inC;
  const wSize = kkC * outC;
  const at = heapLayout(layer, batch, kernels);
  const h = kernels.heap;
  h.set(dWeights.subarray(0, wSize), at.dW);
  if (dx) {
    h.set(w.subarray(0, wSize), at.w);
    kernels.transpose(at.w, at.wT, kkC, outC, outC, kkC);
  }
  for (let b0 = 0; b0 < batch; b0 += at.images) {
    const count = Math.min(at.images, batch - b0);
    const rows = count * positions;
    const dyAt = b0 * positions * outC;
    windows(layer, x, b0, count, h, at.cols, false);
    h.set(dy.subarray(dyAt, dyAt + rows * outC), at.out);
    // ∂W += colsᵀ · dy: the transposed columns are read by their strides.
    kernels.mm(at.cols, at.out, at.dW, kkC, rows, outC, 1, kkC, outC, outC, at.dW, outC, 0, 1, false);
    if (!dx) continue;
    // The columns are spent: their space takes ∂L/∂cols = dy · Wᵀ.
    kernels.mm(at.out, at.wT, at.cols, rows, outC, kkC, outC, 1, kkC, kkC, 0, 0, 0, 1, false);
    windows(layer, dx, b0, count, h, at.cols, true);
  }
  dWeights.set(h.subarray(at.dW, at.dW + wSize));
}

// The direct forward loops (no SIMD): {@link conv2dForward}'s function.
function forwardDirect(
  layer: Conv2dLayerF32,
  x: Float32Array,
  batch: number,
  y: Float32Array,
  relu: boolean,
): void {
  const { inH, inW, inC, outC, kernel: k, stride, outH, outW, weights: w, bias } = layer;
  const rowLen = inW * inC;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * rowLen;
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * outC;
        for (let f = 0; f < outC; f++) y[o + f] = bias[f]!;
        for (let ky = 0; ky < k; ky++) {
          const xr = xb + (oy * stride + ky) * rowLen + ox * stride * inC;
          const wr = ky * k * inC * outC;
          // The k·inC inputs of one kernel row are contiguous in x (NHWC).
          for (let i = 0; i < k * inC; i++) {
            const xv = x[xr + i]!;
            if (xv === 0) continue; // binary pixel inputs are mostly zero
            const wi = wr + i * outC;
            for (let f = 0; f < outC; f++) y[o + f] = y[o + f]! + xv * w[wi + f]!;
          }
        }
        if (relu) for (let f = 0; f < outC; f++) if (y[o + f]! < 0) y[o + f] = 0;
      }
  }
}

// The direct backward loops (no SIMD) of {@link conv2dBackward}, after the ReLU mask; dx is zeroed.
function backwardDirect(
  layer: Conv2dLayerF32,
  x: Float32Array,
  dy: Float32Array,
  batch: number,
  dWeights: Float32Array,
  dBias: Float32Array,
  dx: Float32Array | undefined,
): void {
  const { inH, inW, inC, outC, kernel: k, stride, outH, outW, weights: w } = layer;
  const rowLen = inW * inC;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * rowLen;
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * outC;
        for (let f = 0; f < outC; f++) dBias[f] = dBias[f]! + dy[o + f]!;
        for (let ky = 0; ky < k; ky++) {
          const xr = xb + (oy * stride + ky) * rowLen + ox * stride * inC;
          const wr = ky * k * inC * outC;
          for (let i = 0; i < k * inC; i++) {
            const xv = x[xr + i]!;
            const wi = wr + i * outC;
            // A zero input adds nothing to ∂L/∂w; the first layer (no dx) then has nothing to do.
            if (xv === 0) {
              if (!dx) continue;
              let g = 0;
              for (let f = 0; f < outC; f++) g += w[wi + f]! * dy[o + f]!;
              dx[xr + i] = dx[xr + i]! + g;
              continue;
            }
            let g = 0;
            for (let f = 0; f < outC; f++) {
              const d = dy[o + f]!;
              dWeights[wi + f] = dWeights[wi + f]! + xv * d;
              g += w[wi + f]! * d;
            }
            if (dx) dx[xr + i] = dx[xr + i]! + g;
          }
        }
      }
  }
}
