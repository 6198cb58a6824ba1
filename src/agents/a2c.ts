/**
 * Advantage Actor-Critic (A2C; Mnih et al., 2016, synchronous variant), as Stable-Baselines3's:
 * short n-step rollouts over parallel envs (shared rollout code in `on-policy-algorithm.ts`),
 * GAE(λ) advantages (λ = 1 gives plain n-step returns), and one gradient step per rollout on
 *
 *   L = −E[A · log π(a|s)] − c_ent · H[π] + c_vf · E[(R − V(s))²],
 *
 * with RMSprop (SB3's default) or Adam, and gradient-norm clipping.
 */

import { Adam } from '../nn/adam.js';
import { AdamF32 } from '../nn/adam-f32.js';
import type { PolicyEvaluationHost } from '../nn/policy.js';
import { policyGradientLossHost } from './policy-gradient-loss.js';
import { RmsProp } from '../nn/rmsprop.js';
import { RmsPropF32 } from '../nn/rmsprop-f32.js';
import { tf } from '../nn/tf-backend.js';
import { explainedVariance, standardize } from './batch-utils.js';
import {
  OnPolicyAlgorithm,
  type EnvInput,
  type HostLossGrads,
  type PolicyFactory,
} from './on-policy-algorithm.js';
import { resolveA2cConfig } from './a2c-config.js';
import type { A2cConfig } from './a2c-config.js';

export { A2C_DEFAULTS, A2C_SCHEMA, resolveA2cConfig, type A2cConfig } from './a2c-config.js';

/** Names of the diagnostics of one A2C step. */
type A2cDiagnostic = 'policyLoss' | 'valueLoss' | 'entropyLoss';

/** Synchronous advantage actor-critic (see module doc). */
export class A2C extends OnPolicyAlgorithm<A2cConfig> {
  /** Checkpoint tag. */
  static readonly algoName = 'a2c';

  /**
   * Requires `await initTf()` first (or use {@link A2C.create}).
   *
   * @param env - a vector env, one env, or a factory (called `numEnvs` times)
   * @param config - overrides of {@link A2C_DEFAULTS}
   * @param makePolicy - a custom policy; default: MLP actor-critic
   */
  constructor(env: EnvInput, config: Partial<A2cConfig> = {}, makePolicy?: PolicyFactory) {
    const cfg = resolveA2cConfig(config);
    super(
      env,
      cfg,
      {
        tfjs: (vars) =>
          cfg.optimizer === 'adam'
            ? new Adam(vars, { eps: cfg.optimizerEps })
            : new RmsProp(vars, { alpha: cfg.rmspropAlpha, eps: cfg.optimizerEps }),
        fast: (params) =>
          cfg.optimizer === 'adam'
            ? new AdamF32(params, { eps: cfg.optimizerEps })
            : new RmsPropF32(params, { alpha: cfg.rmspropAlpha, eps: cfg.optimizerEps }),
      },
      makePolicy,
    );
  }

  /** One gradient step on the whole rollout. */
  protected train(lr: number): Record<string, number> {
    const cfg = this.config;
    const b = this.buffer;
    const n = b.size;
    const advantages = b.advantages;
    if (cfg.normalizeAdvantages) standardize(advantages);
    const stats = this.hostPolicy
      ? this.gradientStepHost(
          { obs: b.obs, actions: b.actions, masks: this.masked ? b.masks : undefined },
          n,
          (ev, rows, d) => this.objectiveHost(advantages, ev, rows, d),
          lr,
        )
      : this.gradientStep(() => this.objective(advantages), lr);
    return {
      'train/policy_loss': stats.policyLoss,
      'train/value_loss': stats.valueLoss,
      'train/entropy_loss': stats.entropyLoss,
      'train/grad_norm': stats.gradNorm,
      'train/explained_variance': explainedVariance(b.values, b.returns),
    };
  }
  /** The A2C loss on the whole rollout as a TensorFlow.js graph, with its diagnostics. */
  private objective(advantages: Float32Array): {
    loss: tf.Scalar;
    diagnostics: Record<A2cDiagnostic, tf.Tensor>;
  } {
    const cfg = this.config;
    const b = this.buffer;
    const n = b.size;
    const bAdvantages = tf.tensor1d(advantages);
    const bReturns = tf.tensor1d(b.returns);
    const { logProb, entropy, values } = this.policy.evaluateActions(
      b.obs,
      n,
      b.actions,
      this.masked ? b.masks : undefined,
    );
    const policyLoss = tf.neg(tf.mean(tf.mul(bAdvantages, logProb)));
    const valueLoss = tf.mean(tf.square(tf.sub(bReturns, values)));
    const entropyLoss = tf.neg(tf.mean(entropy));
    const loss = tf.add(
      tf.add(policyLoss, tf.mul(cfg.entCoef, entropyLoss)),
      tf.mul(cfg.vfCoef, valueLoss),
    ) as tf.Scalar;
    return { loss, diagnostics: { policyLoss, valueLoss, entropyLoss } };
  }

  /**
   * The same loss for the fast learner ({@link policyGradientLossHost}): diagnostics and analytic
   * per-row derivatives (means over `n` rows): ∂policyLoss/∂log π = −A/n,
   * ∂(c_ent·entropyLoss)/∂H = −c_ent/n, ∂(c_vf·valueLoss)/∂V = 2·c_vf·(V − R)/n.
   */
  private objectiveHost(
    advantages: Float32Array,
    ev: PolicyEvaluationHost,
    n: number,
    d: HostLossGrads,
  ): Record<A2cDiagnostic, number> {
    const cfg = this.config;
    const t = policyGradientLossHost(ev, n, advantages, this.buffer.returns, cfg.entCoef, cfg.vfCoef, d);
    return { policyLoss: t.policyLoss, valueLoss: t.valueLoss, entropyLoss: -t.entropyMean };
  }
}
