/**
 * Actor-critic policy, Discrete or Box actions (SB3's `ActorCriticPolicy`, CleanRL's `Agent`):
 * MLPs on flat observations, separate actor and critic networks by default or a shared trunk
 * with two linear heads; or, with `net: {type: 'cnn', …}`, a shared CNN trunk on image
 * observations (SB3's `CnnPolicy`: convolutions, fully connected features, two linear heads). Orthogonal initialisation: √2 hidden, 0.01 policy head,
 * 1 value head. Rollout decisions run on the Float32 forward pass; the loss runs either on
 * TensorFlow.js ({@link ActorCriticPolicy.evaluateActions}) or on the host arrays of the fast
 * learner ({@link ActorCriticPolicy.evaluateActionsHost} and its backward pass), on the same
 * weights: whichever side changed last is the truth (see {@link Mlp}).
 */

import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces.js';
import type { DenseActivation } from './dense-forward.js';
import { diagGaussianBackward, diagGaussianForward } from './diag-gaussian-backward.js';
import { diagGaussianEntropyTensor, diagGaussianLogProbTensor, sampleDiagGaussian } from './diag-gaussian.js';
import {
  categoricalEntropy,
  categoricalLogProb,
  maskedLogSoftmax,
  maskedLogSumExp,
  sampleMaskedCategorical,
} from './masked-categorical.js';
import { maskedCategoricalBackward, maskedCategoricalForward } from './masked-categorical-backward.js';

import { Cnn } from './cnn.js';
import { Mlp } from './mlp.js';
import type {
  ActOutput,
  HostTrainablePolicy,
  Policy,
  PolicyActionKind,
  PolicyEvaluation,
  PolicyEvaluationHost,
} from './policy.js';
import { assertTfReady, tf } from './tf-backend.js';
import { ACTOR_CRITIC_DEFAULTS } from './actor-critic-config.js';
import type { ActorCriticConfig } from './actor-critic-config.js';

export { ACTOR_CRITIC_DEFAULTS, ACTOR_CRITIC_SCHEMA, type ActorCriticConfig } from './actor-critic-config.js';

/** An MLP actor-critic on flat observations (see module doc). */
export class ActorCriticPolicy implements Policy<Float32Array>, HostTrainablePolicy {
  /** Discrete or Box actions. */
  readonly actionKind: PolicyActionKind;
  /** Number of actions (Discrete) or action dimension (Box). */
  readonly actionDim: number;
  /** Flat observation length. */
  readonly obsDim: number;
  /** Shared trunk (only when `shareTrunk`, or a CNN with `net`). */
  readonly trunk: Mlp | Cnn | undefined;
  /** Policy network (head only when the trunk is shared): logits or Gaussian means. */
  readonly actor: Mlp;
  /** Value network (head only when the trunk is shared). */
  readonly critic: Mlp;
  /** Log standard deviations of Box actions. */
  readonly logStd: tf.Variable<tf.Rank.R1> | undefined;
  private readonly activation: DenseActivation;
  private readonly nets: [string, Mlp | Cnn][];
  // Float32 scratch, grown on demand, so rollouts allocate nothing per step.
  private headBuf = new Float32Array(0);
  private trunkBuf = new Float32Array(0);
  // Host copy of logStd (stable identity for the fast learner's optimizer) and its gradient.
  private readonly logStdHost: Float32Array;
  private readonly logStdGrad: Float32Array;
  private logStdId: object | undefined;
  // True when the fast learner changed logStdHost and the variable is behind.
  private logStdStale = false;
  // Training-pass scratch of the fast learner, grown on demand.
  private train = {
    capacity: 0,
    features: new Float32Array(0),
    dFeatures: new Float32Array(0),
    dCriticIn: new Float32Array(0),
    logp: new Float32Array(0),
    dHead: new Float32Array(0),
    logProb: new Float32Array(0),
    entropy: new Float32Array(0),
  };
  private last:
    | { obs: Float32Array; batch: number; actions: Int32Array | Float32Array; masks: Uint8Array | undefined }
    | undefined;
  private lastHead: Float32Array = new Float32Array(0);
  private logitsBatch = 0;

