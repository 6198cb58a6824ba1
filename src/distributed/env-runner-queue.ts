/**
 * Env runners on `arbiter worker`s through BullMQ: a {@link RolloutSource} whose runners live on
 * any machine that runs a worker on the same Redis. The learner adds one `env-runner` job per
 * runner to the trial queue (data only: the run's id, the runner's slice, a built-in env id with
 * its options); the worker that takes it builds the slice's env copies and serves the run's
 * rollout queue for that runner until the learner sends `close`. Each iteration the learner adds a
 * `rollout` job to every runner's queue (the weights as Float32 artifacts, the action stream's
 * state, the iteration number) and merges the rollouts they return.
 *
 * A runner holds its envs' state between iterations. A runner that is lost — its job stalls
 * (the worker was killed: its lock expires and a live worker's stalled check reports it), its
 * rollout job stalls, or its job disappears — is replaced: the learner adds a new runner job
 * (the next generation, with its own rollout queue) and asks it for the same rollout together
 * with the slice's history ({@link RolloutHistory}), which it replays on fresh envs first; the
 * run continues as if nothing happened, up to `maxRestarts` times. A failure the runner reports
 * (its env threw, a malformed request) or no answer within `timeoutMs` fails the iteration with
 * an {@link EnvRunnerError}. BullMQ restarting a stalled runner job of its own accord gets a
 * runner that refuses every rollout out of order (it would continue from fresh envs) and is
 * closed by the learner, so a retry can never change a run silently.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { CollectedRollout, RolloutRequest, RolloutSource } from '../agents/rollout-source.js';
import { ArbiterError } from '../core/errors.js';
import {
  mergeRunnerRollouts,
  runnerSlices,
  type RunnerRolloutRequest,
  type RunnerSlice,
} from './env-runner.js';
import { EnvRunnerError } from './env-runner-error.js';
import {
  CLOSE_RUNNER_JOB,
  ROLLOUT_JOB,
  rolloutQueueName,
  type EnvRunnerPayload,
  type RolloutJobData,
} from './env-runner-payload.js';
import { runnerWeightsOf } from './policy-runner-weights.js';
import { redactRedisUrl } from './redis-url.js';
import { decodeRollout, encodeRunnerRequest, type RunnerRequestJson } from './rollout-codec.js';
import { RolloutHistory } from './rollout-history.js';
import { ENV_RUNNER_JOB, queueConnection, TRIAL_QUEUE_NAME } from './trial-queue.js';

export { ENV_RUNNER_JOB };

export {
  CLOSE_RUNNER_JOB,
  parseEnvRunnerPayload,
  ROLLOUT_JOB,
  rolloutQueueName,
  type EnvRunnerPayload,
  type RolloutJobData,
} from './env-runner-payload.js';

/** Options of {@link QueueEnvRunners.start}. */
export interface QueueEnvRunnersOptions {
  /** Redis URL. */
  url: string;
  /** A built-in env id and its options. */
  env: { id: string; options?: Record<string, unknown> };
  /** Env copies over all runners. */
  numEnvs: number;
  /** Runners (1 … numEnvs), each an `env-runner` job taking one worker slot. */
  runners: number;
  /** The queue workers take jobs from (default {@link TRIAL_QUEUE_NAME}). */
  queueName?: string;
  /** A rollout not back this long fails the iteration, in ms (default 600 000). */
  timeoutMs?: number;
  /** How often runner jobs are looked at, in ms (default 1000). */
  pollMs?: number;
  /** Lost runners replaced over the run before a loss fails it (default 3). */
  maxRestarts?: number;
  /** Told of each replacement (runner index, the loss). */
  onRestart?: (runner: number, cause: EnvRunnerError) => void;
}

interface RunnerQueue {
  index: number;
  slice: RunnerSlice;
  generation: number;
  jobId: string;
  queue: Queue;
  events: QueueEvents;
  /** Why the current generation's job was found lost (the stalled event), if it was. */
  lost?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** Env runners on queue workers (see the module doc). */
export class QueueEnvRunners implements RolloutSource {
  /** Env copies over all runners. */
  readonly numEnvs: number;
  /** The run's id (in its job ids and rollout queue names). */
  readonly runId: string;
  /** Lost runners replaced so far. */
  restarts = 0;
  private readonly options: QueueEnvRunnersOptions;
  private readonly main: Queue;
  private readonly mainEvents: QueueEvents;
  private readonly runners: RunnerQueue[];
  private readonly slices: RunnerSlice[];
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly where: string;
  private readonly history = new RolloutHistory();
  private iteration = 0;
  private failure: Error | undefined;
  private closed = false;

