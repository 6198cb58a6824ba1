/**
 * The WebAssembly SIMD matrix-product kernel of the graph trainer (`src/nn/simd-matmul.ts` runs
 * it), written with the binary-format writer of `wasm-writer.ts`. One function on one memory:
 *
 * - `mm(a, b, c, m, k, p, aRow, aCol)`: `C[m × p] += A[m × k] · B[k × p]` at byte offsets a, b,
 *   c, with A's entry (r, t) at a + r·aRow + t·aCol bytes (a transposed A needs no copy), B and C
 *   row-major, m and p multiples of 4. Per block of 4 rows × 4 columns: four f32x4 sums, each step
 *   adding splat(A[r + i, t]) · B[t, j … j+3].
 */
import { assembleModule, Code, type ValType, type WasmFunction } from './wasm-writer.js';

// Parameters, then locals (numbers are wasm local indices).
const A = 0;
const B = 1;
const C = 2;
const M = 3;
const K = 4;
const P = 5;
const A_ROW = 6;
const A_COL = 7;
const R = 8;
const J = 9;
const T = 10;
const AP = 11; // walks the current 4-row block of A along t
const BP = 12; // walks the current 4 columns of B down the rows
const CP = 13; // the current 4 × 4 block of C
const PB = 14; // bytes per row of B and C (4p)
const ACC = [15, 16, 17, 18]; // one f32x4 sum per row of the block
const BV = 19; // B[t, j … j+3]

/** `local = local + value` (i32). */
function addTo(c: Code, local: number, value: number): void {
  c.get(local).i32(value).op('i32.add').set(local);
}

/** Pushes the address of row `i` of the current 4-row block: `base + i·stride`. */
function rowAddr(c: Code, base: number, stride: number, i: number): void {
  c.get(base);
  if (i !== 0) c.get(stride).i32(i).op('i32.mul').op('i32.add');
}

function mmFunction(): WasmFunction {
  const c = new Code();
  c.get(P).i32(4).op('i32.mul').set(PB);
  c.i32(0).set(R);
  c.block().loop(); // rows
  c.get(R).get(M).op('i32.ge_u').brIf(1);
  c.i32(0).set(J);
  c.block().loop(); // columns
  c.get(J).get(P).op('i32.ge_u').brIf(1);
  // cp = c + (r·p + j)·4; acc_i = C[r + i, j …]
  c.get(R).get(P).op('i32.mul').get(J).op('i32.add').i32(4).op('i32.mul').get(C).op('i32.add').set(CP);
  for (let i = 0; i < 4; i++) {
    rowAddr(c, CP, PB, i);
    c.mem('v128.load').set(ACC[i]!);
  }
  // ap = a + r·aRow; bp = b + j·4
  c.get(R).get(A_ROW).op('i32.mul').get(A).op('i32.add').set(AP);
  c.get(J).i32(4).op('i32.mul').get(B).op('i32.add').set(BP);
  c.i32(0).set(T);
  c.block().loop(); // inner products
  c.get(T).get(K).op('i32.ge_u').brIf(1);
  c.get(BP).mem('v128.load').set(BV);
  for (let i = 0; i < 4; i++) {
    c.get(ACC[i]!);
    rowAddr(c, AP, A_ROW, i);
    c.mem('f32.load').op('f32x4.splat').get(BV).op('f32x4.mul').op('f32x4.add').set(ACC[i]!);
  }
  c.get(AP).get(A_COL).op('i32.add').set(AP);
  c.get(BP).get(PB).op('i32.add').set(BP);
  addTo(c, T, 1);
  c.br(0).end().end();
  for (let i = 0; i < 4; i++) {
    rowAddr(c, CP, PB, i);
    c.get(ACC[i]!).mem('v128.store');
  }
  addTo(c, J, 4);
  c.br(0).end().end();
  addTo(c, R, 4);
  c.br(0).end().end();
  return {
    name: 'mm',
    params: Array<ValType>(8).fill('i32'),
    results: [],
    locals: [...Array<ValType>(7).fill('i32'), ...Array<ValType>(5).fill('v128')],
    body: c,
  };
}

/** The matrix-product module's bytes (one initial memory page; the runtime grows it). */
export function buildMatMulWasm(): Uint8Array {
  return assembleModule([mmFunction()], 1);
}
