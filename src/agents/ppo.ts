/**
 * Proximal Policy Optimization (Schulman et al., 2017), CleanRL style: read top to bottom with
 * the paper's names. Each iteration: collect `numSteps × numEnvs` transitions with the current
 * policy (shared rollout code in `on-policy-algorithm.ts`: Float32 forward pass, same-step
 * autoreset, truncation bootstrapping), compute GAE advantages and returns, then
 * `updateEpochs` epochs of shuffled minibatch updates of the clipped surrogate objective
 *
 *   L = E[max(−A·ratio, −A·clip(ratio, 1 − ε, 1 + ε))] − c_ent · H[π] + c_vf · L_V,
 *
 * with optional value clipping, gradient-norm clipping and early stopping on approximate KL.
 * The loss is written twice, side by side: as a TensorFlow.js graph ({@link PPO} `objective`,
 * the reference) and as its analytic per-row derivatives for the fast learner (`objectiveHost`).
 *
 * @example
 * await initTf();
 * const model = new PPO(() => makeEnv('CartPole-v1'), { seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 * const action = model.predict(obs, { deterministic: true });
 * await model.save('runs/ppo-cartpole');
 */

import { Adam } from '../nn/adam.js';
import { AdamF32 } from '../nn/adam-f32.js';
import type { PolicyEvaluationHost } from '../nn/policy.js';
import { tf } from '../nn/tf-backend.js';
import { explainedVariance, shuffleInPlace, standardize } from './batch-utils.js';
import type { Minibatch } from './rollout-buffer.js';
import {
  OnPolicyAlgorithm,
  type EnvInput,
  type HostLossGrads,
  type PolicyFactory,
} from './on-policy-algorithm.js';
import { makeSchedule } from './schedules.js';
import { resolvePpoConfig } from './ppo-config.js';
import type { PpoConfig } from './ppo-config.js';

export { PPO_DEFAULTS, PPO_SCHEMA, resolvePpoConfig, type PpoConfig } from './ppo-config.js';

/** Names of the diagnostics of one PPO minibatch step (CleanRL's). */
type PpoDiagnostic = 'pg_loss' | 'v_loss' | 'entropy_loss' | 'approx_kl' | 'old_approx_kl' | 'clipfrac';

/** PPO with clipped surrogate objective (see module doc). */
export class PPO extends OnPolicyAlgorithm<PpoConfig> {
  /** Checkpoint tag. */
  static readonly algoName = 'ppo';
  private readonly bInds: Int32Array;
  private mb: Minibatch | undefined;

  /**
   * Requires `await initTf()` first (or use {@link PPO.create}).
   *
   * @param env - a vector env, one env, or a factory (called `numEnvs` times, SyncVectorEnv)
   * @param config - overrides of {@link PPO_DEFAULTS}
   * @param makePolicy - a custom policy (e.g. a graph policy); default: MLP actor-critic
   */
  constructor(env: EnvInput, config: Partial<PpoConfig> = {}, makePolicy?: PolicyFactory) {
    const cfg = resolvePpoConfig(config);
    super(
      env,
      cfg,
      {
        tfjs: (vars) => new Adam(vars, { eps: cfg.adamEps }),
        fast: (params) => new AdamF32(params, { eps: cfg.adamEps }),
      },
      makePolicy,
    );
    this.bInds = Int32Array.from({ length: this.buffer.size }, (_, i) => i);
  }

