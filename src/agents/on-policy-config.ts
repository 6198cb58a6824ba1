/**
 * The settings every on-policy algorithm (REINFORCE, A2C, PPO) has, their rules and the resolver
 * that fills in an algorithm's defaults: plain data and schemas, without TensorFlow.js, so that a
 * config can be checked (a sweep coordinator, the CLI) where nothing trains.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import { ACTOR_CRITIC_SCHEMA, type ActorCriticConfig } from '../nn/actor-critic-config.js';

/** Settings every on-policy algorithm has. */
export interface OnPolicyConfig {
  /** Parallel env copies (used when the algorithm builds the vector env from a factory). */
  numEnvs: number;
  /** Vector steps per rollout; a rollout holds numEnvs × numSteps transitions. */
  numSteps: number;
  /** Discount factor γ. */
  gamma: number;
  /** GAE λ. */
  gaeLambda: number;
  /** Initial learning rate. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0 at the horizon (CleanRL's `anneal_lr`). */
  annealLr: boolean;
  /** Policy architecture. */
  policy: ActorCriticConfig;
  /** Normalize observations with running statistics (SB3 VecNormalize). */
  normalizeObservation: boolean;
  /** Scale rewards by the running std of the discounted return. */
  normalizeReward: boolean;
  /** Clip the global gradient norm to this value. */
  maxGradNorm: number;
  /** Seed of weights, sampling, minibatch order and env resets. */
  seed: number;
  /** Write metrics every this many updates. */
  logInterval: number;
  /**
   * Who computes the gradients: `'fast'` (host arrays, analytic loss derivatives; falls back to
   * TensorFlow.js for a policy that cannot train on the host) or `'tfjs'` (TensorFlow.js
   * autodiff, the reference). Same optimizer state either way. Default `'fast'`.
   */
  learner: Learner;
}

/** Implementation of the gradient step (see {@link OnPolicyConfig.learner}). */
export type Learner = 'fast' | 'tfjs';

/** Rules of the {@link OnPolicyConfig} keys, shared by the PPO, A2C and REINFORCE schemas. */
export const ON_POLICY_SHAPE = {
  numEnvs: zc.int(1).optional(),
  numSteps: zc.int(1).optional(),
  gamma: zc.unit().optional(),
  gaeLambda: zc.unit().optional(),
  learningRate: zc.positive().optional(),
  annealLr: z.boolean().optional(),
  policy: ACTOR_CRITIC_SCHEMA.optional(),
  normalizeObservation: z.boolean().optional(),
  normalizeReward: z.boolean().optional(),
  maxGradNorm: zc.positiveOrInfinity().optional(),
  seed: zc.seed().optional(),
  logInterval: zc.int(1).optional(),
  learner: z.enum(['fast', 'tfjs']).optional(),
} satisfies ConfigShape<OnPolicyConfig>;

/**
 * Validates `config` with an algorithm's strict `schema` (errors name `source`, the key and the
 * rule) and fills in `defaults`; the policy architecture merges key by key.
 */
export function resolveOnPolicyConfig<C extends OnPolicyConfig>(
  schema: z.ZodType,
  defaults: C,
  config: unknown,
  source: string,
  what: string,
): C {
  const given = parseConfig(schema, config, { source, what }) as Partial<C>;
  return { ...defaults, ...given, policy: { ...defaults.policy, ...given.policy } };
}

/**
 * The config resolver of one on-policy algorithm: validates overrides of `defaults` with its
 * strict `schema` (a `ValidationError` naming the source, by default "`what` config", the key and
 * the rule) and fills in the defaults (see {@link resolveOnPolicyConfig}).
 */
export function onPolicyConfigResolver<C extends OnPolicyConfig>(
  schema: z.ZodType,
  defaults: C,
  what: string,
): (config: unknown, source?: string) => C {
  return (config, source = `${what} config`) => resolveOnPolicyConfig(schema, defaults, config, source, what);
}
