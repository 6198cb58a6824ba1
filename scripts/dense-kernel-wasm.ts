/**
 * The WebAssembly SIMD kernel of the dense forward pass (`src/nn/dense-forward-wasm.ts` runs it),
 * written with the binary-format writer of `wasm-writer.ts`. Functions on one memory, all
 * pointers byte offsets:
 *
 * - `dense(x, w, b, y, n, m, rows)`: `y = x · W + b` for `rows` row-major rows, `W` row-major
 *   `n × m` (TensorFlow's layout). Outputs in blocks of 24, 16, 8 and 4 columns, each block's
 *   accumulators in f32x4 registers while the loop walks the inputs: one splat of `x[i]` and one
 *   load per four multiply-adds. 24 columns (six accumulators) is the widest block that V8 keeps
 *   in the 16 x64 vector registers: it loads a block's weights before multiplying, and 32 columns
 *   spilled accumulators to the stack (half the speed, measured). Narrow blocks unroll the input
 *   loop into independent accumulator sets (the add latency, not the arithmetic, bounds a single
 *   chain). The last `m mod 4` outputs
 *   run as one more 4-wide block that reads up to 12 bytes past `b`, past each row of `W` and
 *   writes up to 12 bytes past the row of `y` (into the next row, which is computed afterwards, or
 *   into padding): the caller leaves 16 bytes of padding after `W`, `b` and `y`.
 * - `tanh(p, count)`: in place, four values at a time in f32x4: with a = min(|x|, 9) and
 *   e^(−2a) = 2^k·(1 + m), m = e^r − 1 from a degree-7 polynomial after range reduction,
 *   tanh a = (1 − 2^k − 2^k·m) / (1 + 2^k + 2^k·m), which does not cancel for small a (k = 0);
 *   then the sign of x. Within two Float32 steps of `Math.fround(Math.tanh(x))` everywhere
 *   (measured over [0, 10] in steps of 1e-6 and down to 1e-40). Double precision (f64x2, exact
 *   to the last bit) was 3 times slower, for a gain far below the rounding of the Float32 sums.
 * - `relu(p, count)`: in place, `x < 0 ? 0 : x` (`f32x4.pmax`: NaN and −0 stay, as in JavaScript).
 *
 * The training pass (`src/nn/dense-train-wasm.ts`) adds four, each a product `dense` already
 * computes once an operand is transposed:
 *
 * - `denseAcc(x, w, _, y, n, m, rows)`: `y += x · W` (the weight gradient `xᵀ · dz`, the bias
 *   gradient `1ᵀ · dz`), `dense`'s blocks with each row's sums starting from `y`.
 * - `transpose(src, dst, rows, cols)`: of the layer input (for `xᵀ`) and of `W` (the input
 *   gradient `dz · Wᵀ` is then a `dense` with zero bias).
 * - `tanhBack(d, y, count)`, `reluBack(d, y, count)`: `d ·= 1 − y²`, `d = y ≤ 0 ? 0 : d` in place.
 *
 * Single decisions (`src/nn/dense-matvec-wasm.ts`) run `forwardPacked(table, count)` of
 * `dense-matvec-wasm.ts`: a whole network on one row, on weights packed for it.
 */
import { forwardPackedFunction, sumAccumulatorSets } from './dense-matvec-wasm.js';
import { assembleModule, Code, type ValType, type WasmFunction } from './wasm-writer.js';

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

/** How a column block starts and ends: from the bias or from `y` itself; the last partial block. */
interface BlockMode {
  accumulate: boolean;
  tail: boolean;
}

const PLAIN_BLOCK: BlockMode = { accumulate: false, tail: false };
const ACC_BLOCK: BlockMode = { accumulate: true, tail: false };

/**
 * One block of `k` f32x4 columns (4k outputs) at column `j` of the current row, the input loop
 * unrolled `u` times into `u` accumulator sets (k·u ≤ 8).
 */
