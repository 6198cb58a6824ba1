/**
 * Base class of environment wrappers, as Gymnasium's `Wrapper`: every member forwards to the inner
 * environment, and subclasses override only what they change.
 */
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from '../env.js';
import type { Space } from '../spaces.js';

/**
 * An {@link Env} that forwards to an inner env. `actionMasks` exists on the wrapper exactly when it
 * exists on the inner env, so feature tests (`if (env.actionMasks)`) see through wrappers.
 */
export class Wrapper<O = unknown, A = unknown> implements Env<O, A> {
  /** The current action mask, present iff the inner env has one (see class comment). */
  actionMasks?: () => Uint8Array;

  /** @param env - the wrapped environment */
  constructor(readonly env: Env<O, A>) {
    if (env.actionMasks) this.actionMasks = () => this.env.actionMasks!();
  }

  /** Space of observations (the inner one unless a subclass changes it). */
  get observationSpace(): Space {
    return this.env.observationSpace;
  }

  /** Space of actions (the inner one unless a subclass changes it). */
  get actionSpace(): Space {
    return this.env.actionSpace;
  }

  /** Id and limits of the inner env. */
  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  /** The innermost environment, below every wrapper. */
  get unwrapped(): Env {
    let e: Env = this.env as Env;
    while (e instanceof Wrapper) e = e.env as Env;
    return e;
  }

  /** Starts an episode of the inner env. */
  reset(options?: ResetOptions): ResetResult<O> {
    return this.env.reset(options);
  }

  /** Steps the inner env. */
  step(action: A): StepResult<O> {
    return this.env.step(action);
  }

  /** Closes the inner env. */
  close(): void {
    this.env.close?.();
  }
}
