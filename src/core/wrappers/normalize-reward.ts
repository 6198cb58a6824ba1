/**
 * NormalizeReward wrapper, as Gymnasium's / SB3 VecNormalize's: rewards are divided by the running
 * standard deviation of the discounted return, which keeps value targets at a stable scale.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { RunningMeanStd, type RunningMeanStdState } from '../running-mean-std.js';
import { Wrapper } from './wrapper.js';

/** Options of {@link NormalizeReward}. */
export interface NormalizeRewardOptions {
  /** Discount of the return whose variance scales rewards (default 0.99; use the agent's γ). */
  gamma?: number;
  /** Added to the variance before the square root (default 1e-8). */
  epsilon?: number;
  /** Scaled rewards are clipped to [−clip, clip] (default 10, as SB3; `Infinity` disables). */
  clip?: number;
  /** Update the statistics (default true); false freezes them, e.g. for evaluation. */
  training?: boolean;
}

/** Plain-JSON state of a {@link NormalizeReward} wrapper. */
export interface NormalizeRewardState {
  /** Statistics of the discounted returns. */
  returnRms: RunningMeanStdState;
  /** Discounted return of the episode in progress. */
  discountedReturn: number;
}

/**
 * Returns `clip(reward / sqrt(var(G) + epsilon))` where G is the running discounted return
 * `G ← γ·G + r`, reset to 0 at each episode start. The mean is not subtracted (that would change
 * the optimal policy). The raw reward stays available as `info.rawReward`.
 */
export class NormalizeReward<O = unknown, A = unknown> extends Wrapper<O, A> {
  /** Whether steps update the statistics; set false to freeze them for evaluation. */
  training: boolean;
  /** Running statistics of the discounted return. */
  readonly returnRms = new RunningMeanStd(1);
  /** Discount factor of the tracked return. */
  readonly gamma: number;
  /** Variance offset. */
  readonly epsilon: number;
  /** Clipping bound of scaled rewards. */
  readonly clip: number;
  private discountedReturn = 0;

  /**
   * @param env - any env
   * @param options - see {@link NormalizeRewardOptions}
   */
  constructor(env: Env<O, A>, options: NormalizeRewardOptions = {}) {
    super(env);
    this.gamma = options.gamma ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-8;
    this.clip = options.clip ?? 10;
    this.training = options.training ?? true;
    if (!(this.gamma >= 0 && this.gamma <= 1))
      throw new RangeError('NormalizeReward: gamma must be in [0, 1]');
    if (!(this.clip > 0)) throw new RangeError('NormalizeReward: clip must be > 0');
  }

  /** Starts an episode; the discounted return restarts at 0. */
  override reset(options?: ResetOptions): ResetResult<O> {
    this.discountedReturn = 0;
    return this.env.reset(options);
  }

  /** Steps the inner env and scales the reward. */
  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    const raw = r.reward;
    if (this.training) {
      this.discountedReturn = this.gamma * this.discountedReturn + raw;
      this.returnRms.updateScalar(this.discountedReturn);
    }
    r.info = { ...r.info, rawReward: raw };
    r.reward = this.scale(raw);
    if (r.terminated || r.truncated) this.discountedReturn = 0;
    return r;
  }

  /** Scales a raw reward with the current statistics (no update). */
  scale(reward: number): number {
    const z = reward / Math.sqrt(this.returnRms.var[0]! + this.epsilon);
    return z > this.clip ? this.clip : z < -this.clip ? -this.clip : z;
  }

  /** Plain-JSON copy of the statistics (for checkpoints). */
  getState(): NormalizeRewardState {
    return { returnRms: this.returnRms.getState(), discountedReturn: this.discountedReturn };
  }

  /** Restores statistics saved by {@link getState}. */
  setState(state: NormalizeRewardState): void {
    this.returnRms.setState(state.returnRms);
    this.discountedReturn = state.discountedReturn;
  }
}
