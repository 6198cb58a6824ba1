/**
 * Maximum matchings in the bipartite split of a transitive closure (Fulkerson: `W = n − |M|`),
 * restricted to a subset of nodes, on bitsets and allocation-free, with the two witnesses of
 * Dilworth's theorem read off a maximum matching (a maximum antichain by König, a minimum chain
 * cover). Built for edge generation (EGS), where the closure only grows: a matching stays a
 * matching after an edge is added, so each step only augments from the free vertices (warm start)
 * instead of rebuilding.
 */
import type { BitMatrix } from '../bit-matrix.js';
import { chainCover } from './width.js';

/**
 * Kuhn's augmenting-path matching on a closure's rows (left side u, right side v, edge iff u
 * reaches v), with the candidate set of each search step taken word-wise as `row(u) ∧ subset ∧
 * ¬visited`. One pass over the free left vertices gives a maximum matching from any start: a free
 * vertex with no augmenting path never gains one after other augmentations (Berge).
 */
export class ClosureMatching {
  /** Capacity: the largest node count this workspace serves. */
  readonly capacity: number;
  /** Right partner of each left vertex (`-1`: free); entries ≥ the current n are meaningless. */
  readonly matchL: Int32Array;
  /** Left partner of each right vertex (`-1`: free). */
  readonly matchR: Int32Array;
  /** Current matching size. */
  size = 0;
  private readonly visited: Uint32Array;
  private readonly all: Uint32Array;
  private readonly zL: Uint8Array;
  private readonly queue: Int32Array;
  private rows: Uint32Array = new Uint32Array(0);
  private subset: Uint32Array = new Uint32Array(0);
  private words = 0;

  /** @param capacity - largest number of nodes (≥ 0) */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.matchL = new Int32Array(capacity).fill(-1);
    this.matchR = new Int32Array(capacity).fill(-1);
    this.visited = new Uint32Array((capacity + 31) >>> 5);
    this.all = new Uint32Array((capacity + 31) >>> 5);
    this.zL = new Uint8Array(capacity);
    this.queue = new Int32Array(capacity);
  }

  /** Empties the matching for the first `n` vertices. */
  clear(n: number): void {
    this.matchL.fill(-1, 0, n);
    this.matchR.fill(-1, 0, n);
    this.size = 0;
  }

  /**
   * Copies `from`'s matching, keeping only the pairs with both ends in `subset` (a bitset of
   * ⌈n/32⌉ words): a valid warm start for the sub-poset on `subset`.
   */
  restrictFrom(from: ClosureMatching, n: number, subset: Uint32Array): void {
    this.clear(n);
    let size = 0;
    for (let u = 0; u < n; u++) {
      if (!hasBit(subset, u)) continue;
      const v = from.matchL[u]!;
      if (v < 0 || !hasBit(subset, v)) continue;
      this.matchL[u] = v;
      this.matchR[v] = u;
      size++;
    }
    this.size = size;
  }

  /**
   * Augments the current matching to a maximum one of the closure `reach` restricted to the
   * nodes of `subset` (all nodes when omitted); every current pair must be an edge of that graph.
   * Returns the matching size.
   */
  maximize(reach: BitMatrix, subset?: Uint32Array): number {
    const n = reach.n;
    if (n > this.capacity)
      throw new RangeError(`ClosureMatching: ${n} nodes exceed capacity ${this.capacity}`);
    this.rows = reach.data;
    this.words = reach.words;
    const active = subset ?? fillAll(this.all, n);
    this.subset = active;
    for (let u = 0; u < n; u++) {
      if (this.matchL[u] !== -1 || !hasBit(active, u)) continue;
      this.visited.fill(0);
      if (this.augment(u)) this.size++;
    }
    this.rows = EMPTY;
    this.subset = EMPTY;
    return this.size;
  }

  /**
   * One maximum antichain of the closure `reach` (this matching must be maximum for it),
   * ascending, into `out` (emptied first): König's construction, i.e. the nodes reached on the
   * left side and not on the right by alternating paths from the free left vertices. Those reached
   * sets are the same for every maximum matching (Dulmage–Mendelsohn), so this is exactly the
   * antichain of `widthFromClosure` on the same closure, without a matching from scratch.
   */
  antichain(reach: BitMatrix, out: number[]): number[] {
    const n = reach.n;
    const words = reach.words;
    const rows = reach.data;
    const { matchL, matchR, zL, queue } = this;
    const zR = this.visited; // free between maximize calls
    zL.fill(0, 0, n);
    zR.fill(0, 0, words);
    let tail = 0;
    for (let u = 0; u < n; u++)
      if (matchL[u] === -1) {
        zL[u] = 1;
        queue[tail++] = u;
      }
    for (let head = 0; head < tail; head++) {
      const base = queue[head]! * words;
      // A left vertex reached through its matching edge has that partner in zR already.
      for (let k = 0; k < words; k++) {
        let cand = rows[base + k]! & ~zR[k]!;
        zR[k]! |= cand;
        while (cand !== 0) {
          const low = cand & -cand;
          cand ^= low;
          const w = matchR[(k << 5) + (31 - Math.clz32(low))]!;
          if (w !== -1 && !zL[w]) {
            zL[w] = 1;
            queue[tail++] = w;
          }
        }
      }
    }
    out.length = 0;
    for (let v = 0; v < n; v++) if (zL[v] && !hasBit(zR, v)) out.push(v);
    return out;
  }

  /**
   * The minimum chain cover of the first `n` nodes given by this (maximum) matching: each chain
   * follows the matched pairs from a node no one is matched to. Allocates.
   */
  chains(n: number): number[][] {
    return chainCover(this.matchL, this.matchR, n);
  }

  /** Depth-first search for an augmenting path from left vertex u (recursion depth ≤ n). */
  private augment(u: number): boolean {
    const words = this.words;
    const base = u * words;
    const rows = this.rows;
    const subset = this.subset;
    const visited = this.visited;
    for (let k = 0; k < words; k++) {
      let cand = rows[base + k]! & subset[k]! & ~visited[k]!;
      while (cand !== 0) {
        const low = cand & -cand;
        visited[k]! |= low;
        const v = (k << 5) + (31 - Math.clz32(low));
        const w = this.matchR[v]!;
        if (w === -1 || this.augment(w)) {
          this.matchL[u] = v;
          this.matchR[v] = u;
          return true;
        }
        // The recursion may have visited more vertices of this word.
        cand &= ~visited[k]!;
      }
    }
    return false;
  }
}

const EMPTY = new Uint32Array(0);

/** Whether bit `i` of a bitset is set. */
export function hasBit(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** Writes the bitset of nodes `0 … n − 1` into `out` (⌈n/32⌉ words used) and returns it. */
export function fillAll(out: Uint32Array, n: number): Uint32Array {
  const words = (n + 31) >>> 5;
  out.fill(0xffffffff, 0, words);
  if (n & 31) out[words - 1] = (1 << (n & 31)) - 1;
  return out;
}
