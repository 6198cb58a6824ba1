/**
 * The EGS graph observation: per-node features and pairwise relation channels of the
 * current graph G_t, as a {@link GraphObservation} with fresh arrays on every call. Two feature
 * sets: `v1` (the original six) and `v2`, which adds what list scheduling knows (EST and slack,
 * t- and b-levels, membership of the maximum antichain, the list schedule's start times and
 * which core neighbours are still unserialised). A trained model records its set.
 */
import type { GraphObservation } from '../../core/spaces.js';
import type { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';
import type { PosetWidthTracker } from './critical-nodes.js';
import type { EgsListHint } from './egs-list-hint.js';

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
 * Node features of the `v2` set: {@link EGS_NODE_FEATURES}, then
 * - `est`: `EST(v)/D` in G_t;
 * - `slack`: `(LST(v) − EST(v))/D`, at least 0 (how much later v may still start);
 * - `tLevel`: `EST(v)/L(G_t)` (the longest path into v, relative to the critical path);
 * - `bLevel`: `(D − LST(v))/L(G_t)` (the longest path from v's start to a sink, which is what
 *   list scheduling ranks by);
 * - `inAntichain`: 1 when v lies in the maximum antichain the matching finds (the width
 *   W(G_t) counts it), else 0;
 * - `listStart`: v's start time in the best list schedule of the original task, over D;
 * - `listNextOpen`: 1 when v's successor on its list-schedule core is still incomparable with v
 *   in G_t (the list schedule's edge out of v is still to be added), else 0;
 * - `listPrevOpen`: the same for v's predecessor on its core.
 */
export const EGS_NODE_FEATURES_V2 = [
  ...EGS_NODE_FEATURES,
  'est',
  'slack',
  'tLevel',
  'bLevel',
  'inAntichain',
  'listStart',
  'listNextOpen',
  'listPrevOpen',
] as const;

/** The observation feature sets: `v1` = {@link EGS_NODE_FEATURES}, `v2` = {@link EGS_NODE_FEATURES_V2}. */
export const EGS_FEATURE_SETS = ['v1', 'v2'] as const;

/** One of {@link EGS_FEATURE_SETS}. */
export type EgsFeatureSet = (typeof EGS_FEATURE_SETS)[number];

/** Number of node features of a feature set. */
export function egsNodeFeatureDim(set: EgsFeatureSet = 'v1'): number {
  return set === 'v2' ? EGS_NODE_FEATURES_V2.length : EGS_NODE_FEATURE_DIM;
}

/** The feature set whose dimension is `dim`, or undefined. */
export function egsFeatureSetOfDim(dim: number): EgsFeatureSet | undefined {
  return EGS_FEATURE_SETS.find((s) => egsNodeFeatureDim(s) === dim);
}

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
  /** `v2`: 1 for the nodes of the maximum antichain (by node). */
  inAntichain?: ArrayLike<number>;
  /** `v2`: the list-schedule hint of the task. */
  listHint?: EgsListHint;
}

/**
 * The {@link EgsObservationParts} of the graph a tracker follows, with the episode's lower bound
 * and, for `v2`, the antichain flags and the list hint.
 */
export function egsObservationParts(
  tracker: PosetWidthTracker,
  lowerBound: number,
  extra: { inAntichain?: ArrayLike<number>; listHint?: EgsListHint } = {},
): EgsObservationParts {
  return {
    lateralWidth: tracker.lateralWidth,
    critical: tracker.critical,
    width: tracker.width,
    lowerBound,
    ...extra,
  };
}

/**
 * Writes 1 into `out[v]` for each node of `antichain` and 0 for the others (n entries); returns
 * `out`. The `inAntichain` flags of {@link EgsObservationParts}.
 */
export function antichainFlags(antichain: readonly number[], n: number, out: Uint8Array): Uint8Array {
  out.fill(0, 0, n);
  for (const v of antichain) out[v] = 1;
  return out;
}

/**
 * The observation of G_t: `nodeFeatures` n × {@link egsNodeFeatureDim} (row-major) and
 * `relations` n × n × {@link EGS_RELATION_DIM} (index `(i·n + j)·k + channel`). Fresh arrays.
 */
export function buildEgsObservation(
  state: EdgeGenerationState,
  parts: EgsObservationParts,
  features: EgsFeatureSet = 'v1',
): GraphObservation {
  const n = state.dag.n;
  const nodeFeatures = new Float32Array(n * egsNodeFeatureDim(features));
  writeEgsNodeFeatures(state, parts, nodeFeatures, features);
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

/**
 * Writes the node features of G_t (n rows of `features`: {@link EGS_NODE_FEATURES} or
 * {@link EGS_NODE_FEATURES_V2}) into `out`. `v2` reads `parts.inAntichain` and `parts.listHint`
 * (zeros where absent).
 */
export function writeEgsNodeFeatures(
  state: EdgeGenerationState,
  parts: EgsObservationParts,
  out: Float32Array,
  features: EgsFeatureSet = 'v1',
): void {
  const { dag, deadline, est, eft, lst, reach, ancestors } = state;
  const n = dag.n;
  const F = egsNodeFeatureDim(features);
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
  if (features !== 'v2') return;
  const L = Math.max(state.criticalPath, Number.MIN_VALUE);
  const hint = parts.listHint;
  const words = reach.words;
  // u and v incomparable in G_t: neither reaches the other.
  const open = (u: number, v: number): number => {
    if (u < 0) return 0;
    const k = v * words + (u >>> 5);
    const bit = 1 << (u & 31);
    return (reach.data[k]! | ancestors.data[k]!) & bit ? 0 : 1;
  };
  for (let v = 0; v < n; v++) {
    const o = v * F + EGS_NODE_FEATURE_DIM;
    out[o] = est[v]! / deadline;
    out[o + 1] = Math.max(0, lst[v]! - est[v]!) / deadline;
    out[o + 2] = est[v]! / L;
    out[o + 3] = (deadline - lst[v]!) / L;
    out[o + 4] = parts.inAntichain?.[v] ? 1 : 0;
    out[o + 5] = hint ? hint.start[v]! / deadline : 0;
    out[o + 6] = hint ? open(hint.coreNext[v]!, v) : 0;
    out[o + 7] = hint ? open(hint.corePrev[v]!, v) : 0;
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
    // j and j is not covered (no w with i → w → j). Every descendant is one of a direct
    // successor's or that successor, so the successors' rows alone make the same set.
    covered.fill(0, 0, words);
    for (const s of state.successors(i)) {
      const rw = s * words;
      for (let t = 0; t < words; t++) covered[t]! |= r[rw + t]!;
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

/**
 * Updates relation codes written by {@link writeEgsRelationCodes} for `state` to those of the
 * graph with `i → j` added; call it just before `state.addEdge(i, j)` (it reads the closure before
 * the edge). The edge adds the pairs (s, t), s = i or an ancestor of i, t = j or a descendant of j:
 * those become `reaches` (their transposes `reachedBy`), none is incomparable any more, and none
 * is an edge of the reduction but i → j itself (each other one now has a path through i → j).
 * Pairs outside that product keep their codes: a reduction edge u → v loses its place only to a
 * path u ⇝ i → j ⇝ v. O(|s| · |t|) rather than the O(n²) of a full write.
 */
export function addEdgeToRelationCodes(
  state: EdgeGenerationState,
  i: number,
  j: number,
  codes: Uint8Array,
): void {
  const { reach, ancestors } = state;
  const n = state.dag.n;
  const words = reach.words;
  const sources = collectRow(ancestors.data, i, words, i, sourceScratch);
  sourceScratch = sources.list;
  const targets = collectRow(reach.data, j, words, j, targetScratch);
  targetScratch = targets.list;
  const S = sources.list;
  const T = targets.list;
  for (let a = 0; a < sources.count; a++) {
    const s = S[a]!;
    const row = s * n;
    for (let b = 0; b < targets.count; b++) {
      // s reaches t (no other channel: the graph stays acyclic, the pair is comparable, and no
      // longer a reduction edge); t is reached by s.
      const t = T[b]!;
      codes[row + t] = 2;
      codes[t * n + s] = 4;
    }
  }
  codes[i * n + j] = 3;
}

// Row v of a bit matrix plus `self`, as a node list (grown when needed).
function collectRow(
  data: Uint32Array,
  v: number,
  words: number,
  self: number,
  list: Int32Array,
): { list: Int32Array; count: number } {
  if (list.length < (words << 5) + 1) list = new Int32Array((words << 5) + 1);
  let count = 0;
  const base = v * words;
  for (let k = 0; k < words; k++) {
    let x = data[base + k]!;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      list[count++] = (k << 5) + (31 - Math.clz32(low));
    }
  }
  list[count++] = self;
  return { list, count };
}

// Node lists of addEdgeToRelationCodes (grown when needed).
let sourceScratch: Int32Array = new Int32Array(0);
let targetScratch: Int32Array = new Int32Array(0);
