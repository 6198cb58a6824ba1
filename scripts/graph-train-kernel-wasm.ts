/**
 * The WebAssembly SIMD kernels of the graph network's training pass (`src/nn/graph-train-kernels.ts`
 * runs them), written with the binary-format writer of `wasm-writer.ts`. Functions on one memory
 * that holds every weight, activation and gradient of a minibatch, all pointers and strides in
 * bytes:
 *
 * - `mm(a, b, c, m, k, p, aRow, aCol, ldb, ldc, init, initRow, bias, alpha, relu)`: `C = alpha·A·B + I +
 *   1·biasᵀ` for
 *   C m × p (row stride ldc), A's entry (r, t) at `a + r·aRow + t·aCol` (a transposed operand is
 *   read by its strides, no copy), B k × p with row stride ldb, and I the matrix at `init` with row
 *   stride `initRow` (0 = no I; `initRow` 0 broadcasts one row, e.g. a bias; `init = c` adds into
 *   C; `bias` 0 = none, else a row added to every row; `relu` ≠ 0 then
 *   clamps C at 0, as `x < 0 ? 0 : x`). Blocks of 4 rows × 8 columns keep eight f32x4 sums in registers: per step four splats of
 *   A and two loads of B for eight multiply-adds. The last `p mod 4` columns run as one more
 *   4-wide block that reads up to 12 bytes past a row of B, of I and the bias, and stores only its valid
 *   lanes: the caller keeps 16 bytes of slack after the last buffer.
 * - `softmaxRows(s, n, rows)`: each of `rows` rows of n values (row stride 4n) replaced by its
 *   softmax, in place, with the exp below.
 * - `softmaxBack(p, dp, n, rows)`: `dp ← p ⊙ (dp − Σ_j p·dp)` per row, in place.
 * - `dot(x, y, count)`: Σ x·y as f64 (f32x4 products summed in Float32 over chunks of 1024
 *   values, the chunks in double).
 * - `transpose(src, dst, rows, cols, srcRow, dstRow)`: dst (cols × rows, row stride dstRow) = srcᵀ.
 * - `exp(p, count)`: in place (the softmax's exp, exported for its accuracy test).
 * - `reluBack(d, y, count)`: `d = y ≤ 0 ? 0 : d` in place.
 * - `pairSoftmax(…)`, `pairNormalize(…)`, `pairSoftmaxBack(…)`: the pair decoder's masked softmax
 *   (with the logit clip C·tanh, the dense kernel's tanh) and its backward pass (see the functions).
 * - `relPlanes(…)`: a graph's relations out of its padded rows into one plane per channel;
 *   `check01(p, count)`: the first value that is neither 0 nor 1 (−1: none).
 * - `layerNorm(…)`, `layerNormBack(…)`: a layer norm of rows of d values (d a multiple of 4) and
 *   its backward pass (see the functions), Float32 sums.
 *
 * The exp: x clamped to [−87.33, 88.3], k = round(x·log₂e), r = x − k·ln2 (two-part ln 2, exact
 * first product), e^r by the degree-7 Taylor polynomial in Horner form (truncation below 6e-9
 * relative on |r| ≤ ln2/2), times 2^k built in the exponent bits; below −87.33 (results under the
 * smallest normal Float32) exactly 0. Measured within 2 Float32 steps of `Math.fround(Math.exp)`
 * on [−87, 88] (the test sweeps it).
 */
import { tanhF32x4 } from './dense-kernel-wasm.js';
import { assembleModule, Code, type ValType, type WasmFunction } from './wasm-writer.js';

/** `local = local + value` (i32). */
function addTo(c: Code, local: number, value: number): void {
  c.get(local).i32(value).op('i32.add').set(local);
}

/** `dst = a + b` of two i32 locals. */
function sum(c: Code, dst: number, a: number, b: number): void {
  c.get(a).get(b).op('i32.add').set(dst);
}

/** `local = local + other` (i32 locals). */
function addLocal(c: Code, local: number, other: number): void {
  c.get(local).get(other).op('i32.add').set(local);
}

// mm: parameters, then locals.
const A = 0;
const B = 1;
const C = 2;
const M = 3;
const K = 4;
const P = 5;
const A_ROW = 6;
const A_COL = 7;
const LDB = 8;
const LDC = 9;
const INIT = 10;
const INIT_ROW = 11;
const BIAS = 12;
const ALPHA = 13; // f32
const RELU = 14;
const R = 15;
const J = 16;
const T = 17;
const AP = [18, 19, 20, 21]; // one pointer per row of the block, walking along t
const BP = 22; // walks the block's columns of B down the rows
const CP = 23; // the block's first row in C
const IP = 24; // the block's first row in I
const ACC = [25, 26, 27, 28, 29, 30, 31, 32]; // acc[i·2 + v]: row i, vector v
const BV = [33, 34];
const SV = 35;
const ALPHA_V = 36;

/**
 * One block of `rows` rows × `vecs` f32x4 columns at (r, j); with `tail`, only the `p − j` < 4
 * valid lanes are stored.
 */
