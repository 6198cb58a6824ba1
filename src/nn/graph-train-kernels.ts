/**
 * The kernels of the graph network's training pass on one Float32 heap that holds every weight,
 * activation and gradient of a minibatch: WebAssembly SIMD (`scripts/graph-train-kernel-wasm.ts`,
 * shipped as bytes in `graph-train-wasm-bytes.ts`) where the engine has it, else the same
 * functions as JavaScript loops on a plain Float32Array (the fallback, and the reference of the
 * tests). Offsets and strides are in floats. Offset 0 of the heap is never a buffer: `init` and
 * `bias` 0 mean "none". Its `mm` is the project's one SIMD matrix product: the host convolution
 * (`conv2d-host.ts`) runs on it too.
 *
 * The two agree to Float32 rounding (summation order, and the WebAssembly exp within 2 Float32
 * steps of `Math.exp`), not bit for bit.
 */
import { decodeBase64 } from './decode-base64.js';
import { wasmSimdAvailable } from './dense-forward-wasm.js';
import { GRAPH_NET_LN_EPS } from './graph-net-f32.js';
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
    relu: boolean,
  ): void;
  /** Each of `rows` rows of n values replaced by its softmax, in place. */
  softmaxRows(s: number, n: number, rows: number): void;
  /** `dp ← p ⊙ (dp − Σ_j p·dp)` per row of n, in place. */
  softmaxBack(p: number, dp: number, n: number, rows: number): void;
  /** Σ x·y over `count` values. */
  dot(x: number, y: number, count: number): number;
  /** dst (cols × rows, row stride dstRow) = srcᵀ, src rows × cols with row stride srcRow. */
  transpose(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void;
  /** e^x in place over `count` values. */
  exp(p: number, count: number): void;
  /** `d = y ≤ 0 ? 0 : d` over `count` values. */
  reluBack(d: number, y: number, count: number): void;
  /**
   * Masked softmax, first half: `s ← clip·tanh(s)` (as is when clip ≤ 0); over the pairs whose
   * mask (0/1 floats) is 1, the maximum m and `e = e^(s − m)` (0 elsewhere); m and Σ e to
   * `out`, `out + 1`.
   */
  pairSoftmax(s: number, mask: number, e: number, count: number, clip: number, out: number): void;
  /**
   * One graph's relations from its padded rows (src: n rows of N pairs × K channels) into K
   * planes of n × n, channel r at `dst + r·Q`.
   */
  relPlanes(src: number, dst: number, n: number, N: number, K: number, Q: number): void;
  /** The index of the first of `count` values that is neither 0 nor 1, or −1. */
  check01(p: number, count: number): number;
  /** `e ← e·inv`, and Σ e·l to `out`. */
  pairNormalize(e: number, l: number, count: number, inv: number, out: number): void;
  /**
   * `g = −p·(gLogProb + gEntropy·(l + shift))`, times `clip·(1 − (l/clip)²)` when clip > 0 (the
   * pair scores' gradient but for the action's own term).
   */
  pairSoftmaxBack(
    p: number,
    l: number,
    g: number,
    count: number,
    gLogProb: number,
    gEntropy: number,
    shift: number,
    clip: number,
  ): void;
  /** Layer norm of `rows` rows of d at x into y, keeping x̂ and 1/σ (see {@link layerNormJs}). */
  layerNorm(
    x: number,
    g: number,
    b: number,
    y: number,
    xhat: number,
    rstd: number,
    rows: number,
    d: number,
  ): void;
  /** Backward of {@link GraphTrainKernels.layerNorm} (see {@link layerNormBackJs}). */
  layerNormBack(
    dY: number,
    gamma: number,
    xhat: number,
    rstd: number,
    gG: number,
    gB: number,
    dX: number,
    rows: number,
    d: number,
    accumulate: boolean,
  ): void;
}

/**
 * Layer norm on heap `h` (double accumulators): per row of d, x̂ = (x − mean)/√(var + ε),
 * y = x̂·g + b; x̂ and 1/σ kept for the backward pass.
 */
export function layerNormJs(
  h: Float32Array,
  x: number,
  g: number,
  b: number,
  y: number,
  xhat: number,
  rstd: number,
  rows: number,
  d: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = x + r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += h[o + j]!;
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const t = h[o + j]! - mean;
      v += t * t;
    }
    const inv = 1 / Math.sqrt(v / d + GRAPH_NET_LN_EPS);
    h[rstd + r] = inv;
    const ho = xhat + r * d;
    const yo = y + r * d;
    for (let j = 0; j < d; j++) {
      const t = (h[o + j]! - mean) * inv;
      h[ho + j] = t;
      h[yo + j] = t * h[g + j]! + h[b + j]!;
    }
  }
}

