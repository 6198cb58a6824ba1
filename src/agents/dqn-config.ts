/**
 * The DQN hyper-parameters, their defaults and their rules: plain data and schemas, without
 * TensorFlow.js, so that a config can be checked (a sweep coordinator, the CLI) where nothing trains.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import { CNN_NET_SCHEMA, type CnnNetConfig } from '../nn/cnn-architecture.js';
import { EXPLORATION_SHAPE } from './off-policy-collector.js';

/** Hyper-parameters of {@link DQN}. Defaults are Stable-Baselines3's `DQN` defaults. */
export interface DqnConfig {
  /** Adam learning rate (at the start, when `learningRateFinal` is set). Default 1e-4. */
  learningRate?: number;
  /**
   * When set, the learning rate decays linearly from `learningRate` to this value over the
   * schedule horizon (as ε does; the paper's 2.5e-4 → 5e-5). Default null (constant).
   */
  learningRateFinal?: number | null;
  /** Replay memory capacity in transitions (≤ 1e6 is comfortable). Default 1e6. */
  bufferSize?: number;
  /** Environment steps of uniformly random actions before learning starts. Default 100. */
  learningStarts?: number;
  /** Transitions per gradient step. Default 32. */
  batchSize?: number;
  /** Target update coefficient: 1 copies the online net (hard update), < 1 is Polyak averaging. Default 1. */
  tau?: number;
  /** Discount factor γ in [0, 1]. Default 0.99. */
  gamma?: number;
  /** Train after every this many environment steps. Default 4. */
  trainFreq?: number;
  /** Gradient steps per training phase. Default 1. */
  gradientSteps?: number;
  /** Update the target network every this many environment steps. Default 10 000. */
  targetUpdateInterval?: number;
  /** Fraction of the horizon over which ε decays linearly. Default 0.1. */
  explorationFraction?: number;
  /** ε at the start. Default 1. */
  explorationInitialEps?: number;
  /** ε after the decay. Default 0.05. */
  explorationFinalEps?: number;
  /** Clip the global gradient norm to this (Infinity disables). Default 10. */
  maxGradNorm?: number;
  /** Hidden layer widths of the Q-network. Default [64, 64]. */
  hiddenSizes?: number[];
  /** Hidden nonlinearity. Default `'relu'` (SB3's DQN). */
  activation?: 'relu' | 'tanh';
  /**
   * A CNN Q-network for image observations (`Box [H, W, C]`) instead of the MLP of
   * `hiddenSizes`, e.g. `CNN_SMALLNET`; ReLU throughout. Default: none (the MLP).
   */
  net?: CnnNetConfig | null;
  /** Double DQN targets (online net picks, target net evaluates). Default false. */
  doubleDqn?: boolean;
  /** Regression loss: `'huber'` (smooth L1 with δ = 1, SB3) or `'mse'` (CleanRL). Default `'huber'`. */
  loss?: 'huber' | 'mse';
  /**
   * Who computes the gradient step: `'fast'` (host Float32 arithmetic, no TensorFlow.js call per
   * step) or `'tfjs'` (the TensorFlow.js reference). Same update, same checkpoint. Default `'fast'`.
   */
  learner?: 'fast' | 'tfjs';
  /** Seed of the network initialisation, exploration, sampling and the first env reset. Default 0. */
  seed?: number;
  /**
   * Whether {@link DQN.save} also writes the replay memory (`replay-buffer.bin`, the filled
   * slots only) so that a resumed run keeps its memory. Default true; set false for large
   * buffers or for saves meant only for inference.
   */
  saveReplayBuffer?: boolean;
  /** Log metrics every this many training phases. Default: about every 1 000 env steps. */
  logInterval?: number;
}

/** {@link DqnConfig} with every default filled in. */
export type ResolvedDqnConfig = Required<DqnConfig>;

/** SB3's DQN defaults (see {@link DqnConfig}). */
export const DQN_DEFAULTS: Readonly<Omit<ResolvedDqnConfig, 'logInterval'>> = {
  learningRate: 1e-4,
  learningRateFinal: null,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  hiddenSizes: [64, 64],
  activation: 'relu',
  net: null,
  doubleDqn: false,
  loss: 'huber',
  learner: 'fast',
  seed: 0,
  saveReplayBuffer: true,
};

/** Rules of every {@link DqnConfig} key (strict: unknown keys are refused). */
export const DQN_SCHEMA = z
  .object({
    learningRate: zc.positive().optional(),
    learningRateFinal: zc.positive().nullable().optional(),
    bufferSize: zc.int(1).optional(),
    learningStarts: zc.int(0).optional(),
    batchSize: zc.int(1).optional(),
    tau: z.number().gt(0).max(1).optional(),
    gamma: zc.unit().optional(),
    trainFreq: zc.int(1).optional(),
    gradientSteps: zc.int(1).optional(),
    targetUpdateInterval: zc.int(1).optional(),
    ...EXPLORATION_SHAPE,
    maxGradNorm: zc.positiveOrInfinity().optional(),
    hiddenSizes: zc.layerSizes().optional(),
    activation: z.enum(['relu', 'tanh']).optional(),
    net: CNN_NET_SCHEMA.nullable().optional(),
    doubleDqn: z.boolean().optional(),
    loss: z.enum(['huber', 'mse']).optional(),
    learner: z.enum(['fast', 'tfjs']).optional(),
    saveReplayBuffer: z.boolean().optional(),
    logInterval: zc.int(1).optional(),
  } satisfies ConfigShape<DqnConfig>)
  .strict();

/**
 * Validates `config` with {@link DQN_SCHEMA} (a `ValidationError` naming `source`, the key and the
 * rule) and fills in {@link DQN_DEFAULTS}.
 */
export function resolveDqnConfig(config: unknown = {}, source = 'DQN config'): ResolvedDqnConfig {
  const given = stripUndefined(parseConfig(DQN_SCHEMA, config, { source, what: 'DQN' }));
  const c: ResolvedDqnConfig = {
    ...DQN_DEFAULTS,
    hiddenSizes: [...DQN_DEFAULTS.hiddenSizes],
    logInterval: 0,
    ...given,
  } as ResolvedDqnConfig;
  if (given.logInterval === undefined) c.logInterval = Math.max(1, Math.round(1000 / c.trainFreq));
  return c;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