function mmBlock(c: Code, rows: number, vecs: number, tail: boolean): void {
  const acc = (i: number, v: number): number => ACC[i * 2 + v]!;
  // ap_i = a + (r + i)·aRow; bp = b + 4j
  c.get(R).get(A_ROW).op('i32.mul').get(A).op('i32.add').set(AP[0]!);
  for (let i = 1; i < rows; i++) sum(c, AP[i]!, AP[i - 1]!, A_ROW);
  c.get(J).i32(2).op('i32.shl').get(B).op('i32.add').set(BP);
  for (let i = 0; i < rows; i++) for (let v = 0; v < vecs; v++) c.zero128().set(acc(i, v));
  c.i32(0).set(T);
  c.block().loop();
  c.get(T).get(K).op('i32.ge_u').brIf(1);
  for (let v = 0; v < vecs; v++)
    c.get(BP)
      .mem('v128.load', 16 * v)
      .set(BV[v]!);
  for (let i = 0; i < rows; i++) {
    c.get(AP[i]!).mem('v128.load32_splat').set(SV);
    for (let v = 0; v < vecs; v++)
      c.get(acc(i, v)).get(SV).get(BV[v]!).op('f32x4.mul').op('f32x4.add').set(acc(i, v));
  }
  for (let i = 0; i < rows; i++) addLocal(c, AP[i]!, A_COL);
  addLocal(c, BP, LDB);
  addTo(c, T, 1);
  c.br(0).end().end();
  // acc = alpha·acc (+ I)
  for (let i = 0; i < rows; i++)
    for (let v = 0; v < vecs; v++) c.get(acc(i, v)).get(ALPHA_V).op('f32x4.mul').set(acc(i, v));
  c.get(INIT).if();
  c.get(R)
    .get(INIT_ROW)
    .op('i32.mul')
    .get(INIT)
    .op('i32.add')
    .get(J)
    .i32(2)
    .op('i32.shl')
    .op('i32.add')
    .set(IP);
  for (let i = 0; i < rows; i++) {
    for (let v = 0; v < vecs; v++)
      c.get(acc(i, v))
        .get(IP)
        .mem('v128.load', 16 * v)
        .op('f32x4.add')
        .set(acc(i, v));
    if (i + 1 < rows) addLocal(c, IP, INIT_ROW);
  }
  c.end();
  c.get(BIAS).if();
  c.get(J).i32(2).op('i32.shl').get(BIAS).op('i32.add').set(IP);
  for (let v = 0; v < vecs; v++) {
    c.get(IP)
      .mem('v128.load', 16 * v)
      .set(BV[v]!);
    for (let i = 0; i < rows; i++) c.get(acc(i, v)).get(BV[v]!).op('f32x4.add').set(acc(i, v));
  }
  c.end();
  c.get(RELU).if();
  for (let i = 0; i < rows; i++)
    for (let v = 0; v < vecs; v++) c.get(acc(i, v)).zero128().op('f32x4.pmax').set(acc(i, v));
  c.end();
  // store
  c.get(R).get(LDC).op('i32.mul').get(C).op('i32.add').get(J).i32(2).op('i32.shl').op('i32.add').set(CP);
  for (let i = 0; i < rows; i++) {
    if (!tail)
      for (let v = 0; v < vecs; v++)
        c.get(CP)
          .get(acc(i, v))
          .mem('v128.store', 16 * v);
    else
      for (let lane = 0; lane < 3; lane++) {
        if (lane > 0) c.get(J).i32(lane).op('i32.add').get(P).op('i32.lt_u').if();
        c.get(CP)
          .get(acc(i, 0))
          .storeLane('v128.store32_lane', lane, 4 * lane);
        if (lane > 0) c.end();
      }
    if (i + 1 < rows) addLocal(c, CP, LDC);
  }
}

/** The column blocks of one row block of `rows` rows at row r. */
function mmColumns(c: Code, rows: number): void {
  c.i32(0).set(J);
  c.block().loop();
  c.get(J).i32(8).op('i32.add').get(P).op('i32.gt_u').brIf(1);
  mmBlock(c, rows, 2, false);
  addTo(c, J, 8);
  c.br(0).end().end();
  c.get(J).i32(4).op('i32.add').get(P).op('i32.le_u').if();
  mmBlock(c, rows, 1, false);
  addTo(c, J, 4);
  c.end();
  c.get(J).get(P).op('i32.lt_u').if();
  mmBlock(c, rows, 1, true);
  c.end();
}

function mmFunction(): WasmFunction {
  const c = new Code();
  c.get(ALPHA).op('f32x4.splat').set(ALPHA_V);
  c.i32(0).set(R);
  c.block().loop();
  c.get(R).i32(4).op('i32.add').get(M).op('i32.gt_u').brIf(1);
  mmColumns(c, 4);
  addTo(c, R, 4);
  c.br(0).end().end();
  c.block().loop();
  c.get(R).get(M).op('i32.ge_u').brIf(1);
  mmColumns(c, 1);
  addTo(c, R, 1);
  c.br(0).end().end();
  return {
    name: 'mm',
    params: [...Array<ValType>(13).fill('i32'), 'f32', 'i32'],
    results: [],
    locals: [...Array<ValType>(10).fill('i32'), ...Array<ValType>(12).fill('v128')],
    body: c,
  };
}

/** 1.5 · 2^23: adding it rounds a Float32 of magnitude < 2^22 to an integer held in the low bits. */
const ROUND_MAGIC = 12582912;
const ONE_BITS = 0x3f800000;
/** ln 2 in two parts, the first with few bits, so that k·LN2_HI is exact for |k| < 2^10. */
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
/** Below this, e^x is under the smallest normal Float32 and the exp returns 0. */
const EXP_LOW = -87.33;
/** Above this, 2^k would overflow the exponent. */
const EXP_HIGH = 88.3;

/** v128 locals of the exp's constants ({@link expConstants}). */
const EXP_CONSTANTS = 14;

