/**
 * Sweep trials as BullMQ jobs on Redis. A job is data only: a known kind (`train-trial`) and a
 * payload checked by a strict schema (the trial and the folder of trial folders); no code travels.
 * The job id is the trial id, so adding a trial that is already queued, running or finished is a
 * no-op, and the coordinator waits for the one job there is: its return value is the trial's
 * result, its failure reason the trial's error. Jobs are kept after they finish, so that a
 * restarted coordinator (`--resume`) reads results instead of training again.
 */
import { Queue, QueueEvents, RedisConnection, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { parseConfig } from '../core/config-schema.js';
import { RespRedisClient } from './redis-client.js';
import { parseRedisUrl } from './redis-url.js';
import type { TrialDispatcher } from './run-sweep.js';
import type { TrialOutcome, TrialResult } from './run-trial.js';
import { parseSweepTrial, type SweepTrial } from './sweep-trial.js';
import { TrialFailedError } from './trial-pool.js';

/** The BullMQ queue of sweep trials (default name). */
export const TRIAL_QUEUE_NAME = 'arbiter-trials';

/** The one job kind workers accept: train a sweep trial. */
export const TRAIN_TRIAL_JOB = 'train-trial';

/** The payload of a {@link TRAIN_TRIAL_JOB} job. */
export interface TrainTrialPayload {
  /** The trial. */
  trial: SweepTrial;
  /** Folder of trial folders, as the coordinator names it (a worker may override it). */
  trialsRoot: string;
}

const PAYLOAD_SCHEMA = z.object({ trial: z.unknown(), trialsRoot: z.string().min(1) }).strict();

/** Checks a job's payload (a `ValidationError` naming `source` when it is not a trial payload). */
export function parseTrainTrialPayload(input: unknown, source: string): TrainTrialPayload {
  const p = parseConfig(PAYLOAD_SCHEMA, input, { source, what: 'train-trial job' });
  return { trial: parseSweepTrial(p.trial, source), trialsRoot: p.trialsRoot };
}

/**
 * BullMQ connection options for a Redis URL, with BullMQ told to talk through
 * {@link RespRedisClient} (no Redis driver package needed).
 */
export function queueConnection(url: string): ConnectionOptions {
  RedisConnection.clientFactory ??= (opts) =>
    new RespRedisClient(opts) as unknown as ReturnType<NonNullable<typeof RedisConnection.clientFactory>>;
  return parseRedisUrl(url);
}

/** Options of {@link TrialQueueDispatcher}. */
export interface TrialQueueOptions {
  /** Queue name (default {@link TRIAL_QUEUE_NAME}). */
  queueName?: string;
  /** Attempts of a job that fails for a non-deterministic reason (default 3). */
  attempts?: number;
  /** How often a waited-for job is looked at directly, in ms (default 5000). */
  pollMs?: number;
}

/** A {@link TrialDispatcher} that sends trials to `arbiter worker`s through a BullMQ queue. */
export class TrialQueueDispatcher implements TrialDispatcher {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly attempts: number;
  private readonly pollMs: number;

  constructor(url: string, options: TrialQueueOptions = {}) {
    const connection = queueConnection(url);
    const name = options.queueName ?? TRIAL_QUEUE_NAME;
    this.queue = new Queue(name, { connection });
    this.events = new QueueEvents(name, { connection });
    // Every waiting trial listens on both, so a sweep of many trials passes Node's default of 10.
    this.queue.setMaxListeners(0);
    this.events.setMaxListeners(0);
    this.attempts = options.attempts ?? 3;
    this.pollMs = options.pollMs ?? 5000;
  }

  /**
   * Adds the trial's job (a no-op when it exists) and waits for its one result. The job is also
   * looked at every `pollMs`: a finished job whose event was missed (the events stream restarts
   * with Redis) settles the wait, and a job that is gone (a Redis restart without persistence)
   * is added again — its trial folder, if it finished, then answers without training.
   */
  async run(trial: SweepTrial, trialsRoot: string): Promise<TrialOutcome> {
    const payload: TrainTrialPayload = { trial, trialsRoot };
    for (;;) {
      const job = await this.queue.add(TRAIN_TRIAL_JOB, payload, {
        jobId: trial.id,
        attempts: this.attempts,
        backoff: { type: 'fixed', delay: 1000 },
        removeOnComplete: false,
        removeOnFail: false,
      });
      const stop = { done: false };
      const settled = await Promise.race([
        job.waitUntilFinished(this.events).then(
          (value: unknown) => ({ value }),
          (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
        ),
        this.watch(trial.id, stop),
      ]).finally(() => (stop.done = true));
      if ('value' in settled) return { result: settled.value as TrialResult, reused: false };
      if ('error' in settled) throw new TrialFailedError(trial.id, settled.error, true);
    }
  }

  /** Polls job `id` until it finished (its outcome), is gone (`lost`), or `stop.done`. */
  private async watch(
    id: string,
    stop: { done: boolean },
  ): Promise<{ value: unknown } | { error: string } | { lost: true }> {
    for (;;) {
      await new Promise((r) => setTimeout(r, this.pollMs).unref());
      if (stop.done) return new Promise(() => undefined); // the other side of the race won
      try {
        const job = await this.queue.getJob(id);
        if (job === undefined) return { lost: true };
        const state = await job.getState();
        if (state === 'completed') return { value: job.returnvalue };
        if (state === 'failed') return { error: job.failedReason };
      } catch {
        // Redis unreachable for now: look again later
      }
    }
  }

  /** Closes the connections (the jobs stay in Redis). */
  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
  }
}
