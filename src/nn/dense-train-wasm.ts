/**
 * The training pass of a dense network (`denseForwardTrain` and `denseBackward`'s
 * function) on the WebAssembly SIMD kernels of `scripts/dense-kernel-wasm.ts`, and the
 * process-wide choice between them and the JavaScript loops, which stay the fallback and the
 * reference. `denseForwardTrain` / `denseBackward` dispatch here; nothing else needs to call it.
 *
 * A {@link WasmDenseTrainer} holds one network's weights, gradients, per-layer outputs and
 * scratch in its own WebAssembly memory, laid out once for a batch capacity. Weights change after
 * every optimizer step, so the forward pass copies them in (n·m floats against batch·n·m
 * multiply-adds) and the backward pass copies the gradients in and out (they accumulate, as on
 * the JavaScript path); views into WebAssembly memory would break when it grows. Every product is
 * the forward kernel's `x · W`: the weight gradient is `xᵀ · dz` and the bias gradient `1ᵀ · dz`,
 * both accumulated into the gradient rows (`denseAcc`), the input gradient `dz · Wᵀ` with a zero
 * bias, after transposing `x` and `W` (n·batch and n·m moves against batch·n·m multiply-adds).
 *
 * Results differ from the JavaScript loops by Float32 summation order (~1e-7 of Σ|x·w|) and by
 * tanh, which is within two Float32 steps of `Math.tanh` (the forward kernel's, tested there).
 */
import { ArbiterError } from '../core/errors.js';
import type { DenseActivation, DenseLayerF32 } from './dense-forward.js';
import {
  DENSE_KERNEL_CHOICES as CHOICES,
  instantiateDenseKernel,
  kernelChoiceFromEnv,
  useWasmKernel,
  type DenseKernelChoice,
} from './dense-forward-wasm.js';

