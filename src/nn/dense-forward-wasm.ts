/**
 * The dense forward pass of {@link denseForward} in WebAssembly SIMD, for layers too wide for the
 * JavaScript loops (from ~128 units on, where TF.js's own WASM SIMD backend caught up with them).
 * The kernel (`scripts/dense-kernel-wasm.ts`, shipped as bytes in `dense-kernel-wasm-bytes.ts`)
 * multiplies in f32x4 with Float32 accumulators, the arithmetic of TF.js and of `denseForward`
 * (results differ by summation order only, ~1e-7 of Σ|x·w|); tanh is within two Float32 steps of
 * `Math.tanh` (1.2e-7).
 *
 * A {@link WasmDenseNet} holds one network in its own WebAssembly memory: weights are copied in
 * once ({@link WasmDenseNet.load} again after changing them), buffers are sized for a batch
 * capacity up front and grown when a larger batch or network comes. No TensorFlow, no dependency:
 * where WebAssembly SIMD is missing ({@link wasmSimdAvailable} is false), callers use
 * `denseForward`.
 */
import { ArbiterError } from '../core/errors.js';
import type { DenseActivation, DenseLayerF32 } from './dense-forward.js';
import { DENSE_KERNEL_WASM_BASE64, SIMD_PROBE_WASM_BASE64 } from './dense-kernel-wasm-bytes.js';
import { decodeBase64 } from './decode-base64.js';

/** Activation of one layer: a hidden-layer nonlinearity or none. */
export type LayerActivation = DenseActivation | 'linear';

/** Which dense kernel to use: the WebAssembly one where available (`auto`), or one forced. */
export type DenseKernelChoice = 'auto' | 'wasm' | 'js';

/** Every {@link DenseKernelChoice}. */
export const DENSE_KERNEL_CHOICES: readonly DenseKernelChoice[] = ['auto', 'wasm', 'js'];

/**
 * The process's kernel choice from the `ARBITER_KERNEL` environment variable (Node): `auto` where
 * unset, empty or not Node; `js` forces the JavaScript loops of every WebAssembly kernel (what an
 * engine without SIMD runs), `wasm` requires WebAssembly SIMD. Throws `invalid-config` on any
 * other value. Read on each call (cheap: kernels are chosen when they are built).
 */
export function kernelChoiceFromEnv(): DenseKernelChoice {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.['ARBITER_KERNEL'];
  if (value === undefined || value === '') return 'auto';
  if (!(DENSE_KERNEL_CHOICES as readonly string[]).includes(value))
    throw new ArbiterError(
      'invalid-config',
      `ARBITER_KERNEL must be one of ${DENSE_KERNEL_CHOICES.join(', ')}, got '${value}'`,
    );
  return value as DenseKernelChoice;
}

/** The part of the WebAssembly JS API used here (the project's TS libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The engine's WebAssembly object, looked up on each use (tests stub it). */
function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' && typeof api.validate === 'function' ? api : undefined;
}

interface KernelExports {
  memory: WasmMemory;
  dense(x: number, w: number, b: number, y: number, n: number, m: number, rows: number): void;
  tanh(p: number, count: number): void;
  relu(p: number, count: number): void;
}

/**
 * Whether this engine runs WebAssembly fixed-width SIMD (Node ≥ 16.4, current browsers): a tiny
 * SIMD module is validated on every call, so a stubbed `WebAssembly.validate` is seen at once.
 */
export function wasmSimdAvailable(): boolean {
  const api = wasmApi();
  if (!api) return false;
  try {
    return api.validate(decodeBase64(SIMD_PROBE_WASM_BASE64));
  } catch {
    return false;
  }
}

let kernelModule: object | undefined;

/** The compiled kernel, or undefined where SIMD is missing or compilation fails. */
function compiledKernel(): object | undefined {
  const api = wasmApi();
  if (!api || !wasmSimdAvailable()) return undefined;
  if (kernelModule === undefined) {
    try {
      kernelModule = new api.Module(decodeBase64(DENSE_KERNEL_WASM_BASE64));
    } catch {
      return undefined;
    }
  }
  return kernelModule;
}

/**
 * Whether `choice` selects the WebAssembly kernel here: `auto` follows {@link kernelChoiceFromEnv}
 * (`ARBITER_KERNEL`), then takes SIMD where the engine has it; `wasm` throws `unsupported` where
 * it is missing; `js` never.
 */
