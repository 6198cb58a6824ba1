/**
 * The plumbing every learning algorithm shares: step counters, callback dispatch, logging of
 * `rollout/*`, `time/*` and `train/*` metrics every few updates, and the stop on non-finite
 * training. The contract itself (the four verbs, callbacks) is in `algorithm.ts`.
 */
import { ArbiterError } from '../core/errors.js';
import type { Algorithm, Callback, LearnOptions, TrainingContext } from './algorithm.js';
import type { CheckpointCounters } from './checkpoint.js';
import type { EpisodeTracker } from './episode-tracker.js';

export type { Algorithm, Callback, LearnOptions, PredictOptions, TrainingContext } from './algorithm.js';

/** Training produced NaN or ±Infinity (a loss, a gradient norm or a weight): the run stops. */
export class TrainingDivergedError extends ArbiterError {
  /** Environment steps when it was detected. */
  readonly step: number;

  constructor(algo: string, counters: CheckpointCounters, what: string) {
    super(
      'non-finite',
      `${algo} training diverged at step ${counters.numTimesteps} (update ${counters.numUpdates}): ${what}; training stopped and nothing of this state was saved (lower learningRate or maxGradNorm)`,
    );
    this.step = counters.numTimesteps;
  }
}

/**
 * Throws {@link TrainingDivergedError} when an update's `train/*` metrics (losses, gradient norm)
 * or its weights are not finite; `badVariable` names the first non-finite weight, if any.
 */
export function assertFiniteUpdate(
  algo: string,
  counters: CheckpointCounters,
  metrics: Readonly<Record<string, number>>,
  badVariable: string | undefined,
): void {
  for (const [k, v] of Object.entries(metrics))
    if (k.startsWith('train/') && !Number.isFinite(v))
      throw new TrainingDivergedError(algo, counters, `${k} = ${v}`);
  if (badVariable !== undefined)
    throw new TrainingDivergedError(algo, counters, `weight ${badVariable} holds NaN or Infinity`);
}

/** Creates zeroed counters. */
export function zeroCounters(): CheckpointCounters {
  return { numTimesteps: 0, numUpdates: 0, numEpisodes: 0 };
}

/** Options of {@link TrainingSession}. */
export interface TrainingSessionOptions {
  /** Write metrics to the sink every this many updates. Default 1. */
  logInterval?: number;
  /** Episode statistics to log as `rollout/ep_rew_mean` and `rollout/ep_len_mean`. */
  episodes?: EpisodeTracker;
}

/**
 * One `learn` call's bookkeeping: the target step count, callback dispatch, and logging. The
 * algorithm owns `counters` and updates them; the session reads them.
 *
 * @example
 * const session = new TrainingSession(this, opts, this.counters, { episodes: this.episodes });
 * await session.start();
 * while (!session.done()) { ...; if (!(await session.step())) break; ...; await session.updateEnd(losses); }
 * await session.end();
 */
export class TrainingSession<A extends Algorithm = Algorithm> {
  /** Step count at which this call stops. */
  readonly targetTimesteps: number;
  /** Step count at which schedules end (see {@link LearnOptions.horizon}). */
  readonly horizon: number;
  /** Metrics of the latest logging point; callbacks add to it (e.g. `eval/mean_return`). */
  readonly metrics: Record<string, number> = {};
  private readonly startTimesteps: number;
  private readonly callbacks: Callback<A>[];
  private readonly logInterval: number;
  private readonly ctx: TrainingContext<A>;
  private t0 = 0;
  private stopped = false;

  constructor(
    algo: A,
    private readonly opts: LearnOptions<A>,
    private readonly counters: CheckpointCounters,
    private readonly sessionOpts: TrainingSessionOptions = {},
  ) {
    if (!Number.isFinite(opts.totalTimesteps) || opts.totalTimesteps < 0)
      throw new RangeError(`learn: totalTimesteps must be a number ≥ 0, got ${opts.totalTimesteps}`);
    this.startTimesteps = counters.numTimesteps;
    this.targetTimesteps = counters.numTimesteps + opts.totalTimesteps;
    this.horizon = opts.horizon ?? this.targetTimesteps;
    this.callbacks = opts.callbacks ?? [];
    this.logInterval = Math.max(1, sessionOpts.logInterval ?? 1);
    this.ctx = {
      algo,
      numTimesteps: counters.numTimesteps,
      numUpdates: counters.numUpdates,
      metrics: this.metrics,
    };
  }

  /** Fraction of the schedule remaining, 1 → 0 (SB3's `progress_remaining`). */
  progressRemaining(): number {
    if (this.horizon <= 0) return 1;
    return Math.max(0, 1 - this.counters.numTimesteps / this.horizon);
  }

  /** Whether the target step count is reached or a callback asked to stop. */
  done(): boolean {
    return this.stopped || this.counters.numTimesteps >= this.targetTimesteps;
  }

  /** Whether a callback asked to stop. */
  stopRequested(): boolean {
    return this.stopped;
  }

  /** Starts the clock and calls `onTrainingStart`. */
  async start(): Promise<void> {
    this.t0 = performance.now();
    this.sync();
    for (const cb of this.callbacks) await cb.onTrainingStart?.(this.ctx);
  }

  /** Calls `onStep` after a vector step; false when a callback asked to stop. */
  async step(): Promise<boolean> {
    if (this.callbacks.length === 0) return true;
    this.sync();
    for (const cb of this.callbacks) if ((await cb.onStep?.(this.ctx)) === false) this.stopped = true;
    return !this.stopped;
  }

  /**
   * After an update: merges `trainMetrics` (e.g. `train/policy_loss`), adds rollout and time
   * metrics, calls `onUpdateEnd`, writes to the sink every `logInterval` updates, reports progress.
   */
  async updateEnd(trainMetrics: Readonly<Record<string, number>> = {}): Promise<void> {
    Object.assign(this.metrics, trainMetrics);
    const ep = this.sessionOpts.episodes;
    if (ep && ep.windowSize() > 0) {
      this.metrics['rollout/ep_rew_mean'] = ep.meanReturn();
      this.metrics['rollout/ep_len_mean'] = ep.meanLength();
    }
    const seconds = (performance.now() - this.t0) / 1000;
    const steps = this.counters.numTimesteps - this.startTimesteps;
    this.metrics['time/fps'] = seconds > 0 ? steps / seconds : 0;
    this.metrics['time/total_timesteps'] = this.counters.numTimesteps;
    this.metrics['time/iterations'] = this.counters.numUpdates;
    this.metrics['time/episodes'] = this.counters.numEpisodes;
    this.sync();
    for (const cb of this.callbacks) if ((await cb.onUpdateEnd?.(this.ctx)) === false) this.stopped = true;
    if (this.counters.numUpdates % this.logInterval === 0) {
      this.opts.sink?.write(this.counters.numTimesteps, { ...this.metrics });
      // Evaluations are events: logged once, not carried into later rows as if re-measured.
      for (const key of Object.keys(this.metrics)) if (key.startsWith('eval/')) delete this.metrics[key];
    }
    this.opts.progress?.(Math.min(steps, this.opts.totalTimesteps), this.opts.totalTimesteps, this.metrics);
  }

  /** Calls `onTrainingEnd`. */
  async end(): Promise<void> {
    this.sync();
    for (const cb of this.callbacks) await cb.onTrainingEnd?.(this.ctx);
  }

  private sync(): void {
    this.ctx.numTimesteps = this.counters.numTimesteps;
    this.ctx.numUpdates = this.counters.numUpdates;
  }
}
