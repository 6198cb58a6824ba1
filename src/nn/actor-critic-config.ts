/**
 * The architecture options of the actor-critic policy, with their defaults and schema: plain data
 * and rules, without TensorFlow.js, so that a config can be checked where no network is built.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { CNN_NET_SCHEMA, type CnnNetConfig } from './cnn-architecture.js';
import type { DenseActivation } from './dense-forward.js';

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
  /**
   * A shared CNN trunk for image observations instead of the MLPs (`hiddenSizes`, `shareTrunk`
   * and `activation` are then unused; ReLU throughout): its last `fc` width is the feature
   * width of both heads. Needs the observation shape (see the constructor). Default: none.
   */
  net?: CnnNetConfig | null;
}

/** Defaults of {@link ActorCriticConfig}. */
export const ACTOR_CRITIC_DEFAULTS: Required<Omit<ActorCriticConfig, 'valueHiddenSizes' | 'net'>> = {
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
    net: CNN_NET_SCHEMA.nullable().optional(),
  } satisfies ConfigShape<ActorCriticConfig>)
  .strict();