/**
 * Sets the exp's constants into v128 locals `base` … `base + 13` (once per call: a `v128.const`
 * in the loop costs several instructions on x64, a local read none).
 */
function expConstants(c: Code, base: number): void {
  const values = [EXP_LOW, EXP_HIGH, Math.LOG2E, ROUND_MAGIC, LN2_HI, LN2_LO];
  for (let q = 7; q >= 2; q--) values.push(1 / factorial(q));
  values.push(1);
  values.forEach((v, i) => c.f32x4(v).set(base + i));
  c.i32x4(ONE_BITS).set(base + 13);
}

/**
 * e^x of the f32x4 on the stack (see the module comment), left on the stack; scratch in the
 * four v128 locals from `base`, constants in those from `k` ({@link expConstants}).
 */
function expF32x4(c: Code, base: number, k: number): void {
  const [X, S, RED, LOW] = [base, base + 1, base + 2, base + 3];
  const [LO, HI, LOG2E, MAGIC, L2H, L2L] = [k, k + 1, k + 2, k + 3, k + 4, k + 5];
  const ONE = k + 12;
  c.set(X);
  c.get(X).get(LO).op('f32x4.lt').set(LOW);
  // pmax/pmin (one instruction each) keep a NaN x: the comparisons are false for it.
  c.get(X).get(LO).op('f32x4.pmax').get(HI).op('f32x4.pmin').set(X);
  // s holds k = round(x / ln 2) in its low bits; red = x − k·ln 2.
  c.get(X).get(LOG2E).op('f32x4.mul').get(MAGIC).op('f32x4.add').set(S);
  c.get(S).get(MAGIC).op('f32x4.sub').set(RED);
  c.get(X)
    .get(RED)
    .get(L2H)
    .op('f32x4.mul')
    .op('f32x4.sub')
    .get(RED)
    .get(L2L)
    .op('f32x4.mul')
    .op('f32x4.sub')
    .set(RED);
  // e^red = Σ red^q / q!, q = 0 … 7, by Horner.
  c.get(k + 6);
  for (let q = 6; q >= 0; q--)
    c.get(RED)
      .op('f32x4.mul')
      .get(q >= 2 ? k + 6 + (7 - q) : ONE)
      .op('f32x4.add');
  // 2^k: k sits in the low bits of s, whose other bits (the magic number's) vanish when shifted
  // into the exponent field; then times the polynomial, and 0 below the normal range.
  c.get(S)
    .i32(23)
    .op('i32x4.shl')
    .get(k + 13)
    .op('i32x4.add');
  c.op('f32x4.mul');
  c.get(LOW).op('v128.andnot');
}

function factorial(q: number): number {
  let f = 1;
  for (let i = 2; i <= q; i++) f *= i;
  return f;
}

/** `exp(p, count)`: in place, four at a time, then one at a time in lane 0. */
function expFunction(): WasmFunction {
  const [PP, COUNT, END] = [0, 1, 2];
  const c = new Code();
  c.get(PP).get(COUNT).i32(2).op('i32.shl').op('i32.add').set(END);
  expConstants(c, 7);
  c.block().loop();
  c.get(PP).i32(16).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  c.get(PP);
  c.get(PP).mem('v128.load');
  expF32x4(c, 3, 7);
  c.mem('v128.store');
  addTo(c, PP, 16);
  c.br(0).end().end();
  c.block().loop();
  c.get(PP).get(END).op('i32.ge_u').brIf(1);
  c.get(PP);
  c.get(PP).mem('v128.load32_zero');
  expF32x4(c, 3, 7);
  c.storeLane('v128.store32_lane', 0);
  addTo(c, PP, 4);
  c.br(0).end().end();
  return {
    name: 'exp',
    params: ['i32', 'i32'],
    results: [],
    locals: ['i32', ...Array<ValType>(4 + EXP_CONSTANTS).fill('v128')],
    body: c,
  };
}

/** Horizontal reduction of the f32x4 in `local` with `op` (f32.max or f32.add), left on the stack. */
function horizontal(c: Code, local: number, op: 'f32.max' | 'f32.add'): void {
  c.get(local).extractLane('f32x4.extract_lane', 0);
  for (let lane = 1; lane < 4; lane++) c.get(local).extractLane('f32x4.extract_lane', lane).op(op);
}

