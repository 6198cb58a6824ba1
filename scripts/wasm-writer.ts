/**
 * A minimal WebAssembly binary-format writer: LEB128 numbers, the sections a small kernel module
 * needs (types, functions, one exported memory, exports, code) and an instruction builder for the
 * opcodes those kernels use, fixed-width SIMD included. Enough to assemble hand-written kernels
 * without a toolchain (no download, no dependency); not a general assembler: no imports, tables,
 * globals or data segments.
 */

/** Value types of parameters and locals. */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`uleb: ${n}`);
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError(`sleb: ${n}`);
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Plain instructions (no immediates) by their text-format names. */
const PLAIN: Record<string, number> = {
  drop: 0x1a,
  return: 0x0f,
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.lt_u': 0x49,
  'i32.gt_u': 0x4b,
  'i32.le_u': 0x4d,
  'i32.ge_u': 0x4f,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.shl': 0x74,
  'i32.shr_u': 0x76,
  'f32.eq': 0x5b,
  'f32.gt': 0x5e,
  'f32.le': 0x5f,
  'f32.sqrt': 0x91,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
  'f32.div': 0x95,
  'f32.max': 0x97,
  'f64.add': 0xa0,
  'f32.convert_i32_s': 0xb2,
  'f64.promote_f32': 0xbb,
};

/** SIMD instructions without immediates (prefix 0xfd, then the LEB128 opcode). */
const SIMD: Record<string, number> = {
  'f32x4.splat': 0x13,
  'f64x2.splat': 0x14,
  'v128.and': 0x4e,
  'v128.or': 0x50,
  'v128.bitselect': 0x52,
  'f64x2.lt': 0x49,
  'f32x4.demote_f64x2_zero': 0x5e,
  'f64x2.promote_low_f32x4': 0x5f,
  'i64x2.shl': 0xcb,
  'i64x2.add': 0xce,
  'i64x2.sub': 0xd1,
  'f32x4.eq': 0x41,
  'f32x4.ne': 0x42,
  'f32x4.lt': 0x43,
  'f32x4.le': 0x45,
  'v128.andnot': 0x4f,
  'i32x4.all_true': 0xa3,
  'i32x4.shl': 0xab,
  'i32x4.add': 0xae,
  'i32x4.sub': 0xb1,
  'f32x4.abs': 0xe0,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  'f32x4.pmin': 0xea,
  'f32x4.pmax': 0xeb,
  'f64x2.abs': 0xec,
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
  'f64x2.div': 0xf3,
  'f64x2.min': 0xf4,
};

/** Loads and stores: opcode bytes and the natural alignment (log2 bytes) used as the hint. */
const MEMORY: Record<string, { code: number[]; align: number }> = {
  'i32.load': { code: [0x28], align: 2 },
  'f32.load': { code: [0x2a], align: 2 },
  'f32.store': { code: [0x38], align: 2 },
  'v128.load': { code: [0xfd, 0x00], align: 4 },
  'v128.load32_splat': { code: [0xfd, 0x09], align: 2 },
  'v128.store': { code: [0xfd, 0x0b], align: 4 },
  'v128.load32_zero': { code: [0xfd, 0x5c], align: 2 },
  'v128.load64_zero': { code: [0xfd, 0x5d], align: 3 },
  'f64.load': { code: [0x2b], align: 3 },
  'f64.store': { code: [0x39], align: 3 },
};

/** Lane stores: `memarg` then the lane index. */
const STORE_LANE: Record<string, { code: number[]; align: number }> = {
  'v128.store32_lane': { code: [0xfd, 0x5a], align: 2 },
  'v128.store64_lane': { code: [0xfd, 0x5b], align: 3 },
};

/**
 * An instruction sequence, built by chained calls in stack-machine order, e.g.
 * `new Code().get(0).get(1).op('i32.add')`. Control instructions take the structure depth of
 * their branch target (0 = innermost enclosing block or loop), as in the binary format.
 */
export class Code {
  /** The encoded bytes so far. */
  readonly bytes: number[] = [];

  /** A plain or SIMD instruction without immediates, by its text-format name. */
  op(name: string): this {
    const plain = PLAIN[name];
    const simd = SIMD[name];
    if (plain !== undefined) this.bytes.push(plain);
    else if (simd !== undefined) this.bytes.push(0xfd, ...uleb(simd));
    else throw new Error(`wasm-writer: unknown instruction ${name}`);
    return this;
  }

  /** A load or store with a constant byte `offset` added to the address on the stack. */
  mem(name: string, offset = 0): this {
    const m = MEMORY[name];
    if (!m) throw new Error(`wasm-writer: unknown memory instruction ${name}`);
    this.bytes.push(...m.code, ...uleb(m.align), ...uleb(offset));
    return this;
  }

