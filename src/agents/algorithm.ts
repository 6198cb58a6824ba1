/**
 * The algorithm contract (Stable-Baselines3's four verbs: `learn`, `predict`, `save`, and the
 * static `load` of each class, shared by the TF.js ones through `DeepAlgorithm`) and the callback
 * hooks `learn` calls. Types only: `base-algorithm.ts` (the training plumbing) and `callbacks.ts` (the stock
 * callbacks) both import from here, so neither imports the other.
 */
import type { MetricsSink } from '../core/metrics-sink.js';

/** Arguments of {@link Algorithm.learn}. */
export interface LearnOptions<A extends Algorithm = Algorithm> {
  /**
   * Environment steps to add in this call (summed over vector copies). Counters are never reset,
   * so `learn({ totalTimesteps: M })` after a load continues for M more steps. Training runs
   * whole rollouts, so it may overshoot by less than one rollout.
   */
  totalTimesteps: number;
  /**
   * Step count at which learning-rate and clip schedules reach their end. Default: the step
   * count at the end of this call. Pass the original total when resuming so the schedules
   * continue the same curve.
   */
  horizon?: number;
  /** Called at training start, after each vector step, after each update and at the end. */
  callbacks?: Callback<A>[];
  /** Receives the logged metrics (every `logInterval` updates). */
  sink?: MetricsSink;
  /** Called with progress after every update: steps done in this call, steps asked, metrics. */
  progress?: (done: number, total: number, metrics: Readonly<Record<string, number>>) => void;
}

/** Arguments of {@link Algorithm.predict}. */
export interface PredictOptions {
  /** Most likely action (mode / mean) instead of a sample. Default false, as in SB3. */
  deterministic?: boolean;
  /** Allowed actions (1 = allowed) for a Discrete action space. */
  mask?: Uint8Array;
}

/** A learning algorithm, SB3-style. Each class also loads itself (`PPO.load(dir, env)`, or `PPO.load(dir)` to predict only). */
export interface Algorithm {
  /** Trains; resolves to the algorithm itself. */
  learn(opts: LearnOptions<this>): Promise<this>;
  /** The action for one flat observation: an integer (Discrete) or a Float32Array (Box). */
  predict(obs: Float32Array, opts?: PredictOptions): number | Float32Array;
  /** Writes a checkpoint into `dir` (see `checkpoint.ts`). */
  save(dir: string): Promise<void>;
}

/**
 * What a callback sees: the algorithm being trained, typed, and the counters. The same object is
 * passed to every hook of one `learn` call.
 */
export interface TrainingContext<A extends Algorithm = Algorithm> {
  /** The algorithm being trained. */
  algo: A;
  /** Environment steps so far (summed over copies). */
  numTimesteps: number;
  /** Updates so far. */
  numUpdates: number;
  /** Metrics of the current logging point; callbacks may add entries (written to the sink). */
  metrics: Record<string, number>;
}

/**
 * Hooks into `learn`. Returning `false` from `onStep` or `onUpdateEnd` stops training. A callback
 * for any algorithm is a `Callback` (it sees `predict`/`save`); one that needs more, e.g. a PPO's
 * policy, is a `Callback<PPO>` and is accepted only by `PPO.learn`.
 */
export interface Callback<A extends Algorithm = Algorithm> {
  /** Before the first step of a `learn` call. */
  onTrainingStart?(ctx: TrainingContext<A>): void | Promise<void>;
  /** After every vector step (numEnvs env steps). */
  onStep?(ctx: TrainingContext<A>): boolean | void | Promise<boolean | void>;
  /** After every update (PPO: after each rollout's epochs; DQN: after each gradient step). */
  onUpdateEnd?(ctx: TrainingContext<A>): boolean | void | Promise<boolean | void>;
  /** After the last update of a `learn` call. */
  onTrainingEnd?(ctx: TrainingContext<A>): void | Promise<void>;
}
