/**
 * Actor-critic policy for graph observations padded by `PadGraphObservation` (the EGS policy):
 * a Graphormer-style encoder (attention over the real nodes with a learned per-head bias
 * for each relation channel), a pairwise Q·K decoder giving one logit per ordered pair `i → j`
 * (action `i · maxNodes + j` of `Discrete(maxNodes²)`), and a value head on the mean node
 * embedding. The network is defined once (see `graph-net-f32.ts`) and computed twice:
 * - `act` / `value`: {@link GraphNetF32}, one graph at a time on its n real nodes (O(n²·d), no TF);
 * - `evaluateActions`: TF.js on a padded batch cut to the largest n of the batch, with a node
 *   validity mask on the attention keys and the mean pooling (differentiable, for the loss);
 * - `evaluateActionsHost` / `backwardHost`: the fast learner's host pass ({@link GraphNetTrainer}),
 *   each graph on its n nodes, with gradients to the host weight arrays.
 * The host arrays ({@link GraphPolicy.hostParams}) and the TF variables hold the same weights:
 * whichever side changed last is the truth, the other is refreshed when next read (as in `Mlp`).
 * Pairs outside the n × n real block are never allowed, whatever the given mask says.
 * Both evaluations take optional target sets ({@link ActionSets}): `logProb` is then
 * log Σ_{a∈T} π(a | s), for set-valued behaviour cloning.
 */