export function useWasmKernel(choice: DenseKernelChoice): boolean {
  if (choice === 'auto') choice = kernelChoiceFromEnv();
  if (choice === 'js') return false;
  const available = compiledKernel() !== undefined;
  if (choice === 'wasm' && !available)
    throw new ArbiterError('unsupported', 'dense kernel: WebAssembly SIMD is not available in this engine');
  return available;
}

/**
 * The exports of a fresh instance of the kernel module (its own memory), or undefined where
 * WebAssembly SIMD is missing: for the training kernels of `dense-train-wasm.ts`, which declare
 * the functions they call.
 */
export function instantiateDenseKernel(): unknown {
  const mod = compiledKernel();
  return mod && new (wasmApi()!.Instance)(mod, {}).exports;
}

/** The kernel pads each array by this many bytes: its last 4-wide block reads and writes past the end. */
const PAD = 16;
const PAGE = 65536;
const ACT_LINEAR = 0;
const ACT_TANH = 1;
const ACT_RELU = 2;

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * One dense network in WebAssembly memory, run by the SIMD kernel: the same function as
 * {@link denseForward} (row-major `inDim × outDim` kernels, `y = act(x · W + b)`), with one
 * activation per layer. Throws `unsupported` where WebAssembly SIMD is missing (check
 * {@link wasmSimdAvailable} first).
 */
export class WasmDenseNet {
  private readonly kernel: KernelExports;
  private f32: Float32Array;
  private layerIn = new Int32Array(0);
  private layerOut = new Int32Array(0);
  private layerAct = new Uint8Array(0);
  private wOffset = new Int32Array(0);
  private bOffset = new Int32Array(0);
  private weightBytes = 0;
  private xOffset = 0;
  private aOffset = 0;
  private bufOffset = 0;
  private maxWidth = 0;
  private rowCapacity = 0;

  /**
   * `activation`: one nonlinearity for every layer but the last (which is linear), as in
   * {@link denseForward}, or one per layer. `capacity`: batch rows the buffers hold up front.
   */
  constructor(
    layers: readonly DenseLayerF32[],
    activation: DenseActivation | readonly LayerActivation[],
    capacity = 1,
  ) {
    const mod = compiledKernel();
    if (!mod)
      throw new ArbiterError('unsupported', 'WasmDenseNet: WebAssembly SIMD is not available in this engine');
    this.kernel = new (wasmApi()!.Instance)(mod, {}).exports as unknown as KernelExports;
    this.f32 = new Float32Array(this.kernel.memory.buffer);
    this.rowCapacity = Math.max(1, capacity);
    this.load(layers, activation);
  }

  /** Input width of the loaded network. */
  get inputDim(): number {
    return this.layerIn[0]!;
  }

  /** Output width of the loaded network. */
  get outputDim(): number {
    return this.layerOut[this.layerOut.length - 1]!;
  }

  /** Batch rows the buffers hold now (grown by {@link forward} when a larger batch comes). */
  get capacity(): number {
    return this.rowCapacity;
  }

  /**
   * Copies `layers` in (weights changed in place, or another network: memory grows when it is
   * larger). Shapes must chain (`layers[l].outDim === layers[l + 1].inDim`).
   */
  load(layers: readonly DenseLayerF32[], activation: DenseActivation | readonly LayerActivation[]): void {
    if (layers.length === 0) throw new ArbiterError('invalid-input', 'WasmDenseNet: no layers');
    const acts: readonly LayerActivation[] =
      typeof activation === 'string'
        ? layers.map((_, l) => (l === layers.length - 1 ? 'linear' : activation))
        : activation;
    if (acts.length !== layers.length)
      throw new ArbiterError(
        'invalid-input',
        `WasmDenseNet: ${acts.length} activations for ${layers.length} layers`,
      );
    const same =
      layers.length === this.layerIn.length &&
      layers.every((l, i) => l.inDim === this.layerIn[i] && l.outDim === this.layerOut[i]);
    if (!same) this.layout(layers);
    for (let l = 0; l < layers.length; l++) {
      const { kernel, bias, inDim, outDim } = layers[l]!;
      if (kernel.length !== inDim * outDim || bias.length !== outDim)
        throw new ArbiterError(
          'invalid-input',
          `WasmDenseNet: layer ${l} has ${kernel.length} weights and ${bias.length} biases for ${inDim} × ${outDim}`,
        );
      this.f32.set(kernel, this.wOffset[l]! >> 2);
      this.f32.set(bias, this.bOffset[l]! >> 2);
      const a = acts[l]!;
      this.layerAct[l] = a === 'tanh' ? ACT_TANH : a === 'relu' ? ACT_RELU : ACT_LINEAR;
    }
  }