function columnBlock(c: Code, k: number, u: number, mode: BlockMode = PLAIN_BLOCK): void {
  const acc = (set: number, v: number): number => ACC + set * k + v;
  atColumn(c, W);
  c.set(WP);
  atColumn(c, mode.accumulate ? YR : B);
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
  sumAccumulatorSets(c, k, u, acc);
  if (mode.accumulate && mode.tail) {
    // Only the m − j < 4 lanes of this row: the rest belong to the next row, not yet summed.
    for (let lane = 0; lane < 3; lane++) {
      if (lane > 0) c.get(J).i32(lane).op('i32.add').get(M).op('i32.lt_u').if();
      atColumn(c, YR);
      c.get(acc(0, 0)).storeLane('v128.store32_lane', lane, 4 * lane);
      if (lane > 0) c.end();
    }
    return;
  }
  for (let v = 0; v < k; v++) {
    atColumn(c, YR);
    c.get(acc(0, v)).mem('v128.store', 16 * v);
  }
}

/**
 * `dense`, or with `accumulate` the kernel `denseAcc(x, w, _, y, n, m, rows)`: `y += x · W`, each
 * row's sums starting from `y` itself (the third parameter is unused; the last partial block
 * stores only its valid lanes, since the next row's values are read as its starting sums).
 */