import { ArbiterError } from '../core/errors.js';
import { checkActionSets, type ActionSetEvaluator, type ActionSets } from './action-sets.js';
import type { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces.js';
import type { PaddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import {
  GRAPH_NET_LN_EPS,
  GraphNetF32,
  graphNetParams,
  validateGraphNetDims,
  type GraphNetDims,
} from './graph-net-f32.js';
import {
  MASKED_LOGIT,
  categoricalEntropy,
  categoricalLogProb,
  maskedLogSoftmax,
} from './masked-categorical.js';
import { GraphActor } from './graph-actor.js';
import { GraphNetTrainer } from './graph-net-train.js';
import { orthogonalMatrix } from './orthogonal-init.js';
import type { HostTrainablePolicy, Policy, PolicyEvaluation, PolicyEvaluationHost } from './policy.js';
import { assertTfReady, tf } from './tf-backend.js';

/** Architecture of a {@link GraphPolicy}; every field has a default. */
export interface GraphPolicyConfig {
  /** Embedding width d (default 32). */
  hiddenDim?: number;
  /** Attention heads (default 4; must divide d). */
  numHeads?: number;
  /** Attention layers (default 2). */
  numLayers?: number;
  /** Feed-forward width of each layer (default 2·d). */
  ffnDim?: number;
  /** Value-head hidden width (default 64). */
  valueHiddenDim?: number;
  /** Logit clipping C of `C·tanh(q·k/√d)`; 0 = none (default 10). */
  logitClip?: number;
}

/** Defaults of {@link GraphPolicyConfig} (`ffnDim` defaults to 2·hiddenDim). */
export const GRAPH_POLICY_DEFAULTS = {
  hiddenDim: 32,
  numHeads: 4,
  numLayers: 2,
  valueHiddenDim: 64,
  logitClip: 10,
} as const;

/** The full dimensions of a policy for `layout` with `config`. */
export function graphPolicyDims(layout: PaddedGraphLayout, config: GraphPolicyConfig = {}): GraphNetDims {
  const hiddenDim = config.hiddenDim ?? GRAPH_POLICY_DEFAULTS.hiddenDim;
  return {
    nodeFeatureDim: layout.nodeFeatureDim,
    relationDim: layout.relationDim,
    hiddenDim,
    numHeads: config.numHeads ?? GRAPH_POLICY_DEFAULTS.numHeads,
    numLayers: config.numLayers ?? GRAPH_POLICY_DEFAULTS.numLayers,
    ffnDim: config.ffnDim ?? 2 * hiddenDim,
    valueHiddenDim: config.valueHiddenDim ?? GRAPH_POLICY_DEFAULTS.valueHiddenDim,
    logitClip: config.logitClip ?? GRAPH_POLICY_DEFAULTS.logitClip,
  };
}

/** Graph actor-critic on padded graph observations (see the file comment). */
export class GraphPolicy implements Policy<Float32Array>, HostTrainablePolicy, ActionSetEvaluator {
  /** Always discrete (one action per ordered node pair). */
  readonly actionKind = 'discrete' as const;
  /** Both evaluations take target sets (see the file comment). */
  readonly evaluatesActionSets = true as const;
  /** `maxNodes²`. */
  readonly actionDim: number;
  /** The padded observation layout. */
  readonly layout: PaddedGraphLayout;
  /** Network sizes. */
  readonly dims: GraphNetDims;
  /** The Float32 rollout network (its weights follow the host arrays; use {@link GraphPolicy.inferenceNet}). */
  readonly net: GraphNetF32;

  private readonly vars: tf.Variable[];
  private readonly names: string[];
  private readonly byName = new Map<string, tf.Variable>();
  // Host weights in variables order: stable identity (optimizers hold them), shared by name
  // with the rollout network (which keeps its own transposed kernels).
  private readonly host: Float32Array[];
  private readonly hostByName: Record<string, Float32Array>;
  private readonly grads: Float32Array[];
  private readonly hostIds: (object | undefined)[];
  // The fast learner changed the host arrays: the variables (deviceStale) and the rollout
  // network's transposed kernels (netStale) are behind.
  private deviceStale = false;
  private netStale = false;
  private trainer: GraphNetTrainer | undefined;
  private readonly actor: GraphActor;
  private disposed = false;

  /**
   * @param layout - the padded layout of the observations (from `PadGraphObservation.layout`)
   * @param actionSpace - must be `Discrete(layout.maxNodes²)`
   * @param config - architecture
   * @param rng - draws every initial weight
   */
  constructor(layout: PaddedGraphLayout, actionSpace: Space, config: GraphPolicyConfig = {}, rng: Rng) {
    assertTfReady('GraphPolicy');
    const N = layout.maxNodes;
    if (actionSpace.kind !== 'discrete' || actionSpace.n !== N * N)
      throw new ArbiterError(
        'unsupported-space',
        `GraphPolicy needs a Discrete(${N * N}) action space (maxNodes² edges), got ${actionSpace.kind}${actionSpace.kind === 'discrete' ? `(${actionSpace.n})` : ''}`,
      );
    this.layout = layout;
    this.actionDim = N * N;
    this.dims = graphPolicyDims(layout, config);
    validateGraphNetDims(this.dims);
    const host: Record<string, Float32Array> = {};
    this.vars = [];
    this.names = [];
    this.host = [];
    for (const p of graphNetParams(this.dims)) {
      const size = p.shape.reduce((s, x) => s * x, 1);
      const data =
        p.init.kind === 'orthogonal'
          ? orthogonalMatrix(p.shape[0]!, p.shape[1]!, p.init.gain, rng)
          : new Float32Array(size).fill(p.init.value);
      host[p.name] = data;
      this.host.push(data);
      const v = tf.tidy(() => tf.variable(tf.tensor(data, p.shape), true, `graph_policy/${p.name}_${uid()}`));
      this.vars.push(v);
      this.names.push(p.name);
      this.byName.set(p.name, v);
    }
    this.hostIds = this.vars.map((v) => v.dataId);
    this.hostByName = host;
    this.grads = this.host.map((a) => new Float32Array(a.length));
    this.net = new GraphNetF32(this.dims, host);
    this.actor = new GraphActor(layout, this.net);
  }

  /** A `makePolicy` for PPO/A2C/REINFORCE: checks that the flat observation length matches `layout`. */
  static factory(
    layout: PaddedGraphLayout,
    config: GraphPolicyConfig = {},
  ): (obsDim: number, actionSpace: Space, rng: Rng) => GraphPolicy {
    return (obsDim, actionSpace, rng) => {
      if (obsDim !== layout.size)
        throw new ArbiterError(
          'shape-mismatch',
          `GraphPolicy: observations have ${obsDim} values, the padded layout has ${layout.size}`,
        );
      return new GraphPolicy(layout, actionSpace, config, rng);
    };
  }

  /**
   * The Float32 network with the current weights, for inference on raw graph observations
   * (`encode` with `relStride = n`, then `pairLogits` / `value`); no TF call.
   */
  inferenceNet(): GraphNetF32 {
    this.syncNet();
    return this.net;
  }

  /** Every trainable variable, in {@link graphNetParams} order (current weights). */
  get variables(): tf.Variable[] {
    this.syncDevice();
    return this.vars;
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return this.vars.reduce((s, v) => s + v.size, 0);
  }

  /**
   * Host pass of {@link GraphPolicy.evaluateActions} (same function, each graph on its n real
   * nodes), keeping what {@link GraphPolicy.backwardHost} needs; views valid until the next call.
   * With `sets`, `logProb` is log Σ_{a∈T} π(a | s) of each row's target set.
   */
  evaluateActionsHost(
    obs: Float32Array,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    sets?: ActionSets,
  ): PolicyEvaluationHost {
    this.syncHost();
    this.trainer ??= new GraphNetTrainer(this.dims, this.host, this.grads);
    return this.trainer.forward(obs, batch, this.layout, actions, masks, sets);
  }

  /** Writes ∂L/∂weights of the last {@link GraphPolicy.evaluateActionsHost} into {@link GraphPolicy.hostGrads}. */
  backwardHost(dLogProb: Float32Array, dEntropy: Float32Array, dValues: Float32Array): void {
    if (!this.trainer)
      throw new ArbiterError('invalid-state', 'GraphPolicy.backwardHost: call evaluateActionsHost first');
    this.trainer.backward(dLogProb, dEntropy, dValues);
  }

  /** The host weight arrays in {@link GraphPolicy.variables} order (current, stable identity). */
  hostParams(): Float32Array[] {
    this.syncHost();
    return this.host;
  }

  /** Gradient arrays matching {@link GraphPolicy.hostParams}, written by {@link GraphPolicy.backwardHost}. */
  hostGrads(): Float32Array[] {
    return this.grads;
  }

  /** Declares the host weights changed in place; the variables and the rollout network follow on next use. */
  markHostChanged(): void {
    this.deviceStale = true;
    this.netStale = true;
  }

  /** Chooses edges on the Float32 path, one graph at a time (see {@link GraphActor.act}). */
  act(...args: Parameters<GraphActor['act']>): void {
    this.syncNet();
    this.actor.act(...args);
  }

  /** V(obs) on the Float32 path. */
  value(obs: Float32Array, batch: number, out?: Float32Array): Float32Array {
    this.syncNet();
    return this.actor.value(obs, batch, out);
  }

  /**
   * Raw pair logits of row `b` of `obs` (Float32 path) into `out` (length ≥ maxNodes²) at index
   * `i·maxNodes + j` for i, j < n; entries of other pairs are set to {@link MASKED_LOGIT}. Returns n.
   */
  logitsF32(obs: Float32Array, b: number, out: Float32Array): number {
    this.syncNet();
    const n = this.actor.encodeRow(obs, b);
    out.fill(MASKED_LOGIT, 0, this.actionDim);
    this.net.pairLogits(n, out, this.layout.maxNodes, 0);
    return n;
  }

  /**
   * Differentiable evaluation of stored actions on a padded batch (see {@link Policy.evaluateActions});
   * with `sets`, `logProb` is log Σ_{a∈T} π(a | s) of each row's target set.
   */
  evaluateActions(
    obs: Float32Array,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    sets?: ActionSets,
  ): PolicyEvaluation {
    const { maxNodes: N, nodeFeatureDim: F, relationDim: K, size, relationsOffset } = this.layout;
    // Cut the padding to the largest graph of the batch: the loss costs O(B·nMax²), not O(B·N²).
    let nMax = 1;
    const counts = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const n = obs[b * size]!;
      if (!Number.isInteger(n) || n < 1 || n > N)
        throw new ArbiterError('invalid-input', `GraphPolicy: row ${b} has node count ${n}`);
      counts[b] = n;
      if (n > nMax) nMax = n;
    }
    const M = nMax;
    const feat = new Float32Array(batch * M * F);
    const rel = new Float32Array(batch * M * M * K);
    const nodeMask = new Float32Array(batch * M);
    const pairMask = new Int32Array(batch * M * M);
    const acts = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const n = counts[b]!;
      const o = b * size;
      feat.set(obs.subarray(o + 1, o + 1 + n * F), b * M * F);
      nodeMask.fill(1, b * M, b * M + n);
      for (let i = 0; i < n; i++) {
        const src = o + relationsOffset + i * N * K;
        rel.set(obs.subarray(src, src + n * K), (b * M + i) * M * K);
        for (let j = 0; j < n; j++)
          pairMask[(b * M + i) * M + j] = masks === undefined || masks[b * N * N + i * N + j] ? 1 : 0;
      }
      const a = actions[b]!;
      const i = Math.floor(a / N);
      const j = a - i * N;
      if (i >= n || j >= n)
        throw new ArbiterError(
          'invalid-action',
          `GraphPolicy: action ${a} of row ${b} is outside its ${n} nodes`,
        );
      acts[b] = i * M + j;
    }
    const featT = tf.tensor3d(feat, [batch, M, F]);
    const relT = tf.tensor4d(rel, [batch, M, M, K]);
    const nodeMaskT = tf.tensor2d(nodeMask, [batch, M]);
    const { logits, values } = this.forwardTf(featT, relT, nodeMaskT, batch, M);
    const logp = maskedLogSoftmax(logits, tf.tensor2d(pairMask, [batch, M * M], 'int32'));
    const entropy = categoricalEntropy(logp);
    if (sets) {
      // log Σ_T p: the log-probabilities of T's members (others −1e9), log-sum-exp per row.
      checkActionSets(sets, batch, 'GraphPolicy');
      const inSet = new Uint8Array(batch * M * M);
      for (let b = 0; b < batch; b++)
        for (let s = sets.offsets[b]!; s < sets.offsets[b + 1]!; s++) {
          const t = sets.actions[s]!;
          const i = Math.floor(t / N);
          const j = t - i * N;
          if (i < 0 || i >= counts[b]! || j >= counts[b]!)
            throw new ArbiterError(
              'invalid-action',
              `GraphPolicy: target ${t} of row ${b} is outside its ${counts[b]} nodes`,
            );
          inSet[b * M * M + i * M + j] = 1;
        }
      const member = tf.tensor2d(inSet, [batch, M * M], 'bool');
      const logProb = tf.logSumExp(tf.where(member, logp, tf.fill([batch, M * M], MASKED_LOGIT)), 1);
      return { logProb: logProb as tf.Tensor1D, entropy, values };
    }
    const a = tf.tensor1d(acts, 'int32');
    return { logProb: categoricalLogProb(logp, a), entropy, values };
  }

  /** Named copies of every weight (`graphNetParams` names). */
  getWeights(): Record<string, Float32Array> {
    this.syncHost();
    const out: Record<string, Float32Array> = {};
    this.host.forEach((a, i) => (out[this.names[i]!] = Float32Array.from(a)));
    return out;
  }

  /** Restores {@link GraphPolicy.getWeights}; throws `shape-mismatch` on a missing or mis-sized weight. */
  setWeights(weights: Record<string, Float32Array>): void {
    if (this.disposed) throw new ArbiterError('disposed', 'GraphPolicy: the policy was disposed');
    // The given weights replace whatever the host side held (syncHost re-reads every variable).
    this.deviceStale = false;
    this.vars.forEach((v, i) => {
      const name = this.names[i]!;
      const w = weights[name];
      if (!w || w.length !== v.size)
        throw new ArbiterError('shape-mismatch', `GraphPolicy.setWeights: missing or mis-sized '${name}'`);
      tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
    });
  }

  /** Frees the variables. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.vars) v.dispose();
  }

  /**
   * The network on a padded batch cut to M nodes: features `[B, M, F]`, relations `[B, M, M, K]`
   * (0/1 floats), node mask `[B, M]` (1 = real). Returns logits `[B, M·M]` and values `[B]`.
   */
  forwardTf(
    feat: tf.Tensor3D,
    rel: tf.Tensor4D,
    nodeMask: tf.Tensor2D,
    B: number,
    M: number,
  ): { logits: tf.Tensor2D; values: tf.Tensor1D } {
    const { hiddenDim: d, numHeads: H, nodeFeatureDim: F, relationDim: K, logitClip: C } = this.dims;
    const dh = d / H;
    this.syncDevice();
    const v = (name: string): tf.Variable => this.byName.get(name)!;
    const dense = (x: tf.Tensor2D, name: string, act: 'linear' | 'relu' = 'linear'): tf.Tensor2D =>
      tf.fused.matMul({
        a: x,
        b: v(`${name}/kernel`) as tf.Tensor2D,
        bias: v(`${name}/bias`),
        activation: act,
      }) as tf.Tensor2D;
    const layerNorm = (x: tf.Tensor2D, name: string): tf.Tensor2D => {
      const mean = tf.mean(x, -1, true);
      const c = tf.sub(x, mean);
      const variance = tf.mean(tf.square(c), -1, true);
      const norm = tf.mul(c, tf.rsqrt(tf.add(variance, GRAPH_NET_LN_EPS)));
      return tf.add(tf.mul(norm, v(`${name}/gamma`)), v(`${name}/beta`)) as tf.Tensor2D;
    };
    // Heads: [B·M, d] → [B·H, M, dh].
    const split = (x: tf.Tensor2D): tf.Tensor3D =>
      tf.reshape(tf.transpose(tf.reshape(x, [B, M, H, dh]), [0, 2, 1, 3]), [B * H, M, dh]);

    let x = dense(tf.reshape(feat, [B * M, F]), 'embed');
    // Keys outside the graph get −1e9: no query attends to padding.
    const keyBias = tf.reshape(tf.mul(tf.sub(1, nodeMask), MASKED_LOGIT), [B, 1, 1, M]);
    const relFlat = tf.reshape(rel, [B * M * M, K]);
    for (let l = 0; l < this.dims.numLayers; l++) {
      const L = `layer${l}`;
      const y = layerNorm(x, `${L}/ln1`);
      const q = split(dense(y, `${L}/attn/q`));
      const k = split(dense(y, `${L}/attn/k`));
      const val = split(dense(y, `${L}/attn/v`));
      const scores = tf.reshape(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), [B, H, M, M]);
      const relBias = tf.transpose(
        tf.reshape(tf.matMul(relFlat, v(`${L}/attn/relation_bias`) as tf.Tensor2D), [B, M, M, H]),
        [0, 3, 1, 2],
      );
      const p = tf.softmax(tf.add(tf.add(scores, relBias), keyBias));
      const o = tf.matMul(tf.reshape(p, [B * H, M, M]), val); // [B·H, M, dh]
      const merged = tf.reshape(tf.transpose(tf.reshape(o, [B, H, M, dh]), [0, 2, 1, 3]), [B * M, d]);
      x = tf.add(x, dense(merged as tf.Tensor2D, `${L}/attn/o`));
      const y2 = layerNorm(x, `${L}/ln2`);
      x = tf.add(x, dense(dense(y2, `${L}/ffn/1`, 'relu'), `${L}/ffn/2`));
    }
    const z = layerNorm(x, 'final_ln');
    const qd = tf.reshape(dense(z, 'decoder/q'), [B, M, d]);
    const kd = tf.reshape(dense(z, 'decoder/k'), [B, M, d]);
    let s: tf.Tensor = tf.mul(tf.matMul(qd, kd, false, true), 1 / Math.sqrt(d));
    if (C > 0) s = tf.mul(tf.tanh(s), C);
    const logits = tf.reshape(s, [B, M * M]) as tf.Tensor2D;
    // Mean of the real nodes' embeddings.
    const z3 = tf.reshape(z, [B, M, d]);
    const counts = tf.sum(nodeMask, 1, true); // [B, 1]
    const pooled = tf.div(tf.sum(tf.mul(z3, tf.expandDims(nodeMask, 2)), 1), counts) as tf.Tensor2D;
    const hidden = tf.tanh(dense(pooled, 'value/1')) as tf.Tensor2D;
    const values = tf.reshape(dense(hidden, 'value/2'), [B]) as tf.Tensor1D;
    return { logits, values };
  }

  private syncHost(): void {
    if (this.disposed) throw new ArbiterError('disposed', 'GraphPolicy: the policy was disposed');
    if (this.deviceStale) return;
    // Optimizers and assign() replace a variable's dataId, so identity tells when to re-download.
    for (let i = 0; i < this.vars.length; i++) {
      const v = this.vars[i]!;
      if (v.dataId === this.hostIds[i]) continue;
      this.host[i]!.set(v.dataSync() as Float32Array);
      this.hostIds[i] = v.dataId;
      this.netStale = true;
    }
  }

  // The rollout network's transposed kernels from the host arrays (its other weights are them).
  private syncNet(): void {
    this.syncHost();
    if (!this.netStale) return;
    this.net.setWeights(this.hostByName);
    this.netStale = false;
  }

  private syncDevice(): void {
    if (!this.deviceStale || this.disposed) return;
    this.deviceStale = false;
    this.vars.forEach((v, i) => {
      tf.tidy(() => v.assign(tf.tensor(this.host[i]!, v.shape)));
      this.hostIds[i] = v.dataId;
    });
  }
}

let uidCounter = 0;
// Variable names must be unique in the TF.js engine; several policies may coexist.
function uid(): number {
  return uidCounter++;
}
