/**
 * The WebAssembly SIMD kernel of the dense forward pass (`src/nn/dense-forward-wasm.ts` runs it),
 * written with the binary-format writer of `wasm-writer.ts`. Three functions on one memory, all
 * pointers byte offsets:
 *
 * - `dense(x, w, b, y, n, m, rows)`: `y = x · W + b` for `rows` row-major rows, `W` row-major
 *   `n × m` (TensorFlow's layout). Outputs in blocks of 32, 16, 8 and 4 columns, each block's
 *   accumulators in f32x4 registers while the loop walks the inputs: one splat of `x[i]` and one
 *   load per four multiply-adds. Narrow blocks unroll the input loop into independent accumulator
 *   sets (the add latency, not the arithmetic, bounds a single chain). The last `m mod 4` outputs
 *   run as one more 4-wide block that reads up to 12 bytes past `b`, past each row of `W` and
 *   writes up to 12 bytes past the row of `y` (into the next row, which is computed afterwards, or
 *   into padding): the caller leaves 16 bytes of padding after `W`, `b` and `y`.
 * - `tanh(p, count)`: in place, two values at a time in f64x2: tanh|x| = (1 − e)/(1 + e) with
 *   e = e^(−2|x|) from a degree-9 polynomial after range reduction (|x| − |x|³/3 below 1e-3),
 *   then the sign of x. Far more
 *   precise than the Float32 result (one rounding to Float32, like `Math.fround(Math.tanh(x))`).
 * - `relu(p, count)`: in place, `x < 0 ? 0 : x` (`f32x4.pmax`: NaN and −0 stay, as in JavaScript).
 */
import { assembleModule, Code, type WasmFunction } from './wasm-writer.js';

// dense: parameters, then locals (numbers are wasm local indices).
const X = 0;
const W = 1;
const B = 2;
const Y = 3;
const N = 4;
const M = 5;
const ROWS = 6;
const R = 7;
const J = 8;
const XR = 9; // start of the current row of x
const YR = 10; // start of the current row of y
const WP = 11; // walks one column block of W down the rows
const XP = 12; // walks the current row of x
const XE = 13; // end of the current row of x
const XU = 14; // end of the unrolled part of the row
const STRIDE = 15; // bytes per row of W and y (4m)
const XS = 16; // x[i] splat
const ACC = 17; // eight v128 accumulators from here

/** Four f32 lanes of −0. */
const NEG_ZERO_F32X4 = 0x8000000080000000n;

/** `local = local + value` (i32). */
function addTo(c: Code, local: number, value: number): void {
  c.get(local).i32(value).op('i32.add').set(local);
}

/** Pushes `base + 4·j`. */
function atColumn(c: Code, base: number): void {
  c.get(base).get(J).i32(2).op('i32.shl').op('i32.add');
}

/**
 * One block of `k` f32x4 columns (4k outputs) at column `j` of the current row, the input loop
 * unrolled `u` times into `u` accumulator sets (k·u ≤ 8).
 */