function softmaxRowsFunction(): WasmFunction {
  const [S, N, ROWS] = [0, 1, 2];
  const [RI, ROW, END, X] = [3, 4, 5, 6];
  const [MAX, SUMF] = [7, 8];
  const [VMAX, VSUM, TMP] = [10, 11, 12]; // (9 spare) exp scratch 13 … 16, constants 17 …
  const c = new Code();
  expConstants(c, 17);
  c.get(S).set(ROW);
  c.i32(0).set(RI);
  c.block().loop();
  c.get(RI).get(ROWS).op('i32.ge_u').brIf(1);
  c.get(ROW).get(N).i32(2).op('i32.shl').op('i32.add').set(END);
  // Pass 1: the maximum.
  c.f32x4(-Infinity).set(VMAX);
  c.f32(-Infinity).set(MAX);
  c.get(ROW).set(X);
  c.block().loop();
  c.get(X).i32(16).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  c.get(VMAX).get(X).mem('v128.load').op('f32x4.pmax').set(VMAX);
  addTo(c, X, 16);
  c.br(0).end().end();
  c.block().loop();
  c.get(X).get(END).op('i32.ge_u').brIf(1);
  c.get(MAX).get(X).mem('f32.load').op('f32.max').set(MAX);
  addTo(c, X, 4);
  c.br(0).end().end();
  horizontal(c, VMAX, 'f32.max');
  c.get(MAX).op('f32.max').set(MAX);
  c.get(MAX).op('f32x4.splat').set(VMAX);
  // Pass 2: e^(s − max) and the sum.
  c.zero128().set(VSUM);
  c.f32(0).set(SUMF);
  c.get(ROW).set(X);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(X).i32(step).op('i32.add').get(END).op('i32.gt_u').brIf(1);
    c.get(X)
      .mem(wide ? 'v128.load' : 'v128.load32_zero')
      .get(VMAX)
      .op('f32x4.sub');
    expF32x4(c, 13, 17);
    c.set(TMP);
    if (wide) {
      c.get(X).get(TMP).mem('v128.store');
      c.get(VSUM).get(TMP).op('f32x4.add').set(VSUM);
    } else {
      c.get(X).get(TMP).storeLane('v128.store32_lane', 0);
      c.get(SUMF).get(TMP).extractLane('f32x4.extract_lane', 0).op('f32.add').set(SUMF);
    }
    addTo(c, X, step);
    c.br(0).end().end();
  }
  horizontal(c, VSUM, 'f32.add');
  c.get(SUMF).op('f32.add').set(SUMF);
  c.f32(1).get(SUMF).op('f32.div').op('f32x4.splat').set(VSUM);
  // Pass 3: normalize.
  c.get(ROW).set(X);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(X).i32(step).op('i32.add').get(END).op('i32.gt_u').brIf(1);
    c.get(X);
    c.get(X)
      .mem(wide ? 'v128.load' : 'v128.load32_zero')
      .get(VSUM)
      .op('f32x4.mul');
    if (wide) c.mem('v128.store');
    else c.storeLane('v128.store32_lane', 0);
    addTo(c, X, step);
    c.br(0).end().end();
  }
  c.get(END).set(ROW);
  addTo(c, RI, 1);
  c.br(0).end().end();
  return {
    name: 'softmaxRows',
    params: Array<ValType>(3).fill('i32'),
    results: [],
    locals: [
      ...Array<ValType>(4).fill('i32'),
      'f32',
      'f32',
      ...Array<ValType>(8 + EXP_CONSTANTS).fill('v128'),
    ],
    body: c,
  };
}

/** `reluBack(d, y, count)`: `d = y ≤ 0 ? 0 : d` in place (y the relu output). */
function reluBackFunction(): WasmFunction {
  const [D, Y, COUNT, END] = [0, 1, 2, 3];
  const c = new Code();
  c.get(D).get(COUNT).i32(2).op('i32.shl').op('i32.add').set(END);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(D).i32(step).op('i32.add').get(END).op('i32.gt_u').brIf(1);
    c.get(D);
    c.get(D).mem(wide ? 'v128.load' : 'v128.load32_zero');
    c.get(Y)
      .mem(wide ? 'v128.load' : 'v128.load32_zero')
      .zero128()
      .op('f32x4.le')
      .op('v128.andnot');
    if (wide) c.mem('v128.store');
    else c.storeLane('v128.store32_lane', 0);
    addTo(c, D, step);
    addTo(c, Y, step);
    c.br(0).end().end();
  }
  return { name: 'reluBack', params: ['i32', 'i32', 'i32'], results: [], locals: ['i32'], body: c };
}

function softmaxBackFunction(): WasmFunction {
  const [PR, DP, N, ROWS] = [0, 1, 2, 3];
  const [RI, X, Y, END, DOT] = [4, 5, 6, 7, 8];
  const [V, DV] = [9, 10];
  const c = new Code();
  c.i32(0).set(RI);
  c.block().loop();
  c.get(RI).get(ROWS).op('i32.ge_u').brIf(1);
  c.get(PR).get(N).i32(2).op('i32.shl').op('i32.add').set(END);
  // Σ p·dp
  c.zero128().set(V);
  c.f32(0).set(DOT);
  c.get(PR).set(X);
  c.get(DP).set(Y);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(X).i32(step).op('i32.add').get(END).op('i32.gt_u').brIf(1);
    if (wide) c.get(V).get(X).mem('v128.load').get(Y).mem('v128.load').op('f32x4.mul').op('f32x4.add').set(V);
    else c.get(DOT).get(X).mem('f32.load').get(Y).mem('f32.load').op('f32.mul').op('f32.add').set(DOT);
    addTo(c, X, step);
    addTo(c, Y, step);
    c.br(0).end().end();
  }
  horizontal(c, V, 'f32.add');
  c.get(DOT).op('f32.add').op('f32x4.splat').set(DV);
  // dp = p·(dp − dot)
  c.get(PR).set(X);
  c.get(DP).set(Y);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(X).i32(step).op('i32.add').get(END).op('i32.gt_u').brIf(1);
    c.get(Y);
    c.get(X)
      .mem(wide ? 'v128.load' : 'v128.load32_zero')
      .get(Y)
      .mem(wide ? 'v128.load' : 'v128.load32_zero')
      .get(DV)
      .op('f32x4.sub')
      .op('f32x4.mul');
    if (wide) c.mem('v128.store');
    else c.storeLane('v128.store32_lane', 0);
    addTo(c, X, step);
    addTo(c, Y, step);
    c.br(0).end().end();
  }
  c.get(END).set(PR);
  c.get(Y).set(DP);
  addTo(c, RI, 1);
  c.br(0).end().end();
  return {
    name: 'softmaxBack',
    params: Array<ValType>(4).fill('i32'),
    results: [],
    locals: [...Array<ValType>(4).fill('i32'), 'f32', 'v128', 'v128'],
    body: c,
  };
}

