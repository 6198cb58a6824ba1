/**
 * The A2C hyper-parameters, their defaults and their rules: plain data and schemas, without
 * TensorFlow.js, so that a config can be checked (a sweep coordinator, the CLI) where nothing trains.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { ON_POLICY_SHAPE, onPolicyConfigResolver, type OnPolicyConfig } from './on-policy-config.js';

/** A2C hyper-parameters. Defaults follow SB3 (`n_steps` 5, RMSprop) with rl-zoo's 8 envs. */
export interface A2cConfig extends OnPolicyConfig {
  /** Parallel env copies. Default 8. */
  numEnvs: number;
  /** Vector steps per update (n of the n-step return). Default 5. */
  numSteps: number;
  /** Discount γ. Default 0.99. */
  gamma: number;
  /** GAE λ. Default 1 (plain n-step advantages). */
  gaeLambda: number;
  /** Learning rate. Default 7e-4. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0. Default false. */
  annealLr: boolean;
  /** Entropy bonus coefficient. Default 0. */
  entCoef: number;
  /** Value loss coefficient. Default 0.5. */
  vfCoef: number;
  /** Optimizer. Default `'rmsprop'` (α 0.99, ε 1e-5), as SB3. */
  optimizer: 'rmsprop' | 'adam';
  /** RMSprop decay α. Default 0.99. */
  rmspropAlpha: number;
  /** Optimizer ε. Default 1e-5. */
  optimizerEps: number;
  /** Standardize advantages per update. Default false. */
  normalizeAdvantages: boolean;
}

/** Defaults of {@link A2cConfig}. */
export const A2C_DEFAULTS: A2cConfig = {
  numEnvs: 8,
  numSteps: 5,
  gamma: 0.99,
  gaeLambda: 1,
  learningRate: 7e-4,
  annealLr: false,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  optimizer: 'rmsprop',
  rmspropAlpha: 0.99,
  optimizerEps: 1e-5,
  normalizeAdvantages: false,
  learner: 'fast',
  policy: { hiddenSizes: [64, 64], activation: 'tanh', shareTrunk: false },
  normalizeObservation: false,
  normalizeReward: false,
  seed: 1,
  logInterval: 100,
};

/** Rules of every {@link A2cConfig} key (strict: unknown keys are refused). */
export const A2C_SCHEMA = z
  .object({
    ...ON_POLICY_SHAPE,
    entCoef: zc.finite().optional(),
    vfCoef: zc.nonNegative().optional(),
    optimizer: z.enum(['rmsprop', 'adam']).optional(),
    rmspropAlpha: z.number().min(0).lt(1).optional(),
    optimizerEps: zc.positive().optional(),
    normalizeAdvantages: z.boolean().optional(),
  } satisfies ConfigShape<A2cConfig>)
  .strict();

/**
 * Validates overrides of {@link A2C_DEFAULTS} (a `ValidationError` naming `source`, the key
 * and the rule) and fills in the defaults.
 */
export const resolveA2cConfig: (config: unknown, source?: string) => A2cConfig = onPolicyConfigResolver(
  A2C_SCHEMA,
  A2C_DEFAULTS,
  'A2C',
);
