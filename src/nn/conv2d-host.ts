/**
 * 2-D convolution on host Float32Arrays (no TensorFlow.js): the forward pass for per-step
 * decisions and the fast learner, and its backward pass. Layout is TensorFlow's: images NHWC
 * (`[batch][row][col][channel]`), kernels `[kh][kw][inC][outC]`, 'valid' padding (no border),
 * square kernels and equal strides.
 *
 * Where WebAssembly SIMD runs, a convolution is a matrix product: im2col copies each output
 * position's window (k rows of k·inC contiguous values in NHWC) into one row of a column matrix,
 * so `y = cols · W` (W seen as (k·k·inC) × outC), `∂L/∂W += colsᵀ · dy` and
 * `∂cols = dy · Wᵀ`, scattered back into ∂L/∂x (col2im); the products run on
 * {@link SimdMatMul}. The column matrices live in a {@link Conv2dWorkspace}, grown on demand and
 * reused, and large batches go through in chunks of images so they stay bounded. Elsewhere (or
 * with the training kernel set to `js`) direct loops run, output channel innermost so each input
 * value meets one contiguous run of weights; they are also the reference of the tests.
 */
import { ArbiterError } from '../core/errors.js';
import type { DenseKernelChoice } from './dense-forward-wasm.js';
import { trainingKernel } from './dense-train-wasm.js';
import { SimdMatMul } from './simd-matmul.js';

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
 * Scratch space of the convolution passes: the SIMD kernel (undefined: the direct loops run) and
 * the column matrix, grown on demand and reused. One workspace serves any number of layers,
 * one call at a time.
 */
export interface Conv2dWorkspace {
  /** The matrix-product kernel, or undefined for the direct JavaScript loops. */
  readonly simd: SimdMatMul | undefined;
  /** im2col / col2im buffer (grown by the passes). */
  cols: Float32Array;
}

/**
 * A fresh workspace: SIMD matrix products unless `kernel` is `js` (by default the process's
 * dense training-kernel choice, `setTrainingKernel` / `ARBITER_KERNEL`) or the engine lacks
 * WebAssembly SIMD; `wasm` throws `unsupported` where it is missing.
 */
export function createConv2dWorkspace(kernel: DenseKernelChoice = trainingKernel()): Conv2dWorkspace {
  const simd = kernel === 'js' ? undefined : SimdMatMul.create();
  if (kernel === 'wasm' && !simd)
    throw new ArbiterError('unsupported', 'conv2d: WebAssembly SIMD is not available in this engine');
  return { simd, cols: new Float32Array(0) };
}

let shared: { kernel: DenseKernelChoice; ws: Conv2dWorkspace } | undefined;

// The workspace of calls that bring none, following the training-kernel choice.
function sharedWorkspace(): Conv2dWorkspace {
  const kernel = trainingKernel();
  if (shared?.kernel !== kernel) shared = { kernel, ws: createConv2dWorkspace(kernel) };
  return shared.ws;
}

// Images per im2col chunk and the column buffer sized for it.
function columnChunk(s: Conv2dShape, batch: number, ws: Conv2dWorkspace): number {
  const perImage = s.outH * s.outW * s.kernel * s.kernel * s.inC;
  const images = Math.max(1, Math.min(batch, Math.floor(COLS_MAX_FLOATS / perImage)));
  if (ws.cols.length < images * perImage) ws.cols = new Float32Array(images * perImage);
  return images;
}

// im2col (`scatter` false): row (b, oy, ox) of `cols` becomes the window of output (oy, ox) of
// image b, for images [b0, b0 + count); a window is k runs of k·inC contiguous inputs. col2im
// (`scatter` true), its adjoint: each row of `cols` is added back onto its window of `x`.
function windows(
  s: Conv2dShape,
  x: Float32Array,
  b0: number,
  count: number,
  cols: Float32Array,
  scatter: boolean,
): void {
  const { inH, inW, inC, kernel: k, stride, outH, outW } = s;
  const rowLen = inW * inC;
  const run = k * inC;
  let c = 0;
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
  const simd = ws.simd;
  if (!simd) return forwardDirect(layer, x, batch, y, relu);
  const { outC, kernel: k, inC, outH, outW, weights: w, bias } = layer;
  const positions = outH * outW;
  const kkC = k * k * inC;
  const chunk = columnChunk(layer, batch, ws);
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const count = Math.min(chunk, batch - b0);
    windows(layer, x, b0, count, ws.cols, false);
    simd.matMulAdd(
      ws.cols,
      0,
      false,
      w,
      0,
      false,
      y,
      b0 * positions * outC,
      count * positions,
      kkC,
      outC,
      true,
    );
  }
  const n = batch * positions * outC;
  for (let o = 0; o < n; o += outC)
    for (let f = 0; f < outC; f++) {
      const v = y[o + f]! + bias[f]!;
      y[o + f] = relu && v < 0 ? 0 : v;
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
  const simd = ws.simd;
  if (!simd) return backwardDirect(layer, x, dy, batch, dWeights, dBias, dx);
  for (let o = 0; o < n; o += outC) for (let f = 0; f < outC; f++) dBias[f] = dBias[f]! + dy[o + f]!;
  const kkC = k * k * inC;
  const chunk = columnChunk(layer, batch, ws);
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const count = Math.min(chunk, batch - b0);
    const rows = count * positions;
    const dyAt = b0 * positions * outC;
    windows(layer, x, b0, count, ws.cols, false);
    simd.matMulAdd(ws.cols, 0, true, dy, dyAt, false, dWeights, 0, kkC, rows, outC);
    if (!dx) continue;
    // The columns are spent: their buffer takes ∂L/∂cols = dy · Wᵀ.
    simd.matMulAdd(dy, dyAt, false, w, 0, true, ws.cols, 0, rows, outC, kkC, true);
    windows(layer, dx, b0, count, ws.cols, true);
  }
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
