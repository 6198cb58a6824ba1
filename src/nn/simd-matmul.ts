/**
 * A matrix product on WebAssembly SIMD (f32x4): `C += A · B` for row-major Float32 matrices, the
 * inner kernel of the fast learner's larger layers. Scalar JavaScript tops out near one
 * multiply-add per cycle; four lanes and four row accumulators per step give several times that.
 * The module is a few hundred bytes assembled here (no build step, no dependency); where
 * WebAssembly SIMD is missing, {@link SimdMatMul.create} returns undefined and callers keep their
 * JavaScript loops.
 *
 * Operands are copied into the module's memory (O(m·k + k·p + m·p) copies for O(m·k·p) work).
 */

// The kernel mm(a, b, c, m, k, p, aRow, aCol): C[m × p] += A[m × k] · B[k × p] at byte offsets
// a, b, c, with A's entry (r, t) at a + r·aRow + t·aCol bytes (a transposed A needs no copy), B
// and C row-major, m and p multiples of 4. Per block of 4 rows × 4 columns: four f32x4 sums, each
// step adding splat(A[r + i, t]) · B[t, j … j+3].
const LOCALS = {
  a: 0,
  b: 1,
  c: 2,
  m: 3,
  k: 4,
  p: 5,
  aRow: 6,
  aCol: 7,
  r: 8,
  j: 9,
  t: 10,
  ap: 11,
  bp: 12,
  cp: 13,
  pb: 14,
};
const V = { acc0: 15, acc1: 16, acc2: 17, acc3: 18, bv: 19 };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function kernelBody(): number[] {
  const get = (i: number): number[] => [0x20, ...uleb(i)];
  const set = (i: number): number[] => [0x21, ...uleb(i)];
  const i32 = (v: number): number[] => [0x41, ...sleb(v)];
  const add = [0x6a];
  const mul = [0x6c];
  const geU = [0x4f];
  const f32Load = [0x2a, 0x02, 0x00];
  const v128Load = [0xfd, 0x00, 0x04, 0x00];
  const v128Store = [0xfd, 0x0b, 0x04, 0x00];
  const splat = [0xfd, 0x13];
  const fadd = [0xfd, 0xe4, 0x01];
  const fmul = [0xfd, 0xe6, 0x01];
  const { a, b, c, m, k, p, aRow, aCol, r, j, t, ap, bp, cp, pb } = LOCALS;
  const acc = [V.acc0, V.acc1, V.acc2, V.acc3];
  // Address of row i of the current 4-row block: base + i·stride.
  const rowAddr = (base: number, stride: number, i: number): number[] =>
    i === 0 ? get(base) : [...get(base), ...get(stride), ...i32(i), ...mul, ...add];
  const body: number[] = [];
  body.push(...get(p), ...i32(4), ...mul, ...set(pb)); // pb = p·4 bytes per row of B and C
  body.push(...i32(0), ...set(r));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop (rows)
  body.push(...get(r), ...get(m), ...geU, 0x0d, 0x01); // r ≥ m → exit
  body.push(...i32(0), ...set(j));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop (columns)
  body.push(...get(j), ...get(p), ...geU, 0x0d, 0x01);
  // cp = c + (r·p + j)·4; acc_i = C[r + i, j …]
  body.push(
    ...get(r),
    ...get(p),
    ...mul,
    ...get(j),
    ...add,
    ...i32(4),
    ...mul,
    ...get(c),
    ...add,
    ...set(cp),
  );
  for (let i = 0; i < 4; i++) body.push(...rowAddr(cp, pb, i), ...v128Load, ...set(acc[i]!));
  // ap = a + r·aRow; bp = b + j·4
  body.push(...get(r), ...get(aRow), ...mul, ...get(a), ...add, ...set(ap));
  body.push(...get(j), ...i32(4), ...mul, ...get(b), ...add, ...set(bp));
  body.push(...i32(0), ...set(t));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop (inner)
  body.push(...get(t), ...get(k), ...geU, 0x0d, 0x01);
  body.push(...get(bp), ...v128Load, ...set(V.bv));
  for (let i = 0; i < 4; i++)
    body.push(
      ...get(acc[i]!),
      ...rowAddr(ap, aRow, i),
      ...f32Load,
      ...splat,
      ...get(V.bv),
      ...fmul,
      ...fadd,
      ...set(acc[i]!),
    );
  body.push(...get(ap), ...get(aCol), ...add, ...set(ap));
  body.push(...get(bp), ...get(pb), ...add, ...set(bp));
  body.push(...get(t), ...i32(1), ...add, ...set(t));
  body.push(0x0c, 0x00, 0x0b, 0x0b); // br loop; end loop; end block
  for (let i = 0; i < 4; i++) body.push(...rowAddr(cp, pb, i), ...get(acc[i]!), ...v128Store);
  body.push(...get(j), ...i32(4), ...add, ...set(j));
  body.push(0x0c, 0x00, 0x0b, 0x0b);
  body.push(...get(r), ...i32(4), ...add, ...set(r));
  body.push(0x0c, 0x00, 0x0b, 0x0b);
  body.push(0x0b); // end function
  const locals = [0x02, ...uleb(7), 0x7f, ...uleb(5), 0x7b]; // 7 i32, 5 v128
  return [...uleb(locals.length + body.length), ...locals, ...body];
}

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

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const type = section(1, [0x01, 0x60, 0x08, ...new Array<number>(8).fill(0x7f), 0x00]);
  const func = section(3, [0x01, 0x00]);
  const memory = section(5, [0x01, 0x00, 0x01]); // one memory, 1 page to start
  const exports = section(7, [0x02, ...name('mm'), 0x00, 0x00, ...name('mem'), 0x02, 0x00]);
  const code = section(10, [0x01, ...kernelBody()]);
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...func,
    ...memory,
    ...exports,
    ...code,
  ]);
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
      const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
      const { mm, mem } = instance.exports as {
        mm: Kernel;
        mem: WasmMemory;
      };
      return new SimdMatMul(mm, mem);
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