  /**
   * @param obsDim - flat observation length
   * @param actionSpace - Discrete(n) or Box(d)
   * @param config - architecture (see {@link ActorCriticConfig})
   * @param rng - initialises every weight (same seed, same network)
   * @param obsShape - shape of the observation Box, needed by a CNN trunk (`[H, W, C]`)
   */
  constructor(
    obsDim: number,
    actionSpace: Space,
    config: ActorCriticConfig = {},
    rng: Rng,
    obsShape?: readonly number[],
  ) {
    assertTfReady('ActorCriticPolicy');
    const hidden = config.hiddenSizes ?? ACTOR_CRITIC_DEFAULTS.hiddenSizes;
    const activation = config.net ? 'relu' : (config.activation ?? ACTOR_CRITIC_DEFAULTS.activation);
    const policyGain = config.policyGain ?? ACTOR_CRITIC_DEFAULTS.policyGain;
    const valueGain = config.valueGain ?? ACTOR_CRITIC_DEFAULTS.valueGain;
    this.obsDim = obsDim;
    this.activation = activation;
    if (actionSpace.kind === 'discrete') {
      this.actionKind = 'discrete';
      this.actionDim = actionSpace.n;
    } else if (actionSpace.kind === 'box') {
      this.actionKind = 'box';
      this.actionDim = actionSpace.size;
    } else
      throw new ArbiterError(
        'unsupported-space',
        `ActorCriticPolicy supports Discrete and Box action spaces, not ${actionSpace.kind}`,
      );
    if (config.net) {
      const fc = config.net.fc ?? [];
      if (fc.length === 0)
        throw new ArbiterError(
          'invalid-config',
          'ActorCriticPolicy: a CNN trunk needs at least one fc layer (the features both heads read)',
        );
      if (obsShape?.length !== 3 || obsShape[0]! * obsShape[1]! * obsShape[2]! !== obsDim)
        throw new ArbiterError(
          'unsupported-space',
          `ActorCriticPolicy: a CNN needs a Box observation of shape [H, W, C], got ${obsShape ? `shape [${obsShape.join(', ')}]` : 'no shape'} (use an image env such as PixelPong-v0, or an MLP)`,
        );
      const width = fc[fc.length - 1]!;
      this.trunk = new Cnn(
        {
          inputShape: [obsShape[0]!, obsShape[1]!, obsShape[2]!],
          conv: config.net.conv,
          fc: fc.slice(0, -1),
          outputDim: width,
          outputGain: Math.SQRT2,
        },
        rng,
      );
      [this.actor, this.critic] = linearHeads(width, this.actionDim, policyGain, valueGain, rng);
    } else if (config.shareTrunk) {
      if (hidden.length === 0)
        throw new ArbiterError(
          'invalid-config',
          'ActorCriticPolicy: a shared trunk needs at least one hidden layer',
        );
      const width = hidden[hidden.length - 1]!;
      this.trunk = new Mlp(
        {
          inputDim: obsDim,
          hiddenSizes: hidden.slice(0, -1),
          outputDim: width,
          activation,
          outputGain: Math.SQRT2,
        },
        rng,
      );
      [this.actor, this.critic] = linearHeads(width, this.actionDim, policyGain, valueGain, rng);
    } else {
      this.trunk = undefined;
      this.actor = new Mlp(
        {
          inputDim: obsDim,
          hiddenSizes: hidden,
          outputDim: this.actionDim,
          activation,
          outputGain: policyGain,
        },
        rng,
      );
      this.critic = new Mlp(
        {
          inputDim: obsDim,
          hiddenSizes: config.valueHiddenSizes ?? hidden,
          outputDim: 1,
          activation,
          outputGain: valueGain,
        },
        rng,
      );
    }
    this.nets = [
      ...(this.trunk ? ([['trunk', this.trunk]] as [string, Mlp | Cnn][]) : []),
      ['actor', this.actor],
      ['critic', this.critic],
    ];
    this.logStd =
      this.actionKind === 'box'
        ? (tf.tidy(() =>
            tf.variable(
              tf.fill([this.actionDim], config.logStdInit ?? ACTOR_CRITIC_DEFAULTS.logStdInit),
              true,
            ),
          ) as tf.Variable<tf.Rank.R1>)
        : undefined;
    this.logStdHost = new Float32Array(this.logStd ? this.actionDim : 0);
    this.logStdGrad = new Float32Array(this.logStdHost.length);
  }

