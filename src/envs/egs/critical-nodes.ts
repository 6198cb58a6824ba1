/**
 * Lateral widths and critical nodes (EGS). The *lateral width* of v is the width of the
 * sub-poset of the nodes incomparable with v; v is *critical* (lies in some maximum antichain)
 * exactly when its lateral width is `W − 1`: a maximum antichain of the incomparable nodes plus v
 * is an antichain, and any antichain through v lies in v's incomparable set.
 *
 * Why the EGS mask may keep only edges between critical nodes: if a valid edge `i → j` lowers W,
 * every maximum antichain has a node ≤ i and a node ≥ j; take a ≤ i in the greatest maximum
 * antichain and b ≥ j in the least one (maximum antichains form a lattice). Then `a → b` is valid
 * too (`EFT(a) ≤ EFT(i) ≤ LST(j) ≤ LST(b)`) and also meets every maximum antichain on both sides,
 * so it lowers W as well. (The EGS paper's stronger wording, "edges between non-critical nodes cannot
 * lower W", is false: such an edge can join a critical node's descendant to another's ancestor;
 * see the tests.)
 */
import { popcount32, type BitMatrix } from '../../dag/bit-matrix.js';
import { ClosureMatching, fillAll } from '../../dag/analysis/closure-matching.js';

/** Width, lateral widths and critical flags of a poset (a transitive closure). */
export interface CriticalNodesResult {
  /** `W`: size of a maximum antichain. */
  width: number;
  /** Lateral width of each node: the width of the nodes incomparable with it (0 … W − 1). */
  lateralWidth: Int32Array;
  /** 1 where the node lies in some maximum antichain (lateral width = W − 1). */
  critical: Uint8Array;
}

/**
 * Keeps the width, the lateral widths, the critical flags, a maximum antichain and a minimum chain
 * cover of a growing closure (a poset) up to date.
 * The global maximum matching is warm-started from the previous step (the closure only gains
 * pairs), and each node's lateral matching is warm-started from the global one restricted to its
 * incomparable set, so an update costs about n small augmentations on bitsets, without allocation.
 */
export class PosetWidthTracker {
  /** Largest node count served. */
  readonly capacity: number;
  /** Current width W. */
  width = 0;
  /** Lateral width by node (first n entries valid). */
  readonly lateralWidth: Int32Array;
  /** Critical flag by node (first n entries valid). */
  readonly critical: Uint8Array;
  /** Number of critical nodes. */
  criticalCount = 0;
  private readonly global: ClosureMatching;
  private readonly lateral: ClosureMatching;
  private readonly subset: Uint32Array;
  private readonly all: Uint32Array;
  private n = 0;
  // Witnesses (when kept): row v (⌈capacity/32⌉ words) = v plus a maximum antichain of the nodes
  // incomparable with v, i.e. an antichain through v of size lateralWidth[v] + 1.
  private readonly witness: Uint32Array;
  private readonly witnessWords: number;
  private readonly hasWitness: Uint8Array;
  private readonly sources: Uint32Array;
  private readonly targets: Uint32Array;

  /**
   * @param capacity - largest number of nodes
   * @param options - `witnesses` (default false): also keep, per node, an antichain that proves its
   *   lateral width (read off each lateral matching's own search, no extra pass), which lets
   *   {@link PosetWidthTracker.keptByEdge} skip most lateral matchings of the next edge
   */
  constructor(capacity: number, options: { witnesses?: boolean } = {}) {
    this.capacity = capacity;
    this.lateralWidth = new Int32Array(capacity);
    this.critical = new Uint8Array(capacity);
    this.global = new ClosureMatching(capacity);
    this.lateral = new ClosureMatching(capacity);
    const words = (capacity + 31) >>> 5;
    this.subset = new Uint32Array(words);
    this.all = new Uint32Array(words);
    const keep = options.witnesses === true;
    this.witnessWords = keep ? words : 0;
    this.witness = new Uint32Array(keep ? capacity * words : 0);
    this.hasWitness = new Uint8Array(keep ? capacity : 0);
    this.sources = new Uint32Array(words);
    this.targets = new Uint32Array(words);
  }