function columnBlock(c: Code, k: number, u: number): void {
  const acc = (set: number, v: number): number => ACC + set * k + v;
  atColumn(c, W);
  c.set(WP);
  atColumn(c, B);
  c.set(XP);
  for (let v = 0; v < k; v++)
    c.get(XP)
      .mem('v128.load', 16 * v)
      .set(acc(0, v));
  // The other sets start at −0, the identity of addition (+0 would turn a sum of −0 into +0).
  for (let s = 1; s < u; s++) for (let v = 0; v < k; v++) c.i64x2(NEG_ZERO_F32X4).set(acc(s, v));
  c.get(XR).set(XP);
  c.get(XR).get(N).i32(2).op('i32.shl').op('i32.add').set(XE);
  const step = (set: number, xOffset: number): void => {
    c.get(XP).mem('v128.load32_splat', xOffset).set(XS);
    for (let v = 0; v < k; v++)
      c.get(acc(set, v))
        .get(XS)
        .get(WP)
        .mem('v128.load', 16 * v)
        .op('f32x4.mul')
        .op('f32x4.add')
        .set(acc(set, v));
    c.get(WP).get(STRIDE).op('i32.add').set(WP);
  };
  if (u > 1) {
    c.get(XR).get(N).i32(-u).op('i32.and').i32(2).op('i32.shl').op('i32.add').set(XU);
    c.block().loop();
    c.get(XP).get(XU).op('i32.ge_u').brIf(1);
    for (let s = 0; s < u; s++) step(s, 4 * s);
    addTo(c, XP, 4 * u);
    c.br(0).end().end();
  }
  c.block().loop();
  c.get(XP).get(XE).op('i32.ge_u').brIf(1);
  step(0, 0);
  addTo(c, XP, 4);
  c.br(0).end().end();
  // Pairwise sums of the accumulator sets.
  for (let v = 0; v < k; v++) {
    if (u === 2) c.get(acc(0, v)).get(acc(1, v)).op('f32x4.add').set(acc(0, v));
    if (u === 4)
      c.get(acc(0, v))
        .get(acc(1, v))
        .op('f32x4.add')
        .get(acc(2, v))
        .get(acc(3, v))
        .op('f32x4.add')
        .op('f32x4.add')
        .set(acc(0, v));
  }
  for (let v = 0; v < k; v++) {
    atColumn(c, YR);
    c.get(acc(0, v)).mem('v128.store', 16 * v);
  }
}

function denseFunction(): WasmFunction {
  const c = new Code();
  c.get(M).i32(2).op('i32.shl').set(STRIDE);
  c.i32(0).set(R);
  c.get(X).set(XR);
  c.get(Y).set(YR);
  c.block().loop();
  c.get(R).get(ROWS).op('i32.ge_u').brIf(1);
  c.i32(0).set(J);
  // While 32 columns remain.
  c.block().loop();
  c.get(J).i32(32).op('i32.add').get(M).op('i32.gt_u').brIf(1);
  columnBlock(c, 8, 1);
  addTo(c, J, 32);
  c.br(0).end().end();
  for (const [k, u] of [
    [4, 2],
    [2, 4],
    [1, 4],
  ] as const) {
    c.get(J)
      .i32(4 * k)
      .op('i32.add')
      .get(M)
      .op('i32.le_u')
      .if();
    columnBlock(c, k, u);
    addTo(c, J, 4 * k);
    c.end();
  }
  // The last m mod 4 columns (see the module comment for the overrun).
  c.get(J).get(M).op('i32.lt_u').if();
  columnBlock(c, 1, 4);
  c.end();
  addTo(c, R, 1);
  c.get(XR).get(N).i32(2).op('i32.shl').op('i32.add').set(XR);
  c.get(YR).get(STRIDE).op('i32.add').set(YR);
  c.br(0).end().end();
  return {
    name: 'dense',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'v128', ...Array(8).fill('v128')],
    body: c,
  };
}

// tanh / relu: parameters p, count; then locals.
const P = 0;
const COUNT = 1;
const END = 2;
const V = 3;
const SIGN = 4;
const T = 5;
const S = 6;
const RED = 7;

/** 1.5 · 2^52: adding it rounds a double of magnitude < 2^51 to an integer held in the low bits. */
const ROUND_MAGIC = 6755399441055744;
const ROUND_MAGIC_BITS = 0x4338000000000000n;
const ONE_BITS = 0x3ff0000000000000n;
const SIGN_BIT = 0x8000000000000000n;