/** The kernel functions the training pass calls (all pointers byte offsets into `memory`). */
interface TrainKernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  dense(x: number, w: number, b: number, y: number, n: number, m: number, rows: number): void;
  denseAcc(x: number, w: number, unused: number, y: number, n: number, m: number, rows: number): void;
  tanh(p: number, count: number): void;
  relu(p: number, count: number): void;
  tanhBack(d: number, y: number, count: number): void;
  reluBack(d: number, y: number, count: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

/** The kernels read and write up to 12 bytes past an array's end (their last 4-wide block). */
const PAD = 16;
const PAGE = 65536;
const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Below this many multiply-adds per forward pass (batch × Σ inDim·outDim) the `auto` choice keeps
 * the JavaScript loops: the fixed cost of the calls and copies outweighs the faster arithmetic.
 * Measured on x86-64 with V8 (forward + backward): 96 took the same time on both, 192 were 1.7×
 * and 384 three times faster on WebAssembly.
 */
export const WASM_TRAIN_MIN_MACS = 128;

/**
 * One dense network's training pass in WebAssembly memory. Throws `unsupported` where
 * WebAssembly SIMD is missing (check `wasmSimdAvailable` first).
 */
export class WasmDenseTrainer {
  private readonly kernel: TrainKernelExports;
  private f32: Float32Array;
  private dims: Int32Array = new Int32Array(0);
  private readonly capacity: number;
  private w: Int32Array = new Int32Array(0);
  private wt: Int32Array = new Int32Array(0);
  private b: Int32Array = new Int32Array(0);
  private gw: Int32Array = new Int32Array(0);
  private gb: Int32Array = new Int32Array(0);
  private y: Int32Array = new Int32Array(0);
  private x = 0;
  private xt = 0;
  private dzA = 0;
  private dzB = 0;
  private ones = 0;
  private zeros = 0;
  private gwView: Float32Array[] = [];
  private gbView: Float32Array[] = [];
  private yView: Float32Array[] = [];
  private batch = 0;

  /** For networks of `layers`' shapes and up to `capacity` rows per pass. */
  constructor(layers: readonly DenseLayerF32[], capacity: number) {
    const exports = instantiateDenseKernel();
    if (!exports)
      throw new ArbiterError(
        'unsupported',
        'WasmDenseTrainer: WebAssembly SIMD is not available in this engine',
      );
    this.kernel = exports as TrainKernelExports;
    this.f32 = new Float32Array(this.kernel.memory.buffer);
    this.capacity = Math.max(1, capacity);
    this.layout(layers);
  }

  /**
   * Forward pass of `batch` rows of `x` through `layers` (copied in first): each layer's output
   * is kept here for {@link backward} and copied into `outputs[l]` (capacity × outDim each).
   */
  forward(
    layers: readonly DenseLayerF32[],
    activation: DenseActivation,
    x: Float32Array,
    batch: number,
    outputs: readonly Float32Array[],
  ): void {
    if (batch > this.capacity)
      throw new RangeError(`WasmDenseTrainer: batch ${batch} exceeds the capacity ${this.capacity}`);
    if (!this.fits(layers)) this.layout(layers);
    const f32 = this.f32;
    const k = this.kernel;
    const last = layers.length - 1;
    for (let l = 0; l <= last; l++) {
      f32.set(layers[l]!.kernel, this.w[l]! >> 2);
      f32.set(layers[l]!.bias, this.b[l]! >> 2);
    }
    const len = batch * this.dims[0]!;
    if (x.length < len)
      throw new ArbiterError(
        'invalid-input',
        `WasmDenseTrainer: x has ${x.length} values, need ${batch} × ${this.dims[0]}`,
      );
    f32.set(x.length === len ? x : x.subarray(0, len), this.x >> 2);
    let src = this.x;
    for (let l = 0; l <= last; l++) {
      const m = this.dims[l + 1]!;
      const dst = this.y[l]!;
      k.dense(src, this.w[l]!, this.b[l]!, dst, this.dims[l]!, m, batch);
      if (l < last) {
        if (activation === 'tanh') k.tanh(dst, batch * m);
        else k.relu(dst, batch * m);
      }
      const view = this.yView[l]!;
      outputs[l]!.set(batch === this.capacity ? view : view.subarray(0, batch * m));
      src = dst;
    }
    this.batch = batch;
  }

  /**
   * Backward pass of the last {@link forward}: **adds** ∂L/∂W and ∂L/∂b into `grads` and, when
   * `dInput` is given, **writes** ∂L/∂x there, as `denseBackward` does.
   */
  backward(
    activation: DenseActivation,
    dOut: Float32Array,
    grads: readonly DenseLayerF32[],
    dInput?: Float32Array,
  ): void {
    const f32 = this.f32;
    const k = this.kernel;
    const batch = this.batch;
    const last = this.dims.length - 2;
    const outLen = batch * this.dims[last + 1]!;
    f32.set(dOut.length === outLen ? dOut : dOut.subarray(0, outLen), this.dzA >> 2);
    let dz = this.dzA;
    for (let l = last; l >= 0; l--) {
      const n = this.dims[l]!;
      const m = this.dims[l + 1]!;
      const g = grads[l]!;
      const input = l === 0 ? this.x : this.y[l - 1]!;
      f32.set(g.kernel, this.gw[l]! >> 2);
      f32.set(g.bias, this.gb[l]! >> 2);
      k.transpose(input, this.xt, batch, n);
      k.denseAcc(this.xt, dz, 0, this.gw[l]!, batch, m, n);
      k.denseAcc(this.ones, dz, 0, this.gb[l]!, batch, m, 1);
      g.kernel.set(this.gwView[l]!);
      g.bias.set(this.gbView[l]!);
      if (l === 0 && !dInput) break;
      const dx = dz === this.dzA ? this.dzB : this.dzA;
      k.transpose(this.w[l]!, this.wt[l]!, n, m);
      k.dense(dz, this.wt[l]!, this.zeros, dx, m, n, batch);
      if (l > 0) {
        if (activation === 'tanh') k.tanhBack(dx, input, batch * n);
        else k.reluBack(dx, input, batch * n);
      }
      dz = dx;
    }
    if (dInput) dInput.set(f32.subarray(dz >> 2, (dz >> 2) + batch * this.dims[0]!));
  }

  /** Whether the memory is laid out for `layers`' shapes. */
  private fits(layers: readonly DenseLayerF32[]): boolean {
    if (layers.length !== this.dims.length - 1) return false;
    for (let l = 0; l < layers.length; l++)
      if (layers[l]!.inDim !== this.dims[l] || layers[l]!.outDim !== this.dims[l + 1]) return false;
    return true;
  }

  /** Offsets of every array, growing the memory when they do not fit, and the views on it. */
  private layout(layers: readonly DenseLayerF32[]): void {
    if (layers.length === 0) throw new ArbiterError('invalid-input', 'WasmDenseTrainer: no layers');
    for (let l = 1; l < layers.length; l++)
      if (layers[l]!.inDim !== layers[l - 1]!.outDim)
        throw new ArbiterError(
          'invalid-input',
          `WasmDenseTrainer: layer ${l} takes ${layers[l]!.inDim} inputs, layer ${l - 1} gives ${layers[l - 1]!.outDim}`,
        );
    const count = layers.length;
    const cap = this.capacity;
    this.dims = Int32Array.from([layers[0]!.inDim, ...layers.map((l) => l.outDim)]);
    let maxWidth = 0;
    for (const d of this.dims) maxWidth = Math.max(maxWidth, d);
    let off = 0;
    const take = (floats: number): number => {
      const at = off;
      off = align16(off + 4 * floats + PAD);
      return at;
    };
    const each = (floats: (l: number) => number): Int32Array =>
      Int32Array.from({ length: count }, (_, l) => take(floats(l)));
    const n = (l: number): number => this.dims[l]!;
    const m = (l: number): number => this.dims[l + 1]!;
    this.w = each((l) => n(l) * m(l));
    this.wt = each((l) => n(l) * m(l));
    this.b = each(m);
    this.gw = each((l) => n(l) * m(l));
    this.gb = each(m);
    this.y = each((l) => cap * m(l));
    this.x = take(cap * n(0));
    this.xt = take(cap * maxWidth);
    this.dzA = take(cap * maxWidth);
    this.dzB = take(cap * maxWidth);
    this.ones = take(cap);
    this.zeros = take(maxWidth);
    const memory = this.kernel.memory;
    if (off > memory.buffer.byteLength) memory.grow(Math.ceil((off - memory.buffer.byteLength) / PAGE));
    const f32 = (this.f32 = new Float32Array(memory.buffer));
    f32.fill(1, this.ones >> 2, (this.ones >> 2) + cap);
    f32.fill(0, this.zeros >> 2, (this.zeros >> 2) + maxWidth + PAD / 4);
    const view = (at: number, floats: number): Float32Array => f32.subarray(at >> 2, (at >> 2) + floats);
    this.gwView = layers.map((_, l) => view(this.gw[l]!, n(l) * m(l)));
    this.gbView = layers.map((_, l) => view(this.gb[l]!, m(l)));
    this.yView = layers.map((_, l) => view(this.y[l]!, cap * m(l)));
  }
}

let choice: DenseKernelChoice | undefined;
/** Whether the WebAssembly kernel serves `choice` here, resolved once per choice. */
let wasmResolved: boolean | undefined;

/**
 * Selects the kernel of every dense training pass in this process: `auto` (the default, or the
 * `ARBITER_KERNEL` environment variable: `auto`, `wasm` or `js`) runs networks of at least
 * {@link WASM_TRAIN_MIN_MACS} multiply-adds per pass on WebAssembly SIMD where the engine has it,
 * `wasm` every network (throws `unsupported` where SIMD is missing), `js` the JavaScript loops.
 * The two kernels agree to Float32 rounding, not bit for bit: fixed-seed runs differ between them.
 */
export function setTrainingKernel(next: DenseKernelChoice): void {
  if (!CHOICES.includes(next))
    throw new ArbiterError('invalid-config', `training kernel must be one of ${CHOICES.join(', ')}`);
  wasmResolved = useWasmKernel(next);
  choice = next;
}

/** The kernel choice of dense training passes ({@link setTrainingKernel}). */
export function trainingKernel(): DenseKernelChoice {
  return (choice ??= kernelChoiceFromEnv());
}

/** Whether the training pass of `layers` on `batch` rows runs on the WebAssembly kernels. */
export function trainsOnWasm(layers: readonly DenseLayerF32[], batch: number): boolean {
  const c = trainingKernel();
  if (c === 'js') return false;
  wasmResolved ??= useWasmKernel(c);
  if (!wasmResolved || c === 'wasm') return wasmResolved;
  let macs = 0;
  for (const l of layers) macs += l.inDim * l.outDim;
  return batch * macs >= WASM_TRAIN_MIN_MACS;
}
