/**
 * The worker side of {@link QueueEnvRunners}: an `env-runner` job makes this worker runner `r` of
 * one training run for as long as the job is active. Its env copies step on a local
 * {@link EnvRunnerThread} (the worker's event loop stays free to renew the job's lock), and a
 * BullMQ worker on the run's rollout queue for `r` answers the learner's rollout jobs in order.
 * The job completes at the learner's `close`, fails when the runner fails, when no request came
 * for the payload's `idleMs`, or when asked for a rollout out of order (BullMQ restarting a
 * stalled runner job: its envs would start afresh; the learner starts a replacement job of its
 * own instead, which replays the slice's history in its first rollout).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { EnvRunnerThread } from './runner-thread.js';
import {
  CLOSE_RUNNER_JOB,
  parseEnvRunnerPayload,
  ROLLOUT_JOB,
  rolloutQueueName,
  type RolloutJobData,
} from './env-runner-payload.js';
import { decodeRunnerRequest, encodeRollout, type RolloutJson } from './rollout-codec.js';
import { queueConnection } from './trial-queue.js';

/** What an `env-runner` job returns when the learner closed it. */
export interface EnvRunnerJobResult {
  /** The runner's index. */
  runner: number;
  /** Rollouts it served. */
  rollouts: number;
}

/** Timing of the rollout-queue worker (as the worker's own). */
export interface EnvRunnerJobOptions {
  /** Lock duration of a rollout job, in ms (default 30 000). */
  lockDurationMs?: number;
  /** Stalled-job check interval, in ms (default 15 000). */
  stalledIntervalMs?: number;
}

const ROLLOUT_DATA_SCHEMA = z.object({ iteration: z.number().int().min(0), request: z.unknown() }).strict();

/**
 * Serves `job` (an `env-runner` job) until the learner closes it; see the module doc. A payload
 * that is not an env-runner payload, an unknown env or invalid options fail it unrecoverably.
 */
export async function serveEnvRunnerJob(
  job: Job,
  url: string,
  options: EnvRunnerJobOptions = {},
): Promise<EnvRunnerJobResult> {
  let p;
  try {
    p = parseEnvRunnerPayload(job.data, `job ${job.id}`);
  } catch (e) {
    throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
  }
  const payload = p;
  let thread: EnvRunnerThread;
  try {
    thread = await EnvRunnerThread.start(
      { id: payload.env.id, options: payload.env.options },
      payload.slice,
      payload.runner,
    );
  } catch (e) {
    throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
  }
  // A replacement runner starts at the iteration its predecessor was lost in.
  let served = payload.firstIteration ?? 0;
  let settle: (error: Error | undefined) => void = () => undefined;
  const ended = new Promise<Error | undefined>((resolve) => (settle = resolve));
  let idle: NodeJS.Timeout | undefined;
  const resetIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(
      () =>
        settle(new UnrecoverableError(`env runner ${payload.runner}: no request for ${payload.idleMs} ms`)),
      payload.idleMs,
    );
  };
  resetIdle();
  const rollouts = new Worker(
    rolloutQueueName(payload.runId, payload.runner, payload.generation ?? 0),
    async (rj: Job): Promise<RolloutJson | 'closed'> => {
      resetIdle();
      if (rj.name === CLOSE_RUNNER_JOB) {
        setImmediate(() => settle(undefined));
        return 'closed';
      }
      try {
        if (rj.name !== ROLLOUT_JOB) throw new Error(`unknown job kind '${rj.name}' on a rollout queue`);
        const data = ROLLOUT_DATA_SCHEMA.parse(rj.data) as Omit<RolloutJobData, 'request'> & {
          request: unknown;
        };
        if (data.iteration !== served)
          throw new Error(
            `env runner ${payload.runner} expected rollout ${served} and was asked for rollout ${data.iteration} (a restarted runner job: its envs would not continue the run's episodes)`,
          );
        const rollout = await thread.rollout(decodeRunnerRequest(data.request, `rollout job ${rj.id}`));
        served++;
        return encodeRollout(rollout);
      } catch (e) {
        const error = new UnrecoverableError(e instanceof Error ? e.message : String(e));
        setImmediate(() => settle(error));
        throw error;
      }
    },
    {
      connection: queueConnection(url, true),
      concurrency: 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 15_000,
      maxStalledCount: 0,
    },
  );
  rollouts.on('error', () => undefined); // connection errors: the client reconnects by itself
  const error = await ended;
  clearTimeout(idle);
  await rollouts.close();
  await thread.close();
  if (error) throw error;
  return { runner: payload.runner, rollouts: served - (payload.firstIteration ?? 0) };
}
