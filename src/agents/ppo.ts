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
 *
 * @example
 * await initTf();
 * const model = new PPO(() => makeEnv('CartPole-v1'), { seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 * const action = model.predict(obs, { deterministic: true });
 * await model.save('runs/ppo-cartpole');
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { Adam } from '../nn/adam.js';
import { tf } from '../nn/tf-backend.js';
import { explainedVariance, shuffleInPlace, standardize } from './batch-utils.js';
import type { Minibatch } from './rollout-buffer.js';
import {
  ON_POLICY_SHAPE,
  OnPolicyAlgorithm,
  onPolicyConfigResolver,
  type EnvInput,
  type OnPolicyConfig,
  type PolicyFactory,
} from './on-policy-algorithm.js';
import { makeSchedule, SCHEDULE_SCHEMA, type ScheduleSpec } from './schedules.js';

/** PPO hyper-parameters. Defaults are CleanRL's `ppo.py` (tuned for CartPole). */
export interface PpoConfig extends OnPolicyConfig {
  /** Parallel env copies. Default 4. */
  numEnvs: number;
  /** Vector steps per rollout. Default 128 (batch = 512). */
  numSteps: number;
  /** Discount γ. Default 0.99. */
  gamma: number;
  /** GAE λ. Default 0.95. */
  gaeLambda: number;
  /** Minibatches per epoch. Default 4. */
  numMinibatches: number;
  /** Passes over the rollout per update. Default 4. */
  updateEpochs: number;
  /** Surrogate clipping ε (a number, or a schedule over remaining progress). Default 0.2. */
  clipCoef: ScheduleSpec;
  /** Clip the value loss around the old values (as the PPO2 code). Default true. */
  clipVloss: boolean;
  /** Entropy bonus coefficient. Default 0.01. */
  entCoef: number;
  /** Value loss coefficient. Default 0.5. */
  vfCoef: number;
  /** Adam learning rate. Default 2.5e-4. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0. Default true. */
  annealLr: boolean;
  /** Standardize advantages per minibatch. Default true. */
  normalizeAdvantages: boolean;
  /** Stop an update's epochs once the approximate KL exceeds this. Default null (never). */
  targetKl: number | null;
  /** Adam ε. Default 1e-5. */
  adamEps: number;
}

/** Defaults of {@link PpoConfig}. */
export const PPO_DEFAULTS: PpoConfig = {
  numEnvs: 4,
  numSteps: 128,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  clipCoef: 0.2,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  learningRate: 2.5e-4,
  annealLr: true,
  normalizeAdvantages: true,
  targetKl: null,
  adamEps: 1e-5,
  policy: { hiddenSizes: [64, 64], activation: 'tanh', shareTrunk: false },
  normalizeObservation: false,
  normalizeReward: false,
  seed: 1,
  logInterval: 1,
};

/** Rules of every {@link PpoConfig} key (strict: unknown keys are refused). */
export const PPO_SCHEMA = z
  .object({
    ...ON_POLICY_SHAPE,
    numMinibatches: zc.int(1).optional(),
    updateEpochs: zc.int(1).optional(),
    clipCoef: SCHEDULE_SCHEMA.optional(),
    clipVloss: z.boolean().optional(),
    entCoef: zc.finite().optional(),
    vfCoef: zc.nonNegative().optional(),
    normalizeAdvantages: z.boolean().optional(),
    targetKl: zc.positive().nullable().optional(),
    adamEps: zc.positive().optional(),
  } satisfies ConfigShape<PpoConfig>)
  .strict();

/**
 * Validates overrides of {@link PPO_DEFAULTS} (a `ValidationError` naming `source`, the key and
 * the rule) and fills in the defaults.
 */
export const resolvePpoConfig: (config: unknown, source?: string) => PpoConfig = onPolicyConfigResolver(
  PPO_SCHEMA,
  PPO_DEFAULTS,
  'PPO',
);

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
    super(env, cfg, (vars) => new Adam(vars, { eps: cfg.adamEps }), makePolicy);
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

        const stats = this.gradientStep(() => {
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
            const v_clipped = tf.add(
              b_values,
              tf.clipByValue(tf.sub(newvalue, b_values), -clip_coef, clip_coef),
            );
            const v_loss_clipped = tf.square(tf.sub(v_clipped, b_returns));
            v_loss = tf.mul(0.5, tf.mean(tf.maximum(v_loss_unclipped, v_loss_clipped)));
          } else v_loss = tf.mul(0.5, tf.mean(tf.square(tf.sub(newvalue, b_returns))));

          const entropy_loss = tf.mean(entropy);
          const loss = tf.add(tf.sub(pg_loss, tf.mul(cfg.entCoef, entropy_loss)), tf.mul(v_loss, cfg.vfCoef));
          return {
            loss: loss as tf.Scalar,
            diagnostics: { pg_loss, v_loss, entropy_loss, approx_kl, old_approx_kl, clipfrac },
          };
        }, lr);

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
}
