/**
 * An environment that has only its spaces: what an algorithm loaded without its env is built on
 * (SB3's `PPO.load(path)` without `env`), so that it can predict, be evaluated on another env
 * and be exported, while anything that would step it fails with a clear `no-env` error.
 */
import type { Env, ResetResult, StepResult } from './env.js';
import { ArbiterError } from './errors.js';
import type { Space } from './spaces.js';

/** The spaces of an env without the env (see module doc); `reset` and `step` throw `no-env`. */
export class SpacesOnlyEnv implements Env {
  /**
   * @param observationSpace - the observation space the model was trained with
   * @param actionSpace - its action space
   * @param source - what the spaces were read from, for the error message (e.g. a checkpoint folder)
   */
  constructor(
    readonly observationSpace: Space,
    readonly actionSpace: Space,
    readonly source: string,
  ) {}

  /** Throws `no-env`: there is no environment to reset. */
  reset(): ResetResult<unknown> {
    throw this.noEnv();
  }

  /** Throws `no-env`: there is no environment to step. */
  step(): StepResult<unknown> {
    throw this.noEnv();
  }

  private noEnv(): ArbiterError {
    return new ArbiterError(
      'no-env',
      `${this.source}: loaded without an environment, so it can predict, be evaluated on an env of its own and be exported, but not step one; load it with its env to continue training`,
    );
  }
}
