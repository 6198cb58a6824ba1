/**
 * A matrix product on WebAssembly SIMD (f32x4): `C += A · B` for row-major Float32 matrices, the
 * inner kernel of the fast learner's larger layers. Scalar JavaScript tops out near one
 * multiply-add per cycle; four lanes and four row accumulators per step give several times that.
 * The module is a few hundred bytes, assembled at build time (`npm run build:wasm`, from
 * `scripts/matmul-wasm.ts`) and shipped as base64; where WebAssembly SIMD is missing,
 * {@link SimdMatMul.create} returns undefined and callers keep their JavaScript loops.
 *
 * Operands are copied into the module's memory (O(m·k + k·p + m·p) copies for O(m·k·p) work).
 */

import { decodeBase64 } from './decode-base64.js';
import { MATMUL_WASM_BASE64 } from './simd-matmul-wasm-bytes.js';

// The kernel mm(a, b, c, m, k, p, aRow, aCol) (`scripts/matmul-wasm.ts`, prebuilt): C[m × p] +=
// A[m × k] · B[k × p] at byte offsets a, b, c, A's entry (r, t) at a + r·aRow + t·aCol bytes, B
// and C row-major, m and p multiples of 4.
type Kernel = (
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  p: number,
  aRow: number,
  aCol: number,
) => void;

// The WebAssembly API as far as used here (the project's TypeScript lib has no DOM/wasm types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/**
 * `C += A · B` on WebAssembly SIMD, with its own memory for the operands. One instance per user
 * (the operands' scratch space is reused across calls).
 */
export class SimdMatMul {
  private heap: Float32Array;

  private constructor(
    private readonly mm: Kernel,
    private readonly memory: WasmMemory,
  ) {
    this.heap = new Float32Array(memory.buffer);
  }

  /** A kernel instance, or undefined where WebAssembly SIMD is not available. */
  static create(): SimdMatMul | undefined {
    try {
      const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      if (!wasm) return undefined;
      const instance = new wasm.Instance(new wasm.Module(decodeBase64(MATMUL_WASM_BASE64)));
      const { mm, memory } = instance.exports as {
        mm: Kernel;
        memory: WasmMemory;
      };
      return new SimdMatMul(mm, memory);
    } catch {
      return undefined;
    }
  }

  /**
   * C (m × p) += op(A) · op(B), all row-major: op(A) is A (m × k) at `aOff`, or with `aT` the
   * transpose of A stored k × m; op(B) is B (k × p) at `bOff`, or with `bT` the transpose of B
   * stored p × k. C (m × p) is at `cOff`; with `overwrite` the product replaces C.
   */
  matMulAdd(
    A: Float32Array,
    aOff: number,
    aT: boolean,
    B: Float32Array,
    bOff: number,
    bT: boolean,
    C: Float32Array,
    cOff: number,
    m: number,
    k: number,
    p: number,
    overwrite = false,
  ): void {
    const m4 = (m + 3) & ~3;
    const p4 = (p + 3) & ~3;
    // A's rows past m (row blocks of 4) read into the slack after it; they land in C's discarded rows.
    const bAt = (m4 * k + 4 + 3) & ~3;
    const cAt = bAt + k * p4;
    this.reserve(cAt + m4 * p4);
    const h = this.heap;
    h.set(A.subarray(aOff, aOff + m * k), 0);
    h.fill(0, m * k, bAt);
    if (!bT && p === p4) h.set(B.subarray(bOff, bOff + k * p), bAt);
    else
      for (let t = 0; t < k; t++) {
        const o = bAt + t * p4;
        if (bT) for (let j = 0; j < p; j++) h[o + j] = B[bOff + j * k + t]!;
        else for (let j = 0; j < p; j++) h[o + j] = B[bOff + t * p + j]!;
        for (let j = p; j < p4; j++) h[o + j] = 0;
      }
    if (overwrite) h.fill(0, cAt, cAt + m * p4);
    else if (p === p4) h.set(C.subarray(cOff, cOff + m * p), cAt);
    else
      for (let r = 0; r < m; r++) {
        const o = cAt + r * p4;
        for (let j = 0; j < p; j++) h[o + j] = C[cOff + r * p + j]!;
        for (let j = p; j < p4; j++) h[o + j] = 0;
      }
    h.fill(0, cAt + m * p4, cAt + m4 * p4);
    this.mm(0, bAt * 4, cAt * 4, m4, k, p4, aT ? 4 : k * 4, aT ? m * 4 : 4);
    if (p === p4) C.set(h.subarray(cAt, cAt + m * p), cOff);
    else
      for (let r = 0; r < m; r++) {
        const o = cAt + r * p4;
        for (let j = 0; j < p; j++) C[cOff + r * p + j] = h[o + j]!;
      }
  }

  // Grows the module's memory to hold `floats` values.
  private reserve(floats: number): void {
    const bytes = floats * 4;
    if (bytes <= this.memory.buffer.byteLength) return;
    const pages = Math.ceil((bytes - this.memory.buffer.byteLength) / 65536);
    this.memory.grow(pages);
    this.heap = new Float32Array(this.memory.buffer);
  }
}
