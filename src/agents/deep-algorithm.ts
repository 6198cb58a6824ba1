/**
 * The base of the algorithms with TF.js networks (PPO, A2C, REINFORCE, DQN), as SB3's
 * `BaseAlgorithm`: the two static verbs each of them offers, written once.
 *
 * - `X.create(env, config, ...)` initialises TensorFlow.js, then constructs an X;
 * - `X.load(dir, env, ...)` reads the checkpoint in `dir`, refuses one written by another
 *   algorithm (`checkpoint-mismatch`, before its config is read as X's), constructs an X from the
 *   saved config on `env` and restores the saved state with {@link DeepAlgorithm.restoreCheckpoint}.
 *
 * Each concrete class names itself once, in `static readonly algoName`; the instance's
 * {@link DeepAlgorithm.algoName} (the tag written into its checkpoints) reads it from there.
 */
import { initTf } from '../nn/tf-backend.js';
import type { Algorithm, LearnOptions, PredictOptions } from './algorithm.js';
import {
  assertCheckpointAlgo,
  loadCheckpoint,
  type Checkpoint,
  type CheckpointCounters,
} from './checkpoint.js';

/**
 * A concrete algorithm class as {@link DeepAlgorithm.load} sees it: built from an env, a config
 * and optional extras (e.g. a policy factory), and tagged with its checkpoint name.
 */
export interface DeepAlgorithmClass<T extends DeepAlgorithm, E, X extends unknown[]> {
  new (env: E, config: never, ...extras: X): T;
  /** The checkpoint tag, e.g. `'ppo'`. */
  readonly algoName: string;
}

/** Shared base of the TF.js algorithms (see module doc). */
export abstract class DeepAlgorithm implements Algorithm {
  /** Step, update and episode counters (saved in checkpoints). */
  abstract readonly counters: CheckpointCounters;

  /** Algorithm name stored in checkpoints: the concrete class's static `algoName`. */
  get algoName(): string {
    return (this.constructor as { algoName?: string }).algoName ?? this.constructor.name.toLowerCase();
  }

  /** Initialises TensorFlow.js, then constructs (same arguments as the class's constructor). */
  static async create<C extends new (...args: never[]) => DeepAlgorithm>(
    this: C,
    ...args: ConstructorParameters<C>
  ): Promise<InstanceType<C>> {
    await initTf();
    return new (this as unknown as new (...a: unknown[]) => InstanceType<C>)(...args);
  }

  /**
   * Loads a checkpoint written by `save` onto `env` (same spaces); `extras` are the constructor's
   * arguments after the config (e.g. a custom policy factory). `learn` then continues the run.
   * Throws `checkpoint-missing` / `checkpoint-corrupt` (unreadable or torn files) or
   * `checkpoint-mismatch` (another algorithm's checkpoint, or one that does not fit `env`).
   */
  static async load<T extends DeepAlgorithm, E, X extends unknown[]>(
    this: DeepAlgorithmClass<T, E, X>,
    dir: string,
    env: E,
    ...extras: X
  ): Promise<T> {
    await initTf();
    const ckpt = await loadCheckpoint(dir);
    assertCheckpointAlgo(ckpt, this.algoName, dir);
    const model = new this(env, ckpt.config as never, ...extras);
    model.restoreCheckpoint(ckpt, dir);
    return model;
  }

  /**
   * Restores a checkpoint of this algorithm into this freshly constructed, same-config model;
   * `dir` (where it was read from) names files beside it, such as DQN's replay memory.
   */
  abstract restoreCheckpoint(ckpt: Checkpoint, dir?: string): void;

  /** Trains; resolves to the algorithm itself. */
  abstract learn(opts: LearnOptions<this>): Promise<this>;
  /** The action for one flat observation. */
  abstract predict(obs: Float32Array, opts?: PredictOptions): number | Float32Array;
  /** Writes a checkpoint into `dir`. */
  abstract save(dir: string): Promise<void>;
  /** Releases the environments and networks. */
  abstract close(): Promise<void>;
}
