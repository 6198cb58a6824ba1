/**
 * RecordEpisodes wrapper: writes the full trajectories of selected episodes to a JSONL file, one
 * line per episode, for replay, debugging and plots (the text counterpart of Gymnasium's
 * RecordVideo).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { Wrapper } from './wrapper.js';
import { makeDirsSync } from '../make-dirs.js';

/** One line of the JSONL file: a recorded episode. Typed arrays are written as plain arrays. */
export interface RecordedEpisode {
  /** Episode index (0 = first reset through this wrapper). */
  episode: number;
  /** Seed passed to the reset that started it, or null. */
  seed: number | null;
  /** Number of steps. */
  length: number;
  /** Sum of rewards. */
  return: number;
  /** The last step terminated. */
  terminated: boolean;
  /** The last step truncated (both false: the episode was abandoned by a reset or close). */
  truncated: boolean;
  /** length + 1 observations: the reset one, then one per step. */
  obs: unknown[];
  /** length actions. */
  actions: unknown[];
  /** length rewards. */
  rewards: number[];
}

/** Options of {@link RecordEpisodes}. */
export interface RecordEpisodesOptions {
  /** JSONL output file; parent folders are created. */
  path: string;
  /** Which episodes (by index from 0) to record (default: all). */
  episodeTrigger?: (episode: number) => boolean;
  /** Append to an existing file instead of replacing it (default false). */
  append?: boolean;
}

/**
 * Records trajectories of the episodes selected by `episodeTrigger`. A line is written when the
 * episode ends; an episode cut short by `reset` or `close` is written with both end flags false.
 * Call `close()` to flush and release the file.
 */
export class RecordEpisodes<O = unknown, A = unknown> extends Wrapper<O, A> {
  /** Output file. */
  readonly path: string;
  /** Episodes written so far. */
  recordedCount = 0;
  private readonly trigger: (episode: number) => boolean;
  private fd: number | null;
  private episodeIndex = -1;
  private current: RecordedEpisode | null = null;

  /**
   * @param env - any env
   * @param options - see {@link RecordEpisodesOptions}
   */
  constructor(env: Env<O, A>, options: RecordEpisodesOptions) {
    super(env);
    this.path = options.path;
    this.trigger = options.episodeTrigger ?? (() => true);
    makeDirsSync(dirname(this.path));
    this.fd = openSync(this.path, options.append ? 'a' : 'w');
  }

  /** Starts an episode; begins recording it if the trigger selects it. */
  override reset(options?: ResetOptions): ResetResult<O> {
    this.flush();
    const r = this.env.reset(options);
    this.episodeIndex++;
    if (this.fd !== null && this.trigger(this.episodeIndex)) {
      this.current = {
        episode: this.episodeIndex,
        seed: options?.seed ?? null,
        length: 0,
        return: 0,
        terminated: false,
        truncated: false,
        obs: [toJsonValue(r.obs)],
        actions: [],
        rewards: [],
      };
    }
    return r;
  }

  /** Steps the inner env and records the transition. */
  override step(action: A): StepResult<O> {
    // Convert the action before stepping: callers may reuse its buffer.
    const a = this.current ? toJsonValue(action) : undefined;
    const r = this.env.step(action);
    const ep = this.current;
    if (ep) {
      ep.actions.push(a);
      ep.obs.push(toJsonValue(r.obs));
      ep.rewards.push(r.reward);
      ep.length++;
      ep.return += r.reward;
      if (r.terminated || r.truncated) {
        ep.terminated = r.terminated;
        ep.truncated = r.truncated;
        this.flush();
      }
    }
    return r;
  }

  /** Writes any episode in progress, closes the file and the inner env. */
  override close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    super.close();
  }

  private flush(): void {
    if (this.current && this.fd !== null) {
      writeSync(this.fd, JSON.stringify(this.current) + '\n');
      this.recordedCount++;
    }
    this.current = null;
  }
}

// Typed arrays become plain arrays, records are converted per key; everything else is kept.
function toJsonValue(x: unknown): unknown {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.map(toJsonValue);
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = toJsonValue(v);
    return out;
  }
  return x;
}
