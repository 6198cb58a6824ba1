/**
 * 2-D convolution on host Float32Arrays (no TensorFlow.js): the forward pass for per-step
 * decisions and the fast learner, and its backward pass. Layout is TensorFlow's: images NHWC
 * (`[batch][row][col][channel]`), kernels `[kh][kw][inC][outC]`, 'valid' padding (no border),
 * square kernels and equal strides. The loops put the output channel innermost, so each input
 * value meets one contiguous run of weights.
 */
import { ArbiterError } from '../core/errors.js';

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

/**
 * `y = act(conv(x) + bias)` for `batch` images: `x` is batch × inH × inW × inC, `y` batch × outH ×
 * outW × outC (written, Float32 accumulation). `relu` applies max(0, ·).
 */
export function conv2dForward(
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

/**
 * Backward pass of {@link conv2dForward} for `batch` images: given `dy` (∂L/∂y; with `relu`, `y`
 * is the layer's output and `dy` is masked by `y > 0` in place), **adds** ∂L/∂weights into
 * `dWeights` and ∂L/∂bias into `dBias`, and **writes** ∂L/∂x into `dx` when given.
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
): void {
  const { inH, inW, inC, outC, kernel: k, stride, outH, outW, weights: w } = layer;
  const rowLen = inW * inC;
  const n = batch * outH * outW * outC;
  if (relu) for (let i = 0; i < n; i++) if (!(y[i]! > 0)) dy[i] = 0;
  if (dx) dx.fill(0, 0, batch * inH * rowLen);
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
