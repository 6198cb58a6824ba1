/**
 * The base of the algorithms with TF.js networks (PPO, A2C, REINFORCE, DQN), as SB3's
 * `BaseAlgorithm`: the two static verbs each of them offers, written once.
 *
 * - `X.create(env, config, ...)` initialises TensorFlow.js, then constructs an X;
 * - `X.load(dir, env?, ...)` reads the checkpoint in `dir`, refuses one written by another
 *   algorithm (`checkpoint-mismatch`, before its config is read as X's), constructs an X from the
 *   saved config on `env` and restores the saved state with {@link DeepAlgorithm.restoreCheckpoint}.
 *   Without `env` (SB3's `PPO.load(path)`), X is built on a stand-in with the checkpoint's recorded
 *   spaces: it predicts exactly as when loaded with its env, and `learn` throws `no-env`.
 *
 * Each concrete class names itself once, in `static readonly algoName`; the instance's
 * {@link DeepAlgorithm.algoName} (the tag written into its checkpoints) reads it from there.
 */
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { initTf } from '../nn/tf-backend.js';
import type { Algorithm, LearnOptions, PredictOptions } from './algorithm.js';
import {
  assertCheckpointAlgo,
  loadCheckpoint,
  type Checkpoint,
  type CheckpointCounters,
} from './checkpoint.js';
import { standInEnv, type CheckpointSpaces } from './checkpoint-spaces.js';

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

  /**
   * The checkpoint folder this model was loaded from without an env (undefined when it has one):
   * it can predict, not train.
   */
  protected loadedWithoutEnvFrom: string | undefined;

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
   * arguments after the config (e.g. a custom policy factory, needed with or without `env`).
   * `learn` then continues the run. Without `env` (pass `undefined` before extras) the model is
   * built on a stand-in with the checkpoint's recorded spaces, for `predict`, evaluation on an env
   * of its own and export: its predictions equal those of the model loaded with its env, its
   * `learn` throws `no-env`, and the saved env state and replay memory are not read.
   * Throws `checkpoint-missing` / `checkpoint-corrupt` (unreadable or torn files),
   * `checkpoint-mismatch` (another algorithm's checkpoint, or one that does not fit `env`), or
   * `no-env` (no `env`, and a checkpoint that does not record its spaces fully: Box bounds).
   */
  static async load<T extends DeepAlgorithm, E, X extends unknown[]>(
    this: DeepAlgorithmClass<T, E, X>,
    dir: string,
    env?: E,
    ...extras: X
  ): Promise<T> {
    await initTf();
    const ckpt = await loadCheckpoint(dir);
    assertCheckpointAlgo(ckpt, this.algoName, dir);
    const spaces = (ckpt.extra as { spaces?: CheckpointSpaces } | undefined)?.spaces;
    // Every algorithm here accepts a plain Env, so the stand-in fits each constructor.
    const model = new this(env ?? (standInEnv(spaces, dir) as Env as E), ckpt.config as never, ...extras);
    if (env === undefined) model.loadedWithoutEnvFrom = dir;
    model.restoreCheckpoint(ckpt, dir);
    return model;
  }

  /** Throws `no-env` when this model was loaded without an env (the first thing `learn` does). */
  protected assertHasEnv(): void {
    if (this.loadedWithoutEnvFrom === undefined) return;
    throw new ArbiterError(
      'no-env',
      `${this.algoName} loaded from ${this.loadedWithoutEnvFrom} without an environment can predict, be evaluated and be exported, not train: load it with its env (${this.constructor.name}.load(dir, env)) to continue training`,
    );
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
