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
  private readonly stackU: Int32Array;
  private readonly stackK: Int32Array;
  private readonly stackCand: Int32Array;
  private readonly stackV: Int32Array;
  private readonly scratch: number[] = [];
  private rows: Uint32Array = new Uint32Array(0);
  private subset: Uint32Array = new Uint32Array(0);
  private words = 0;
  /** Whether `zL` holds König's left set of the current matching (set by `antichain`). */
  private konigFresh = false;
  /** Whether the last maximize found no augmenting path (see `swept`). */
  private sweptClean = false;

  /** @param capacity - largest number of nodes (≥ 0) */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.matchL = new Int32Array(capacity).fill(-1);
    this.matchR = new Int32Array(capacity).fill(-1);
    this.visited = new Uint32Array((capacity + 31) >>> 5);
    this.all = new Uint32Array((capacity + 31) >>> 5);
    this.zL = new Uint8Array(capacity);
    this.queue = new Int32Array(capacity);
    this.stackU = new Int32Array(capacity);
    this.stackK = new Int32Array(capacity);
    this.stackCand = new Int32Array(capacity);
    this.stackV = new Int32Array(capacity);
  }

  /** Empties the matching for the first `n` vertices. */
  clear(n: number): void {
    this.konigFresh = false;
    this.sweptClean = false;
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
    this.konigFresh = false;
    const n = reach.n;
    if (n > this.capacity)
      throw new RangeError(`ClosureMatching: ${n} nodes exceed capacity ${this.capacity}`);
    this.rows = reach.data;
    this.words = reach.words;
    const active = subset ?? fillAll(this.all, n);
    this.subset = active;
    // Visited marks are kept across failed searches: what a failed search reached leads to no
    // free vertex while the matching is unchanged, so later searches may skip it (same paths
    // found, without rescanning those rows for every free vertex).
    this.visited.fill(0);
    let augmented = false;
    for (let u = 0; u < n; u++) {
      if (this.matchL[u] !== -1 || !hasBit(active, u)) continue;
      if (this.augment(u)) {
        this.size++;
        this.visited.fill(0);
        augmented = true;
      }
    }
    this.sweptClean = !augmented;
    this.rows = EMPTY;
    this.subset = EMPTY;
    return this.size;
  }

  /**
   * Whether the last {@link ClosureMatching.maximize} found no augmenting path: then its failed
   * searches, which share their visited marks, explored from every free left vertex of its subset,
   * and {@link ClosureMatching.sweepAntichain} can read König's sets off them.
   */
  get swept(): boolean {
    return this.sweptClean;
  }

  /**
   * One maximum antichain of the closure restricted to `subset` (the last
   * {@link ClosureMatching.maximize}'s, which must have been {@link ClosureMatching.swept}), as
   * bits ORed into `out`: König's construction from the visited marks of that maximize (the right
   * vertices Z_R reached by alternating paths from the free left vertices; the left ones Z_L are
   * those free vertices and Z_R's partners): the nodes in Z_L and not in Z_R. No extra search.
   */
  sweepAntichain(subset: Uint32Array, words: number, out: Uint32Array, outOffset = 0): void {
    if (!this.sweptClean) throw new RangeError('ClosureMatching.sweepAntichain: the last maximize augmented');
    const { matchL, matchR, visited } = this;
    for (let k = 0; k < words; k++) {
      // Free left vertices of the subset, then the partners of the reached right vertices.
      let bits = subset[k]!;
      let z = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        if (matchL[(k << 5) + (31 - Math.clz32(low))] === -1) z |= low;
      }
      out[outOffset + k]! |= z & ~visited[k]!;
    }
    for (let k = 0; k < words; k++) {
      let bits = visited[k]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const w = matchR[(k << 5) + (31 - Math.clz32(low))]!;
        if (w !== -1 && !hasBit(visited, w)) out[outOffset + (w >>> 5)]! |= 1 << (w & 31);
      }
    }
  }

  /**
   * Computes König's sets for the current matching on `reach` unless {@link ClosureMatching.antichain}
   * already did since the matching last changed: what {@link ClosureMatching.growsWith} needs.
   */
  prepareGrowth(reach: BitMatrix): void {
    if (!this.konigFresh) this.antichain(reach, this.scratch);
  }

  /**
   * Whether adding the pairs `sources × targets` to the closure lets this matching grow, without
   * changing it. Call after {@link ClosureMatching.antichain} on the closure before the pairs were
   * added, with this matching maximum for it; `reach` is that closure with the pairs added.
   * An augmenting path in the grown closure must use a new pair; its first one (a, b) is reached
   * from a free vertex over old pairs only, so a is in König's left set Z, and from b the path
   * goes on to a free right vertex. So: some source in Z, and some target free or, through its
   * partner, on an alternating path to a free right vertex. Costs at most one scan of the rows
   * reached from the targets' partners, not of every free vertex's row.
   */
  growsWith(reach: BitMatrix, sources: readonly number[], targets: readonly number[]): boolean {
    if (!this.konigFresh)
      throw new RangeError('ClosureMatching.growsWith: call antichain() or prepareGrowth() first');
    if (!sources.some((a) => this.zL[a] === 1)) return false;
    if (targets.some((b) => this.matchR[b] === -1)) return true;
    this.rows = reach.data;
    this.words = reach.words;
    this.subset = fillAll(this.all, reach.n);
    const visited = this.visited;
    visited.fill(0);
    let found = false;
    for (const b of targets) {
      if (hasBit(visited, b)) continue;
      visited[b >>> 5]! |= 1 << (b & 31);
      if (this.augment(this.matchR[b]!, false)) {
        found = true;
        break;
      }
    }
    this.rows = EMPTY;
    this.subset = EMPTY;
    return found;
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
    this.konigFresh = true;
    return out;
  }

  /**
   * The minimum chain cover of the first `n` nodes given by this (maximum) matching: each chain
   * follows the matched pairs from a node no one is matched to. Allocates.
   */
  chains(n: number): number[][] {
    return chainCover(this.matchL, this.matchR, n);
  }

  /**
   * Depth-first search for an augmenting path from left vertex `root`, on an explicit stack (a
   * path can be n long, far beyond the call stack): frame d holds its left vertex, the word of its
   * row being scanned, that word's untried candidates and the right vertex it descended through.
   * Candidates are tried in ascending order, as a recursive search would. `apply`: flip the path
   * found into the matching (else only report it).
   */
  private augment(root: number, apply = true): boolean {
    const words = this.words;
    const rows = this.rows;
    const subset = this.subset;
    const visited = this.visited;
    const { matchL, matchR, stackU, stackK, stackCand, stackV } = this;
    let depth = 0;
    stackU[0] = root;
    stackK[0] = 0;
    stackCand[0] = rows[root * words]! & subset[0]! & ~visited[0]!;
    for (;;) {
      const u = stackU[depth]!;
      let k = stackK[depth]!;
      // A deeper search may have visited more vertices of this word.
      let cand = stackCand[depth]! & ~visited[k]!;
      while (cand === 0 && ++k < words) cand = rows[u * words + k]! & subset[k]! & ~visited[k]!;
      if (cand === 0) {
        if (depth === 0) return false;
        depth--;
        continue;
      }
      const low = cand & -cand;
      visited[k]! |= low;
      const v = (k << 5) + (31 - Math.clz32(low));
      stackK[depth] = k;
      stackCand[depth] = cand ^ low;
      stackV[depth] = v;
      const w = matchR[v]!;
      if (w === -1) {
        if (!apply) return true;
        for (let d = depth; d >= 0; d--) {
          matchL[stackU[d]!] = stackV[d]!;
          matchR[stackV[d]!] = stackU[d]!;
        }
        return true;
      }
      // Each frame's right vertex is newly visited, so the stack never exceeds n frames.
      depth++;
      stackU[depth] = w;
      stackK[depth] = 0;
      stackCand[depth] = rows[w * words]! & subset[0]! & ~visited[0]!;
    }
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
