/**
 * TimeLimit wrapper, as Gymnasium's: ends an episode by truncation after a fixed number of steps.
 */
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from '../env.js';
import { ArbiterError } from '../errors.js';
import { Wrapper } from './wrapper.js';

/**
 * Sets `truncated = true` on the step that reaches `maxEpisodeSteps`, unless that step already
 * terminated (a terminal state is not a cut: nothing is bootstrapped after it). Stepping again
 * before `reset` throws, since the inner env does not know its episode was cut.
 */
export class TimeLimit<O = unknown, A = unknown> extends Wrapper<O, A> {
  private elapsed = 0;
  private ended = true;
  private readonly limitedSpec: EnvSpec | undefined;

  /**
   * @param env - the wrapped environment
   * @param maxEpisodeSteps - steps per episode (integer ≥ 1)
   */
  constructor(
    env: Env<O, A>,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1)
      throw new RangeError(`TimeLimit: maxEpisodeSteps must be an integer ≥ 1, got ${maxEpisodeSteps}`);
    this.limitedSpec = env.spec ? { ...env.spec, maxEpisodeSteps } : undefined;
  }

  /** The inner spec with `maxEpisodeSteps` set to this wrapper's limit. */
  override get spec(): EnvSpec | undefined {
    return this.limitedSpec;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  /** Starts an episode and resets the step counter. */
  override reset(options?: ResetOptions): ResetResult<O> {
    const r = this.env.reset(options);
    this.elapsed = 0;
    this.ended = false;
    return r;
  }

  /** Steps the inner env; truncates at the limit. */
  override step(action: A): StepResult<O> {
    if (this.ended)
      throw new ArbiterError(
        'step-after-done',
        'TimeLimit: step() called before reset() or after the episode ended',
      );
    const r = this.env.step(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps && !r.terminated) r.truncated = true;
    if (r.terminated || r.truncated) this.ended = true;
    return r;
  }
}
