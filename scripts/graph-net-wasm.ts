/**
 * The WebAssembly SIMD kernels of the graph network's rollout forward pass (`src/nn/graph-net-wasm.ts`
 * runs them), written with the binary-format writer of `wasm-writer.ts`. Unlike the training
 * kernels they compute in double precision (f64x2) with the exact operation order of the
 * JavaScript loops in `graph-net-f32.ts`: every product and sum is the same IEEE double operation
 * in the same order, so the results are bit-identical to the JavaScript path (rollouts do not
 * depend on whether the engine has SIMD). All values live in the module's memory as f64 holding
 * Float32-rounded numbers; pointers are byte offsets.
 *
 * - `linear(x, w, b, y, rows, inDim, outDim)`: `y = fround(b + x · W)` per row. `w` holds W packed
 *   by pairs of output columns (pair p, input i at `w + (p·inDim + i)·16`: W[i, 2p], W[i, 2p+1]),
 *   so one f64x2 lane computes one output; outDim is even. Each output keeps the JavaScript
 *   loop's four partial sums (inputs i mod 4, the tail into the first) and adds them as
 *   `((s0 + s1) + s2) + s3`. Two column pairs per block: eight accumulators in registers.
 * - `attention(q, k, v, att, codes, table, scratch, n, d, heads, scale, queries)`: the multi-head
 *   attention of one layer, `queries` query rows (of q, codes and att; ≤ n) against the n keys and
 *   values, queries a and a + 1 in the two lanes (the JavaScript loop pairs them the same way; an
 *   odd last query is paired with itself; each lane's arithmetic is its own row's alone, so a row's
 *   result does not depend on which rows are asked): logits `q·k·scale + table[code·H + h]`,
 *   the running max, e^(logit − max) by the same range reduction and polynomial as `fastExp`,
 *   the weighted sum of the values, normalized by 1/Σe. `scratch` holds 16·(n + 2·dh) bytes.
 */
import { assembleModule, Code, uleb, type ValType, type WasmFunction } from './wasm-writer.js';

