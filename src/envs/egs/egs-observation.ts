/**
 * The EGS graph observation: per-node features and pairwise relation channels of the
 * current graph G_t, as a {@link GraphObservation} with fresh arrays on every call.
 */
import type { GraphObservation } from '../../core/spaces.js';
import type { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';
import type { PosetWidthTracker } from './critical-nodes.js';

/**
 * Node features, in order (all dimensionless):
 * - `wcet`: `C(v)/D`;
 * - `eft`: `EFT(v)/D` in G_t;
 * - `lst`: `LST(v)/D` in G_t (may dip a few ulps below `EST/D` at zero slack);
 * - `lateralWidth`: lateral width / n (width of the nodes incomparable with v);
 * - `critical`: 1 when v lies in some maximum antichain, else 0;
 * - `widthGap`: `(W(G_t) − lower bound) / n`, the same for every node. Why: the return still to
 *   come is at most `W − lower bound`, which the critic cannot infer from local features (the lower
 *   bound depends on the original windows), while W itself is `1 + max lateral width`.
 */
export const EGS_NODE_FEATURES = ['wcet', 'eft', 'lst', 'lateralWidth', 'critical', 'widthGap'] as const;

/** Number of node features ({@link EGS_NODE_FEATURES}). */
export const EGS_NODE_FEATURE_DIM = EGS_NODE_FEATURES.length;

/**
 * Relation channels of the ordered pair (i, j), in order (0/1 each):
 * - `edge`: `i → j` is an edge of the transitive reduction of G_t (original or added edge that
 *   no longer is implied by a longer path);
 * - `reaches`: j is reachable from i (transitive closure);
 * - `reachedBy`: i is reachable from j (the closure's transpose);
 * - `incomparable`: `i ≠ j` and neither reaches the other (the pair an edge could still join).
 */
export const EGS_RELATIONS = ['edge', 'reaches', 'reachedBy', 'incomparable'] as const;

/** Number of relation channels ({@link EGS_RELATIONS}). */
export const EGS_RELATION_DIM = EGS_RELATIONS.length;

/** What {@link buildEgsObservation} reads besides the graph state. */
export interface EgsObservationParts {
  /** Lateral width by node. */
  lateralWidth: ArrayLike<number>;
  /** Critical flag by node. */
  critical: ArrayLike<number>;
  /** Current width W(G_t). */
  width: number;
  /** The episode's lower bound on cores. */
  lowerBound: number;
}

/** The {@link EgsObservationParts} of the graph a tracker follows, with the episode's lower bound. */
export function egsObservationParts(tracker: PosetWidthTracker, lowerBound: number): EgsObservationParts {
  return {
    lateralWidth: tracker.lateralWidth,
    critical: tracker.critical,
    width: tracker.width,
    lowerBound,
  };
}

/**
 * The observation of G_t: `nodeFeatures` n × {@link EGS_NODE_FEATURE_DIM} (row-major) and
 * `relations` n × n × {@link EGS_RELATION_DIM} (index `(i·n + j)·k + channel`). Fresh arrays.
 */
export function buildEgsObservation(
  state: EdgeGenerationState,
  parts: EgsObservationParts,
): GraphObservation {
  const n = state.dag.n;
  const nodeFeatures = new Float32Array(n * EGS_NODE_FEATURE_DIM);
  writeEgsNodeFeatures(state, parts, nodeFeatures);
  if (codeScratch.length < n * n) codeScratch = new Uint8Array(n * n);
  const codes = codeScratch;
  writeEgsRelationCodes(state, codes);
  // One code per pair → its four 0/1 channels (EGS_RELATION_DIM = 4).
  const relations = new Uint8Array(n * n * EGS_RELATION_DIM);
  for (let p = 0, o = 0; p < n * n; p++, o += 4) {
    const c = codes[p]!;
    relations[o] = c & 1;
    relations[o + 1] = (c >>> 1) & 1;
    relations[o + 2] = (c >>> 2) & 1;
    relations[o + 3] = c >>> 3;
  }
  return { numNodes: n, nodeFeatures, relations };
}

// The pair codes of the last observation built (grown with the largest graph; never returned).
let codeScratch = new Uint8Array(0);

/** Writes the node features of G_t ({@link EGS_NODE_FEATURES}, n rows) into `out`. */
export function writeEgsNodeFeatures(
  state: EdgeGenerationState,
  parts: EgsObservationParts,
  out: Float32Array,
): void {
  const { dag, deadline, eft, lst } = state;
  const n = dag.n;
  const F = EGS_NODE_FEATURE_DIM;
  const gap = (parts.width - parts.lowerBound) / n;
  for (let v = 0; v < n; v++) {
    const o = v * F;
    out[o] = dag.wcet[v]! / deadline;
    out[o + 1] = eft[v]! / deadline;
    out[o + 2] = lst[v]! / deadline;
    out[o + 3] = parts.lateralWidth[v]! / n;
    out[o + 4] = parts.critical[v] ? 1 : 0;
    out[o + 5] = gap;
  }
}

/**
 * Writes the relation channels ({@link EGS_RELATIONS}) of every ordered pair of G_t as one code
 * per pair into `out[i·n + j]`: bit c set iff channel c is 1 (the form the Float32 graph network
 * reads directly, without the n × n × K array).
 */
export function writeEgsRelationCodes(state: EdgeGenerationState, out: Uint8Array): void {
  const { dag, reach, ancestors } = state;
  const n = dag.n;
  const words = reach.words;
  const r = reach.data;
  const a = ancestors.data;
  if (coveredScratch.length < words) coveredScratch = new Uint32Array(words);
  const covered = coveredScratch;
  for (let i = 0; i < n; i++) {
    const ri = i * words;
    // covered = every node reachable from a descendant of i: j is in the reduction iff i reaches
    // j and j is not covered (no w with i → w → j).
    covered.fill(0, 0, words);
    for (let k = 0; k < words; k++) {
      let x = r[ri + k]!;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        const rw = ((k << 5) + (31 - Math.clz32(low))) * words;
        for (let t = 0; t < words; t++) covered[t]! |= r[rw + t]!;
      }
    }
    const row = i * n;
    for (let k = 0; k < words; k++) {
      const reaches = r[ri + k]!;
      const reachedBy = a[ri + k]!;
      const edge = reaches & ~covered[k]!;
      let incomparable = ~(reaches | reachedBy);
      if (k === i >>> 5) incomparable &= ~(1 << (i & 31));
      const j0 = k << 5;
      const m = Math.min(32, n - j0);
      for (let b = 0; b < m; b++)
        out[row + j0 + b] =
          ((edge >>> b) & 1) |
          (((reaches >>> b) & 1) << 1) |
          (((reachedBy >>> b) & 1) << 2) |
          (((incomparable >>> b) & 1) << 3);
    }
  }
}

// Scratch of writeEgsRelationCodes (one row of words, grown when needed).
let coveredScratch = new Uint32Array(0);
