/**
 * The single-decision kernel of the dense kernel module (`dense-kernel-wasm.ts` assembles it,
 * `src/nn/dense-matvec-wasm.ts` runs it): a whole network on one input row in one call, weights
 * resident in the module's memory in a packed layout, written with the writer of `wasm-writer.ts`.
 *
 * `forwardPacked(table, count)` runs `count` layers described at `table` (six i32 each: x, w, y,
 * n, m4, act; byte offsets, n inputs, m4 = ⌈m / 4⌉ output quads, act 0 linear, 1 tanh, 2 relu).
 * A layer's outputs go in blocks of k = min(6, quads left) quads; each block is stored as its 4k
 * biases then n rows of its 4k weights (`W[i][j…j+4k−1]`), so the whole layer is one contiguous
 * stream that the kernel reads front to back: unlike `dense` on row-major weights (24 columns of
 * every 4m-byte row), no cache line is fetched twice and the hardware prefetcher sees one stream.
 * Columns past m hold zero weights and biases; their outputs (4·m4 − m lanes) are written but
 * never read, since every layer reads exactly n inputs. The input loop takes four inputs per
 * iteration (immediate offsets from one pointer: the loop's counter, compare and V8's interrupt
 * check are paid once per 4k multiply-adds, not per k), blocks of fewer than five quads spread
 * them over two or four accumulator sets (add latency, not arithmetic, bounds short chains),
 * then the bias-started sums get the activation in registers (the dense kernel's `tanhF32x4`,
 * same results, with its clamp as `f32x4.pmin`: decisions 2 to 8 % faster, measured) and are
 * stored. Float32 accumulators, like `dense`: results differ from a double-precision sum by
 * summation order and rounding only (~1e-7 of Σ|x·w|).
 *
 * Measured on one core (`bench/results/deploy.md` has the roofline) and not taken: blocks of 8 to
 * 12 quads (slower: V8 loads a block's weights into registers before multiplying and spills),
 * unrolling the input loop of wide blocks (slower: V8 already unrolls it), the tanh constants
 * loaded from memory instead of rebuilt from immediates (slower), tanh as a separate pass over
 * each layer's outputs (no faster), and a fused multiply-add (relaxed SIMD's
 * `f32x4.relaxed_madd`, behind `--experimental-wasm-relaxed-simd` in Node 20, other rounding):
 * only 5 % faster on 256-wide layers, which are bound by reading their weights, not by arithmetic.
 */
import { Code, type WasmFunction } from './wasm-writer.js';

/**
 * Emits tanh of the f32x4 on the stack, leaving it there; scratch in five v128 locals from
 * `base`; `minOp` clamps |x| (the dense kernel's `tanhF32x4`).
 */
export type TanhF32x4Emitter = (c: Code, base: number, minOp?: 'f32x4.min' | 'f32x4.pmin') => void;

// Parameters, then locals (wasm local indices).
const TABLE = 0;
const COUNT = 1;
const X = 2;
const WP = 3; // walks the packed weights of the layer
const Y = 4; // start of the current block's outputs
const N = 5;
const M4 = 6;
const ACT = 7;
const Q = 8; // output quads done
const K = 9; // quads left
const XP = 10; // walks the input row
const XE = 11; // end of the input row
const XU = 12; // end of the inputs taken four at a time
const XS = 13; // x[i] splat
const ACC = 14; // eight v128 accumulators from here
const TANH_SCRATCH = ACC + 8; // five v128 scratch locals of tanhF32x4

/** Quads per block at most: six f32x4 accumulators plus a splat and a load stay in registers. */
export const MATVEC_BLOCK_QUADS = 6;

/** Bytes per layer entry of the table. */
export const MATVEC_TABLE_ENTRY_BYTES = 24;

/** Four f32 lanes of −0, the identity of addition (+0 would turn a sum of −0 into +0). */
const NEG_ZERO_F32X4 = 0x8000000080000000n;

function addTo(c: Code, local: number, value: number): void {
  c.get(local).i32(value).op('i32.add').set(local);
}

/** How a block of k quads walks its inputs: steps per loop iteration, accumulator sets. */
export interface BlockPlan {
  unroll: number;
  sets: number;
}

/** Default plan (see the module comment). */
export function defaultBlockPlan(k: number): BlockPlan {
  return k >= 4 ? { unroll: 1, sets: 1 } : k >= 2 ? { unroll: 2, sets: 2 } : { unroll: 4, sets: 4 };
}

/**
 * Folds `sets` (1, 2 or 4) accumulator sets of `k` f32x4 accumulators into set 0, pairwise
 * (`(a0 + a1) + (a2 + a3)`); `acc(set, v)` is the local of accumulator v of a set.
 */