  /** Every trainable variable: trunk, actor, critic (kernel 0, bias 0, …), then logStd (current weights). */
  get variables(): tf.Variable[] {
    const vars = this.nets.flatMap(([, m]) => m.variables);
    if (this.logStd) {
      this.syncLogStdDevice();
      vars.push(this.logStd);
    }
    return vars;
  }

  /** Chooses actions on the Float32 path (see {@link Policy.act}). */
  act(
    obs: Float32Array,
    batch: number,
    masks: Uint8Array | undefined,
    rng: Rng,
    deterministic: boolean,
    out: ActOutput,
  ): void {
    const head = this.forwardActorF32(obs, batch);
    const n = this.actionDim;
    if (this.actionKind === 'discrete') {
      const actions = out.actions;
      for (let b = 0; b < batch; b++) {
        const a = sampleMaskedCategorical(head, b * n, n, rng, deterministic, masks, b * n);
        actions[b] = a;
        out.logProbs[b] = head[b * n + a]! - maskedLogSumExp(head, b * n, n, masks, b * n);
      }
    } else {
      const logStd = this.logStdF32();
      const actions = out.actions as Float32Array;
      for (let b = 0; b < batch; b++)
        out.logProbs[b] = sampleDiagGaussian(head, b * n, logStd, rng, deterministic, actions, b * n);
    }
    this.value(obs, batch, out.values);
  }

  /** V(obs) on the Float32 path. */
  value(obs: Float32Array, batch: number, out?: Float32Array): Float32Array {
    const values = out ?? new Float32Array(batch);
    if (this.trunk) this.critic.forwardF32(this.forwardTrunkF32(obs, batch), batch, values);
    else this.critic.forwardF32(obs, batch, values);
    return values;
  }

  /** Raw policy-head outputs (logits or means) for `batch` rows, Float32 path (a reused buffer). */
  forwardActorF32(obs: Float32Array, batch: number): Float32Array {
    const need = batch * this.actionDim;
    if (this.headBuf.length < need) this.headBuf = new Float32Array(need);
    const input = this.trunk ? this.forwardTrunkF32(obs, batch) : obs;
    return this.actor.forwardF32(input, batch, this.headBuf);
  }

  /** Differentiable evaluation of stored actions (see {@link Policy.evaluateActions}). */
  evaluateActions(
    obs: Float32Array,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
  ): PolicyEvaluation {
    const x = tf.tensor2d(obs.subarray(0, batch * this.obsDim), [batch, this.obsDim]);
    const features = this.trunk ? this.trunkTensor(x) : x;
    const head = this.actor.apply(features);
    const values = tf.reshape(this.critic.apply(features), [batch]) as tf.Tensor1D;
    const n = this.actionDim;
    if (this.actionKind === 'discrete') {
      const maskT = masks ? tf.tensor2d(masks.subarray(0, batch * n), [batch, n], 'int32') : undefined;
      const logp = maskedLogSoftmax(head, maskT);
      const a = tf.tensor1d(actions.subarray(0, batch) as Int32Array, 'int32');
      return { logProb: categoricalLogProb(logp, a), entropy: categoricalEntropy(logp), values };
    }
    const a = tf.tensor2d(actions.subarray(0, batch * n) as Float32Array, [batch, n]);
    return {
      logProb: diagGaussianLogProbTensor(head, this.logStd!, a),
      entropy: diagGaussianEntropyTensor(this.logStd!, batch),
      values,
    };
  }

