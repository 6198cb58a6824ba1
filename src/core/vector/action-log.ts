/**
 * The actions one env copy has taken since its last seeded reset, so that a fresh copy can be
 * brought to exactly the same state (RNG included) by replaying them: reset with the same seed,
 * step through the log, autoreset (unseeded) where an episode ended. Envs are deterministic given
 * their reset seed and actions (see `Env`), so this needs nothing from the env itself.
 */
import type { Env } from '../env.js';
import { ArbiterError } from '../errors.js';

/** The contents of an {@link ActionLog}, for checkpoints (store `actions` as binary). */
export interface ActionLogState {
  /** Seed of the copy's last seeded reset. */
  seed: number;
  /** Values per action (1 for Discrete). */
  width: number;
  /** The actions, `width` values each, in order. */
  actions: ArrayLike<number>;
}

/** A growable log of one copy's actions (Float32: exact for the Int32/Float32 actions envs get). */
export class ActionLog {
  private data = new Float32Array(1024);
  private length = 0;

  /**
   * @param seed - seed of the reset the log starts from
   * @param width - values per action
   */
  constructor(
    readonly seed: number,
    readonly width: number,
  ) {}

  /** Number of logged actions. */
  get size(): number {
    return this.length / this.width;
  }

  /** Appends one action (`width` values from `values` at `offset`). */
  push(values: ArrayLike<number>, offset: number): void {
    if (this.length + this.width > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    for (let j = 0; j < this.width; j++) this.data[this.length + j] = values[offset + j]!;
    this.length += this.width;
  }

  /** The log's contents (`actions` is a copy). */
  getState(): ActionLogState & { actions: Float32Array } {
    return { seed: this.seed, width: this.width, actions: this.data.slice(0, this.length) };
  }

  /** A log restored from {@link ActionLog.getState}. */
  static fromState(state: ActionLogState): ActionLog {
    const log = new ActionLog(state.seed, state.width);
    if (!Number.isInteger(state.width) || state.width < 1 || state.actions.length % state.width !== 0)
      throw new ArbiterError(
        'checkpoint-corrupt',
        `action log of ${state.actions.length} values does not split into actions of ${state.width}`,
      );
    log.data = new Float32Array(Math.max(1024, state.actions.length));
    log.data.set(state.actions);
    log.length = state.actions.length;
    return log;
  }

  /**
   * Brings `env` to the state after this log: `reset({ seed })`, then every action, with an
   * unseeded reset after each episode end. `toAction` turns a logged row into the env's action.
   */
  replay(env: Env, toAction: (row: Float32Array) => unknown): void {
    env.reset({ seed: this.seed });
    for (let i = 0; i < this.length; i += this.width) {
      const r = env.step(toAction(this.data.subarray(i, i + this.width)));
      if (r.terminated || r.truncated) env.reset();
    }
  }
}
