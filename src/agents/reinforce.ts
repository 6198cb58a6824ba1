/**
 * REINFORCE (Williams, 1992): the Monte-Carlo policy gradient
 *
 *   ∇J = E[ Σ_t ∇log π(a_t|s_t) · (G_t − b(s_t)) ],   G_t = Σ_k γ^k r_{t+k},
 *
 * with an optional learned baseline b = V (then also trained on (G − V)²). Rollouts of
 * `numSteps` vector steps are collected by the shared on-policy code; a return G_t is only known
 * when its episode ends inside the rollout, so steps after a copy's last episode end are left
 * out of the update (the env keeps running, and the next rollout starts with the rest of that
 * episode, whose returns are then complete). A time-limit truncation bootstraps γ·V(final obs)
 * when a baseline exists and 0 otherwise.
 */

import { Adam } from '../nn/adam.js';
import { AdamF32 } from '../nn/adam-f32.js';
import type { PolicyEvaluationHost } from '../nn/policy.js';
import { policyGradientLossHost } from './policy-gradient-loss.js';
import { tf } from '../nn/tf-backend.js';
import { standardize } from './batch-utils.js';
import { computeDiscountedReturns } from './gae.js';
import {
  OnPolicyAlgorithm,
  type EnvInput,
  type HostLossGrads,
  type PolicyFactory,
} from './on-policy-algorithm.js';
import type { Minibatch } from './rollout-buffer.js';
import { resolveReinforceConfig } from './reinforce-config.js';
import type { ReinforceConfig } from './reinforce-config.js';

export {
  REINFORCE_DEFAULTS,
  REINFORCE_SCHEMA,
  resolveReinforceConfig,
  type ReinforceConfig,
} from './reinforce-config.js';

/** Names of the diagnostics of one REINFORCE step. */
type ReinforceDiagnostic = 'policyLoss' | 'valueLoss' | 'entropyMean';

/** Monte-Carlo policy gradient with optional baseline (see module doc). */
export class REINFORCE extends OnPolicyAlgorithm<ReinforceConfig> {
  /** Checkpoint tag. */
  static readonly algoName = 'reinforce';
  /** 1 where the entry's return is complete (its episode ended inside the rollout). */
  private readonly valid: Uint8Array;
  private readonly validIdx: Int32Array;
  private readonly mb: Minibatch;

  /**
   * Requires `await initTf()` first (or use {@link REINFORCE.create}).
   *
   * @param env - a vector env, one env, or a factory (called `numEnvs` times)
   * @param config - overrides of {@link REINFORCE_DEFAULTS}
   * @param makePolicy - a custom policy; default: MLP actor-critic (the critic is the baseline)
   */
  constructor(env: EnvInput, config: Partial<ReinforceConfig> = {}, makePolicy?: PolicyFactory) {
    const cfg = resolveReinforceConfig(config);
    super(env, cfg, { tfjs: (vars) => new Adam(vars), fast: (params) => new AdamF32(params) }, makePolicy);
    this.valid = new Uint8Array(this.buffer.size);
    this.validIdx = new Int32Array(this.buffer.size);
    this.mb = this.buffer.createMinibatch(this.buffer.size);
  }

  /** Monte-Carlo returns G_t; marks which entries have a complete return. */
  protected override computeTargets(): void {
    const { numSteps: T, numEnvs: E, gamma, baseline } = this.config;
    const b = this.buffer;
    computeDiscountedReturns(
      {
        numSteps: T,
        numEnvs: E,
        rewards: b.rewards,
        terminated: b.terminated,
        truncated: b.truncated,
        // Without a baseline there is no critic to bootstrap a truncation from.
        finalValues: baseline ? b.finalValues : new Float32Array(b.size),
        lastValues: new Float32Array(E),
        gamma,
      },
      b.returns,
    );
    for (let e = 0; e < E; e++) {
      let complete = false;
      for (let t = T - 1; t >= 0; t--) {
        const i = t * E + e;
        if (b.terminated[i] || b.truncated[i]) complete = true;
        this.valid[i] = complete ? 1 : 0;
        b.advantages[i] = b.returns[i]! - (baseline ? b.values[i]! : 0);
      }
    }
  }

  /** One gradient step on the entries with complete returns. */
  protected train(lr: number): Record<string, number> {
    const cfg = this.config;
    let n = 0;
    for (let i = 0; i < this.valid.length; i++) if (this.valid[i]) this.validIdx[n++] = i;
    if (n === 0) return { 'train/complete_fraction': 0 };
    const mb = this.buffer.gather(this.validIdx, 0, n, this.mb);
    const advantages = mb.advantages.subarray(0, n);
    if (cfg.normalizeAdvantages) standardize(advantages);
    const stats = this.hostPolicy
      ? this.gradientStepHost(
          { obs: mb.obs, actions: mb.actions, masks: this.masked ? mb.masks : undefined },
          n,
          (ev, rows, d) => this.objectiveHost(mb, advantages, ev, rows, d),
          lr,
        )
      : this.gradientStep(() => this.objective(mb, advantages), lr);
    return {
      'train/policy_loss': stats.policyLoss,
      'train/value_loss': stats.valueLoss,
      'train/entropy': stats.entropyMean,
      'train/grad_norm': stats.gradNorm,
      'train/complete_fraction': n / this.valid.length,
    };
  }
  /** The REINFORCE loss on the `n` gathered rows as a TensorFlow.js graph, with its diagnostics. */
  private objective(
    mb: Minibatch,
    advantages: Float32Array,
  ): { loss: tf.Scalar; diagnostics: Record<ReinforceDiagnostic, tf.Tensor> } {
    const cfg = this.config;
    const n = advantages.length;
    const bAdvantages = tf.tensor1d(advantages);
    const bReturns = tf.tensor1d(mb.returns.subarray(0, n));
    const { logProb, entropy, values } = this.policy.evaluateActions(
      mb.obs,
      n,
      mb.actions,
      this.masked ? mb.masks : undefined,
    );
    const policyLoss = tf.neg(tf.mean(tf.mul(bAdvantages, logProb)));
    const entropyMean = tf.mean(entropy);
    let loss = tf.sub(policyLoss, tf.mul(cfg.entCoef, entropyMean));
    const valueLoss = tf.mean(tf.square(tf.sub(bReturns, values)));
    // Without a baseline the critic is untouched (zero gradient keeps the optimizer shapes).
    loss = tf.add(loss, tf.mul(cfg.baseline ? cfg.vfCoef : 0, valueLoss));
    return { loss: loss as tf.Scalar, diagnostics: { policyLoss, valueLoss, entropyMean } };
  }

  /**
   * The same loss for the fast learner ({@link policyGradientLossHost}): diagnostics and analytic
   * per-row derivatives (means over `n` rows): ∂policyLoss/∂log π = −A/n,
   * ∂(−c_ent·entropyMean)/∂H = −c_ent/n, ∂(c_vf·valueLoss)/∂V = 2·c_vf·(V − G)/n (c_vf = 0
   * without a baseline).
   */
  private objectiveHost(
    mb: Minibatch,
    advantages: Float32Array,
    ev: PolicyEvaluationHost,
    n: number,
    d: HostLossGrads,
  ): Record<ReinforceDiagnostic, number> {
    const cfg = this.config;
    // Without a baseline the critic is untouched (a zero value coefficient).
    const vfCoef = cfg.baseline ? cfg.vfCoef : 0;
    return policyGradientLossHost(ev, n, advantages, mb.returns, cfg.entCoef, vfCoef, d);
  }
}
