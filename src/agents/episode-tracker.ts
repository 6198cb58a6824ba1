/**
 * Per-copy episode bookkeeping for vector envs: accumulates rewards and lengths of the running
 * episodes and keeps the last `window` finished ones (SB3's `ep_info_buffer`), from which
 * `rollout/ep_rew_mean` and `rollout/ep_len_mean` are logged.
 */
import { mean } from '../core/statistics.js';

/** Plain-JSON state of an {@link EpisodeTracker} (for checkpoints). */
export interface EpisodeTrackerState {
  running: number[];
  runningLen: number[];
  returns: number[];
  lengths: number[];
  total: number;
}

/** Tracks episode returns and lengths over `numEnvs` parallel copies. */
export class EpisodeTracker {
  private readonly running: Float64Array;
  private readonly runningLen: Int32Array;
  private returns: number[] = [];
  private lengths: number[] = [];
  /** Episodes finished since construction (or the restored state). */
  total = 0;

  /**
   * @param numEnvs - number of copies
   * @param window - how many finished episodes the means cover (default 100)
   */
  constructor(
    readonly numEnvs: number,
    readonly window = 100,
  ) {
    this.running = new Float64Array(numEnvs);
    this.runningLen = new Int32Array(numEnvs);
  }

  /**
   * Adds one vector step: `rewards[i]` for copy i, and whether its episode ended
   * (`terminated[i] || truncated[i]`). Returns the number of episodes that ended.
   */
  record(rewards: ArrayLike<number>, terminated: ArrayLike<number>, truncated: ArrayLike<number>): number {
    let ended = 0;
    for (let i = 0; i < this.numEnvs; i++) {
      this.running[i]! += rewards[i]!;
      this.runningLen[i]!++;
      if (terminated[i] || truncated[i]) {
        this.push(this.running[i]!, this.runningLen[i]!);
        this.running[i] = 0;
        this.runningLen[i] = 0;
        ended++;
      }
    }
    return ended;
  }

  /** Forgets the running (unfinished) episodes, e.g. after the envs were reset. */
  resetRunning(): void {
    this.running.fill(0);
    this.runningLen.fill(0);
  }

  /** Mean return of the last `window` finished episodes (NaN if none yet). */
  meanReturn(): number {
    return mean(this.returns);
  }

  /** Mean length of the last `window` finished episodes (NaN if none yet). */
  meanLength(): number {
    return mean(this.lengths);
  }

  /** Number of finished episodes currently in the window. */
  windowSize(): number {
    return this.returns.length;
  }

  /** Serializable state. */
  getState(): EpisodeTrackerState {
    return {
      running: [...this.running],
      runningLen: [...this.runningLen],
      returns: [...this.returns],
      lengths: [...this.lengths],
      total: this.total,
    };
  }

  /** Restores {@link EpisodeTracker.getState}; running episodes are kept only if the copy count matches. */
  setState(s: EpisodeTrackerState): void {
    this.returns = [...s.returns].slice(-this.window);
    this.lengths = [...s.lengths].slice(-this.window);
    this.total = s.total;
    if (s.running.length === this.numEnvs) {
      this.running.set(s.running);
      this.runningLen.set(s.runningLen);
    } else this.resetRunning();
  }

  private push(ret: number, len: number): void {
    this.returns.push(ret);
    this.lengths.push(len);
    if (this.returns.length > this.window) {
      this.returns.shift();
      this.lengths.shift();
    }
    this.total++;
  }
}