/** Values per Float32 partial sum of `dot`. */
const DOT_CHUNK = 1024;

function dotFunction(): WasmFunction {
  const [X, Y, COUNT] = [0, 1, 2];
  const [END, CEND, TOTAL, V] = [3, 4, 5, 6];
  const c = new Code();
  c.get(X).get(COUNT).i32(2).op('i32.shl').op('i32.add').set(END);
  // TOTAL starts at 0, as every local.
  c.block().loop();
  c.get(X).i32(16).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  // chunk end = min(x + 4·chunk, end − 15): whole vectors only
  c.get(X)
    .i32(4 * DOT_CHUNK)
    .op('i32.add')
    .set(CEND);
  c.get(CEND).get(END).i32(15).op('i32.sub').op('i32.gt_u').if();
  c.get(END).i32(15).op('i32.sub').set(CEND);
  c.end();
  c.zero128().set(V);
  c.block().loop();
  c.get(X).get(CEND).op('i32.ge_u').brIf(1);
  c.get(V).get(X).mem('v128.load').get(Y).mem('v128.load').op('f32x4.mul').op('f32x4.add').set(V);
  addTo(c, X, 16);
  addTo(c, Y, 16);
  c.br(0).end().end();
  for (let lane = 0; lane < 4; lane++)
    c.get(TOTAL)
      .get(V)
      .extractLane('f32x4.extract_lane', lane)
      .op('f64.promote_f32')
      .op('f64.add')
      .set(TOTAL);
  c.br(0).end().end();
  c.block().loop();
  c.get(X).get(END).op('i32.ge_u').brIf(1);
  c.get(TOTAL)
    .get(X)
    .mem('f32.load')
    .get(Y)
    .mem('f32.load')
    .op('f32.mul')
    .op('f64.promote_f32')
    .op('f64.add')
    .set(TOTAL);
  addTo(c, X, 4);
  addTo(c, Y, 4);
  c.br(0).end().end();
  c.get(TOTAL);
  return {
    name: 'dot',
    params: ['i32', 'i32', 'i32'],
    results: ['f64'],
    locals: ['i32', 'i32', 'f64', 'v128'],
    body: c,
  };
}

function transposeFunction(): WasmFunction {
  const [SRC, DST, ROWS, COLS, SROW, DROW] = [0, 1, 2, 3, 4, 5];
  const [RR, CC, SP, DP] = [6, 7, 8, 9];
  const c = new Code();
  c.i32(0).set(RR);
  c.block().loop();
  c.get(RR).get(ROWS).op('i32.ge_u').brIf(1);
  c.get(RR).get(SROW).op('i32.mul').get(SRC).op('i32.add').set(SP);
  c.get(RR).i32(2).op('i32.shl').get(DST).op('i32.add').set(DP);
  c.i32(0).set(CC);
  c.block().loop();
  c.get(CC).get(COLS).op('i32.ge_u').brIf(1);
  c.get(DP).get(SP).mem('f32.load').mem('f32.store');
  addTo(c, SP, 4);
  addLocal(c, DP, DROW);
  addTo(c, CC, 1);
  c.br(0).end().end();
  addTo(c, RR, 1);
  c.br(0).end().end();
  return {
    name: 'transpose',
    params: Array<ValType>(6).fill('i32'),
    results: [],
    locals: Array<ValType>(4).fill('i32'),
    body: c,
  };
}

/**
 * `layerNorm(x, g, b, y, xhat, rstd, rows, d, eps)`: per row of d (a multiple of 4) values,
 * x̂ = (x − mean)/σ with σ = √(var + eps), y = x̂·g + b; keeps x̂ and 1/σ.
 */
