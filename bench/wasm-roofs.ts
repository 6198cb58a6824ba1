/**
 * The two roofs of a WebAssembly SIMD kernel on one core, measured in modules assembled here with
 * the project's writer (the deploy bench's single-decision roofline sets each kernel against them):
 *
 * - read bandwidth from a resident buffer: a streaming sum (`v128.load` + `i32x4.add` into eight
 *   independent accumulators, 128 bytes per iteration) over `bytes` bytes, repeated. A kernel that
 *   reads as many bytes per call cannot beat it. Integer adds (one-cycle latency) keep the probe
 *   bound by the loads: with `f32x4.add` it was bound by the add latency in L1.
 * - `f32x4.mul` + `f32x4.add` throughput from registers: seven chains of `m = m · 1; a = a + m`,
 *   every product a new value (a loop-invariant product is hoisted by V8, which would time the
 *   adds only), seven being the most that V8 keeps in the 16 vector registers. WebAssembly SIMD
 *   has no fused multiply-add outside the relaxed-SIMD proposal (behind a flag in Node 20), so
 *   this is the arithmetic roof of a Float32 multiply-accumulate kernel.
 */
import { assembleModule, Code } from '../scripts/wasm-writer.js';

const PAGE = 65536;

/** The part of the WebAssembly JS API used here (the project's TS libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of `bytes`, instantiated without imports. */
function instantiate<T>(bytes: Uint8Array): T {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return new api.Instance(new api.Module(bytes), {}).exports as T;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
/** Accumulators of the streaming sum (16 bytes each per iteration). */
const STREAM_ACCS = 8;
const STREAM_STEP = 16 * STREAM_ACCS;
/** Independent multiply-add chains of the arithmetic probe. */
const CHAINS = 7;

/** `streamSum(p, end, reps)`: sum of the i32x4 at [p, end) (a multiple of 128 bytes), `reps` times. */
function streamSumModule(pages: number): Uint8Array {
  const P = 0;
  const END = 1;
  const REPS = 2;
  const Q = 3;
  const ACC = 4;
  const c = new Code();
  for (let v = 0; v < STREAM_ACCS; v++) c.zero128().set(ACC + v);
  c.block().loop();
  c.get(REPS).op('i32.eqz').brIf(1);
  c.get(P).set(Q);
  c.block().loop();
  c.get(Q).get(END).op('i32.ge_u').brIf(1);
  for (let v = 0; v < STREAM_ACCS; v++)
    c.get(ACC + v)
      .get(Q)
      .mem('v128.load', 16 * v)
      .op('i32x4.add')
      .set(ACC + v);
  c.get(Q).i32(STREAM_STEP).op('i32.add').set(Q);
  c.br(0).end().end();
  c.get(REPS).i32(1).op('i32.sub').set(REPS);
  c.br(0).end().end();
  for (let v = 1; v < STREAM_ACCS; v++)
    c.get(ACC)
      .get(ACC + v)
      .op('i32x4.add')
      .set(ACC);
  // Lane 0 as a float: any value will do, it only keeps the sum alive.
  c.get(ACC).extractLane('f32x4.extract_lane', 0);
  return assembleModule(
    [
      {
        name: 'streamSum',
        params: ['i32', 'i32', 'i32'],
        results: ['f32'],
        locals: ['i32', ...Array<'v128'>(STREAM_ACCS).fill('v128')],
        body: c,
      },
    ],
    pages,
  );
}

/** `mulAdd(reps)`: `reps` iterations of seven independent `m_v = m_v · 1; a_v = a_v + m_v` on f32x4. */
function mulAddModule(): Uint8Array {
  const REPS = 0;
  const ONE = 1;
  const A = 2; // CHAINS sums, then CHAINS products
  const M = A + CHAINS;
  const c = new Code();
  // The multiplier from memory (the caller stores four 1s at 0): as a constant, V8 rebuilds it
  // in a register every iteration.
  c.i32(0).mem('v128.load').set(ONE);
  for (let v = 0; v < CHAINS; v++)
    c.f32x4(0)
      .set(A + v)
      .f32x4(1e-3 * (v + 1))
      .set(M + v);
  c.block().loop();
  c.get(REPS).op('i32.eqz').brIf(1);
  for (let v = 0; v < CHAINS; v++)
    c.get(M + v)
      .get(ONE)
      .op('f32x4.mul')
      .tee(M + v)
      .get(A + v)
      .op('f32x4.add')
      .set(A + v);
  c.get(REPS).i32(1).op('i32.sub').set(REPS);
  c.br(0).end().end();
  for (let v = 1; v < CHAINS; v++)
    c.get(A)
      .get(A + v)
      .op('f32x4.add')
      .set(A);
  c.get(A).extractLane('f32x4.extract_lane', 0);
  return assembleModule(
    [
      {
        name: 'mulAdd',
        params: ['i32'],
        results: ['f32'],
        locals: Array<'v128'>(1 + 2 * CHAINS).fill('v128'),
        body: c,
      },
    ],
    1,
  );
}

/**
 * GFLOP/s of `f32x4.mul` + `f32x4.add` from registers on one core (best of `rounds` rounds of
 * about `roundMs` ms; 8 flops per multiply-add pair): the arithmetic roof of a Float32
 * WebAssembly SIMD multiply-accumulate.
 */
export function measureMulAddPeak(rounds = 31, roundMs = 3): number {
  const ex = instantiate<{ memory: WasmMemory; mulAdd(reps: number): number }>(mulAddModule());
  new Float32Array(ex.memory.buffer, 0, 4).fill(1);
  let sink = ex.mulAdd(100_000);
  const t0 = performance.now();
  sink += ex.mulAdd(1_000_000);
  const reps = Math.max(1000, Math.round((roundMs * 1e6) / Math.max(1e-6, performance.now() - t0)));
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    sink += ex.mulAdd(reps);
    best = Math.max(best, (reps * CHAINS * 8) / ((performance.now() - t) * 1e6));
  }
  if (Number.isNaN(sink)) throw new Error('wasm-roofs: the multiply-add sum is NaN');
  return best;
}

