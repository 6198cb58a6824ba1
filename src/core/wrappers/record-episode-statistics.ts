/**
 * RecordEpisodeStatistics wrapper, as Gymnasium's: reports each finished episode's return, length
 * and wall time in `info.episode`, and keeps the most recent ones for logging (`ep_rew_mean`).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { Wrapper } from './wrapper.js';

/** Statistics of one finished episode, put in `info.episode` on its last step. */
export interface EpisodeStatistics {
  /** Undiscounted return (sum of rewards). */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall-clock duration in seconds, from reset to the last step. */
  t: number;
}

/** Options of {@link RecordEpisodeStatistics}. */
export interface RecordEpisodeStatisticsOptions {
  /** How many recent episodes the queues keep (default 100). */
  bufferLength?: number;
  /** Clock in milliseconds (default `performance.now`); injectable for tests. */
  now?: () => number;
}

/**
 * Adds `info.episode = { r, l, t }` on the step that ends an episode (terminated or truncated).
 * Put it inside reward-normalizing wrappers so that `r` is the raw return.
 */
export class RecordEpisodeStatistics<O = unknown, A = unknown> extends Wrapper<O, A> {
  /** Returns of the most recent episodes, oldest first (at most `bufferLength`). */
  readonly returnQueue: number[] = [];
  /** Lengths of the most recent episodes, oldest first. */
  readonly lengthQueue: number[] = [];
  /** Wall times (s) of the most recent episodes, oldest first. */
  readonly timeQueue: number[] = [];
  /** Finished episodes since construction. */
  episodeCount = 0;
  /** Capacity of the queues. */
  readonly bufferLength: number;
  private readonly now: () => number;
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart = 0;

  /**
   * @param env - any env
   * @param options - see {@link RecordEpisodeStatisticsOptions}
   */
  constructor(env: Env<O, A>, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    this.bufferLength = options.bufferLength ?? 100;
    if (!Number.isInteger(this.bufferLength) || this.bufferLength < 1)
      throw new RangeError('RecordEpisodeStatistics: bufferLength must be an integer ≥ 1');
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts an episode and its counters. */
  override reset(options?: ResetOptions): ResetResult<O> {
    const r = this.env.reset(options);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStart = this.now();
    return r;
  }

  /** Steps the inner env; on the last step of an episode adds `info.episode`. */
  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.episodeReturn += r.reward;
    this.episodeLength++;
    if (r.terminated || r.truncated) {
      const episode: EpisodeStatistics = {
        r: this.episodeReturn,
        l: this.episodeLength,
        t: (this.now() - this.episodeStart) / 1000,
      };
      r.info = { ...r.info, episode };
      this.push(this.returnQueue, episode.r);
      this.push(this.lengthQueue, episode.l);
      this.push(this.timeQueue, episode.t);
      this.episodeCount++;
    }
    return r;
  }

  private push(queue: number[], x: number): void {
    queue.push(x);
    if (queue.length > this.bufferLength) queue.shift();
  }
}