  /** Named weights: `trunk/i`, `actor/i`, `critic/i`, `logStd`. */
  getWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, m] of this.nets) m.getWeights().forEach((w, i) => (out[`${name}/${i}`] = w));
    if (this.logStd) out.logStd = Float32Array.from(this.logStdF32());
    return out;
  }

  /** Restores {@link ActorCriticPolicy.getWeights}; throws `shape-mismatch` on a missing or mis-sized weight. */
  setWeights(weights: Record<string, Float32Array>): void {
    for (const [name, m] of this.nets)
      m.setWeights(
        m.variables.map((_, i) => {
          const w = weights[`${name}/${i}`];
          if (!w)
            throw new ArbiterError('shape-mismatch', `ActorCriticPolicy.setWeights: missing '${name}/${i}'`);
          return w;
        }),
      );
    if (this.logStd) {
      const w = weights.logStd;
      if (!w || w.length !== this.actionDim)
        throw new ArbiterError(
          'shape-mismatch',
          `ActorCriticPolicy.setWeights: missing or mis-sized 'logStd'`,
        );
      const v = this.logStd;
      this.logStdStale = false;
      tf.tidy(() => v.assign(tf.tensor1d(w)));
    }
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return this.nets.reduce((s, [, m]) => s + m.numParams(), 0) + this.logStdHost.length;
  }

  /**
   * The host training pass of {@link ActorCriticPolicy.evaluateActions} (same function, no
   * TensorFlow), keeping what {@link ActorCriticPolicy.backwardHost} needs; `obs`, `actions` and
   * `masks` must stay unchanged until then. The returned arrays are views valid until the next call.
   */
  evaluateActionsHost(
    obs: Float32Array,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
  ): PolicyEvaluationHost {
    const w = this.trainScratch(batch);
    let input = obs;
    if (this.trunk) {
      const h = this.trunk.forwardTrain(obs, batch);
      const f = w.features;
      const m = batch * this.trunk.config.outputDim;
      // The trunk's last layer is linear; its nonlinearity is applied here, as in trunkTensor.
      if (this.activation === 'tanh') for (let i = 0; i < m; i++) f[i] = Math.tanh(h[i]!);
      else for (let i = 0; i < m; i++) f[i] = h[i]! > 0 ? h[i]! : 0;
      input = f;
    }
    const head = this.actor.forwardTrain(input, batch);
    const values = this.critic.forwardTrain(input, batch);
    const logProb = w.logProb.subarray(0, batch);
    const entropy = w.entropy.subarray(0, batch);
    if (this.actionKind === 'discrete')
      maskedCategoricalForward(
        head,
        batch,
        this.actionDim,
        actions as Int32Array,
        masks,
        w.logp,
        logProb,
        entropy,
      );
    else diagGaussianForward(head, this.logStdF32(), actions as Float32Array, batch, logProb, entropy);
    this.last = { obs, batch, actions, masks };
    this.lastHead = head;
    return { logProb, entropy, values };
  }

  /**
   * Backward pass of the last {@link ActorCriticPolicy.evaluateActionsHost}: **writes**
   * ∂L/∂parameters into {@link ActorCriticPolicy.hostGrads} given ∂L/∂logProb, ∂L/∂entropy and
   * ∂L/∂value per row.
   */
  backwardHost(dLogProb: Float32Array, dEntropy: Float32Array, dValues: Float32Array): void {
    const last = this.last;
    if (!last)
      throw new ArbiterError(
        'invalid-state',
        'ActorCriticPolicy.backwardHost: call evaluateActionsHost first',
      );
    const { batch, actions, masks } = last;
    const w = this.train;
    for (const [, m] of this.nets) for (const g of m.hostGrads()) g.fill(0);
    this.logStdGrad.fill(0);
    if (this.actionKind === 'discrete')
      maskedCategoricalBackward(
        w.logp,
        batch,
        this.actionDim,
        actions as Int32Array,
        masks,
        w.entropy,
        dLogProb,
        dEntropy,
        w.dHead,
      );
    else
      diagGaussianBackward(
        this.lastHead,
        this.logStdF32(),
        actions as Float32Array,
        batch,
        dLogProb,
        dEntropy,
        w.dHead,
        this.logStdGrad,
      );
    if (!this.trunk) {
      this.actor.backward(w.dHead);
      this.critic.backward(dValues);
      return;
    }
    // Shared trunk: both heads' input gradients meet at the features, then pass the nonlinearity.
    const dF = w.dFeatures;
    const dC = w.dCriticIn;
    this.actor.backward(w.dHead, dF);
    this.critic.backward(dValues, dC);
    const f = w.features;
    const m = batch * this.trunk.config.outputDim;
    if (this.activation === 'tanh')
      for (let i = 0; i < m; i++) {
        const y = f[i]!;
        dF[i] = (dF[i]! + dC[i]!) * (1 - y * y);
      }
    else for (let i = 0; i < m; i++) dF[i] = f[i]! > 0 ? dF[i]! + dC[i]! : 0;
    this.trunk.backward(dF);
  }

  /** Host parameter arrays in {@link ActorCriticPolicy.variables} order (stable identity). */
  hostParams(): Float32Array[] {
    const params = this.nets.flatMap(([, m]) => m.hostParams());
    if (this.logStd) params.push(this.logStdF32());
    return params;
  }

  /** Gradient arrays matching {@link ActorCriticPolicy.hostParams}, written by {@link ActorCriticPolicy.backwardHost}. */
  hostGrads(): Float32Array[] {
    const grads = this.nets.flatMap(([, m]) => m.hostGrads());
    if (this.logStd) grads.push(this.logStdGrad);
    return grads;
  }

  /** Declares the host parameters changed in place; the variables follow on next use. */
  markHostChanged(): void {
    for (const [, m] of this.nets) m.markHostChanged();
    if (this.logStd) this.logStdStale = true;
  }

  /**
   * Trainable variables of the decision network (logits): the trunk's, when there is one, then
   * the actor's — what a distilled student trains (its critic stays out).
   */
  decisionVariables(): tf.Variable[] {
    return [...(this.trunk?.variables ?? []), ...this.actor.variables];
  }

  /** Host arrays of {@link ActorCriticPolicy.decisionVariables} (stable identity). */
  decisionHostParams(): Float32Array[] {
    return [...(this.trunk?.hostParams() ?? []), ...this.actor.hostParams()];
  }

  /** Gradient arrays matching {@link ActorCriticPolicy.decisionHostParams}. */
  decisionHostGrads(): Float32Array[] {
    return [...(this.trunk?.hostGrads() ?? []), ...this.actor.hostGrads()];
  }

  /** The logits of `batch` rows, differentiable (trunk and actor; inside `tf.tidy`). */
  logitsTensor(x: tf.Tensor2D): tf.Tensor2D {
    return this.actor.apply(this.trunk ? this.trunkTensor(x) : x);
  }

  /**
   * Host training pass of the logits (trunk and actor) for `batch` rows of `obs`, keeping what
   * {@link ActorCriticPolicy.backwardLogits} needs; a view valid until the next call.
   */
  logitsTrain(obs: Float32Array, batch: number): Float32Array {
    this.logitsBatch = batch;
    if (!this.trunk) return this.actor.forwardTrain(obs, batch);
    const w = this.trainScratch(batch);
    const h = this.trunk.forwardTrain(obs, batch);
    const f = w.features;
    const m = batch * this.trunk.config.outputDim;
    if (this.activation === 'tanh') for (let i = 0; i < m; i++) f[i] = Math.tanh(h[i]!);
    else for (let i = 0; i < m; i++) f[i] = h[i]! > 0 ? h[i]! : 0;
    return this.actor.forwardTrain(f, batch);
  }

  /**
   * Backward pass of the last {@link ActorCriticPolicy.logitsTrain}: **writes** ∂L/∂parameters
   * into {@link ActorCriticPolicy.decisionHostGrads} given ∂L/∂logits.
   */
  backwardLogits(dLogits: Float32Array): void {
    for (const g of this.decisionHostGrads()) g.fill(0);
    if (!this.trunk) {
      this.actor.backward(dLogits);
      return;
    }
    const w = this.train;
    const dF = w.dFeatures;
    this.actor.backward(dLogits, dF);
    const f = w.features;
    const m = this.trunk.config.outputDim * this.logitsBatch;
    if (this.activation === 'tanh')
      for (let i = 0; i < m; i++) {
        const y = f[i]!;
        dF[i] = dF[i]! * (1 - y * y);
      }
    else for (let i = 0; i < m; i++) if (!(f[i]! > 0)) dF[i] = 0;
    this.trunk.backward(dF);
  }

  /** Frees every variable. */
  dispose(): void {
    for (const [, m] of this.nets) m.dispose();
    this.logStd?.dispose();
  }

  private trunkTensor(x: tf.Tensor2D): tf.Tensor2D {
    const h = this.trunk!.apply(x);
    return (this.activation === 'tanh' ? tf.tanh(h) : tf.relu(h)) as tf.Tensor2D;
  }

  private forwardTrunkF32(obs: Float32Array, batch: number): Float32Array {
    const width = this.trunk!.config.outputDim;
    if (this.trunkBuf.length < batch * width) this.trunkBuf = new Float32Array(batch * width);
    const h = this.trunk!.forwardF32(obs, batch, this.trunkBuf);
    const m = batch * width;
    if (this.activation === 'tanh') for (let i = 0; i < m; i++) h[i] = Math.tanh(h[i]!);
    else for (let i = 0; i < m; i++) if (h[i]! < 0) h[i] = 0;
    return h;
  }

  /** The host logStd (current; refreshed from the variable unless the host side is newer). */
  private logStdF32(): Float32Array {
    const v = this.logStd!;
    if (!this.logStdStale && v.dataId !== this.logStdId) {
      this.logStdHost.set(v.dataSync() as Float32Array);
      this.logStdId = v.dataId;
    }
    return this.logStdHost;
  }

  private syncLogStdDevice(): void {
    if (!this.logStdStale) return;
    this.logStdStale = false;
    const v = this.logStd!;
    tf.tidy(() => v.assign(tf.tensor1d(this.logStdHost)));
    this.logStdId = v.dataId;
  }

  private trainScratch(batch: number): typeof this.train {
    if (this.train.capacity >= batch) return this.train;
    const width = this.trunk ? this.trunk.config.outputDim : 0;
    const n = this.actionDim;
    this.train = {
      capacity: batch,
      features: new Float32Array(batch * width),
      dFeatures: new Float32Array(batch * width),
      dCriticIn: new Float32Array(batch * width),
      logp: new Float32Array(batch * n),
      dHead: new Float32Array(batch * n),
      logProb: new Float32Array(batch),
      entropy: new Float32Array(batch),
    };
    return this.train;
  }
}

/** The policy head (`actionDim` outputs) and the value head (1 output) on a shared trunk's features. */
function linearHeads(
  width: number,
  actionDim: number,
  policyGain: number,
  valueGain: number,
  rng: Rng,
): [Mlp, Mlp] {
  return [
    new Mlp({ inputDim: width, hiddenSizes: [], outputDim: actionDim, outputGain: policyGain }, rng),
    new Mlp({ inputDim: width, hiddenSizes: [], outputDim: 1, outputGain: valueGain }, rng),
  ];
}
