/**
 * Local env runners: {@link EnvRunnerThread}, one {@link EnvRunner} on a worker thread of this
 * process, and {@link LocalEnvRunners}, a {@link RolloutSource} over `K` of them, each owning a
 * slice of the vector env. Threads rather than processes: a rollout
 * moves megabytes of typed arrays per iteration, which threads hand over without copying
 * (transfer lists) while a child process would serialize them; a thread starts in a fraction of
 * a process's time. A runner thread that throws or exits fails its rollout with a `lost`
 * {@link EnvRunnerError}, and every later one (its envs are gone); {@link LocalEnvRunners} then
 * replaces it.
 */
import type { CollectedRollout, RolloutRequest, RolloutSource } from '../agents/rollout-source.js';
import { ArbiterError } from '../core/errors.js';
import {
  mergeRunnerRollouts,
  runnerSlices,
  type RunnerEnvSpec,
  type RunnerRolloutRequest,
  type RunnerSlice,
} from './env-runner.js';
import { EnvRunnerError } from './env-runner-error.js';
import { runnerWeightsOf } from './policy-runner-weights.js';
import { RolloutHistory } from './rollout-history.js';
import { EnvRunnerThread } from './runner-thread.js';

export {
  EnvRunnerThread,
  type RunnerThreadInit,
  type RunnerThreadReply,
  type RunnerThreadRequest,
} from './runner-thread.js';

/** Options of {@link LocalEnvRunners.start}. */
export interface LocalEnvRunnersOptions {
  /** How the copies are built (a module factory's path is resolved against the current directory). */
  env: RunnerEnvSpec;
  /** Env copies over all runners (the algorithm's `numEnvs`). */
  numEnvs: number;
  /** Runner threads (1 … numEnvs). */
  runners: number;
  /** Lost runner threads replaced over the run before a loss fails it (default 3). */
  maxRestarts?: number;
  /** Told of each replacement (runner index, the loss). */
  onRestart?: (runner: number, cause: EnvRunnerError) => void;
}

/**
 * K env runners on worker threads of this process (see the module doc). A runner thread that dies
 * (exits, throws outside a rollout step) is replaced by a fresh thread that replays its slice's
 * history and answers the same rollout request, so the run goes on unchanged.
 */
export class LocalEnvRunners implements RolloutSource {
  /** Env copies over all runners. */
  readonly numEnvs: number;
  /** The runners' slices, in order. */
  readonly slices: readonly RunnerSlice[];
  /** Runner threads replaced so far. */
  restarts = 0;
  private readonly threads: EnvRunnerThread[];
  private readonly options: LocalEnvRunnersOptions;
  private readonly history = new RolloutHistory();
  private closed = false;

  private constructor(options: LocalEnvRunnersOptions, slices: RunnerSlice[], threads: EnvRunnerThread[]) {
    this.options = options;
    this.numEnvs = options.numEnvs;
    this.slices = slices;
    this.threads = threads;
  }

  /** Starts the runner threads and waits until each has built its env copies. */
  static async start(options: LocalEnvRunnersOptions): Promise<LocalEnvRunners> {
    const slices = runnerSlices(options.numEnvs, options.runners);
    const started = await Promise.allSettled(
      slices.map((slice, i) => EnvRunnerThread.start(options.env, slice, i)),
    );
    const threads = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(threads.map((t) => t.close()));
      throw failed.reason;
    }
    return new LocalEnvRunners(options, slices, threads);
  }

  /** Sends the current weights to every runner and merges their rollouts. */
  async collect(request: RolloutRequest): Promise<CollectedRollout> {
    if (this.closed) throw new ArbiterError('invalid-state', 'the env runners are closed');
    const runnerRequest: RunnerRolloutRequest = {
      weights: runnerWeightsOf(request.policy),
      numSteps: request.numSteps,
      actionRngState: request.actionRngState,
      resetSeed: request.resetSeed,
    };
    const parts = await Promise.all(this.threads.map((_, i) => this.rolloutOf(i, runnerRequest)));
    const merged = mergeRunnerRollouts(parts, this.slices, request.numSteps);
    this.history.record(request.resetSeed, request.numSteps, merged);
    return merged;
  }

  /** Closes the env copies and stops the threads. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }

  // Runner i's part, on a replacement thread (replaying the slice) while lost ones can be replaced.
  private async rolloutOf(i: number, request: RunnerRolloutRequest): Promise<CollectedRollout> {
    let req = request;
    for (;;) {
      try {
        return await this.threads[i]!.rollout(req);
      } catch (e) {
        const max = this.options.maxRestarts ?? 3;
        if (!(e instanceof EnvRunnerError && e.lost) || this.closed) throw e;
        if (this.restarts >= max)
          throw new EnvRunnerError(i, this.slices[i]!, `${e.reason} (${max} lost runners replaced already)`);
        this.restarts++;
        this.options.onRestart?.(i, e);
        await this.threads[i]!.close();
        this.threads[i] = await EnvRunnerThread.start(this.options.env, this.slices[i]!, i);
        const replay = this.history.replayOf(this.slices[i]!);
        req = replay ? { ...request, replay } : request;
      }
    }
  }
}