/** The opcodes this module needs beyond the shared writer's (scalar f64, more SIMD). */
class GraphCode extends Code {
  /** Bytes as they are. */
  emit(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  /** A SIMD instruction by opcode number (0xfd prefix, LEB128 opcode). */
  simd(opcode: number): this {
    return this.emit(0xfd, ...uleb(opcode));
  }

  /** `f64.const`. */
  f64(value: number): this {
    return this.emit(0x44, ...new Uint8Array(new Float64Array([value]).buffer));
  }

  /** `f64.load offset`. */
  f64Load(offset = 0): this {
    return this.emit(0x2b, 3, ...uleb(offset));
  }

  /** `v128.load offset`. */
  vLoad(offset = 0): this {
    return this.emit(0xfd, 0x00, 4, ...uleb(offset));
  }

  /** `v128.store offset`. */
  vStore(offset = 0): this {
    return this.emit(0xfd, 0x0b, 4, ...uleb(offset));
  }

  /** `v128.load64_splat offset`. */
  vLoad64Splat(offset = 0): this {
    return this.emit(0xfd, 0x0a, 3, ...uleb(offset));
  }

  /** `v128.store64_lane offset lane`. */
  vStore64Lane(lane: number, offset = 0): this {
    return this.emit(0xfd, 0x5b, 3, ...uleb(offset), lane);
  }

  /** `i32.load8_u offset`. */
  u8Load(offset = 0): this {
    return this.emit(0x2d, 0, ...uleb(offset));
  }

  /** `f64x2.replace_lane lane`. */
  replaceLane(lane: number): this {
    return this.emit(0xfd, 0x22, lane);
  }

  /** `v128.const` of two f64 lanes equal to `value`. */
  f64x2c(value: number): this {
    return this.emit(0xfd, 0x0c, ...new Uint8Array(new Float64Array([value, value]).buffer));
  }

  /** `v128.const` of two i64 lanes equal to `value`. */
  i64x2c(value: bigint): this {
    return this.emit(0xfd, 0x0c, ...new Uint8Array(new BigInt64Array([value, value]).buffer));
  }
}

// SIMD opcodes (after the 0xfd prefix).
const F64X2_SPLAT = 0x14;
const F64X2_LT = 0x49;
const F64X2_GT = 0x4a;
const V128_BITSELECT = 0x52;
const F32X4_DEMOTE = 0x5e;
const F64X2_PROMOTE = 0x5f;
const F64X2_FLOOR = 0x75;
const I64X2_EXTEND_LOW_S = 0xc7;
const I64X2_SHL = 0xcb;
const I64X2_ADD = 0xce;
const F64X2_ADD = 0xf0;
const F64X2_SUB = 0xf1;
const F64X2_MUL = 0xf2;
const F64X2_DIV = 0xf3;
const F64X2_SQRT = 0xef;
const I32X4_TRUNC_SAT_F64X2_S_ZERO = 0xfc;

/** Allocates wasm locals: parameters first, then declared locals by type. */
class Locals {
  private readonly declared: ValType[] = [];
  constructor(private readonly paramCount: number) {}
  add(type: ValType): number {
    this.declared.push(type);
    return this.paramCount + this.declared.length - 1;
  }
  list(): ValType[] {
    return this.declared;
  }
}

/** `local += value` (i32 constant). */
function addConst(c: Code, local: number, value: number): void {
  c.get(local).i32(value).op('i32.add').set(local);
}

/** `local += other` (i32 locals). */
function addLocal(c: Code, local: number, other: number): void {
  c.get(local).get(other).op('i32.add').set(local);
}

/** Stores the two lanes of local `value` at `a + 8·index` and `b + 8·index` (one f64 each). */
function storeLanes(c: GraphCode, a: number, b: number, index: number, value: number): void {
  c.get(a).get(index).i32(3).op('i32.shl').op('i32.add').get(value).vStore64Lane(0);
  c.get(b).get(index).i32(3).op('i32.shl').op('i32.add').get(value).vStore64Lane(1);
}

/** Rounds the f64x2 on the stack to Float32 in both lanes (exactly `Math.fround` per lane). */
function fround2(c: GraphCode): void {
  c.simd(F32X4_DEMOTE).simd(F64X2_PROMOTE);
}

/** `linear`'s output modes: plain, ReLU after rounding, or added into `y` (a residual). */
export const LINEAR_PLAIN = 0;
export const LINEAR_RELU = 1;
export const LINEAR_ADD = 2;

// linear(x, w, b, y, rows, inDim, outDim, mode)
function linearFunction(): WasmFunction {
  const [X, W, B, Y, ROWS, IN, OUT, MODE] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const R = L.add('i32');
  const XR = L.add('i32'); // row start of x
  const YR = L.add('i32'); // row start of y
  const P = L.add('i32'); // column pair
  const PAIRS = L.add('i32');
  const XP = L.add('i32');
  const XE = L.add('i32'); // row end of x
  const XU = L.add('i32'); // end of the 4-unrolled part
  const WA = L.add('i32');
  const WB = L.add('i32');
  const PSTRIDE = L.add('i32'); // bytes per packed column pair (16·inDim)
  const XS = L.add('v128');
  const ACC = [0, 1].map(() => [0, 1, 2, 3].map(() => L.add('v128')));
  const YA = L.add('i32'); // address of the output pair
  const c = new GraphCode();
  c.get(OUT).i32(1).emit(0x76).set(PAIRS); // i32.shr_u
  c.get(IN).i32(4).op('i32.shl').set(PSTRIDE);
  c.i32(0).set(R);
  c.get(X).set(XR);
  c.get(Y).set(YR);
  c.block().loop(); // rows
  c.get(R).get(ROWS).op('i32.ge_u').brIf(1);
  c.get(XR).get(IN).i32(3).op('i32.shl').op('i32.add').set(XE);
  c.get(XR).get(IN).i32(-4).op('i32.and').i32(3).op('i32.shl').op('i32.add').set(XU);
  c.i32(0).set(P);
  // Blocks of `k` column pairs (k = 2 while two are left, then 1).
  for (const k of [2, 1]) {
    c.block().loop();
    c.get(P).i32(k).op('i32.add').get(PAIRS).op('i32.gt_u').brIf(1);
    // wa = w + p·pstride, wb = wa + pstride
    c.get(W).get(P).get(PSTRIDE).op('i32.mul').op('i32.add').set(WA);
    if (k === 2) c.get(WA).get(PSTRIDE).op('i32.add').set(WB);
    for (let q = 0; q < k; q++) for (let m = 0; m < 4; m++) c.zero128().set(ACC[q]![m]!);
    c.get(XR).set(XP);
    const WS = [WA, WB];
    c.block().loop(); // inputs, four at a time
    c.get(XP).get(XU).op('i32.ge_u').brIf(1);
    for (let m = 0; m < 4; m++) {
      c.get(XP)
        .vLoad64Splat(8 * m)
        .set(XS);
      for (let q = 0; q < k; q++)
        c.get(ACC[q]![m]!)
          .get(XS)
          .get(WS[q]!)
          .vLoad(16 * m)
          .simd(F64X2_MUL)
          .simd(F64X2_ADD)
          .set(ACC[q]![m]!);
    }
    addConst(c, XP, 32);
    for (let q = 0; q < k; q++) addConst(c, WS[q]!, 64);
    c.br(0).end().end();
    c.block().loop(); // the tail inputs, into the first sum
    c.get(XP).get(XE).op('i32.ge_u').brIf(1);
    c.get(XP).vLoad64Splat(0).set(XS);
    for (let q = 0; q < k; q++)
      c.get(ACC[q]![0]!).get(XS).get(WS[q]!).vLoad(0).simd(F64X2_MUL).simd(F64X2_ADD).set(ACC[q]![0]!);
    addConst(c, XP, 8);
    for (let q = 0; q < k; q++) addConst(c, WS[q]!, 16);
    c.br(0).end().end();
    for (let q = 0; q < k; q++) {
      // v = fround(b + ((s0 + s1) + s2) + s3), into the first accumulator
      const V = ACC[q]![0]!;
      c.get(YR).get(P).i32(q).op('i32.add').i32(4).op('i32.shl').op('i32.add').set(YA);
      c.get(B).get(P).i32(q).op('i32.add').i32(4).op('i32.shl').op('i32.add').vLoad(0);
      c.get(ACC[q]![0]!).get(ACC[q]![1]!).simd(F64X2_ADD).get(ACC[q]![2]!).simd(F64X2_ADD);
      c.get(ACC[q]![3]!).simd(F64X2_ADD).simd(F64X2_ADD);
      fround2(c);
      c.set(V);
      // ReLU: v < 0 ? 0 : v (−0 and NaN stay, as the JavaScript test `v < 0`)
      c.get(MODE).i32(LINEAR_RELU).emit(0x46).if(); // i32.eq
      c.zero128().get(V).get(V).zero128().simd(F64X2_LT).simd(V128_BITSELECT).set(V);
      c.end();
      // Residual: y = fround(y + v)
      c.get(MODE).i32(LINEAR_ADD).emit(0x46).if();
      c.get(YA).vLoad(0).get(V).simd(F64X2_ADD);
      fround2(c);
      c.set(V);
      c.end();
      c.get(YA).get(V).vStore(0);
    }
    addConst(c, P, k);
    c.br(0).end().end();
  }
  c.get(XE).set(XR);
  c.get(YR).get(OUT).i32(3).op('i32.shl').op('i32.add').set(YR);
  addConst(c, R, 1);
  c.br(0).end().end();
  return {
    name: 'linear',
    params: Array<ValType>(8).fill('i32'),
    results: [],
    locals: L.list(),
    body: c,
  };
}

// layerNorm(x, gamma, beta, y, rows, d, eps)
function layerNormFunction(): WasmFunction {
  const [X, G, BT, Y, ROWS, D, EPS] = [0, 1, 2, 3, 4, 5, 6];
  const L = new Locals(7);
  const R = L.add('i32');
  const XA = L.add('i32'); // row r of x
  const XB = L.add('i32'); // row r + 1 (or r again for an odd last row)
  const YA = L.add('i32');
  const YB = L.add('i32');
  const J = L.add('i32');
  const ROWB = L.add('i32'); // bytes per row (8d)
  const MEAN = L.add('v128');
  const VAR = L.add('v128');
  const T = L.add('v128');
  const INV = L.add('v128');
  const DV = L.add('v128');
  const c = new GraphCode();
  c.get(D).i32(3).op('i32.shl').set(ROWB);
  c.get(D).emit(0xb8).simd(F64X2_SPLAT).set(DV); // f64.convert_i32_u
  c.i32(0).set(R);
  c.block().loop();
  c.get(R).get(ROWS).op('i32.ge_u').brIf(1);
  c.get(R).get(ROWB).op('i32.mul').get(X).op('i32.add').set(XA);
  c.get(R).get(ROWB).op('i32.mul').get(Y).op('i32.add').set(YA);
  c.get(XA).set(XB);
  c.get(YA).set(YB);
  c.get(R).i32(1).op('i32.add').get(ROWS).op('i32.lt_u').if();
  c.get(XA).get(ROWB).op('i32.add').set(XB);
  c.get(YA).get(ROWB).op('i32.add').set(YB);
  c.end();
  // (x[r, j], x[r + 1, j]) of the pair's rows
  const pairAt = (): void => {
    c.get(XA).get(J).i32(3).op('i32.shl').op('i32.add').vLoad64Splat(0);
    c.get(XB).get(J).i32(3).op('i32.shl').op('i32.add').f64Load(0).replaceLane(1);
  };
  const loopJ = (body: () => void): void => {
    c.i32(0).set(J);
    c.block().loop();
    c.get(J).get(D).op('i32.ge_u').brIf(1);
    body();
    addConst(c, J, 1);
    c.br(0).end().end();
  };
  c.zero128().set(MEAN);
  loopJ(() => {
    c.get(MEAN);
    pairAt();
    c.simd(F64X2_ADD).set(MEAN);
  });
  c.get(MEAN).get(DV).simd(F64X2_DIV).set(MEAN);
  c.zero128().set(VAR);
  loopJ(() => {
    pairAt();
    c.get(MEAN).simd(F64X2_SUB).set(T);
    c.get(VAR).get(T).get(T).simd(F64X2_MUL).simd(F64X2_ADD).set(VAR);
  });
  // inv = 1 / sqrt(var / d + eps)
  c.f64x2c(1).get(VAR).get(DV).simd(F64X2_DIV).get(EPS).simd(F64X2_SPLAT).simd(F64X2_ADD);
  c.simd(F64X2_SQRT).simd(F64X2_DIV).set(INV);
  loopJ(() => {
    // y = fround((x − mean) · inv · gamma + beta)
    pairAt();
    c.get(MEAN).simd(F64X2_SUB).get(INV).simd(F64X2_MUL);
    c.get(G).get(J).i32(3).op('i32.shl').op('i32.add').vLoad64Splat(0).simd(F64X2_MUL);
    c.get(BT).get(J).i32(3).op('i32.shl').op('i32.add').vLoad64Splat(0).simd(F64X2_ADD);
    fround2(c);
    c.set(T);
    storeLanes(c, YA, YB, J, T);
  });
  addConst(c, R, 2);
  c.br(0).end().end();
  const params: ValType[] = [...Array<ValType>(6).fill('i32'), 'f64'];
  return { name: 'layerNorm', params, results: [], locals: L.list(), body: c };
}

/** e^x of both lanes of local `x` as `fastExp` computes it, into local `out`. */
function fastExp2(c: GraphCode, x: number, out: number, kf: number, r: number, r2: number): void {
  // k = floor(x·log2 e + 0.5); r = x − k·ln 2
  c.get(x).f64x2c(Math.LOG2E).simd(F64X2_MUL).f64x2c(0.5).simd(F64X2_ADD).simd(F64X2_FLOOR).set(kf);
  c.get(x).get(kf).f64x2c(Math.LN2).simd(F64X2_MUL).simd(F64X2_SUB).tee(r);
  c.get(r).simd(F64X2_MUL).set(r2);
  // 2^k from the exponent bits (k ∈ [−1021, 1023] for x ∈ [−708, 709]: a normal double).
  c.get(kf).simd(I32X4_TRUNC_SAT_F64X2_S_ZERO).simd(I64X2_EXTEND_LOW_S);
  c.i64x2c(1023n).simd(I64X2_ADD).i32(52).simd(I64X2_SHL);
  // even = 1 + r2·(1/2 + r2·(1/24 + r2·(1/720 + r2·1/40320)))
  const poly = (coefs: number[]): void => {
    // coefs from the outermost: c0 + r2·(c1 + r2·(… + r2·cN))
    c.get(r2)
      .f64x2c(coefs[coefs.length - 1]!)
      .simd(F64X2_MUL);
    for (let i = coefs.length - 2; i >= 1; i--) {
      c.f64x2c(coefs[i]!).simd(F64X2_ADD);
      c.get(r2).simd(F64X2_MUL);
    }
    c.f64x2c(coefs[0]!).simd(F64X2_ADD);
  };
  poly([1, 0.5, 4.1666666666666664e-2, 1.3888888888888889e-3, 2.48015873015873e-5]);
  c.get(r);
  poly([1, 0.16666666666666666, 8.333333333333333e-3, 1.984126984126984e-4, 2.7557319223985893e-6]);
  c.simd(F64X2_MUL); // odd = r · (…)
  c.simd(F64X2_ADD); // even + odd
  c.simd(F64X2_MUL).set(out); // 2^k · (even + odd)
  // x < −708 → 0; x > 709 → +∞ (as fastExp)
  c.zero128().get(out).get(x).f64x2c(-708).simd(F64X2_LT).simd(V128_BITSELECT).set(out);
  c.f64x2c(Infinity).get(out).get(x).f64x2c(709).simd(F64X2_GT).simd(V128_BITSELECT).set(out);
}

/** Locals of the loops over heads and query pairs that both attention functions share. */
interface PairLoopLocals {
  HI: number;
  A: number;
  BQ: number;
  QA: number;
  QB: number;
  CA: number;
  CB: number;
  HO: number;
  ROW: number;
}

// attention's parameters (wasm local indices); NQ: the query rows (codes rows keep stride n).
const AT = { Q: 0, K: 1, V: 2, ATT: 3, CODES: 4, TABLE: 5, SCRATCH: 6, N: 7, D: 8, H: 9, SCALE: 10, NQ: 11 };

/**
 * The loops over heads h and query pairs (a, b = a + 1, or a for an odd last query) around
 * `body`: HO = the head's byte offset (`headBytes` pushes the bytes per head), QA/QB the pair's
 * query rows at the head, CA/CB their pair-code rows.
 */
function pairLoops(c: GraphCode, l: PairLoopLocals, headBytes: () => void, body: () => void): void {
  const { Q, CODES, N, H, NQ } = AT;
  c.i32(0).set(l.HI);
  c.block().loop(); // heads
  c.get(l.HI).get(H).op('i32.ge_u').brIf(1);
  c.get(l.HI);
  headBytes();
  c.op('i32.mul').set(l.HO);
  c.i32(0).set(l.A);
  c.block().loop(); // query pairs
  c.get(l.A).get(NQ).op('i32.ge_u').brIf(1);
  // b = a + 1 < queries ? a + 1 : a
  c.get(l.A).i32(1).op('i32.add').set(l.BQ);
  c.get(l.BQ).get(NQ).op('i32.ge_u').if().get(l.A).set(l.BQ).end();
  c.get(l.A).get(l.ROW).op('i32.mul').get(Q).op('i32.add').get(l.HO).op('i32.add').set(l.QA);
  c.get(l.BQ).get(l.ROW).op('i32.mul').get(Q).op('i32.add').get(l.HO).op('i32.add').set(l.QB);
  c.get(l.A).get(N).op('i32.mul').get(CODES).op('i32.add').set(l.CA);
  c.get(l.BQ).get(N).op('i32.mul').get(CODES).op('i32.add').set(l.CB);
  body();
  addConst(c, l.A, 2);
  c.br(0).end().end();
  addConst(c, l.HI, 1);
  c.br(0).end().end();
}

// attention(q, k, v, att, codes, table, scratch, n, d, heads, scale, queries)
function attentionFunction(): WasmFunction {
  const { Q, K, V, ATT, TABLE, SCRATCH, N, D, H, SCALE } = AT;
  const L = new Locals(12);
  const DH = L.add('i32');
  const HI = L.add('i32'); // head
  const A = L.add('i32');
  const BQ = L.add('i32');
  const J = L.add('i32');
  const T = L.add('i32');
  const QA = L.add('i32'); // byte address of q[a, ho]
  const QB = L.add('i32');
  const QP = L.add('i32'); // interleaved query pair (dh × 16 bytes)
  const ACCP = L.add('i32'); // accumulators (dh × 16 bytes)
  const SC = L.add('i32'); // scores (n × 16 bytes)
  const KP = L.add('i32');
  const CA = L.add('i32'); // codes row of a
  const CB = L.add('i32');
  const ROW = L.add('i32'); // bytes per row of q/k/v (8d)
  const HO = L.add('i32'); // byte offset of the head (8·h·dh)
  const S = L.add('v128');
  const M = L.add('v128');
  const SCALEV = L.add('v128');
  const SUM = L.add('v128');
  const E = L.add('v128');
  const KF = L.add('v128');
  const RR = L.add('v128');
  const R2 = L.add('v128');
  const XV = L.add('v128');
  const c = new GraphCode();
  c.get(D).get(H).emit(0x6e).set(DH); // i32.div_u
  c.get(D).i32(3).op('i32.shl').set(ROW);
  c.get(SCALE).simd(F64X2_SPLAT).set(SCALEV);
  c.get(SCRATCH).set(SC);
  c.get(SCRATCH).get(N).i32(4).op('i32.shl').op('i32.add').set(QP);
  c.get(QP).get(DH).i32(4).op('i32.shl').op('i32.add').set(ACCP);
  const loops = { HI, A, BQ, QA, QB, CA, CB, HO, ROW };
  pairLoops(
    c,
    loops,
    () => c.get(DH).i32(3).op('i32.shl'),
    () => {
      // qp[t] = (q[a, ho + t], q[b, ho + t])
      c.i32(0).set(T);
      c.block().loop();
      c.get(T).get(DH).op('i32.ge_u').brIf(1);
      c.get(QP).get(T).i32(4).op('i32.shl').op('i32.add');
      c.get(QA).get(T).i32(3).op('i32.shl').op('i32.add').vLoad64Splat(0);
      c.get(QB).get(T).i32(3).op('i32.shl').op('i32.add').f64Load(0).replaceLane(1);
      c.vStore(0);
      addConst(c, T, 1);
      c.br(0).end().end();
      // Logits against every key, and their max.
      c.f64x2c(-Infinity).set(M);
      c.get(K).get(HO).op('i32.add').set(KP);
      c.i32(0).set(J);
      c.block().loop();
      c.get(J).get(N).op('i32.ge_u').brIf(1);
      c.zero128().set(S);
      c.i32(0).set(T);
      c.block().loop();
      c.get(T).get(DH).op('i32.ge_u').brIf(1);
      c.get(S);
      c.get(QP).get(T).i32(4).op('i32.shl').op('i32.add').vLoad(0);
      c.get(KP).get(T).i32(3).op('i32.shl').op('i32.add').vLoad64Splat(0);
      c.simd(F64X2_MUL).simd(F64X2_ADD).set(S);
      addConst(c, T, 1);
      c.br(0).end().end();
      // s = s·scale + (table[codes[a·n + j]·H + h], table[codes[b·n + j]·H + h])
      c.get(S).get(SCALEV).simd(F64X2_MUL);
      c.get(CA).get(J).op('i32.add').u8Load(0).get(H).op('i32.mul').get(HI).op('i32.add');
      c.i32(3).op('i32.shl').get(TABLE).op('i32.add').vLoad64Splat(0);
      c.get(CB).get(J).op('i32.add').u8Load(0).get(H).op('i32.mul').get(HI).op('i32.add');
      c.i32(3).op('i32.shl').get(TABLE).op('i32.add').f64Load(0).replaceLane(1);
      c.simd(F64X2_ADD).set(S);
      c.get(SC).get(J).i32(4).op('i32.shl').op('i32.add').get(S).vStore(0);
      // m = s > m ? s : m, per lane
      c.get(S).get(M).get(S).get(M).simd(F64X2_GT).simd(V128_BITSELECT).set(M);
      addLocal(c, KP, ROW);
      addConst(c, J, 1);
      c.br(0).end().end();
      // Exponentials and the weighted values.
      c.zero128().set(SUM);
      c.i32(0).set(T);
      c.block().loop();
      c.get(T).get(DH).op('i32.ge_u').brIf(1);
      c.get(ACCP).get(T).i32(4).op('i32.shl').op('i32.add').zero128().vStore(0);
      addConst(c, T, 1);
      c.br(0).end().end();
      c.get(V).get(HO).op('i32.add').set(KP);
      c.i32(0).set(J);
      c.block().loop();
      c.get(J).get(N).op('i32.ge_u').brIf(1);
      c.get(SC).get(J).i32(4).op('i32.shl').op('i32.add').vLoad(0).get(M).simd(F64X2_SUB).set(XV);
      fastExp2(c, XV, E, KF, RR, R2);
      c.get(SUM).get(E).simd(F64X2_ADD).set(SUM);
      c.i32(0).set(T);
      c.block().loop();
      c.get(T).get(DH).op('i32.ge_u').brIf(1);
      c.get(ACCP).get(T).i32(4).op('i32.shl').op('i32.add');
      c.get(ACCP).get(T).i32(4).op('i32.shl').op('i32.add').vLoad(0);
      c.get(E);
      c.get(KP).get(T).i32(3).op('i32.shl').op('i32.add').vLoad64Splat(0);
      c.simd(F64X2_MUL).simd(F64X2_ADD).vStore(0);
      addConst(c, T, 1);
      c.br(0).end().end();
      addLocal(c, KP, ROW);
      addConst(c, J, 1);
      c.br(0).end().end();
      // att[a | b, ho + t] = fround(acc[t] · (1 / Σe))
      c.f64x2c(1).get(SUM).simd(F64X2_DIV).set(SUM);
      c.get(QA).get(ATT).op('i32.add').get(Q).op('i32.sub').set(QA);
      c.get(QB).get(ATT).op('i32.add').get(Q).op('i32.sub').set(QB);
      c.i32(0).set(T);
      c.block().loop();
      c.get(T).get(DH).op('i32.ge_u').brIf(1);
      c.get(ACCP).get(T).i32(4).op('i32.shl').op('i32.add').vLoad(0).get(SUM).simd(F64X2_MUL);
      fround2(c);
      c.set(S);
      storeLanes(c, QA, QB, T, S);
      addConst(c, T, 1);
      c.br(0).end().end();
    },
  );
  const params: ValType[] = [...Array<ValType>(10).fill('i32'), 'f64', 'i32'];
  return { name: 'attention', params, results: [], locals: L.list(), body: c };
}

/** Keys scored at once by the fixed-size attention (independent sum chains hide the add latency). */
const KEY_BLOCK = 4;

/**
 * `attention` for heads of size `dh` known here: the query pair's `dh` vectors, the running sums of
 * KEY_BLOCK keys and the `dh` value accumulators live in registers. Same operations per lane in
 * the same order as the generic function (each logit still sums over t in order, the max and the
 * exponentials still run over the keys in order), so the same results.
 */
function attentionFixedFunction(dh: number): WasmFunction {
  const { Q, K, V, ATT, TABLE, SCRATCH, N, D, H, SCALE } = AT;
  const L = new Locals(12);
  const HI = L.add('i32');
  const A = L.add('i32');
  const BQ = L.add('i32');
  const J = L.add('i32');
  const QA = L.add('i32');
  const QB = L.add('i32');
  const SC = L.add('i32');
  const KP = L.add('i32');
  const CA = L.add('i32');
  const CB = L.add('i32');
  const ROW = L.add('i32');
  const HO = L.add('i32');
  const NB = L.add('i32'); // keys in whole blocks
  const KPU = Array.from({ length: KEY_BLOCK }, () => L.add('i32'));
  const QV = Array.from({ length: dh }, () => L.add('v128'));
  const SU = Array.from({ length: KEY_BLOCK }, () => L.add('v128'));
  const M = L.add('v128');
  const SCALEV = L.add('v128');
  const SUM = L.add('v128');
  const E = L.add('v128');
  const KF = L.add('v128');
  const RR = L.add('v128');
  const R2 = L.add('v128');
  const XV = L.add('v128');
  const ACC = QV; // the query pair is dead once the logits are in `scratch`
  const c = new GraphCode();
  c.get(D).i32(3).op('i32.shl').set(ROW);
  c.get(SCALE).simd(F64X2_SPLAT).set(SCALEV);
  c.get(SCRATCH).set(SC);
  c.get(N).i32(-KEY_BLOCK).op('i32.and').set(NB);
  const loops = { HI, A, BQ, QA, QB, CA, CB, HO, ROW };
  pairLoops(
    c,
    loops,
    () => c.i32(dh * 8),
    () => {
      for (let t = 0; t < dh; t++)
        c.get(QA)
          .vLoad64Splat(8 * t)
          .get(QB)
          .f64Load(8 * t)
          .replaceLane(1)
          .set(QV[t]!);
      c.f64x2c(-Infinity).set(M);
      c.get(K).get(HO).op('i32.add').set(KP);
      c.i32(0).set(J);
      // Scores of keys j … j + u − 1 (u sums side by side), then bias, store and max in key order.
      const scoreKeys = (u: number): void => {
        for (let b = 0; b < u; b++) {
          if (b === 0) c.get(KP).set(KPU[0]!);
          else
            c.get(KPU[b - 1]!)
              .get(ROW)
              .op('i32.add')
              .set(KPU[b]!);
          c.zero128().set(SU[b]!);
        }
        for (let t = 0; t < dh; t++)
          for (let b = 0; b < u; b++)
            c.get(SU[b]!)
              .get(QV[t]!)
              .get(KPU[b]!)
              .vLoad64Splat(8 * t)
              .simd(F64X2_MUL)
              .simd(F64X2_ADD)
              .set(SU[b]!);
        for (let b = 0; b < u; b++) {
          const S = SU[b]!;
          c.get(S).get(SCALEV).simd(F64X2_MUL);
          c.get(CA).get(J).op('i32.add').u8Load(b).get(H).op('i32.mul').get(HI).op('i32.add');
          c.i32(3).op('i32.shl').get(TABLE).op('i32.add').vLoad64Splat(0);
          c.get(CB).get(J).op('i32.add').u8Load(b).get(H).op('i32.mul').get(HI).op('i32.add');
          c.i32(3).op('i32.shl').get(TABLE).op('i32.add').f64Load(0).replaceLane(1);
          c.simd(F64X2_ADD).set(S);
          c.get(SC)
            .get(J)
            .i32(4)
            .op('i32.shl')
            .op('i32.add')
            .get(S)
            .vStore(16 * b);
          c.get(S).get(M).get(S).get(M).simd(F64X2_GT).simd(V128_BITSELECT).set(M);
        }
        c.get(KPU[u - 1]!)
          .get(ROW)
          .op('i32.add')
          .set(KP);
        addConst(c, J, u);
      };
      c.block().loop();
      c.get(J).get(NB).op('i32.ge_u').brIf(1);
      scoreKeys(KEY_BLOCK);
      c.br(0).end().end();
      c.block().loop();
      c.get(J).get(N).op('i32.ge_u').brIf(1);
      scoreKeys(1);
      c.br(0).end().end();
      // Exponentials and the weighted values, key by key.
      c.zero128().set(SUM);
      for (let t = 0; t < dh; t++) c.zero128().set(ACC[t]!);
      c.get(V).get(HO).op('i32.add').set(KP);
      c.get(SC).set(CA); // walks the scores
      c.get(SC).get(N).i32(4).op('i32.shl').op('i32.add').set(CB); // their end
      c.block().loop();
      c.get(CA).get(CB).op('i32.ge_u').brIf(1);
      c.get(CA).vLoad(0).get(M).simd(F64X2_SUB).set(XV);
      fastExp2(c, XV, E, KF, RR, R2);
      c.get(SUM).get(E).simd(F64X2_ADD).set(SUM);
      for (let t = 0; t < dh; t++)
        c.get(ACC[t]!)
          .get(E)
          .get(KP)
          .vLoad64Splat(8 * t)
          .simd(F64X2_MUL)
          .simd(F64X2_ADD)
          .set(ACC[t]!);
      addLocal(c, KP, ROW);
      addConst(c, CA, 16);
      c.br(0).end().end();
      c.f64x2c(1).get(SUM).simd(F64X2_DIV).set(SUM);
      c.get(QA).get(ATT).op('i32.add').get(Q).op('i32.sub').set(QA);
      c.get(QB).get(ATT).op('i32.add').get(Q).op('i32.sub').set(QB);
      for (let t = 0; t < dh; t++) {
        c.get(ACC[t]!).get(SUM).simd(F64X2_MUL);
        fround2(c);
        c.set(E);
        c.get(QA)
          .get(E)
          .vStore64Lane(0, 8 * t);
        c.get(QB)
          .get(E)
          .vStore64Lane(1, 8 * t);
      }
    },
  );
  const params: ValType[] = [...Array<ValType>(10).fill('i32'), 'f64', 'i32'];
  return { name: `attention${dh}`, params, results: [], locals: L.list(), body: c };
}

/** Head sizes with a fixed-size attention function (`attention<dh>`); others run the generic one. */
export const FIXED_HEAD_SIZES = [2, 4, 8, 16] as const;

/** The graph-forward module's bytes (one initial memory page; the runtime grows it). */
export function buildGraphNetWasm(): Uint8Array {
  return assembleModule(
    [
      linearFunction(),
      layerNormFunction(),
      attentionFunction(),
      ...FIXED_HEAD_SIZES.map((dh) => attentionFixedFunction(dh)),
    ],
    1,
  );
}