  /** A lane store (`v128.store32_lane` …) of lane `lane` at address + `offset`. */
  storeLane(name: string, lane: number, offset = 0): this {
    const m = STORE_LANE[name];
    if (!m) throw new Error(`wasm-writer: unknown lane store ${name}`);
    this.bytes.push(...m.code, ...uleb(m.align), ...uleb(offset), lane);
    return this;
  }

  /** A lane extraction (`f32x4.extract_lane` …) of lane `lane` of the v128 on the stack. */
  extractLane(name: 'f32x4.extract_lane' | 'f64x2.extract_lane', lane: number): this {
    return this.raw(0xfd, name === 'f32x4.extract_lane' ? 0x1f : 0x21, lane);
  }

  /** `f32.const`. */
  f32(value: number): this {
    return this.raw(0x43, ...new Uint8Array(new Float32Array([value]).buffer));
  }

  /** `local.get`. */
  get(local: number): this {
    return this.raw(0x20, ...uleb(local));
  }

  /** `local.set`. */
  set(local: number): this {
    return this.raw(0x21, ...uleb(local));
  }

  /** `local.tee`. */
  tee(local: number): this {
    return this.raw(0x22, ...uleb(local));
  }

  /** `i32.const`. */
  i32(value: number): this {
    this.bytes.push(0x41, ...sleb(value));
    return this;
  }

  /** `v128.const` with four f32 lanes equal to `value` (rounded to Float32). */
  f32x4(value: number): this {
    return this.v128(new Float32Array([value, value, value, value]));
  }

  /** `v128.const` with four i32 lanes equal to `value` (taken modulo 2^32). */
  i32x4(value: number): this {
    return this.v128(new Int32Array([value, value, value, value]));
  }

  /** `v128.const` with two f64 lanes equal to `value`. */
  f64x2(value: number): this {
    return this.v128(new Float64Array([value, value]));
  }

  /** `v128.const` with two i64 lanes of the bits of `value` (a bigint, taken modulo 2^64). */
  i64x2(value: bigint): this {
    return this.v128(new BigInt64Array([value, value]));
  }

  /** `v128.const` of sixteen zero bytes. */
  zero128(): this {
    return this.v128(new Uint8Array(16));
  }

  /** `v128.const` of the 16 bytes of `lanes` (little-endian, as typed arrays store them here). */
  private v128(lanes: Float32Array | Int32Array | Float64Array | BigInt64Array | Uint8Array): this {
    return this.raw(0xfd, 0x0c, ...new Uint8Array(lanes.buffer));
  }

  /** Appends bytes as they are. */
  private raw(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  /** `block` with no result. */
  block(): this {
    this.bytes.push(0x02, 0x40);
    return this;
  }

  /** `loop` with no result. */
  loop(): this {
    this.bytes.push(0x03, 0x40);
    return this;
  }

  /** `if` with no result (pops the condition). */
  if(): this {
    this.bytes.push(0x04, 0x40);
    return this;
  }

  /** `end` of a block, loop or if. */
  end(): this {
    this.bytes.push(0x0b);
    return this;
  }

  /** `br depth`. */
  br(depth: number): this {
    this.bytes.push(0x0c, ...uleb(depth));
    return this;
  }

  /** `br_if depth` (pops the condition). */
  brIf(depth: number): this {
    this.bytes.push(0x0d, ...uleb(depth));
    return this;
  }

  /** Appends another sequence. */
  append(other: Code): this {
    this.bytes.push(...other.bytes);
    return this;
  }
}

/** One function of a module: signature, extra locals (after the parameters), body, export name. */
export interface WasmFunction {
  /** Exported under this name. */
  name: string;
  params: readonly ValType[];
  results: readonly ValType[];
  /** Declared locals, numbered after the parameters. */
  locals: readonly ValType[];
  /** Body without the final `end` (added here). */
  body: Code;
}

function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const b = [...new TextEncoder().encode(text)];
  return [...uleb(b.length), ...b];
}

/** Runs of equal types, as the code section declares locals. */
function localRuns(locals: readonly ValType[]): number[][] {
  const runs: number[][] = [];
  let i = 0;
  while (i < locals.length) {
    let k = i;
    while (k < locals.length && locals[k] === locals[i]) k++;
    runs.push([...uleb(k - i), VALTYPE[locals[i]!]]);
    i = k;
  }
  return runs;
}

/**
 * The module bytes: every function exported under its name (one type per function), and one
 * memory of `memoryPages` 64 KiB pages exported as `memory` (growable from JavaScript).
 */
export function assembleModule(functions: readonly WasmFunction[], memoryPages: number): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((t) => [VALTYPE[t]])),
    ...vec(f.results.map((t) => [VALTYPE[t]])),
  ]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(memoryPages)]])),
    ...section(
      7,
      vec([[...name('memory'), 0x02, 0x00], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ),
    ...section(
      10,
      vec(
        functions.map((f) => {
          const body = [...vec(localRuns(f.locals)), ...f.body.bytes, 0x0b];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return Uint8Array.from(bytes);
}
