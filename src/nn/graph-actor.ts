/**
 * The rollout side of the graph actor-critic, without TensorFlow: a {@link GraphNetF32} over
 * padded graph observations, choosing one edge per row and giving its log-probability and value.
 * `GraphPolicy.act` / `value` run through it, and so do env runners rebuilding a graph policy from
 * its weights on another thread: one code path, so the same weights give the same actions,
 * log-probabilities and values bit for bit.
 */
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { PaddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import type { GraphNetF32 } from './graph-net-f32.js';
import { logSumExpAmong, sampleCategoricalAmong } from './masked-categorical-host.js';
import type { ActOutput } from './policy.js';

/** Acts with a graph network on padded graph observations (see the module doc). */
export class GraphActor {
  /** The padded observation layout. */
  readonly layout: PaddedGraphLayout;
  /** The Float32 network (its weights are the caller's to keep current). */
  readonly net: GraphNetF32;
  private readonly logits: Float32Array;
  // Allowed actions of the current row, ascending (reused).
  private readonly allowed: number[] = [];

  constructor(layout: PaddedGraphLayout, net: GraphNetF32) {
    this.layout = layout;
    this.net = net;
    this.logits = new Float32Array(layout.maxNodes * layout.maxNodes);
  }

  /**
   * Chooses edges one graph at a time (see `Policy.act`): only the allowed pairs of the real
   * n × n block get a logit, and the masked softmax runs over their ascending list (the same
   * operations as over the full masked row, so the same action and log-probability). A stochastic
   * call draws one uniform per row.
   */
  act(
    obs: Float32Array,
    batch: number,
    masks: Uint8Array | undefined,
    rng: Rng,
    deterministic: boolean,
    out: ActOutput,
  ): void {
    const N = this.layout.maxNodes;
    const A = N * N;
    const logits = this.logits;
    const allowed = this.allowed;
    for (let b = 0; b < batch; b++) {
      const n = this.encodeRow(obs, b);
      allowed.length = 0;
      const off = b * A;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const a = i * N + j;
          if (masks === undefined || masks[off + a]) allowed.push(a);
        }
      this.net.pairLogitsAt(n, allowed, N, logits);
      const a = sampleCategoricalAmong(logits, allowed, rng, deterministic);
      out.actions[b] = a;
      out.logProbs[b] = logits[a]! - logSumExpAmong(logits, allowed);
      out.values[b] = this.net.value(n);
    }
  }

  /** V(obs) of `batch` rows into `out` (allocated when absent). */
  value(obs: Float32Array, batch: number, out?: Float32Array): Float32Array {
    const values = out ?? new Float32Array(batch);
    for (let b = 0; b < batch; b++) values[b] = this.net.value(this.encodeRow(obs, b));
    return values;
  }

  /** Encodes row b of the padded batch into the network; returns its node count. */
  encodeRow(obs: Float32Array, b: number): number {
    const { size, maxNodes: N, nodeFeatureDim: F, relationsOffset } = this.layout;
    const o = b * size;
    const n = obs[o]!;
    if (!Number.isInteger(n) || n < 1 || n > N)
      throw new ArbiterError('invalid-input', `GraphPolicy: row ${b} has node count ${n}`);
    this.net.encode({
      numNodes: n,
      nodeFeatures: obs.subarray(o + 1, o + 1 + n * F),
      relations: obs.subarray(o + relationsOffset, o + size),
      relStride: N,
    });
    return n;
  }
}