  /** Whether this tracker keeps lateral-width witnesses (see the constructor). */
  get keepsWitnesses(): boolean {
    return this.witnessWords > 0;
  }

  /** Starts over on a new closure (drops the warm matching). */
  reset(reach: BitMatrix, ancestors: BitMatrix): void {
    this.n = reach.n;
    this.global.clear(reach.n);
    this.update(reach, ancestors);
  }

  /**
   * Writes into `out` (⌈n/32⌉ words) the nodes whose lateral width the edge `i → j` cannot change,
   * from the closure before it is added (then add the edge and call
   * {@link PosetWidthTracker.update} with `out`): those of {@link edgeKeepsLateralWidths}, and,
   * with witnesses, every node whose witness antichain survives the edge. Why that suffices: the
   * edge adds exactly the pairs (s, t) with s in S = {i} ∪ ancestors(i) and t in T = {j} ∪
   * descendants(j). A witness A of v (v plus lateralWidth[v] nodes incomparable with v, pairwise
   * incomparable) that misses S or misses T gains no pair, so A − v is still an antichain of nodes
   * incomparable with v: the lateral width does not drop below it, and it cannot grow (the
   * incomparable set only shrinks, its order only gains pairs). The witness stays valid.
   * Costs O(n·n/32) word operations instead of the lateral matchings.
   */
  keptByEdge(reach: BitMatrix, ancestors: BitMatrix, i: number, j: number, out: Uint32Array): Uint32Array {
    edgeKeepsLateralWidths(reach, ancestors, i, j, out);
    const ww = this.witnessWords;
    if (ww === 0) return out;
    const words = reach.words;
    const n = this.n;
    const S = this.sources;
    const T = this.targets;
    for (let k = 0; k < words; k++) {
      S[k] = ancestors.data[i * words + k]!;
      T[k] = reach.data[j * words + k]!;
    }
    S[i >>> 5]! |= 1 << (i & 31);
    T[j >>> 5]! |= 1 << (j & 31);
    const wit = this.witness;
    for (let v = 0; v < n; v++) {
      const bit = 1 << (v & 31);
      if (out[v >>> 5]! & bit || !this.hasWitness[v]) continue;
      const base = v * ww;
      let hitS = 0;
      let hitT = 0;
      for (let k = 0; k < words && (hitS === 0 || hitT === 0); k++) {
        const a = wit[base + k]!;
        hitS |= a & S[k]!;
        hitT |= a & T[k]!;
      }
      if (hitS === 0 || hitT === 0) out[v >>> 5]! |= bit;
    }
    return out;
  }

  /**
   * Recomputes everything after pairs were added to `reach` (and `ancestors`, its transpose).
   * `unchanged` (a bitset), when given, names nodes whose lateral width is known not to have
   * changed: they keep it (see {@link edgeKeepsLateralWidths}).
   */
  update(reach: BitMatrix, ancestors: BitMatrix, unchanged?: Uint32Array): void {
    const n = this.n;
    if (reach.n !== n) throw new RangeError(`PosetWidthTracker: closure has ${reach.n} nodes, expected ${n}`);
    this.width = n - this.global.maximize(reach);
    const words = reach.words;
    const all = fillAll(this.all, n);
    const subset = this.subset;
    let count = 0;
    for (let v = 0; v < n; v++) {
      if (unchanged && unchanged[v >>> 5]! & (1 << (v & 31))) {
        const c = this.lateralWidth[v] === this.width - 1 ? 1 : 0;
        this.critical[v] = c;
        count += c;
        continue;
      }
      // Incomparable set of v: neither a descendant, nor an ancestor, nor v itself.
      const base = v * words;
      let size = 0;
      for (let k = 0; k < words; k++) {
        const w = all[k]! & ~(reach.data[base + k]! | ancestors.data[base + k]!);
        subset[k] = w;
        size += popcount32(w);
      }
      if (subset[v >>> 5]! & (1 << (v & 31))) {
        subset[v >>> 5]! &= ~(1 << (v & 31));
        size--;
      }
      let lw = 0;
      if (size > 0) {
        this.lateral.restrictFrom(this.global, n, subset);
        lw = size - this.lateral.maximize(reach, subset);
      }
      if (this.witnessWords > 0) this.storeWitness(reach, v, size > 0);
      this.lateralWidth[v] = lw;
      const c = lw === this.width - 1 ? 1 : 0;
      this.critical[v] = c;
      count += c;
    }
    this.criticalCount = count;
  }

