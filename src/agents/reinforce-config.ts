/**
 * The REINFORCE hyper-parameters, their defaults and their rules: plain data and schemas, without
 * TensorFlow.js, so that a config can be checked (a sweep coordinator, the CLI) where nothing trains.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { ON_POLICY_SHAPE, onPolicyConfigResolver, type OnPolicyConfig } from './on-policy-config.js';

/** REINFORCE hyper-parameters. */
export interface ReinforceConfig extends OnPolicyConfig {
  /** Parallel env copies. Default 4. */
  numEnvs: number;
  /** Vector steps per update. Default 256. */
  numSteps: number;
  /** Discount γ. Default 0.99. */
  gamma: number;
  /** Unused by REINFORCE (returns are Monte-Carlo); kept for the shared config. Default 1. */
  gaeLambda: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0. Default false. */
  annealLr: boolean;
  /** Subtract the learned value V(s) from the return. Default true. */
  baseline: boolean;
  /** Value loss coefficient (with a baseline). Default 0.5. */
  vfCoef: number;
  /** Entropy bonus coefficient. Default 0. */
  entCoef: number;
  /** Standardize the advantages (G − b) per update. Default true. */
  normalizeAdvantages: boolean;
}

/** Defaults of {@link ReinforceConfig}. */
export const REINFORCE_DEFAULTS: ReinforceConfig = {
  numEnvs: 4,
  numSteps: 256,
  gamma: 0.99,
  gaeLambda: 1,
  learningRate: 1e-3,
  annealLr: false,
  baseline: true,
  vfCoef: 0.5,
  entCoef: 0,
  normalizeAdvantages: true,
  maxGradNorm: 10,
  learner: 'fast',
  policy: { hiddenSizes: [64, 64], activation: 'tanh', shareTrunk: false },
  normalizeObservation: false,
  normalizeReward: false,
  seed: 1,
  logInterval: 1,
};

/** Rules of every {@link ReinforceConfig} key (strict: unknown keys are refused). */
export const REINFORCE_SCHEMA = z
  .object({
    ...ON_POLICY_SHAPE,
    baseline: z.boolean().optional(),
    vfCoef: zc.nonNegative().optional(),
    entCoef: zc.finite().optional(),
    normalizeAdvantages: z.boolean().optional(),
  } satisfies ConfigShape<ReinforceConfig>)
  .strict();

/**
 * Validates overrides of {@link REINFORCE_DEFAULTS} (a `ValidationError` naming `source`, the key
 * and the rule) and fills in the defaults.
 */
export const resolveReinforceConfig: (config: unknown, source?: string) => ReinforceConfig =
  onPolicyConfigResolver(REINFORCE_SCHEMA, REINFORCE_DEFAULTS, 'REINFORCE');
