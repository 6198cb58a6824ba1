/**
 * MLP actor-critic policy for flat observations, Discrete or Box actions (SB3's
 * `ActorCriticPolicy`, CleanRL's `Agent`). Separate actor and critic networks by default, or a
 * shared trunk with two linear heads. Orthogonal initialisation: √2 hidden, 0.01 policy head,
 * 1 value head. Rollout decisions run on the Float32 forward pass; the loss uses TensorFlow.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces.js';
import type { DenseActivation } from './dense-forward.js';
import { diagGaussianEntropyTensor, diagGaussianLogProbTensor, sampleDiagGaussian } from './diag-gaussian.js';
import {
  categoricalEntropy,
  categoricalLogProb,
  maskedLogSoftmax,
  maskedLogSumExp,
  sampleMaskedCategorical,
} from './masked-categorical.js';
import { Mlp } from './mlp.js';
import type { ActOutput, Policy, PolicyActionKind, PolicyEvaluation } from './policy.js';
import { assertTfReady, tf } from './tf-backend.js';

/** Architecture of an {@link ActorCriticPolicy}. */
export interface ActorCriticConfig {
  /** Hidden layer widths of the actor (and of the trunk when shared). Default `[64, 64]`. */
  hiddenSizes?: number[];
  /** Hidden layer widths of the critic when not shared. Default: `hiddenSizes`. */
  valueHiddenSizes?: number[];
  /** Hidden nonlinearity. Default `'tanh'`. */
  activation?: DenseActivation;
  /** One trunk for actor and critic, with two linear heads. Default false (separate networks). */
  shareTrunk?: boolean;
  /** Initial log standard deviation of Box actions. Default 0 (σ = 1). */
  logStdInit?: number;
  /** Orthogonal gain of the policy head. Default 0.01 (near-uniform initial policy). */
  policyGain?: number;
  /** Orthogonal gain of the value head. Default 1. */
  valueGain?: number;
}

/** Defaults of {@link ActorCriticConfig}. */
export const ACTOR_CRITIC_DEFAULTS: Required<Omit<ActorCriticConfig, 'valueHiddenSizes'>> = {
  hiddenSizes: [64, 64],
  activation: 'tanh',
  shareTrunk: false,
  logStdInit: 0,
  policyGain: 0.01,
  valueGain: 1,
};

/** Schema of {@link ActorCriticConfig} (rules only; the defaults are documented on the interface). */
export const ACTOR_CRITIC_SCHEMA = z
  .object({
    hiddenSizes: zc.layerSizes().optional(),
    valueHiddenSizes: zc.layerSizes().optional(),
    activation: z.enum(['tanh', 'relu']).optional(),
    shareTrunk: z.boolean().optional(),
    logStdInit: zc.finite().optional(),
    policyGain: zc.positive().optional(),
    valueGain: zc.positive().optional(),
  } satisfies ConfigShape<ActorCriticConfig>)
  .strict();

/** An MLP actor-critic on flat observations (see module doc). */
export class ActorCriticPolicy implements Policy<Float32Array> {
  /** Discrete or Box actions. */
  readonly actionKind: PolicyActionKind;
  /** Number of actions (Discrete) or action dimension (Box). */
  readonly actionDim: number;
  /** Flat observation length. */
  readonly obsDim: number;
  /** Every trainable variable. */
  readonly variables: tf.Variable[];
  /** Shared trunk (only when `shareTrunk`). */
  readonly trunk: Mlp | undefined;
  /** Policy network (head only when the trunk is shared): logits or Gaussian means. */
  readonly actor: Mlp;
  /** Value network (head only when the trunk is shared). */
  readonly critic: Mlp;
  /** Log standard deviations of Box actions. */
  readonly logStd: tf.Variable<tf.Rank.R1> | undefined;
  private readonly activation: DenseActivation;
  private readonly nets: [string, Mlp][];
  // Float32 scratch, grown on demand, so rollouts allocate nothing per step.
  private headBuf = new Float32Array(0);
  private trunkBuf = new Float32Array(0);
  private logStdHost = new Float32Array(0);
  private logStdId: object | undefined;

  /**
   * @param obsDim - flat observation length
   * @param actionSpace - Discrete(n) or Box(d)
   * @param config - architecture (see {@link ActorCriticConfig})
   * @param rng - initialises every weight (same seed, same network)
   */
  constructor(obsDim: number, actionSpace: Space, config: ActorCriticConfig = {}, rng: Rng) {
    assertTfReady('ActorCriticPolicy');
    const hidden = config.hiddenSizes ?? ACTOR_CRITIC_DEFAULTS.hiddenSizes;
    const activation = config.activation ?? ACTOR_CRITIC_DEFAULTS.activation;
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
    if (config.shareTrunk) {
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
      this.actor = new Mlp(
        { inputDim: width, hiddenSizes: [], outputDim: this.actionDim, outputGain: policyGain },
        rng,
      );
      this.critic = new Mlp({ inputDim: width, hiddenSizes: [], outputDim: 1, outputGain: valueGain }, rng);
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
      ...(this.trunk ? ([['trunk', this.trunk]] as [string, Mlp][]) : []),
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
    this.variables = [...this.nets.flatMap(([, m]) => m.variables), ...(this.logStd ? [this.logStd] : [])];
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
    if (this.logStd) out.logStd = Float32Array.from(this.logStd.dataSync() as Float32Array);
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
      tf.tidy(() => v.assign(tf.tensor1d(w)));
    }
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
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

  private logStdF32(): Float32Array {
    const v = this.logStd!;
    if (v.dataId !== this.logStdId) {
      this.logStdHost = Float32Array.from(v.dataSync() as Float32Array);
      this.logStdId = v.dataId;
    }
    return this.logStdHost;
  }
}