/** One measured read bandwidth. */
export interface ReadBandwidth {
  /** Bytes summed per pass. */
  bytes: number;
  /** Best (fastest round) GB/s (1e9 bytes per second). */
  maxGBs: number;
  /** Median GB/s over the rounds. */
  medianGBs: number;
}

/**
 * GB/s of the streaming sum over a resident buffer of `bytes` bytes (rounded up to 128), timed
 * in `rounds` rounds of about `roundMs` ms each after a warm-up that also brings the buffer into
 * cache: best and median round.
 */
export function measureReadBandwidth(bytes: number, rounds = 31, roundMs = 3): ReadBandwidth {
  const b = Math.max(STREAM_STEP, Math.ceil(bytes / STREAM_STEP) * STREAM_STEP);
  const pages = Math.ceil(b / PAGE);
  const ex = instantiate<{
    memory: WasmMemory;
    streamSum(p: number, end: number, reps: number): number;
  }>(streamSumModule(pages));
  const i32 = new Int32Array(ex.memory.buffer, 0, b / 4);
  for (let i = 0; i < i32.length; i++) i32[i] = i;
  let sink = 0;
  for (let i = 0; i < 50; i++) sink += ex.streamSum(0, b, 1);
  const t0 = performance.now();
  sink += ex.streamSum(0, b, 20);
  const perPassMs = Math.max(1e-6, (performance.now() - t0) / 20);
  const reps = Math.max(1, Math.round(roundMs / perPassMs));
  const gbs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    sink += ex.streamSum(0, b, reps);
    gbs.push((b * reps) / ((performance.now() - t) * 1e6));
  }
  if (sink === 0.5) console.log(sink); // keeps the sums from being optimized away
  gbs.sort((x, y) => x - y);
  return { bytes: b, maxGBs: gbs[gbs.length - 1]!, medianGBs: gbs[gbs.length >> 1]! };
}
