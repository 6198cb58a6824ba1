/**
 * Dense n×n bit matrices, the representation of reachability relations, with the node limit that
 * keeps several of them within an ordinary machine's memory.
 */
import { ArbiterError } from '../core/errors.js';

/**
 * Largest node count of a {@link BitMatrix}: n² bits is 12.5 MB at 10,000 nodes but 312 MB at
 * 50,000, and the analyses hold several such matrices at once (descendants, ancestors, copies in
 * search), which would pass the memory of an ordinary machine beyond this.
 */
export const MAX_BIT_MATRIX_NODES = 50_000;

/**
 * A dense n×n bit matrix stored row-major in 32-bit words: the representation of reachability
 * relations. Row operations touch ⌈n/32⌉ words, which keeps closure updates O(n²/32).
 */
export class BitMatrix {
  /** Number of rows and columns. */
  readonly n: number;
  /** 32-bit words per row. */
  readonly words: number;
  /** Row-major bits: bit j of row i is word `i*words + (j >>> 5)`, bit `j & 31`. */
  readonly data: Uint32Array;

  constructor(n: number, data?: Uint32Array) {
    if (n > MAX_BIT_MATRIX_NODES)
      throw new ArbiterError(
        'too-large',
        `a DAG of ${n.toLocaleString('en-US')} nodes needs reachability matrices of n² bits = ` +
          `${Math.round((n * n) / 8 / 2 ** 20).toLocaleString('en-US')} MiB each, several at once; ` +
          `at most ${MAX_BIT_MATRIX_NODES.toLocaleString('en-US')} nodes are supported`,
      );
    this.n = n;
    this.words = (n + 31) >>> 5;
    this.data = data ?? new Uint32Array(n * this.words);
  }

  /** Whether bit (i, j) is set. */
  has(i: number, j: number): boolean {
    return (this.data[i * this.words + (j >>> 5)]! & (1 << (j & 31))) !== 0;
  }

  /** Sets bit (i, j). */
  set(i: number, j: number): void {
    this.data[i * this.words + (j >>> 5)]! |= 1 << (j & 31);
  }

  /** Clears bit (i, j). */
  clear(i: number, j: number): void {
    this.data[i * this.words + (j >>> 5)]! &= ~(1 << (j & 31));
  }

  /** Row `dst |= row src` (of this matrix). */
  orRowInto(dst: number, src: number): void {
    const w = this.words;
    const d = this.data;
    const a = dst * w;
    const b = src * w;
    for (let k = 0; k < w; k++) d[a + k]! |= d[b + k]!;
  }

  /** Number of set bits in row i. */
  rowCount(i: number): number {
    let c = 0;
    const base = i * this.words;
    for (let k = 0; k < this.words; k++) c += popcount32(this.data[base + k]!);
    return c;
  }

  /** Column indices set in row i, ascending. */
  rowIndices(i: number): number[] {
    const out: number[] = [];
    const base = i * this.words;
    for (let k = 0; k < this.words; k++) {
      let x = this.data[base + k]!;
      while (x !== 0) {
        const low = x & -x;
        out.push((k << 5) + (31 - Math.clz32(low)));
        x ^= low;
      }
    }
    return out;
  }

  /** The transposed matrix. */
  transpose(): BitMatrix {
    const t = new BitMatrix(this.n);
    for (let i = 0; i < this.n; i++) for (const j of this.rowIndices(i)) t.set(j, i);
    return t;
  }

  /** A deep copy. */
  clone(): BitMatrix {
    return new BitMatrix(this.n, this.data.slice());
  }
}

/** Number of set bits in a 32-bit word. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
