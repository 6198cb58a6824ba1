/**
 * Single decisions of a dense network on the WebAssembly SIMD kernel: one input row through all
 * layers in one call of the kernel's `forwardPacked` (`scripts/dense-matvec-wasm.ts`), on weights
 * resident in the module's memory in the kernel's packed layout (per block of up to 24 outputs,
 * its biases then its weights row by row: one contiguous stream per layer). For one row this is
 * about 1.5 times the speed of {@link WasmDenseNet} on row-major weights from 128 units on, and
 * saves the JavaScript-to-WebAssembly call of every layer and activation on small networks.
 *
 * Same arithmetic as {@link WasmDenseNet}: f32x4 products with Float32 accumulators (results
 * differ from a double-precision sum by summation order and rounding, ~1e-7 of Σ|x·w|) and the
 * same tanh (within two Float32 steps of `Math.tanh`). Nothing is allocated per decision. Where
 * WebAssembly SIMD is missing the constructor throws `unsupported`: callers check
 * {@link useWasmKernel} and keep a JavaScript kernel.
 */
import { ArbiterError } from '../core/errors.js';
import type { DenseLayerF32 } from './dense-forward.js';
import { instantiateDenseKernel, type LayerActivation } from './dense-forward-wasm.js';

interface MatVecExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  forwardPacked(table: number, count: number): void;
}

/** Quads (4 outputs) per block of the packed layout, at most: the kernel's widest block. */
const BLOCK_QUADS = 6;
/** i32 fields per layer in the kernel's table: x, w, y, n, m4, act. */
const TABLE_FIELDS = 6;
const PAGE = 65536;
const ACT_CODE: Record<LayerActivation, number> = { linear: 0, tanh: 1, relu: 2 };

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Bytes of one `n × m` layer in the packed layout (weights, biases and the zero columns that fill
 * the last quad): what the kernel reads of it per decision.
 */
export function matVecLayerBytes(n: number, m: number): number {
  return 16 * Math.ceil(m / 4) * (n + 1);
}

/**
 * Packs a row-major `n × m` kernel and its `m` biases for `forwardPacked`: output quads in
 * blocks of min(6, quads left); each block its 4k biases, then for each input i the 4k weights
 * `W[i][j…j+4k−1]`; columns past `m` zero. Writes `4·⌈m/4⌉·(n + 1)` floats into `dst` at `at`.
 */
export function packMatVecLayer(
  kernel: Float32Array,
  bias: Float32Array,
  n: number,
  m: number,
  dst: Float32Array,
  at: number,
): void {
  const m4 = Math.ceil(m / 4);
  let o = at;
  for (let q = 0; q < m4;) {
    const k = Math.min(BLOCK_QUADS, m4 - q);
    const j0 = 4 * q;
    const w = 4 * k;
    for (let c = 0; c < w; c++) dst[o + c] = j0 + c < m ? bias[j0 + c]! : 0;
    o += w;
    for (let i = 0; i < n; i++, o += w)
      for (let c = 0; c < w; c++) dst[o + c] = j0 + c < m ? kernel[i * m + j0 + c]! : 0;
    q += k;
  }
}

/**
 * One dense network for single-row forward passes on the WebAssembly SIMD kernel (see the module
 * comment): `y = act_l(x · W_l + b_l)` layer by layer, row-major `inDim × outDim` kernels (TensorFlow's
 * layout), one activation per layer. The weights are copied (packed) at construction; build a
 * new net after changing them.
 */
export class WasmMatVecNet {
  /** Input width. */
  readonly inputDim: number;
  /** Output width. */
  readonly outputDim: number;
  private readonly kernel: MatVecExports;
  private readonly f32: Float32Array;
  private readonly xAt: number;
  private readonly yAt: number;
  private readonly layerCount: number;

  /** Throws `unsupported` where WebAssembly SIMD is missing, `invalid-input` on shapes that do not chain. */
  constructor(layers: readonly DenseLayerF32[], activations: readonly LayerActivation[]) {
    if (layers.length === 0) throw new ArbiterError('invalid-input', 'WasmMatVecNet: no layers');
    if (activations.length !== layers.length)
      throw new ArbiterError(
        'invalid-input',
        `WasmMatVecNet: ${activations.length} activations for ${layers.length} layers`,
      );
    const exports = instantiateDenseKernel() as MatVecExports | undefined;
    if (!exports)
      throw new ArbiterError(
        'unsupported',
        'WasmMatVecNet: WebAssembly SIMD is not available in this engine',
      );
    this.kernel = exports;
    this.layerCount = layers.length;
    this.inputDim = layers[0]!.inDim;
    this.outputDim = layers[layers.length - 1]!.outDim;
    // Layout: the table, each layer's packed weights, the input row, two ping-pong rows.
    let off = align16(4 * TABLE_FIELDS * layers.length);
    const wAt: number[] = [];
    let width = 0;
    layers.forEach((l, i) => {
      if (l.kernel.length !== l.inDim * l.outDim || l.bias.length !== l.outDim)
        throw new ArbiterError(
          'invalid-input',
          `WasmMatVecNet: layer ${i} has ${l.kernel.length} weights and ${l.bias.length} biases for ${l.inDim} × ${l.outDim}`,
        );
      if (i > 0 && l.inDim !== layers[i - 1]!.outDim)
        throw new ArbiterError(
          'invalid-input',
          `WasmMatVecNet: layer ${i} takes ${l.inDim} inputs, layer ${i - 1} gives ${layers[i - 1]!.outDim}`,
        );
      wAt.push(off);
      off = align16(off + matVecLayerBytes(l.inDim, l.outDim));
      width = Math.max(width, 4 * Math.ceil(l.outDim / 4));
    });
    this.xAt = off;
    off = align16(off + 4 * this.inputDim);
    const rowAt = [off, align16(off + 4 * width)];
    off = rowAt[1]! + 4 * width;
    const memory = exports.memory;
    if (off > memory.buffer.byteLength) memory.grow(Math.ceil((off - memory.buffer.byteLength) / PAGE));
    this.f32 = new Float32Array(memory.buffer);
    const table = new Int32Array(memory.buffer, 0, TABLE_FIELDS * layers.length);
    let src = this.xAt;
    layers.forEach((l, i) => {
      packMatVecLayer(l.kernel, l.bias, l.inDim, l.outDim, this.f32, wAt[i]! >> 2);
      const dst = rowAt[i % 2]!;
      table.set(
        [src, wAt[i]!, dst, l.inDim, Math.ceil(l.outDim / 4), ACT_CODE[activations[i]!]],
        TABLE_FIELDS * i,
      );
      src = dst;
    });
    this.yAt = src;
  }

  /**
   * The network's outputs for the first {@link inputDim} values of `x`, written into `out`
   * (allocated if absent; ≥ {@link outputDim} values) and returned. Allocation-free with `out`.
   */
  forward(x: Float32Array, out?: Float32Array): Float32Array {
    const n = this.inputDim;
    if (x.length < n)
      throw new ArbiterError('invalid-input', `WasmMatVecNet: x has ${x.length} values, need ${n}`);
    const f32 = this.f32;
    const xo = this.xAt >> 2;
    // A loop for a longer x: subarray() would allocate a view per call.
    if (x.length === n) f32.set(x, xo);
    else for (let i = 0; i < n; i++) f32[xo + i] = x[i]!;
    this.kernel.forwardPacked(0, this.layerCount);
    const m = this.outputDim;
    const result = out ?? new Float32Array(m);
    const yo = this.yAt >> 2;
    for (let j = 0; j < m; j++) result[j] = f32[yo + j]!;
    return result;
  }
}