  /** The PPO update: `updateEpochs` epochs of minibatch gradient steps on the clipped objective. */
  protected train(lr: number, progressRemaining: number): Record<string, number> {
    // Local names follow CleanRL's ppo.py (snake_case), so the two read side by side.
    const cfg = this.config;
    const clip_coef = makeSchedule(cfg.clipCoef)(progressRemaining);
    const batch_size = this.buffer.size;
    const minibatch_size = Math.max(1, Math.floor(batch_size / cfg.numMinibatches));
    const mb = (this.mb ??= this.buffer.createMinibatch(minibatch_size));
    const b_inds = this.bInds;
    const sums = {
      pg_loss: 0,
      v_loss: 0,
      entropy_loss: 0,
      approx_kl: 0,
      old_approx_kl: 0,
      clipfrac: 0,
      grad_norm: 0,
    };
    let count = 0;
    let lastApproxKl = 0;
    let epochsDone = 0;
    for (let epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      // Shuffle from the identity each epoch, so the order depends only on the RNG (exact resume).
      for (let i = 0; i < batch_size; i++) b_inds[i] = i;
      shuffleInPlace(b_inds, this.shuffleRng);
      for (let start = 0; start < batch_size; start += minibatch_size) {
        const end = Math.min(start + minibatch_size, batch_size);
        this.buffer.gather(b_inds, start, end, mb);
        const n = mb.size;
        const mb_advantages = mb.advantages.subarray(0, n);
        if (cfg.normalizeAdvantages) standardize(mb_advantages);

        const stats = this.hostPolicy
          ? this.gradientStepHost(
              { obs: mb.obs, actions: mb.actions, masks: this.masked ? mb.masks : undefined },
              n,
              (ev, rows, d) => this.objectiveHost(mb, mb_advantages, clip_coef, ev, rows, d),
              lr,
            )
          : this.gradientStep(() => this.objective(mb, mb_advantages, clip_coef), lr);

        sums.pg_loss += stats.pg_loss;
        sums.v_loss += stats.v_loss;
        sums.entropy_loss += stats.entropy_loss;
        sums.approx_kl += stats.approx_kl;
        sums.old_approx_kl += stats.old_approx_kl;
        sums.clipfrac += stats.clipfrac;
        sums.grad_norm += stats.gradNorm;
        lastApproxKl = stats.approx_kl;
        count++;
      }
      epochsDone++;
      if (cfg.targetKl !== null && lastApproxKl > cfg.targetKl) break;
    }

    return {
      'train/policy_loss': sums.pg_loss / count,
      'train/value_loss': sums.v_loss / count,
      'train/entropy': sums.entropy_loss / count,
      'train/approx_kl': sums.approx_kl / count,
      'train/old_approx_kl': sums.old_approx_kl / count,
      'train/clipfrac': sums.clipfrac / count,
      'train/grad_norm': sums.grad_norm / count,
      'train/explained_variance': explainedVariance(this.buffer.values, this.buffer.returns),
      'train/clip_range': clip_coef,
      'train/epochs': epochsDone,
    };
  }
  /**
   * The clipped-surrogate loss on minibatch `mb` (its first `n` rows, `mb_advantages`) as a
   * TensorFlow.js graph, with its diagnostics (the TF.js learner differentiates it).
   */
  private objective(
    mb: Minibatch,
    mb_advantages: Float32Array,
    clip_coef: number,
  ): { loss: tf.Scalar; diagnostics: Record<PpoDiagnostic, tf.Tensor> } {
    const cfg = this.config;
    const n = mb.size;
    const b_logprobs = tf.tensor1d(mb.logProbs.subarray(0, n));
    const b_advantages = tf.tensor1d(mb_advantages);
    const b_returns = tf.tensor1d(mb.returns.subarray(0, n));
    const b_values = tf.tensor1d(mb.values.subarray(0, n));
    const {
      logProb: newlogprob,
      entropy,
      values: newvalue,
    } = this.policy.evaluateActions(mb.obs, n, mb.actions, this.masked ? mb.masks : undefined);
    const logratio = tf.sub(newlogprob, b_logprobs);
    const ratio = tf.exp(logratio);

    // Diagnostics (no gradient flows from them): k1 and k3 KL estimators, clipped fraction.
    const old_approx_kl = tf.mean(tf.neg(logratio));
    const approx_kl = tf.mean(tf.sub(tf.sub(ratio, 1), logratio));
    const clipfrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), clip_coef), 'float32'));

    // Policy loss: pessimistic bound of the clipped and unclipped surrogate.
    const pg_loss1 = tf.mul(tf.neg(b_advantages), ratio);
    const pg_loss2 = tf.mul(tf.neg(b_advantages), tf.clipByValue(ratio, 1 - clip_coef, 1 + clip_coef));
    const pg_loss = tf.mean(tf.maximum(pg_loss1, pg_loss2));

    // Value loss, optionally clipped around the rollout's values.
    let v_loss: tf.Tensor;
    if (cfg.clipVloss) {
      const v_loss_unclipped = tf.square(tf.sub(newvalue, b_returns));
      const v_clipped = tf.add(b_values, tf.clipByValue(tf.sub(newvalue, b_values), -clip_coef, clip_coef));
      const v_loss_clipped = tf.square(tf.sub(v_clipped, b_returns));
      v_loss = tf.mul(0.5, tf.mean(tf.maximum(v_loss_unclipped, v_loss_clipped)));
    } else v_loss = tf.mul(0.5, tf.mean(tf.square(tf.sub(newvalue, b_returns))));

    const entropy_loss = tf.mean(entropy);
    const loss = tf.add(tf.sub(pg_loss, tf.mul(cfg.entCoef, entropy_loss)), tf.mul(v_loss, cfg.vfCoef));
    return {
      loss: loss as tf.Scalar,
      diagnostics: { pg_loss, v_loss, entropy_loss, approx_kl, old_approx_kl, clipfrac },
    };
  }

  /**
   * The same loss for the fast learner, row by row: its diagnostics, and its analytic
   * derivatives written into `d`. Each term is the derivative of the line of
   * {@link PPO.objective} it is named after; at ties it follows TensorFlow.js's conventions
   * (`tf.maximum` sends the gradient to its first argument when a ≥ b; `tf.clipByValue` passes it
   * inside the closed interval), and the float32 rounding of the graph is kept where it decides a
   * branch. With r = exp(newlogprob − b_logprobs), per row (each loss is a mean over `n` rows):
   *
   *   ∂pg_loss/∂newlogprob = −A·r             where pg_loss1 ≥ pg_loss2,
   *                         −A·r·[1−ε ≤ r ≤ 1+ε] otherwise;
   *   ∂(−c_ent·entropy_loss)/∂H = −c_ent;
   *   ∂(c_vf·v_loss)/∂V = c_vf·(V − R)        unclipped, or where v_loss_unclipped ≥ v_loss_clipped,
   *                      c_vf·(v_clipped − R)·[|V − V_old| ≤ ε] otherwise.
   */
  private objectiveHost(
    mb: Minibatch,
    mb_advantages: Float32Array,
    clip_coef: number,
    ev: PolicyEvaluationHost,
    n: number,
    d: HostLossGrads,
  ): Record<PpoDiagnostic, number> {
    const cfg = this.config;
    const f = Math.fround;
    const lo = f(1 - clip_coef);
    const hi = f(1 + clip_coef);
    const eps = f(clip_coef);
    const { logProb: newlogprob, entropy, values: newvalue } = ev;
    const b_logprobs = mb.logProbs;
    const b_returns = mb.returns;
    const b_values = mb.values;
    let pg_sum = 0;
    let v_sum = 0;
    let entropy_sum = 0;
    let old_kl_sum = 0;
    let kl_sum = 0;
    let clipped_count = 0;
    for (let i = 0; i < n; i++) {
      const logratio = f(newlogprob[i]! - b_logprobs[i]!);
      const ratio = f(Math.exp(logratio));
      old_kl_sum -= logratio;
      kl_sum += ratio - 1 - logratio;
      if (Math.abs(ratio - 1) > eps) clipped_count++;

      const adv = mb_advantages[i]!;
      const pg_loss1 = f(-adv * ratio);
      const pg_loss2 = f(-adv * (ratio < lo ? lo : ratio > hi ? hi : ratio));
      let dRatio: number;
      if (pg_loss1 >= pg_loss2) {
        pg_sum += pg_loss1;
        dRatio = -adv;
      } else {
        pg_sum += pg_loss2;
        dRatio = ratio >= lo && ratio <= hi ? -adv : 0;
      }
      d.dLogProb[i] = (dRatio * ratio) / n;

      entropy_sum += entropy[i]!;
      d.dEntropy[i] = -cfg.entCoef / n;

      const v = newvalue[i]!;
      const ret = b_returns[i]!;
      let dV = v - ret;
      if (cfg.clipVloss) {
        const v_loss_unclipped = f(f(v - ret) ** 2);
        const delta = f(v - b_values[i]!);
        const v_clipped = f(b_values[i]! + (delta < -eps ? -eps : delta > eps ? eps : delta));
        const v_loss_clipped = f(f(v_clipped - ret) ** 2);
        if (v_loss_unclipped >= v_loss_clipped) v_sum += v_loss_unclipped;
        else {
          v_sum += v_loss_clipped;
          dV = delta >= -eps && delta <= eps ? v_clipped - ret : 0;
        }
      } else v_sum += f(v - ret) ** 2;
      // v_loss = ½·mean(…): the ½ cancels the square's 2.
      d.dValues[i] = (cfg.vfCoef * dV) / n;
    }
    return {
      pg_loss: pg_sum / n,
      v_loss: (0.5 * v_sum) / n,
      entropy_loss: entropy_sum / n,
      approx_kl: kl_sum / n,
      old_approx_kl: old_kl_sum / n,
      clipfrac: clipped_count / n,
    };
  }
}
