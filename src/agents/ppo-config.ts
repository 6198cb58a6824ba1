/**
 * The PPO hyper-parameters, their defaults and their rules: plain data and schemas, without
 * TensorFlow.js, so that a config can be checked (a sweep coordinator, the CLI) where nothing trains.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { ON_POLICY_SHAPE, onPolicyConfigResolver, type OnPolicyConfig } from './on-policy-config.js';
import { SCHEDULE_SCHEMA, type ScheduleSpec } from './schedules.js';

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
  learner: 'fast',
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