/** tanh of the f64x2 on the stack, left on the stack (see the module comment). */
function tanhF64x2(c: Code): void {
  c.set(V);
  c.get(V).i64x2(SIGN_BIT).op('v128.and').set(SIGN);
  // t = −2·min(|x|, 19): beyond 19, 1 − tanh < 1e-16.
  c.get(V).op('f64x2.abs').f64x2(19).op('f64x2.min').f64x2(-2).op('f64x2.mul').set(T);
  // s holds k = round(t / ln 2) in its low bits; red = t − k·ln 2 ∈ [−0.35, 0.35].
  c.get(T).f64x2(Math.LOG2E).op('f64x2.mul').f64x2(ROUND_MAGIC).op('f64x2.add').set(S);
  c.get(T).get(S).f64x2(ROUND_MAGIC).op('f64x2.sub').f64x2(Math.LN2).op('f64x2.mul').op('f64x2.sub').set(RED);
  // e^red by Horner on 1/q!, q = 9 … 0 (truncation < 1e-11 relative).
  let fact = 362880;
  c.f64x2(1 / fact);
  for (let q = 8; q >= 0; q--) {
    fact /= q + 1;
    c.get(RED)
      .op('f64x2.mul')
      .f64x2(1 / fact)
      .op('f64x2.add');
  }
  // · 2^k, built in the exponent bits (k ≥ −55: a normal double).
  c.get(S).i64x2(ROUND_MAGIC_BITS).op('i64x2.sub').i32(52).op('i64x2.shl').i64x2(ONE_BITS).op('i64x2.add');
  c.op('f64x2.mul').set(T);
  c.f64x2(1).get(T).op('f64x2.sub').f64x2(1).get(T).op('f64x2.add').op('f64x2.div');
  // Below 1e-3, where 1 − e cancels, tanh a = a − a³/3 to 1e-13 relative.
  c.get(V).op('f64x2.abs').set(T);
  c.get(T)
    .get(T)
    .get(T)
    .op('f64x2.mul')
    .f64x2(-1 / 3)
    .op('f64x2.mul')
    .f64x2(1)
    .op('f64x2.add')
    .op('f64x2.mul');
  c.f64x2(1e-3).get(T).op('f64x2.lt').op('v128.bitselect');
  c.get(SIGN).op('v128.or');
}

function endPointer(c: Code): void {
  c.get(P).get(COUNT).i32(2).op('i32.shl').op('i32.add').set(END);
}

function tanhFunction(): WasmFunction {
  const c = new Code();
  endPointer(c);
  c.block().loop();
  c.get(P).i32(8).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  c.get(P);
  c.get(P).mem('v128.load64_zero').op('f64x2.promote_low_f32x4');
  tanhF64x2(c);
  c.op('f32x4.demote_f64x2_zero').storeLane('v128.store64_lane', 0);
  addTo(c, P, 8);
  c.br(0).end().end();
  c.get(P).get(END).op('i32.lt_u').if();
  c.get(P);
  c.get(P).mem('v128.load32_zero').op('f64x2.promote_low_f32x4');
  tanhF64x2(c);
  c.op('f32x4.demote_f64x2_zero').storeLane('v128.store32_lane', 0);
  c.end();
  return {
    name: 'tanh',
    params: ['i32', 'i32'],
    results: [],
    locals: ['i32', 'v128', 'v128', 'v128', 'v128', 'v128'],
    body: c,
  };
}

function reluFunction(): WasmFunction {
  const c = new Code();
  endPointer(c);
  c.block().loop();
  c.get(P).i32(16).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  c.get(P);
  c.get(P).mem('v128.load').zero128().op('f32x4.pmax').mem('v128.store');
  addTo(c, P, 16);
  c.br(0).end().end();
  c.block().loop();
  c.get(P).get(END).op('i32.ge_u').brIf(1);
  c.get(P);
  c.get(P).mem('v128.load32_zero').zero128().op('f32x4.pmax').storeLane('v128.store32_lane', 0);
  addTo(c, P, 4);
  c.br(0).end().end();
  return { name: 'relu', params: ['i32', 'i32'], results: [], locals: ['i32'], body: c };
}

/** The kernel module's bytes (one initial memory page; the runtime grows it). */
export function buildDenseKernelWasm(): Uint8Array {
  return assembleModule([denseFunction(), tanhFunction(), reluFunction()], 1);
}

/**
 * A module of one function that only builds a SIMD constant: validates exactly where the
 * engine supports fixed-width SIMD (the feature probe of the runtime).
 */
export function buildSimdProbeWasm(): Uint8Array {
  return assembleModule(
    [{ name: 'probe', params: [], results: [], locals: [], body: new Code().zero128().op('drop') }],
    0,
  );
}
