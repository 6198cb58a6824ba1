/**
 * The EGS graph observation (SPEC §4): per-node features and pairwise relation channels of the
 * current graph G_t, as a {@link GraphObservation} with fresh arrays on every call.
 */
import type { GraphObservation } from '../../core/spaces.js';
import type { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';

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

/**
 * The observation of G_t: `nodeFeatures` n × {@link EGS_NODE_FEATURE_DIM} (row-major) and
 * `relations` n × n × {@link EGS_RELATION_DIM} (index `(i·n + j)·k + channel`). Fresh arrays.
 */
export function buildEgsObservation(
  state: EdgeGenerationState,
  parts: EgsObservationParts,
): GraphObservation {
  const { dag, deadline, reach, ancestors, eft, lst } = state;
  const n = dag.n;
  const F = EGS_NODE_FEATURE_DIM;
  const nodeFeatures = new Float32Array(n * F);
  const gap = (parts.width - parts.lowerBound) / n;
  for (let v = 0; v < n; v++) {
    const o = v * F;
    nodeFeatures[o] = dag.wcet[v]! / deadline;
    nodeFeatures[o + 1] = eft[v]! / deadline;
    nodeFeatures[o + 2] = lst[v]! / deadline;
    nodeFeatures[o + 3] = parts.lateralWidth[v]! / n;
    nodeFeatures[o + 4] = parts.critical[v] ? 1 : 0;
    nodeFeatures[o + 5] = gap;
  }

  const K = EGS_RELATION_DIM;
  const relations = new Uint8Array(n * n * K);
  const words = reach.words;
  const r = reach.data;
  const a = ancestors.data;
  for (let i = 0; i < n; i++) {
    const ri = i * words;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const o = (i * n + j) * K;
      const ij = (r[ri + (j >>> 5)]! & (1 << (j & 31))) !== 0;
      const ji = (a[ri + (j >>> 5)]! & (1 << (j & 31))) !== 0;
      if (ij) {
        relations[o + 1] = 1;
        // In the reduction iff no w with i → w → j: descendants of i ∩ ancestors of j is empty.
        const aj = j * words;
        let between = 0;
        for (let k = 0; k < words && between === 0; k++) between = r[ri + k]! & a[aj + k]!;
        if (between === 0) relations[o] = 1;
      }
      if (ji) relations[o + 2] = 1;
      if (!ij && !ji) relations[o + 3] = 1;
    }
  }
  return { numNodes: n, nodeFeatures, relations };
}