  /** Offsets of weights (first, so that growing the batch keeps them in place), then buffers. */
  private layout(layers: readonly DenseLayerF32[]): void {
    const n = layers.length;
    this.layerIn = Int32Array.from(layers, (l) => l.inDim);
    this.layerOut = Int32Array.from(layers, (l) => l.outDim);
    this.layerAct = new Uint8Array(n);
    this.wOffset = new Int32Array(n);
    this.bOffset = new Int32Array(n);
    let off = 0;
    this.maxWidth = 0;
    for (let l = 0; l < n; l++) {
      const { inDim, outDim } = layers[l]!;
      if (l > 0 && inDim !== layers[l - 1]!.outDim)
        throw new ArbiterError(
          'invalid-input',
          `WasmDenseNet: layer ${l} takes ${inDim} inputs, layer ${l - 1} gives ${layers[l - 1]!.outDim}`,
        );
      this.wOffset[l] = off;
      off = align16(off + 4 * inDim * outDim + PAD);
      this.bOffset[l] = off;
      off = align16(off + 4 * outDim + PAD);
      this.maxWidth = Math.max(this.maxWidth, outDim);
    }
    this.weightBytes = off;
    this.reserve(this.rowCapacity);
  }

  /** Buffer offsets for `rows` rows, growing the memory when they do not fit. */
  private reserve(rows: number): void {
    let off = this.weightBytes;
    this.xOffset = off;
    off = align16(off + 4 * rows * this.layerIn[0]! + PAD);
    this.aOffset = off;
    off = align16(off + 4 * rows * this.maxWidth + PAD);
    this.bufOffset = off;
    off = align16(off + 4 * rows * this.maxWidth + PAD);
    const memory = this.kernel.memory;
    if (off > memory.buffer.byteLength) {
      memory.grow(Math.ceil((off - memory.buffer.byteLength) / PAGE));
      this.f32 = new Float32Array(memory.buffer);
    }
    this.rowCapacity = rows;
  }

  /**
   * Runs `batch` row-major rows of `x` (batch × inputDim) through the network; writes batch ×
   * outputDim values into `out` (allocated if absent) and returns it. Allocation-free for
   * `out` given and `batch` within {@link capacity}.
   */
  forward(x: Float32Array, batch: number, out?: Float32Array): Float32Array {
    const inDim = this.layerIn[0]!;
    const outDim = this.layerOut[this.layerOut.length - 1]!;
    const len = batch * inDim;
    if (x.length < len)
      throw new ArbiterError(
        'invalid-input',
        `WasmDenseNet: x has ${x.length} values, need ${batch} × ${inDim}`,
      );
    if (batch > this.rowCapacity) this.reserve(batch);
    const f32 = this.f32;
    const xo = this.xOffset >> 2;
    // A loop for a short prefix of a longer x: subarray() would allocate a view per call.
    if (x.length === len) f32.set(x, xo);
    else if (len > 256) f32.set(x.subarray(0, len), xo);
    else for (let i = 0; i < len; i++) f32[xo + i] = x[i]!;
    const k = this.kernel;
    let src = this.xOffset;
    const last = this.layerIn.length - 1;
    for (let l = 0; l <= last; l++) {
      const m = this.layerOut[l]!;
      const dst = l % 2 === 0 ? this.aOffset : this.bufOffset;
      k.dense(src, this.wOffset[l]!, this.bOffset[l]!, dst, this.layerIn[l]!, m, batch);
      const act = this.layerAct[l]!;
      if (act === ACT_TANH) k.tanh(dst, batch * m);
      else if (act === ACT_RELU) k.relu(dst, batch * m);
      src = dst;
    }
    const total = batch * outDim;
    const result = out ?? new Float32Array(total);
    const so = src >> 2;
    for (let i = 0; i < total; i++) result[i] = f32[so + i]!;
    return result;
  }
}

/**
 * {@link denseForward} on the WebAssembly kernel, same arguments and result; `net` plays the part
 * of the workspace (created if absent). The weights are copied into it on every call: for
 * repeated calls on unchanged weights call `net.forward` directly.
 */
export function denseForwardWasm(
  layers: readonly DenseLayerF32[],
  activation: DenseActivation,
  x: Float32Array,
  batch: number,
  out?: Float32Array,
  net?: WasmDenseNet,
): Float32Array {
  if (!net) return new WasmDenseNet(layers, activation, batch).forward(x, batch, out);
  net.load(layers, activation);
  return net.forward(x, batch, out);
}