export function sumAccumulatorSets(
  c: Code,
  k: number,
  sets: number,
  acc: (set: number, v: number) => number,
): void {
  for (let v = 0; v < k; v++) {
    if (sets === 2) c.get(acc(0, v)).get(acc(1, v)).op('f32x4.add').set(acc(0, v));
    if (sets === 4)
      c.get(acc(0, v))
        .get(acc(1, v))
        .op('f32x4.add')
        .get(acc(2, v))
        .get(acc(3, v))
        .op('f32x4.add')
        .op('f32x4.add')
        .set(acc(0, v));
  }
}

/** One block of `k` quads at `WP` (biases, then n rows of 4k weights), outputs at `Y`. */
function packedBlock(c: Code, k: number, tanh: TanhF32x4Emitter, plan: BlockPlan): void {
  const { unroll, sets } = plan;
  const acc = (set: number, v: number): number => ACC + set * k + v;
  for (let v = 0; v < k; v++)
    c.get(WP)
      .mem('v128.load', 16 * v)
      .set(acc(0, v));
  for (let s = 1; s < sets; s++) for (let v = 0; v < k; v++) c.i64x2(NEG_ZERO_F32X4).set(acc(s, v));
  addTo(c, WP, 16 * k);
  c.get(X).set(XP);
  const step = (t: number, set: number): void => {
    c.get(XP)
      .mem('v128.load32_splat', 4 * t)
      .set(XS);
    for (let v = 0; v < k; v++)
      c.get(acc(set, v))
        .get(XS)
        .get(WP)
        .mem('v128.load', 16 * (k * t + v))
        .op('f32x4.mul')
        .op('f32x4.add')
        .set(acc(set, v));
  };
  if (unroll > 1) {
    c.get(X).get(N).i32(-unroll).op('i32.and').i32(2).op('i32.shl').op('i32.add').set(XU);
    c.block().loop();
    c.get(XP).get(XU).op('i32.ge_u').brIf(1);
    for (let t = 0; t < unroll; t++) step(t, t % sets);
    addTo(c, WP, 16 * unroll * k);
    addTo(c, XP, 4 * unroll);
    c.br(0).end().end();
  }
  c.block().loop();
  c.get(XP).get(XE).op('i32.ge_u').brIf(1);
  step(0, 0);
  addTo(c, WP, 16 * k);
  addTo(c, XP, 4);
  c.br(0).end().end();
  sumAccumulatorSets(c, k, sets, acc);
  c.get(ACT).i32(1).op('i32.eq').if();
  for (let v = 0; v < k; v++) {
    c.get(acc(0, v));
    tanh(c, TANH_SCRATCH, 'f32x4.pmin');
    c.set(acc(0, v));
  }
  c.end();
  c.get(ACT).i32(2).op('i32.eq').if();
  for (let v = 0; v < k; v++) c.get(acc(0, v)).zero128().op('f32x4.pmax').set(acc(0, v));
  c.end();
  for (let v = 0; v < k; v++)
    c.get(Y)
      .get(acc(0, v))
      .mem('v128.store', 16 * v);
  addTo(c, Y, 16 * k);
}

/**
 * `forwardPacked(table, count)` (see the module comment); `tanh` is the dense kernel's
 * `tanhF32x4`, passed in so that both kernels share one tanh without an import cycle.
 */
export function forwardPackedFunction(
  tanh: TanhF32x4Emitter,
  plan: (k: number) => BlockPlan = defaultBlockPlan,
): WasmFunction {
  const c = new Code();
  const field = (local: number, index: number): void => {
    c.get(TABLE)
      .mem('i32.load', 4 * index)
      .set(local);
  };
  c.block().loop();
  c.get(COUNT).op('i32.eqz').brIf(1);
  field(X, 0);
  field(WP, 1);
  field(Y, 2);
  field(N, 3);
  field(M4, 4);
  field(ACT, 5);
  c.get(X).get(N).i32(2).op('i32.shl').op('i32.add').set(XE);
  c.i32(0).set(Q);
  c.block().loop();
  c.get(Q).get(M4).op('i32.ge_u').brIf(1);
  c.get(M4).get(Q).op('i32.sub').set(K);
  for (let k = MATVEC_BLOCK_QUADS; k >= 1; k--) {
    // The widest block where six or more quads are left, else exactly the quads left.
    if (k === MATVEC_BLOCK_QUADS)
      c.get(K)
        .i32(k - 1)
        .op('i32.gt_u')
        .if();
    else c.get(K).i32(k).op('i32.eq').if();
    packedBlock(c, k, tanh, plan(k));
    addTo(c, Q, k);
    c.br(1).end();
  }
  c.br(0).end().end();
  addTo(c, TABLE, MATVEC_TABLE_ENTRY_BYTES);
  c.get(COUNT).i32(1).op('i32.sub').set(COUNT);
  c.br(0).end().end();
  return {
    name: 'forwardPacked',
    params: ['i32', 'i32'],
    results: [],
    locals: [
      ...Array<'i32'>(XS - X).fill('i32'),
      'v128',
      ...Array<'v128'>(8).fill('v128'),
      ...Array<'v128'>(5).fill('v128'),
    ],
    body: c,
  };
}
