/**
 * The kernels of the graph network's training pass on one Float32 heap that holds every weight,
 * activation and gradient of a minibatch: WebAssembly SIMD (`scripts/graph-train-kernel-wasm.ts`,
 * shipped as bytes in `graph-train-wasm-bytes.ts`) where the engine has it, else the same
 * functions as JavaScript loops on a plain Float32Array (the fallback, and the reference of the
 * tests). Offsets and strides are in floats. Offset 0 of the heap is never a buffer: `init` and
 * `bias` 0 mean "none".
 *
 * The two agree to Float32 rounding (summation order, and the WebAssembly exp within 2 Float32
 * steps of `Math.exp`), not bit for bit.
 */
import { decodeBase64 } from './decode-base64.js';
import { wasmSimdAvailable } from './dense-forward-wasm.js';
import { GRAPH_TRAIN_WASM_BASE64 } from './graph-train-wasm-bytes.js';

/** Floats of slack after the last buffer (the kernels read up to 3 past a row's end). */
export const HEAP_SLACK = 8;

/** The kernel set (see the file comment for the heap conventions). */
export interface GraphTrainKernels {
  /** Whether these are the WebAssembly SIMD kernels. */
  readonly simd: boolean;
  /** The heap (replaced by {@link GraphTrainKernels.reserve} when it grows: read it after). */
  readonly heap: Float32Array;
  /** Grows the heap to at least `floats` values (contents kept). */
  reserve(floats: number): void;
  /**
   * C (m × p, row stride ldc) = alpha · A · B + I + bias: A's entry (r, t) at
   * `a + r·aRow + t·aCol`, B k × p with row stride ldb, I at `init` with row stride `initRow`
   * (0: none; row stride 0 broadcasts a row; `init = c` accumulates), `bias` a row (0: none).
   */
  mm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    p: number,
    aRow: number,
    aCol: number,
    ldb: number,
    ldc: number,
    init: number,
    initRow: number,
    bias: number,
    alpha: number,
  ): void;
  /**
   * In place on `rows` rows of n scores: `s ← s·scale + Σ_r rel[r·planeStride]·rb[r·rbStride]`
   * (K 0/1 relation planes indexed like s), then each row's softmax.
   */
  softmaxRows(
    s: number,
    rel: number,
    rb: number,
    rbStride: number,
    K: number,
    planeStride: number,
    n: number,
    rows: number,
    scale: number,
  ): void;
  /** `dp ← p ⊙ (dp − Σ_j p·dp)` per row of n, in place. */
  softmaxBack(p: number, dp: number, n: number, rows: number): void;
  /** Σ x·y over `count` values. */
  dot(x: number, y: number, count: number): number;
  /** dst (cols × rows, row stride dstRow) = srcᵀ, src rows × cols with row stride srcRow. */
  transpose(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void;
  /** e^x in place over `count` values. */
  exp(p: number, count: number): void;
}