function layerNormFunction(): WasmFunction {
  const [X, G, BT, Y, XH, RS, ROWS, D, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [RI, J, DB, MEAN, INV, DF] = [9, 10, 11, 12, 13, 14];
  const [VS, VM, VT] = [15, 16, 17];
  const c = new Code();
  c.get(D).i32(2).op('i32.shl').set(DB);
  c.get(D).op('f32.convert_i32_s').set(DF);
  const overRow = (body: () => void): void => {
    c.i32(0).set(J);
    c.block().loop();
    c.get(J).get(DB).op('i32.ge_u').brIf(1);
    body();
    addTo(c, J, 16);
    c.br(0).end().end();
  };
  const at = (base: number): Code => c.get(base).get(J).op('i32.add');
  c.i32(0).set(RI);
  c.block().loop();
  c.get(RI).get(ROWS).op('i32.ge_u').brIf(1);
  c.zero128().set(VS);
  overRow(() => {
    c.get(VS);
    at(X).mem('v128.load');
    c.op('f32x4.add').set(VS);
  });
  horizontal(c, VS, 'f32.add');
  c.get(DF).op('f32.div').tee(MEAN);
  c.op('f32x4.splat').set(VM);
  c.zero128().set(VS);
  overRow(() => {
    at(X).mem('v128.load').get(VM).op('f32x4.sub').set(VT);
    c.get(VS).get(VT).get(VT).op('f32x4.mul').op('f32x4.add').set(VS);
  });
  c.f32(1);
  horizontal(c, VS, 'f32.add');
  c.get(DF).op('f32.div').get(EPS).op('f32.add').op('f32.sqrt').op('f32.div').set(INV);
  c.get(RS).get(RI).i32(2).op('i32.shl').op('i32.add').get(INV).mem('f32.store');
  c.get(INV).op('f32x4.splat').set(VS);
  overRow(() => {
    at(X).mem('v128.load').get(VM).op('f32x4.sub').get(VS).op('f32x4.mul').set(VT);
    at(XH).get(VT).mem('v128.store');
    at(Y).get(VT);
    at(G).mem('v128.load');
    c.op('f32x4.mul');
    at(BT).mem('v128.load');
    c.op('f32x4.add').mem('v128.store');
  });
  for (const p of [X, XH, Y]) addLocal(c, p, DB);
  addTo(c, RI, 1);
  c.br(0).end().end();
  return {
    name: 'layerNorm',
    params: [...Array<ValType>(8).fill('i32'), 'f32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'f32', 'f32', 'f32', 'v128', 'v128', 'v128'],
    body: c,
  };
}

/**
 * `layerNormBack(dy, gamma, xhat, rstd, gGamma, gBeta, dx, rows, d, accumulate)`: adds Σ dy·x̂ and
 * Σ dy into the gamma and beta gradients and writes (or with `accumulate` adds)
 * dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ; d a multiple of 4.
 */
function layerNormBackFunction(): WasmFunction {
  const [DY, GM, XH, RS, GG, GB, DX, ROWS, D, ACCUM] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [RI, J, DB, DF] = [10, 11, 12, 13];
  const [V1, V2, VY, VX, VD, VINV] = [14, 15, 16, 17, 18, 19];
  const c = new Code();
  c.get(D).i32(2).op('i32.shl').set(DB);
  c.get(D).op('f32.convert_i32_s').set(DF);
  const overRow = (body: () => void): void => {
    c.i32(0).set(J);
    c.block().loop();
    c.get(J).get(DB).op('i32.ge_u').brIf(1);
    body();
    addTo(c, J, 16);
    c.br(0).end().end();
  };
  const at = (base: number): Code => c.get(base).get(J).op('i32.add');
  c.i32(0).set(RI);
  c.block().loop();
  c.get(RI).get(ROWS).op('i32.ge_u').brIf(1);
  c.zero128().set(V1);
  c.zero128().set(V2);
  overRow(() => {
    at(DY).mem('v128.load').set(VY);
    at(XH).mem('v128.load').set(VX);
    at(GG);
    at(GG).mem('v128.load').get(VY).get(VX).op('f32x4.mul').op('f32x4.add').mem('v128.store');
    at(GB);
    at(GB).mem('v128.load').get(VY).op('f32x4.add').mem('v128.store');
    c.get(VY);
    at(GM).mem('v128.load');
    c.op('f32x4.mul').set(VD);
    c.get(V1).get(VD).op('f32x4.add').set(V1);
    c.get(V2).get(VD).get(VX).op('f32x4.mul').op('f32x4.add').set(V2);
  });
  horizontal(c, V1, 'f32.add');
  c.get(DF).op('f32.div').op('f32x4.splat').set(V1);
  horizontal(c, V2, 'f32.add');
  c.get(DF).op('f32.div').op('f32x4.splat').set(V2);
  c.get(RS).get(RI).i32(2).op('i32.shl').op('i32.add').mem('v128.load32_splat').set(VINV);
  for (const accumulate of [true, false]) {
    c.get(ACCUM);
    if (!accumulate) c.op('i32.eqz');
    c.if();
    overRow(() => {
      at(DX);
      at(DY).mem('v128.load');
      at(GM).mem('v128.load');
      c.op('f32x4.mul').get(V1).op('f32x4.sub');
      at(XH).mem('v128.load');
      c.get(V2).op('f32x4.mul').op('f32x4.sub').get(VINV).op('f32x4.mul');
      if (accumulate) {
        at(DX).mem('v128.load');
        c.op('f32x4.add');
      }
      c.mem('v128.store');
    });
    c.end();
  }
  for (const p of [DY, XH, DX]) addLocal(c, p, DB);
  addTo(c, RI, 1);
  c.br(0).end().end();
  return {
    name: 'layerNormBack',
    params: Array<ValType>(10).fill('i32'),
    results: [],
    locals: ['i32', 'i32', 'i32', 'f32', ...Array<ValType>(6).fill('v128')],
    body: c,
  };
}

/**
 * Loops `body(wide)` over `count` floats by byte offset `J` from 0: four at a time, then one at a
 * time (`wide` false: the body works on lane 0 of vectors loaded with `v128.load32_zero`).
 */
function overFloats(c: Code, J: number, END: number, body: (wide: boolean) => void): void {
  c.i32(0).set(J);
  for (const wide of [true, false]) {
    const step = wide ? 16 : 4;
    c.block().loop();
    c.get(J).i32(step).op('i32.add').get(END).op('i32.gt_u').brIf(1);
    body(wide);
    addTo(c, J, step);
    c.br(0).end().end();
  }
}

/** Pushes the f32x4 at `base + J` (all four lanes, or lane 0 only). */
function load(c: Code, base: number, J: number, wide: boolean): void {
  c.get(base)
    .get(J)
    .op('i32.add')
    .mem(wide ? 'v128.load' : 'v128.load32_zero');
}

/** Stores the f32x4 in local `v` at `base + J` (all four lanes, or lane 0 only). */
function store(c: Code, base: number, J: number, v: number, wide: boolean): void {
  c.get(base).get(J).op('i32.add').get(v);
  if (wide) c.mem('v128.store');
  else c.storeLane('v128.store32_lane', 0);
}

/**
 * `pairSoftmax(s, mask, e, count, clip, out)`: the decoder's masked softmax, first half: `s ←
 * clip·tanh(s)` (as is when clip ≤ 0), then over the pairs whose mask (0/1 floats) is 1 the
 * maximum m and `e = e^(s − m)` (0 elsewhere); writes m and Σ e at `out`, `out + 4`.
 */
function pairSoftmaxFunction(): WasmFunction {
  const [S, MASK, E, COUNT, CLIP, OUT] = [0, 1, 2, 3, 4, 5];
  const [END, J, MAXS, SUMS] = [6, 7, 8, 9];
  const [V, VMAX, VSUM, CLIPV] = [10, 12, 13, 14]; // (11 spare) // tanh scratch 15 … 19, exp 20 … 23, constants 24 …
  const c = new Code();
  expConstants(c, 24);
  c.get(COUNT).i32(2).op('i32.shl').set(END);
  c.get(CLIP).op('f32x4.splat').set(CLIPV);
  c.f32x4(-Infinity).set(VMAX);
  c.f32(-Infinity).set(MAXS);
  for (const clipped of [true, false]) {
    c.get(CLIP)
      .f32(0)
      .op(clipped ? 'f32.gt' : 'f32.le')
      .if();
    overFloats(c, J, END, (wide) => {
      load(c, S, J, wide);
      if (clipped) {
        tanhF32x4(c, 15);
        c.get(CLIPV).op('f32x4.mul');
      }
      c.set(V);
      store(c, S, J, V, wide);
      // Masked-out pairs count as −∞.
      c.get(V).f32x4(-Infinity);
      load(c, MASK, J, wide);
      c.zero128().op('f32x4.ne').op('v128.bitselect').set(V);
      if (wide) c.get(VMAX).get(V).op('f32x4.pmax').set(VMAX);
      else c.get(MAXS).get(V).extractLane('f32x4.extract_lane', 0).op('f32.max').set(MAXS);
    });
    c.end();
  }
  horizontal(c, VMAX, 'f32.max');
  c.get(MAXS).op('f32.max').set(MAXS);
  c.get(MAXS).op('f32x4.splat').set(VMAX);
  c.zero128().set(VSUM);
  c.f32(0).set(SUMS);
  overFloats(c, J, END, (wide) => {
    load(c, S, J, wide);
    c.get(VMAX).op('f32x4.sub');
    expF32x4(c, 20, 24);
    c.zero128();
    load(c, MASK, J, wide);
    c.zero128().op('f32x4.ne').op('v128.bitselect').set(V);
    store(c, E, J, V, wide);
    if (wide) c.get(VSUM).get(V).op('f32x4.add').set(VSUM);
    else c.get(SUMS).get(V).extractLane('f32x4.extract_lane', 0).op('f32.add').set(SUMS);
  });
  horizontal(c, VSUM, 'f32.add');
  c.get(SUMS).op('f32.add').set(SUMS);
  c.get(OUT).get(MAXS).mem('f32.store');
  c.get(OUT).get(SUMS).mem('f32.store', 4);
  return {
    name: 'pairSoftmax',
    params: ['i32', 'i32', 'i32', 'i32', 'f32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'f32', 'f32', ...Array<ValType>(5 + 5 + 4 + EXP_CONSTANTS).fill('v128')],
    body: c,
  };
}

/** `pairNormalize(e, l, count, inv, out)`: `e ← e·inv` (the probabilities), Σ e·l at `out`. */
function pairNormalizeFunction(): WasmFunction {
  const [E, L, COUNT, INV, OUT] = [0, 1, 2, 3, 4];
  const [END, J, SUMS] = [5, 6, 7];
  const [V, VINV, VSUM] = [8, 9, 10];
  const c = new Code();
  c.get(COUNT).i32(2).op('i32.shl').set(END);
  c.get(INV).op('f32x4.splat').set(VINV);
  c.zero128().set(VSUM);
  c.f32(0).set(SUMS);
  overFloats(c, J, END, (wide) => {
    load(c, E, J, wide);
    c.get(VINV).op('f32x4.mul').set(V);
    store(c, E, J, V, wide);
    c.get(V);
    load(c, L, J, wide);
    c.op('f32x4.mul');
    if (wide) c.get(VSUM).op('f32x4.add').set(VSUM);
    else c.extractLane('f32x4.extract_lane', 0).get(SUMS).op('f32.add').set(SUMS);
  });
  horizontal(c, VSUM, 'f32.add');
  c.get(SUMS).op('f32.add').set(SUMS);
  c.get(OUT).get(SUMS).mem('f32.store');
  return {
    name: 'pairNormalize',
    params: ['i32', 'i32', 'i32', 'f32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'f32', 'v128', 'v128', 'v128'],
    body: c,
  };
}

/**
 * `pairSoftmaxBack(p, l, g, count, gLogProb, gEntropy, shift, clip, invClip)`: the decoder's
 * score gradients but for the action's own term, `g = −p·(gLogProb + gEntropy·(l + shift))`
 * (shift = H − lse), times `clip − l²/clip` (tanh's derivative) when clip > 0.
 */
function pairSoftmaxBackFunction(): WasmFunction {
  const [PR, L, G, COUNT, GL, GE, SHIFT, CLIP, INVC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [END, J] = [9, 10];
  const [V, VL, VGL, VGE, VSH, VC, VIC] = [11, 12, 13, 14, 15, 16, 17];
  const c = new Code();
  c.get(COUNT).i32(2).op('i32.shl').set(END);
  for (const [local, vec] of [
    [GL, VGL],
    [GE, VGE],
    [SHIFT, VSH],
    [CLIP, VC],
    [INVC, VIC],
  ] as const)
    c.get(local).op('f32x4.splat').set(vec);
  for (const clipped of [true, false]) {
    c.get(CLIP)
      .f32(0)
      .op(clipped ? 'f32.gt' : 'f32.le')
      .if();
    overFloats(c, J, END, (wide) => {
      load(c, L, J, wide);
      c.set(VL);
      // −p·(gL + gE·(l + shift))
      c.zero128();
      load(c, PR, J, wide);
      c.get(VGL).get(VGE).get(VL).get(VSH).op('f32x4.add').op('f32x4.mul').op('f32x4.add');
      c.op('f32x4.mul').op('f32x4.sub');
      if (clipped)
        c.get(VC).get(VL).get(VL).op('f32x4.mul').get(VIC).op('f32x4.mul').op('f32x4.sub').op('f32x4.mul');
      c.set(V);
      store(c, G, J, V, wide);
    });
    c.end();
  }
  return {
    name: 'pairSoftmaxBack',
    params: ['i32', 'i32', 'i32', 'i32', 'f32', 'f32', 'f32', 'f32', 'f32'],
    results: [],
    locals: ['i32', 'i32', ...Array<ValType>(7).fill('v128')],
    body: c,
  };
}

/**
 * `relPlanes(src, dst, n, N, K, Q)`: one graph's relations from its padded rows (src: n rows of
 * N pairs × K channels) into K planes of n × n (channel r at `dst + r·Q` bytes, Q in bytes).
 */
function relPlanesFunction(): WasmFunction {
  const [SRC, DST, N, NN, KK, QB] = [0, 1, 2, 3, 4, 5];
  const [I, J, R, SP, DP, ROWP] = [6, 7, 8, 9, 10, 11];
  const c = new Code();
  c.i32(0).set(I);
  c.get(DST).set(ROWP);
  c.block().loop();
  c.get(I).get(N).op('i32.ge_u').brIf(1);
  // sp = src + 4·i·N·K
  c.get(I).get(NN).op('i32.mul').get(KK).op('i32.mul').i32(2).op('i32.shl').get(SRC).op('i32.add').set(SP);
  c.i32(0).set(J);
  c.block().loop();
  c.get(J).get(N).op('i32.ge_u').brIf(1);
  c.get(J).i32(2).op('i32.shl').get(ROWP).op('i32.add').set(DP);
  c.i32(0).set(R);
  c.block().loop();
  c.get(R).get(KK).op('i32.ge_u').brIf(1);
  c.get(DP).get(SP).mem('f32.load').mem('f32.store');
  addTo(c, SP, 4);
  addLocal(c, DP, QB);
  addTo(c, R, 1);
  c.br(0).end().end();
  addTo(c, J, 1);
  c.br(0).end().end();
  c.get(ROWP).get(N).i32(2).op('i32.shl').op('i32.add').set(ROWP);
  addTo(c, I, 1);
  c.br(0).end().end();
  return {
    name: 'relPlanes',
    params: Array<ValType>(6).fill('i32'),
    results: [],
    locals: Array<ValType>(6).fill('i32'),
    body: c,
  };
}

/** `check01(p, count)`: the index of the first value that is neither 0 nor 1, or −1. */
function check01Function(): WasmFunction {
  const [PP, COUNT] = [0, 1];
  const [END, X, V] = [2, 3, 4];
  const c = new Code();
  c.get(COUNT).i32(2).op('i32.shl').get(PP).op('i32.add').set(END);
  c.get(PP).set(X);
  c.block().loop();
  c.get(X).i32(16).op('i32.add').get(END).op('i32.gt_u').brIf(1);
  c.get(X).mem('v128.load').set(V);
  c.get(V).zero128().op('f32x4.eq').get(V).f32x4(1).op('f32x4.eq').op('v128.or').op('i32x4.all_true');
  c.op('i32.eqz').brIf(1);
  addTo(c, X, 16);
  c.br(0).end().end();
  c.block().loop();
  c.get(X).get(END).op('i32.ge_u').brIf(1);
  c.get(X).mem('f32.load').f32(0).op('f32.eq');
  c.get(X).mem('f32.load').f32(1).op('f32.eq');
  c.op('i32.or').op('i32.eqz').if();
  c.get(X).get(PP).op('i32.sub').i32(2).op('i32.shr_u').op('return');
  c.end();
  addTo(c, X, 4);
  c.br(0).end().end();
  c.i32(-1);
  return {
    name: 'check01',
    params: ['i32', 'i32'],
    results: ['i32'],
    locals: ['i32', 'i32', 'v128'],
    body: c,
  };
}

/** The graph trainer's kernel module (one initial memory page; the runtime grows it). */
export function buildGraphTrainWasm(): Uint8Array {
  return assembleModule(
    [
      mmFunction(),
      softmaxRowsFunction(),
      softmaxBackFunction(),
      dotFunction(),
      transposeFunction(),
      expFunction(),
      reluBackFunction(),
      layerNormFunction(),
      layerNormBackFunction(),
      pairSoftmaxFunction(),
      pairNormalizeFunction(),
      pairSoftmaxBackFunction(),
      relPlanesFunction(),
      check01Function(),
    ],
    1,
  );
}