function denseFunction(accumulate = false): WasmFunction {
  const c = new Code();
  c.get(M).i32(2).op('i32.shl').set(STRIDE);
  c.i32(0).set(R);
  c.get(X).set(XR);
  c.get(Y).set(YR);
  c.block().loop();
  c.get(R).get(ROWS).op('i32.ge_u').brIf(1);
  c.i32(0).set(J);
  // While 24 columns remain.
  c.block().loop();
  c.get(J).i32(24).op('i32.add').get(M).op('i32.gt_u').brIf(1);
  columnBlock(c, 6, 1, accumulate ? ACC_BLOCK : PLAIN_BLOCK);
  addTo(c, J, 24);
  c.br(0).end().end();
  for (const [k, u] of [
    [4, 1],
    [2, 2],
    [1, 4],
  ] as const) {
    c.get(J)
      .i32(4 * k)
      .op('i32.add')
      .get(M)
      .op('i32.le_u')
      .if();
    columnBlock(c, k, u, accumulate ? ACC_BLOCK : PLAIN_BLOCK);
    addTo(c, J, 4 * k);
    c.end();
  }
  // The last m mod 4 columns (see the module comment for the overrun).
  c.get(J).get(M).op('i32.lt_u').if();
  columnBlock(c, 1, 4, { accumulate, tail: true });
  c.end();
  addTo(c, R, 1);
  c.get(XR).get(N).i32(2).op('i32.shl').op('i32.add').set(XR);
  c.get(YR).get(STRIDE).op('i32.add').set(YR);
  c.br(0).end().end();
  return {
    name: accumulate ? 'denseAcc' : 'dense',
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
/** The first of the five v128 scratch locals of `tanh`'s {@link tanhF32x4}. */
const TANH_SCRATCH = 3;

/** 1.5 · 2^23: adding it rounds a Float32 of magnitude < 2^22 to an integer held in the low bits. */
const ROUND_MAGIC = 12582912;
const ROUND_MAGIC_BITS = 0x4b400000;
const ONE_BITS = 0x3f800000;
const SIGN_BITS = 0x80000000;
/** ln 2 in two parts, the first with few bits, so that k·LN2_HI is exact for |k| < 2^10. */
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
/**
 * tanh of the f32x4 on the stack, left on the stack (see the module comment); scratch in the five
 * v128 locals from `base`. `minOp` clamps |x| to 9: `f32x4.pmin` (`9 < |x| ? 9 : |x|`) gives the
 * same results as `f32x4.min` (|x| ≥ +0, and a NaN goes through either as a NaN) in one x86
 * instruction instead of seven (V8 spells out `min`'s NaN and −0 rules).
 */
export function tanhF32x4(
  c: Code,
  base = TANH_SCRATCH,
  minOp: 'f32x4.min' | 'f32x4.pmin' = 'f32x4.min',
): void {
  const [V, SIGN, T, S, RED] = [base, base + 1, base + 2, base + 3, base + 4];
  c.set(V);
  c.get(V).i32x4(SIGN_BITS).op('v128.and').set(SIGN);
  // t = −2·min(|x|, 9): beyond 9, tanh rounds to 1 in Float32.
  c.get(V).op('f32x4.abs').f32x4(9).op(minOp).f32x4(-2).op('f32x4.mul').set(T);
  // s holds k = round(t / ln 2) in its low bits; red = t − k·ln 2 ∈ [−0.35, 0.35].
  c.get(T).f32x4(Math.LOG2E).op('f32x4.mul').f32x4(ROUND_MAGIC).op('f32x4.add').set(S);
  c.get(S).f32x4(ROUND_MAGIC).op('f32x4.sub').set(RED); // k as a float
  c.get(T)
    .get(RED)
    .f32x4(LN2_HI)
    .op('f32x4.mul')
    .op('f32x4.sub')
    .get(RED)
    .f32x4(LN2_LO)
    .op('f32x4.mul')
    .op('f32x4.sub')
    .set(RED);
  // m = e^red − 1 = red·Σ red^q/(q+1)!, q = 0 … 6, by Horner (truncation < 2e-8 relative).
  let fact = 5040;
  c.f32x4(1 / fact);
  for (let q = 5; q >= 0; q--) {
    fact /= q + 2;
    c.get(RED)
      .op('f32x4.mul')
      .f32x4(1 / fact)
      .op('f32x4.add');
  }
  c.get(RED).op('f32x4.mul').set(RED);
  // 2^k in the exponent bits (k ≥ −26: a normal float); then m · 2^k.
  c.get(S)
    .i32x4(ROUND_MAGIC_BITS)
    .op('i32x4.sub')
    .i32(23)
    .op('i32x4.shl')
    .i32x4(ONE_BITS)
    .op('i32x4.add')
    .set(S);
  c.get(S).get(RED).op('f32x4.mul').set(RED);
  // e = 2^k + 2^k·m: (1 − 2^k − 2^k·m) / (1 + 2^k + 2^k·m), no cancellation for small a (k = 0).
  c.f32x4(1).get(S).op('f32x4.sub').get(RED).op('f32x4.sub');
  c.f32x4(1).get(S).op('f32x4.add').get(RED).op('f32x4.add');
  c.op('f32x4.div');
  c.get(SIGN).op('v128.or');
}

function endPointer(c: Code): void {
  c.get(P).get(COUNT).i32(2).op('i32.shl').op('i32.add').set(END);
}

/**
 * An in-place elementwise function `(p, count)`: `apply` maps the f32x4 on the stack, four
 * values at a time, then one at a time (in lane 0) for the last `count mod 4`.
 */
function elementwise(name: string, locals: readonly ValType[], apply: (c: Code) => void): WasmFunction {
  const c = new Code();
  endPointer(c);
  c.block().loop();
  c.get(P).i32(16).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  c.get(P);
  c.get(P).mem('v128.load');
  apply(c);
  c.mem('v128.store');
  addTo(c, P, 16);
  c.br(0).end().end();
  c.block().loop();
  c.get(P).get(END).op('i32.ge_u').brIf(1);
  c.get(P);
  c.get(P).mem('v128.load32_zero');
  apply(c);
  c.storeLane('v128.store32_lane', 0);
  addTo(c, P, 4);
  c.br(0).end().end();
  return { name, params: ['i32', 'i32'], results: [], locals: ['i32', ...locals], body: c };
}

// Training kernels, parameters (d, y, count) of the activation backward.
const D = 0;
const YP = 1;
const DCOUNT = 2;
const DEND = 3;

/**
 * An in-place `d = f(d, y)` over `count` values, `apply` mapping the f32x4 pair (d, y) on the
 * stack to the new d; the last `count mod 4` one at a time in lane 0.
 */
function backwardElementwise(name: string, apply: (c: Code) => void): WasmFunction {
  const c = new Code();
  c.get(D).get(DCOUNT).i32(2).op('i32.shl').op('i32.add').set(DEND);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(D).i32(step).op('i32.add').get(DEND).op('i32.gt_u').brIf(1);
    c.get(D);
    c.get(D).mem(wide ? 'v128.load' : 'v128.load32_zero');
    c.get(YP).mem(wide ? 'v128.load' : 'v128.load32_zero');
    apply(c);
    if (wide) c.mem('v128.store');
    else c.storeLane('v128.store32_lane', 0);
    addTo(c, D, step);
    addTo(c, YP, step);
    c.br(0).end().end();
  }
  return { name, params: ['i32', 'i32', 'i32'], results: [], locals: ['i32', 'v128'], body: c };
}

/** `tanhBack(d, y, count)`: `d ·= 1 − y²`, y the tanh output. */
function tanhBackFunction(): WasmFunction {
  const YV = 4;
  return backwardElementwise('tanhBack', (c) => {
    c.set(YV);
    c.f32x4(1).get(YV).get(YV).op('f32x4.mul').op('f32x4.sub').op('f32x4.mul');
  });
}

/** `reluBack(d, y, count)`: `d = y ≤ 0 ? 0 : d`, y the relu output (NaN passes d, as in JavaScript). */
function reluBackFunction(): WasmFunction {
  const YV = 4;
  return backwardElementwise('reluBack', (c) => {
    c.set(YV);
    c.get(YV).zero128().op('f32x4.le').op('v128.andnot');
  });
}

/** Columns per tile of `transpose`: its writes go to this many rows of `dst` at a time. */
const TRANSPOSE_TILE = 16;

/**
 * `transpose(src, dst, rows, cols)`: `dst` (cols × rows) = `src` (rows × cols)ᵀ, in tiles of
 * {@link TRANSPOSE_TILE} columns: all rows of one tile, so that the writes stream along a few rows
 * of `dst` (column by column over the whole of `src`, a power-of-two row stride mapped every
 * write to a few cache sets and ran three times slower).
 */
function transposeFunction(): WasmFunction {
  const [SRC, DST, ROWS_T, COLS, C0, CE, RR, SP, SE, DP, DSTRIDE, SROW] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const c = new Code();
  c.get(ROWS_T).i32(2).op('i32.shl').set(DSTRIDE);
  c.i32(0).set(C0);
  c.block().loop();
  c.get(C0).get(COLS).op('i32.ge_u').brIf(1);
  // ce = min(c0 + tile, cols)
  c.get(C0).i32(TRANSPOSE_TILE).op('i32.add').set(CE);
  c.get(CE).get(COLS).op('i32.gt_u').if();
  c.get(COLS).set(CE);
  c.end();
  c.get(SRC).get(C0).i32(2).op('i32.shl').op('i32.add').set(SROW);
  c.i32(0).set(RR);
  c.block().loop();
  c.get(RR).get(ROWS_T).op('i32.ge_u').brIf(1);
  c.get(SROW).set(SP);
  c.get(SROW).get(CE).get(C0).op('i32.sub').i32(2).op('i32.shl').op('i32.add').set(SE);
  // dp = dst + 4·(c0·rows + r)
  c.get(DST)
    .get(C0)
    .get(ROWS_T)
    .op('i32.mul')
    .get(RR)
    .op('i32.add')
    .i32(2)
    .op('i32.shl')
    .op('i32.add')
    .set(DP);
  c.block().loop();
  c.get(SP).get(SE).op('i32.ge_u').brIf(1);
  c.get(DP).get(SP).mem('f32.load').mem('f32.store');
  addTo(c, SP, 4);
  c.get(DP).get(DSTRIDE).op('i32.add').set(DP);
  c.br(0).end().end();
  c.get(SROW).get(COLS).i32(2).op('i32.shl').op('i32.add').set(SROW);
  addTo(c, RR, 1);
  c.br(0).end().end();
  addTo(c, C0, TRANSPOSE_TILE);
  c.br(0).end().end();
  return {
    name: 'transpose',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: [],
    locals: Array<ValType>(8).fill('i32'),
    body: c,
  };
}

/** The kernel module's bytes (one initial memory page; the runtime grows it). */
export function buildDenseKernelWasm(): Uint8Array {
  const tanh = elementwise('tanh', Array<ValType>(5).fill('v128'), (c) => tanhF32x4(c));
  const relu = elementwise('relu', [], (c) => c.zero128().op('f32x4.pmax'));
  return assembleModule(
    [
      denseFunction(),
      tanh,
      relu,
      denseFunction(true),
      tanhBackFunction(),
      reluBackFunction(),
      transposeFunction(),
      forwardPackedFunction(tanhF32x4),
    ],
    1,
  );
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