interface WasmExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  mm(...args: number[]): void;
  softmaxRows(...args: number[]): void;
  softmaxBack(p: number, dp: number, n: number, rows: number): void;
  dot(x: number, y: number, count: number): number;
  transpose(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void;
  exp(p: number, count: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let compiled: object | undefined;

/** The kernels on WebAssembly SIMD (an instance with its own memory). */
class WasmKernels implements GraphTrainKernels {
  readonly simd = true;
  heap: Float32Array;

  constructor(private readonly k: WasmExports) {
    this.heap = new Float32Array(k.memory.buffer);
  }

  reserve(floats: number): void {
    const bytes = floats * 4;
    const have = this.k.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.k.memory.grow(Math.ceil((bytes - have) / 65536));
    this.heap = new Float32Array(this.k.memory.buffer);
  }

  mm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    p: number,
    aRow: number,
    aCol: number,
    ldb: number,
    ldc: number,
    init: number,
    initRow: number,
    bias: number,
    alpha: number,
  ): void {
    if (m <= 0 || p <= 0) return;
    this.k.mm(
      a * 4,
      b * 4,
      c * 4,
      m,
      k,
      p,
      aRow * 4,
      aCol * 4,
      ldb * 4,
      ldc * 4,
      init * 4,
      initRow * 4,
      bias * 4,
      alpha,
    );
  }

  softmaxRows(
    s: number,
    rel: number,
    rb: number,
    rbStride: number,
    K: number,
    planeStride: number,
    n: number,
    rows: number,
    scale: number,
  ): void {
    this.k.softmaxRows(s * 4, rel * 4, rb * 4, rbStride * 4, K, planeStride * 4, n, rows, scale);
  }

  softmaxBack(p: number, dp: number, n: number, rows: number): void {
    this.k.softmaxBack(p * 4, dp * 4, n, rows);
  }

  dot(x: number, y: number, count: number): number {
    return this.k.dot(x * 4, y * 4, count);
  }

  transpose(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void {
    this.k.transpose(src * 4, dst * 4, rows, cols, srcRow * 4, dstRow * 4);
  }

  exp(p: number, count: number): void {
    this.k.exp(p * 4, count);
  }
}

/** The same functions as JavaScript loops on a Float32Array. */
class JsKernels implements GraphTrainKernels {
  readonly simd = false;
  heap = new Float32Array(1024);

  reserve(floats: number): void {
    if (floats <= this.heap.length) return;
    const next = new Float32Array(Math.max(floats, 2 * this.heap.length));
    next.set(this.heap);
    this.heap = next;
  }

  mm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    p: number,
    aRow: number,
    aCol: number,
    ldb: number,
    ldc: number,
    init: number,
    initRow: number,
    bias: number,
    alpha: number,
  ): void {
    const h = this.heap;
    // Two rows × four columns of sums in registers (why: an axpy loop stores C every step).
    const p4 = p - (p % 4);
    for (let r = 0; r < m; r += 2) {
      const two = r + 1 < m;
      const a0 = a + r * aRow;
      const a1 = two ? a0 + aRow : a0;
      for (let j = 0; j < p; j += 4) {
        const w = j < p4 ? 4 : p - j;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let t = 0, at = 0, bo = b + j; t < k; t++, at += aCol, bo += ldb) {
          const x0 = h[a0 + at]!;
          const x1 = h[a1 + at]!;
          const b0 = h[bo]!;
          const b1 = w > 1 ? h[bo + 1]! : 0;
          const b2 = w > 2 ? h[bo + 2]! : 0;
          const b3 = w > 3 ? h[bo + 3]! : 0;
          s00 += x0 * b0;
          s01 += x0 * b1;
          s02 += x0 * b2;
          s03 += x0 * b3;
          s10 += x1 * b0;
          s11 += x1 * b1;
          s12 += x1 * b2;
          s13 += x1 * b3;
        }
        this.store(c + r * ldc + j, w, alpha, s00, s01, s02, s03, init, r, initRow, j, bias);
        if (two)
          this.store(c + (r + 1) * ldc + j, w, alpha, s10, s11, s12, s13, init, r + 1, initRow, j, bias);
      }
    }
  }

  // Row r, columns j … j+w−1 of C from the sums (Float32 rounding at each step, as the SIMD kernel).
  private store(
    o: number,
    w: number,
    alpha: number,
    s0: number,
    s1: number,
    s2: number,
    s3: number,
    init: number,
    r: number,
    initRow: number,
    j: number,
    bias: number,
  ): void {
    const h = this.heap;
    for (let q = 0; q < w; q++) {
      let v = Math.fround(alpha * (q === 0 ? s0 : q === 1 ? s1 : q === 2 ? s2 : s3));
      if (init !== 0) v = Math.fround(v + h[init + r * initRow + j + q]!);
      if (bias !== 0) v = Math.fround(v + h[bias + j + q]!);
      h[o + q] = v;
    }
  }

  softmaxRows(
    s: number,
    rel: number,
    rb: number,
    rbStride: number,
    K: number,
    planeStride: number,
    n: number,
    rows: number,
    scale: number,
  ): void {
    const h = this.heap;
    for (let i = 0; i < rows; i++) {
      const o = s + i * n;
      const ro = rel + i * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let v = h[o + j]! * scale;
        for (let r = 0; r < K; r++) v += h[ro + r * planeStride + j]! * h[rb + r * rbStride]!;
        h[o + j] = v;
        if (h[o + j]! > max) max = h[o + j]!;
      }
      let sum = 0;
      for (let j = 0; j < n; j++) {
        h[o + j] = Math.exp(h[o + j]! - max);
        sum += h[o + j]!;
      }
      const inv = 1 / sum;
      for (let j = 0; j < n; j++) h[o + j] = h[o + j]! * inv;
    }
  }

  softmaxBack(p: number, dp: number, n: number, rows: number): void {
    const h = this.heap;
    for (let i = 0; i < rows; i++) {
      const po = p + i * n;
      const d = dp + i * n;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += h[po + j]! * h[d + j]!;
      for (let j = 0; j < n; j++) h[d + j] = h[po + j]! * (h[d + j]! - dot);
    }
  }

  dot(x: number, y: number, count: number): number {
    const h = this.heap;
    let s = 0;
    for (let i = 0; i < count; i++) s += h[x + i]! * h[y + i]!;
    return s;
  }

  transpose(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void {
    const h = this.heap;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) h[dst + c * dstRow + r] = h[src + r * srcRow + c]!;
  }

  exp(p: number, count: number): void {
    const h = this.heap;
    for (let i = 0; i < count; i++) h[p + i] = Math.exp(h[p + i]!);
  }
}

/**
 * A fresh kernel set with its own heap: WebAssembly SIMD unless `simd` is false or the engine
 * lacks it (then the JavaScript loops).
 */
export function createGraphTrainKernels(simd = true): GraphTrainKernels {
  if (simd && wasmSimdAvailable()) {
    try {
      const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
      compiled ??= new api.Module(decodeBase64(GRAPH_TRAIN_WASM_BASE64));
      return new WasmKernels(new api.Instance(compiled, {}).exports as WasmExports);
    } catch {
      // Fall through to the JavaScript loops.
    }
  }
  return new JsKernels();
}
