/**
 * Graph → Box observation wrapper: turns each {@link GraphObservation} (a variable number of nodes)
 * into one flat, zero-padded Float32 vector of fixed length, so that the flat-observation machinery
 * (vector envs, rollout buffers, PPO) can carry graphs. A graph policy reads the vector back with
 * {@link unpackPaddedGraph}, which returns views, not copies.
 *
 * Layout of one padded observation (N = maxNodes, F = node features, K = relation channels):
 * - `[0]`: the node count n (1 ≤ n ≤ N), as a float;
 * - `[1, 1 + N·F)`: node features, row-major N × F; rows n … N − 1 are zero;
 * - `[1 + N·F, 1 + N·F + N²·K)`: relations, row-major N × N × K (index `(i·N + j)·K + k`), each
 *   0 or 1; every pair with i ≥ n or j ≥ n is zero.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { ArbiterError } from '../errors.js';
import { Box, type GraphObservation, type GraphSpace } from '../spaces.js';
import { Wrapper } from './wrapper.js';

/** Sizes and offsets of the padded layout (see the file comment). */
export interface PaddedGraphLayout {
  /** Largest node count N. */
  maxNodes: number;
  /** Features per node F. */
  nodeFeatureDim: number;
  /** Relation channels per ordered pair K. */
  relationDim: number;
  /** Offset of the node features (always 1). */
  featuresOffset: number;
  /** Offset of the relations (`1 + N·F`). */
  relationsOffset: number;
  /** Total length (`1 + N·F + N²·K`). */
  size: number;
}

/** The layout for `maxNodes` nodes with `nodeFeatureDim` features and `relationDim` relations. */
export function paddedGraphLayout(
  maxNodes: number,
  nodeFeatureDim: number,
  relationDim: number,
): PaddedGraphLayout {
  for (const [name, v] of [
    ['maxNodes', maxNodes],
    ['nodeFeatureDim', nodeFeatureDim],
    ['relationDim', relationDim],
  ] as const)
    if (!Number.isInteger(v) || v < 1)
      throw new ArbiterError('bad-option', `paddedGraphLayout: ${name} must be an integer ≥ 1, got ${v}`);
  const relationsOffset = 1 + maxNodes * nodeFeatureDim;
  return {
    maxNodes,
    nodeFeatureDim,
    relationDim,
    featuresOffset: 1,
    relationsOffset,
    size: relationsOffset + maxNodes * maxNodes * relationDim,
  };
}

/** Views of one padded observation (no copies; they alias the flat array). */
export interface PaddedGraphView {
  /** Node count n. */
  numNodes: number;
  /** N × F features (rows ≥ n are zero). */
  nodeFeatures: Float32Array;
  /** N × N × K relations as 0/1 floats, stride N (not n). */
  relations: Float32Array;
}

/**
 * Views of the padded observation that starts at `offset` of `flat` (e.g. `b · layout.size` for
 * row b of a batch). Throws `invalid-input` when the node count is not an integer in [1, N].
 */
export function unpackPaddedGraph(
  flat: Float32Array,
  layout: PaddedGraphLayout,
  offset = 0,
): PaddedGraphView {
  const n = flat[offset]!;
  if (!Number.isInteger(n) || n < 1 || n > layout.maxNodes)
    throw new ArbiterError(
      'invalid-input',
      `padded graph: node count ${n} at offset ${offset} is not an integer in [1, ${layout.maxNodes}]`,
    );
  const N = layout.maxNodes;
  return {
    numNodes: n,
    nodeFeatures: flat.subarray(offset + 1, offset + layout.relationsOffset),
    relations: flat.subarray(
      offset + layout.relationsOffset,
      offset + layout.relationsOffset + N * N * layout.relationDim,
    ),
  };
}

/**
 * Writes `g` into `out` at `offset` in the padded layout (padding zeroed). Throws `too-many-nodes`
 * when `g` has more than N nodes.
 */
export function padGraphInto(
  g: GraphObservation,
  layout: PaddedGraphLayout,
  out: Float32Array,
  offset = 0,
): void {
  checkPaddable(g, layout);
  out.fill(0, offset, offset + layout.size);
  writePadded(g, layout, out, offset);
}

function checkPaddable(g: GraphObservation, layout: PaddedGraphLayout): void {
  if (g.numNodes > layout.maxNodes)
    throw new ArbiterError(
      'too-many-nodes',
      `padded graph: the observation has ${g.numNodes} nodes, the layout holds at most ${layout.maxNodes}`,
    );
}

// The nonzero part of the padded layout (the padding must already be zero).
function writePadded(
  g: GraphObservation,
  layout: PaddedGraphLayout,
  out: Float32Array,
  offset: number,
): void {
  const { maxNodes: N, nodeFeatureDim: F, relationDim: K } = layout;
  const n = g.numNodes;
  out[offset] = n;
  out.set(g.nodeFeatures.subarray(0, n * F), offset + 1);
  const rel = g.relations;
  const base = offset + layout.relationsOffset;
  // Row i of the graph (n·K values) lands at row i of the padded N·K-wide matrix.
  for (let i = 0; i < n; i++) {
    const src = i * n * K;
    const dst = base + i * N * K;
    for (let t = 0; t < n * K; t++) out[dst + t] = rel[src + t]!;
  }
}

/**
 * Wraps an env with a {@link GraphSpace} observation space into one with a Box observation space
 * in the padded layout (see the file comment). Actions and masks pass through unchanged.
 */
export class PadGraphObservation<A = unknown> extends Wrapper<Float32Array, A> {
  /** The padded layout. */
  readonly layout: PaddedGraphLayout;
  private readonly box: Box;
  private readonly graphEnv: Env<GraphObservation, A>;

  /**
   * @param env - an env whose observations are {@link GraphObservation}s
   * @param maxNodes - padded node count N (default: the graph space's maxNodes)
   */
  constructor(env: Env<GraphObservation, A>, maxNodes?: number) {
    super(env as unknown as Env<Float32Array, A>);
    const space = env.observationSpace;
    if (space.kind !== 'graph')
      throw new ArbiterError(
        'unsupported-space',
        `PadGraphObservation needs a Graph observation space, not ${space.kind}`,
      );
    const gs: GraphSpace = space;
    this.graphEnv = env;
    this.layout = paddedGraphLayout(maxNodes ?? gs.maxNodes, gs.nodeFeatureDim, gs.relationDim);
    const { size, relationsOffset } = this.layout;
    const low = new Float32Array(size).fill(-Infinity);
    const high = new Float32Array(size).fill(Infinity);
    low[0] = 1;
    high[0] = this.layout.maxNodes;
    low.fill(0, relationsOffset);
    high.fill(1, relationsOffset);
    this.box = new Box(low, high);
  }

  /** Box of the padded layout. */
  override get observationSpace(): Box {
    return this.box;
  }

  /** Resets the inner env; the observation is padded (a fresh array). */
  override reset(options?: ResetOptions): ResetResult<Float32Array> {
    const r = this.graphEnv.reset(options);
    return { obs: this.pad(r.obs), info: r.info };
  }

  /** Steps the inner env; the observation is padded (a fresh array, the caller may keep it). */
  override step(action: A): StepResult<Float32Array> {
    const r = this.graphEnv.step(action);
    return { ...r, obs: this.pad(r.obs) };
  }

  private pad(g: GraphObservation): Float32Array {
    checkPaddable(g, this.layout);
    // A fresh array is all zeros already: only the graph's part is written.
    const out = new Float32Array(this.layout.size);
    writePadded(g, this.layout, out, 0);
    return out;
  }
}