  private constructor(options: QueueEnvRunnersOptions, runId: string) {
    this.options = options;
    this.numEnvs = options.numEnvs;
    this.runId = runId;
    this.slices = runnerSlices(options.numEnvs, options.runners);
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.pollMs = options.pollMs ?? 1000;
    this.where = redactRedisUrl(options.url);
    const name = options.queueName ?? TRIAL_QUEUE_NAME;
    this.main = new Queue(name, { connection: queueConnection(options.url) });
    this.mainEvents = new QueueEvents(name, { connection: queueConnection(options.url, true) });
    this.main.on('error', () => undefined); // the clients reconnect by themselves
    this.mainEvents.on('error', () => undefined);
    this.runners = this.slices.map((slice, index) => this.runnerQueue(index, slice, 0));
    // A killed worker's runner job is found stalled by a live worker: it is replaced.
    this.mainEvents.on('stalled', ({ jobId }) => {
      const r = this.runners.find((x) => x.jobId === jobId);
      if (r) r.lost ??= 'its worker stopped renewing its job lock (killed or hung)';
    });
  }

  /** Adds the runner jobs (workers start the runners when they take them). */
  static async start(options: QueueEnvRunnersOptions): Promise<QueueEnvRunners> {
    const runners = new QueueEnvRunners(options, randomUUID());
    try {
      await Promise.all([
        runners.mainEvents.waitUntilReady(),
        ...runners.runners.map((r) => r.events.waitUntilReady()),
      ]);
      for (const r of runners.runners) await runners.addRunnerJob(r, 0);
    } catch (e) {
      await runners.close();
      throw new ArbiterError(
        'queue-unreachable',
        `cannot add the env-runner jobs on ${runners.where}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    return runners;
  }

  /** Sends the weights to every runner and merges their rollouts. */
  async collect(request: RolloutRequest): Promise<CollectedRollout> {
    if (this.closed) throw new ArbiterError('invalid-state', 'the env runners are closed');
    if (this.failure) throw this.failure;
    const runnerRequest: RunnerRolloutRequest = {
      weights: runnerWeightsOf(request.policy),
      numSteps: request.numSteps,
      actionRngState: request.actionRngState,
      resetSeed: request.resetSeed,
    };
    const encoded = encodeRunnerRequest(runnerRequest);
    try {
      const parts = await Promise.all(
        this.runners.map((r) => this.rolloutWithRestarts(r, runnerRequest, encoded, request.obsDim)),
      );
      const merged = mergeRunnerRollouts(parts, this.slices, request.numSteps);
      this.history.record(request.resetSeed, request.numSteps, merged);
      this.iteration++;
      return merged;
    } catch (e) {
      this.failure ??= e instanceof Error ? e : new Error(String(e));
      throw this.failure;
    }
  }

  /** Ends the runners (their jobs complete) and closes the connections. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.runners.map((r) => this.endRunner(r)));
    await Promise.all([
      this.mainEvents.close(),
      this.main.close(),
      ...this.runners.flatMap((r) => [r.events.close(), r.queue.close()]),
    ]);
  }

  private runnerQueue(index: number, slice: RunnerSlice, generation: number): RunnerQueue {
    const q = rolloutQueueName(this.runId, index, generation);
    const r: RunnerQueue = {
      index,
      slice,
      generation,
      jobId: `${ENV_RUNNER_JOB}-${this.runId}-${index}${generation > 0 ? `-g${generation}` : ''}`,
      queue: new Queue(q, { connection: queueConnection(this.options.url) }),
      events: new QueueEvents(q, { connection: queueConnection(this.options.url, true) }),
    };
    // The clients reconnect by themselves; meanwhile waits time out or read the jobs' state.
    r.queue.on('error', () => undefined);
    r.events.on('error', () => undefined);
    return r;
  }

  private async addRunnerJob(r: RunnerQueue, firstIteration: number): Promise<void> {
    const payload: EnvRunnerPayload = {
      runId: this.runId,
      runner: r.index,
      slice: r.slice,
      env: { id: this.options.env.id, options: this.options.env.options ?? {} },
      idleMs: this.timeoutMs,
      generation: r.generation,
      firstIteration,
    };
    await this.main.add(ENV_RUNNER_JOB, payload, {
      jobId: r.jobId,
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: false,
    });
  }

  // A runner not started yet never will be; a running one ends at its close job.
  private async endRunner(r: RunnerQueue): Promise<void> {
    await this.main.remove(r.jobId).catch(() => undefined);
    await r.queue
      .add(CLOSE_RUNNER_JOB, {}, { jobId: CLOSE_RUNNER_JOB, removeOnComplete: true })
      .catch(() => undefined);
  }

  // Runner r's part of this iteration, from replacements (replaying the slice) while it is lost.
  private async rolloutWithRestarts(
    r: RunnerQueue,
    request: RunnerRolloutRequest,
    encoded: RunnerRequestJson,
    obsDim: number,
  ): Promise<CollectedRollout> {
    let data: RolloutJobData = { iteration: this.iteration, request: encoded };
    for (;;) {
      const stop = { done: false };
      try {
        return await Promise.race([this.rolloutOf(r, data, request.numSteps, obsDim), this.watch(r, stop)]);
      } catch (e) {
        if (!(e instanceof EnvRunnerError && e.lost) || this.closed) throw e;
        const max = this.options.maxRestarts ?? 3;
        if (this.restarts >= max)
          throw new EnvRunnerError(r.index, r.slice, `${e.reason} (${max} lost runners replaced already)`);
        this.restarts++;
        this.options.onRestart?.(r.index, e);
        await this.replace(r);
        const replay = this.history.replayOf(r.slice);
        data = {
          iteration: this.iteration,
          request: replay ? encodeRunnerRequest({ ...request, replay }) : encoded,
        };
      } finally {
        stop.done = true;
      }
    }
  }

  // The next generation of runner r: the lost job is told to end, a new one is added.
  private async replace(r: RunnerQueue): Promise<void> {
    await this.endRunner(r);
    // Closing the old queue also ends a wait for its lost rollout.
    await Promise.all([r.events.close(), r.queue.close()]);
    const next = this.runnerQueue(r.index, r.slice, r.generation + 1);
    Object.assign(r, next, { lost: undefined });
    await r.events.waitUntilReady();
    await this.addRunnerJob(r, this.iteration);
  }

  private async rolloutOf(
    r: RunnerQueue,
    data: RolloutJobData,
    numSteps: number,
    obsDim: number,
  ): Promise<CollectedRollout> {
    const job: Job = await r.queue.add(ROLLOUT_JOB, data, {
      jobId: `${ROLLOUT_JOB}-${data.iteration}`,
      attempts: 1,
      removeOnComplete: false,
      removeOnFail: false,
    });
    let value: unknown;
    try {
      value = await job.waitUntilFinished(r.events, this.timeoutMs);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/timed out/i.test(msg))
        throw new EnvRunnerError(
          r.index,
          r.slice,
          `no rollout within ${this.timeoutMs} ms (is an \`arbiter worker --queue ${this.where}\` with a free slot running?)`,
        );
      // A rollout job stalls when its worker died mid-rollout (found by a restarted runner job).
      throw new EnvRunnerError(r.index, r.slice, `its rollout failed: ${msg}`, /stalled/i.test(msg));
    }
    await job.remove().catch(() => undefined);
    return decodeRollout(
      value,
      { numSteps, copies: r.slice.count, obsDim },
      `runner ${r.index} rollout ${data.iteration}`,
    );
  }

  /** Rejects once runner r's job failed, ended, stalled or is gone; never resolves otherwise. */
  private async watch(r: RunnerQueue, stop: { done: boolean }): Promise<never> {
    const generation = r.generation;
    for (;;) {
      await sleep(this.pollMs);
      if (stop.done || r.generation !== generation) return new Promise<never>(() => undefined);
      if (r.lost) throw new EnvRunnerError(r.index, r.slice, r.lost, true);
      const job = await this.main.getJob(r.jobId).catch(() => null);
      if (job === null) continue; // Redis unreachable for now: the rollout wait times out
      if (job === undefined) throw new EnvRunnerError(r.index, r.slice, 'its runner job is gone', true);
      const state = await job.getState().catch(() => 'unknown');
      if (state === 'failed')
        throw new EnvRunnerError(
          r.index,
          r.slice,
          `its worker failed: ${job.failedReason}`,
          /stalled/i.test(job.failedReason ?? ''),
        );
      if (state === 'completed') throw new EnvRunnerError(r.index, r.slice, 'its runner ended', true);
    }
  }
}