  // Witness of v from the lateral matching just maximized on `subset` (v's incomparable nodes):
  // König's antichain of that sub-poset read off the maximize's own search, plus v; just v when
  // the subset is empty.
  private storeWitness(reach: BitMatrix, v: number, nonEmpty: boolean): void {
    const words = reach.words;
    const row = v * this.witnessWords;
    const wit = this.witness;
    wit.fill(0, row, row + words);
    // After an augmentation the search's marks are not König's sets: no witness (v's lateral
    // matching runs again at the next edge that is not kept otherwise) rather than a second search.
    // Rare along an episode; common at reset, where the warm start is the global matching.
    this.hasWitness[v] = !nonEmpty || this.lateral.swept ? 1 : 0;
    if (nonEmpty && this.hasWitness[v]) this.lateral.sweepAntichain(this.subset, words, wit, row);
    wit[row + (v >>> 5)]! |= 1 << (v & 31);
  }

  /**
   * One maximum antichain of the current closure `reach`, ascending, into `out` (emptied first):
   * König's construction on the warm global matching, the same antichain as `widthFromClosure`'s
   * (see {@link ClosureMatching.antichain}).
   */
  antichain(reach: BitMatrix, out: number[]): number[] {
    return this.global.antichain(reach, out);
  }

  /**
   * A minimum chain cover of the current closure from the global matching (each chain ordered
   * along the poset; `chains.length === width`). Allocates: call it once per episode.
   */
  chains(): number[][] {
    return this.global.chains(this.n);
  }

  /**
   * The witness of v's lateral width (with witnesses kept): v and lateralWidth[v] nodes, pairwise
   * incomparable, ascending; undefined when v has none (its last lateral matching augmented).
   * Allocates; for tests and checks.
   */
  witnessOf(v: number): number[] | undefined {
    if (!this.hasWitness[v]) return undefined;
    const out: number[] = [];
    const ww = this.witnessWords;
    for (let u = 0; u < this.n && ww > 0; u++)
      if (this.witness[v * ww + (u >>> 5)]! & (1 << (u & 31))) out.push(u);
    return out;
  }

  /** A copy of the current results. */
  result(): CriticalNodesResult {
    return {
      width: this.width,
      lateralWidth: this.lateralWidth.slice(0, this.n),
      critical: this.critical.slice(0, this.n),
    };
  }
}

/** Width, lateral widths and critical flags of the poset given by a closure and its transpose. */
export function criticalNodes(
  reach: BitMatrix,
  ancestors: BitMatrix = reach.transpose(),
): CriticalNodesResult {
  const tracker = new PosetWidthTracker(reach.n);
  tracker.reset(reach, ancestors);
  return tracker.result();
}

/**
 * Writes into `out` (⌈n/32⌉ words) the nodes whose lateral width the edge `i → j` cannot change,
 * from the closure before it is added: the descendants of i and the ancestors of j. Why: the edge
 * adds the pairs (s, t), s an ancestor of i or i, t a descendant of j or j. A descendant v of i
 * already follows every such s, so no new pair touches v (its incomparable set stays), and no s
 * is incomparable with v (no new pair inside that set): the sub-poset of v's incomparable nodes,
 * hence its width, is the same. Symmetrically for an ancestor of j, which precedes every t.
 */
export function edgeKeepsLateralWidths(
  reach: BitMatrix,
  ancestors: BitMatrix,
  i: number,
  j: number,
  out: Uint32Array,
): Uint32Array {
  const w = reach.words;
  for (let k = 0; k < w; k++) out[k] = reach.data[i * w + k]! | ancestors.data[j * w + k]!;
  return out;
}
