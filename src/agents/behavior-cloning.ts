/**
 * Behaviour cloning: supervised training of an actor-critic policy on demonstrations (state,
 * mask, expert action, return). The loss per minibatch is
 *
 *   −mean log π(a_expert | s)  +  vfCoef · mean (V(s) − G)²  −  entCoef · mean H(π(· | s))
 *
 * with the same masks as at decision time, so the policy only learns among allowed actions. The
 * value term (when returns are given) gives PPO a critic that already knows the task when
 * fine-tuning starts from the cloned policy. Used to warm-start the EGS graph policy from the
 * non-learned expert.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import { ArbiterError } from '../core/errors.js';
import { Adam } from '../nn/adam.js';
import { clipGradNorm } from '../nn/clip-grad-norm.js';
import type { Optimizer } from '../nn/optimizer.js';
import type { Policy } from '../nn/policy.js';
import { tf } from '../nn/tf-backend.js';

/** Settings of {@link BehaviorCloning}; every field has a default. */
export interface BehaviorCloningConfig {
  /** Adam learning rate (default 1e-3). */
  learningRate: number;
  /** Global gradient-norm clip (default 0.5). */
  maxGradNorm: number;
  /** Weight of the value regression (default 0.5; ignored without returns). */
  vfCoef: number;
  /** Entropy bonus (default 0). */
  entCoef: number;
}

/** Defaults of {@link BehaviorCloningConfig}. */
export const BEHAVIOR_CLONING_DEFAULTS: Readonly<BehaviorCloningConfig> = Object.freeze({
  learningRate: 1e-3,
  maxGradNorm: 0.5,
  vfCoef: 0.5,
  entCoef: 0,
});

/** Rules of every {@link BehaviorCloningConfig} key (strict: unknown keys are refused). */
export const BEHAVIOR_CLONING_SCHEMA = z
  .object({
    learningRate: zc.positive().optional(),
    maxGradNorm: zc.positiveOrInfinity().optional(),
    vfCoef: zc.nonNegative().optional(),
    entCoef: zc.nonNegative().optional(),
  } satisfies ConfigShape<BehaviorCloningConfig>)
  .strict();

/** Losses of one {@link BehaviorCloning.step}. */
export interface BehaviorCloningMetrics {
  /** Mean negative log-likelihood of the expert actions. */
  nll: number;
  /** Mean squared value error (0 without returns). */
  valueLoss: number;
  /** Mean policy entropy. */
  entropy: number;
  /** Gradient norm before clipping. */
  gradNorm: number;
}

/** Supervised trainer of a {@link Policy} on expert actions (see the file comment). */
export class BehaviorCloning<Obs> {
  /** Resolved settings. */
  readonly config: BehaviorCloningConfig;
  /** Optimizer over the policy's variables (Adam unless one is given). */
  readonly optimizer: Optimizer;

  /**
   * @param policy - the policy to train (its variables are updated in place)
   * @param config - overrides of {@link BEHAVIOR_CLONING_DEFAULTS}
   * @param optimizer - e.g. the optimizer of the algorithm that fine-tunes afterwards
   */
  constructor(
    readonly policy: Policy<Obs>,
    config: Partial<BehaviorCloningConfig> = {},
    optimizer?: Optimizer,
  ) {
    const given = parseConfig(BEHAVIOR_CLONING_SCHEMA, config, {
      source: 'behaviour cloning config',
      what: 'BehaviorCloning',
    });
    const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    this.config = { ...BEHAVIOR_CLONING_DEFAULTS, ...defined };
    this.optimizer = optimizer ?? new Adam(policy.variables, { eps: 1e-5 });
  }

  /**
   * One gradient step on a minibatch of `batch` demonstrations: `actions` are the expert's,
   * `masks` (batch × actionDim) the allowed actions in each state, `returns` optional value
   * targets. `lr` overrides the configured learning rate (for schedules).
   */
  step(
    obs: Obs,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    returns?: Float32Array,
    lr = this.config.learningRate,
  ): BehaviorCloningMetrics {
    if (returns && returns.length < batch)
      throw new ArbiterError(
        'invalid-input',
        `behaviour cloning: ${returns.length} returns for ${batch} rows`,
      );
    const { vfCoef, entCoef, maxGradNorm } = this.config;
    const variables = this.policy.variables;
    const out = tf.tidy(() => {
      let kept: tf.Tensor[] = [];
      const { grads } = tf.variableGrads(() => {
        const ev = this.policy.evaluateActions(obs, batch, actions, masks);
        const nll = tf.neg(tf.mean(ev.logProb));
        const entropy = tf.mean(ev.entropy);
        const valueLoss = returns
          ? tf.mean(tf.square(tf.sub(ev.values, tf.tensor1d(returns.subarray(0, batch)))))
          : tf.scalar(0);
        kept = [nll, valueLoss, entropy].map((t) => tf.keep(t));
        return tf.addN([nll, tf.mul(valueLoss, vfCoef), tf.mul(entropy, -entCoef)]) as tf.Scalar;
      }, variables);
      const clipped = clipGradNorm(
        variables.map((v) => grads[v.name]!),
        maxGradNorm,
      );
      this.optimizer.applyGradients(clipped.grads, lr);
      const values = tf.stack([...kept, clipped.norm]).dataSync() as Float32Array;
      for (const t of kept) t.dispose();
      return values;
    });
    return { nll: out[0]!, valueLoss: out[1]!, entropy: out[2]!, gradNorm: out[3]! };
  }
}