/**
 * Backward of {@link layerNormJs} given dY: adds into gG and gB, and writes (or with `accumulate`
 * adds) dX = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) with dx̂ = dY ⊙ γ.
 */
export function layerNormBackJs(
  h: Float32Array,
  dY: number,
  gamma: number,
  xhat: number,
  rstd: number,
  gG: number,
  gB: number,
  dX: number,
  rows: number,
  d: number,
  accumulate: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < d; j++) {
      const dy = h[dY + o + j]!;
      const xh = h[xhat + o + j]!;
      h[gG + j] = h[gG + j]! + dy * xh;
      h[gB + j] = h[gB + j]! + dy;
      const dxh = dy * h[gamma + j]!;
      m1 += dxh;
      m2 += dxh * xh;
    }
    m1 /= d;
    m2 /= d;
    const inv = h[rstd + r]!;
    for (let j = 0; j < d; j++) {
      const v = inv * (h[dY + o + j]! * h[gamma + j]! - m1 - h[xhat + o + j]! * m2);
      h[dX + o + j] = accumulate ? h[dX + o + j]! + v : v;
    }
  }
}

interface WasmExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  mm(...args: number[]): void;
  softmaxRows(s: number, n: number, rows: number): void;
  reluBack(d: number, y: number, count: number): void;
  pairSoftmax(...args: number[]): void;
  relPlanes(...args: number[]): void;
  check01(p: number, count: number): number;
  pairNormalize(...args: number[]): void;
  pairSoftmaxBack(...args: number[]): void;
  layerNorm(...args: number[]): void;
  layerNormBack(...args: number[]): void;
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
    relu: boolean,
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
      relu ? 1 : 0,
    );
  }

  softmaxRows(s: number, n: number, rows: number): void {
    this.k.softmaxRows(s * 4, n, rows);
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

  reluBack(d: number, y: number, count: number): void {
    this.k.reluBack(d * 4, y * 4, count);
  }

  pairSoftmax(s: number, mask: number, e: number, count: number, clip: number, out: number): void {
    this.k.pairSoftmax(s * 4, mask * 4, e * 4, count, clip, out * 4);
  }

  relPlanes(src: number, dst: number, n: number, N: number, K: number, Q: number): void {
    this.k.relPlanes(src * 4, dst * 4, n, N, K, Q * 4);
  }

  check01(p: number, count: number): number {
    return this.k.check01(p * 4, count);
  }

  pairNormalize(e: number, l: number, count: number, inv: number, out: number): void {
    this.k.pairNormalize(e * 4, l * 4, count, inv, out * 4);
  }

  pairSoftmaxBack(
    p: number,
    l: number,
    g: number,
    count: number,
    gLogProb: number,
    gEntropy: number,
    shift: number,
    clip: number,
  ): void {
    this.k.pairSoftmaxBack(
      p * 4,
      l * 4,
      g * 4,
      count,
      gLogProb,
      gEntropy,
      shift,
      clip,
      clip > 0 ? 1 / clip : 0,
    );
  }

  layerNorm(
    x: number,
    g: number,
    b: number,
    y: number,
    xhat: number,
    rstd: number,
    rows: number,
    d: number,
  ): void {
    if (d % 4 !== 0) return layerNormJs(this.heap, x, g, b, y, xhat, rstd, rows, d);
    this.k.layerNorm(x * 4, g * 4, b * 4, y * 4, xhat * 4, rstd * 4, rows, d, GRAPH_NET_LN_EPS);
  }

  layerNormBack(
    dY: number,
    gamma: number,
    xhat: number,
    rstd: number,
    gG: number,
    gB: number,
    dX: number,
    rows: number,
    d: number,
    accumulate: boolean,
  ): void {
    if (d % 4 !== 0)
      return layerNormBackJs(this.heap, dY, gamma, xhat, rstd, gG, gB, dX, rows, d, accumulate);
    this.k.layerNormBack(
      dY * 4,
      gamma * 4,
      xhat * 4,
      rstd * 4,
      gG * 4,
      gB * 4,
      dX * 4,
      rows,
      d,
      accumulate ? 1 : 0,
    );
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
    relu: boolean,
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
          // Past p these read the slack after B (as the SIMD kernel does); those sums are dropped.
          const b1 = h[bo + 1]!;
          const b2 = h[bo + 2]!;
          const b3 = h[bo + 3]!;
          s00 += x0 * b0;
          s01 += x0 * b1;
          s02 += x0 * b2;
          s03 += x0 * b3;
          s10 += x1 * b0;
          s11 += x1 * b1;
          s12 += x1 * b2;
          s13 += x1 * b3;
        }
        this.store(c + r * ldc + j, w, alpha, s00, s01, s02, s03, init, r, initRow, j, bias, relu);
        if (two)
          this.store(
            c + (r + 1) * ldc + j,
            w,
            alpha,
            s10,
            s11,
            s12,
            s13,
            init,
            r + 1,
            initRow,
            j,
            bias,
            relu,
          );
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
    relu: boolean,
  ): void {
    const h = this.heap;
    for (let q = 0; q < w; q++) {
      let v = Math.fround(alpha * (q === 0 ? s0 : q === 1 ? s1 : q === 2 ? s2 : s3));
      if (init !== 0) v = Math.fround(v + h[init + r * initRow + j + q]!);
      if (bias !== 0) v = Math.fround(v + h[bias + j + q]!);
      h[o + q] = relu && v < 0 ? 0 : v;
    }
  }

  softmaxRows(s: number, n: number, rows: number): void {
    const h = this.heap;
    for (let i = 0; i < rows; i++) {
      const o = s + i * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (h[o + j]! > max) max = h[o + j]!;
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

  reluBack(d: number, y: number, count: number): void {
    const h = this.heap;
    for (let i = 0; i < count; i++) if (h[y + i]! <= 0) h[d + i] = 0;
  }

  pairSoftmax(s: number, mask: number, e: number, count: number, clip: number, out: number): void {
    const h = this.heap;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      if (clip > 0) h[s + i] = clip * Math.tanh(h[s + i]!);
      if (h[mask + i] !== 0 && h[s + i]! > max) max = h[s + i]!;
    }
    let sum = 0;
    for (let i = 0; i < count; i++) {
      h[e + i] = h[mask + i] !== 0 ? Math.exp(h[s + i]! - max) : 0;
      sum += h[e + i]!;
    }
    h[out] = max;
    h[out + 1] = sum;
  }

  relPlanes(src: number, dst: number, n: number, N: number, K: number, Q: number): void {
    const h = this.heap;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let r = 0; r < K; r++) h[dst + r * Q + i * n + j] = h[src + (i * N + j) * K + r]!;
  }

  check01(p: number, count: number): number {
    const h = this.heap;
    for (let i = 0; i < count; i++) if (h[p + i] !== 0 && h[p + i] !== 1) return i;
    return -1;
  }

  pairNormalize(e: number, l: number, count: number, inv: number, out: number): void {
    const h = this.heap;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      h[e + i] = h[e + i]! * inv;
      sum += h[e + i]! * h[l + i]!;
    }
    h[out] = sum;
  }

  pairSoftmaxBack(
    p: number,
    l: number,
    g: number,
    count: number,
    gLogProb: number,
    gEntropy: number,
    shift: number,
    clip: number,
  ): void {
    const h = this.heap;
    for (let i = 0; i < count; i++) {
      const li = h[l + i]!;
      let v = -h[p + i]! * (gLogProb + gEntropy * (li + shift));
      if (clip > 0) v *= clip - (li * li) / clip;
      h[g + i] = v;
    }
  }

  layerNorm(
    x: number,
    g: number,
    b: number,
    y: number,
    xhat: number,
    rstd: number,
    rows: number,
    d: number,
  ): void {
    layerNormJs(this.heap, x, g, b, y, xhat, rstd, rows, d);
  }

  layerNormBack(
    dY: number,
    gamma: number,
    xhat: number,
    rstd: number,
    gG: number,
    gB: number,
    dX: number,
    rows: number,
    d: number,
    accumulate: boolean,
  ): void {
    layerNormBackJs(this.heap, dY, gamma, xhat, rstd, gG, gB, dX, rows, d, accumulate);
  }
}

/**
 * A fresh kernel set with its own heap: WebAssembly SIMD unless `simd` is false or the engine
 * lacks it (then the JavaScript loops). Callers pass the process's choice (`trainingKernel()`,
 * `ARBITER_KERNEL`) as `simd`.
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
