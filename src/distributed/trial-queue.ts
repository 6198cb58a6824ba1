/**
 * Sweep trials and benchmark cells as BullMQ jobs on Redis. A job is data only: a known kind
 * (`train-trial`, `bench-cell`) and a payload checked by a strict schema (the trial or cell and
 * the folder of results); no code travels. The job id is the trial's or cell's id, so adding one
 * that is already queued, running or finished is a no-op, and the coordinator waits for the one
 * job there is: its return value is the result, its failure reason the error. Jobs are kept after
 * they finish, so that a restarted coordinator (`--resume`) reads results instead of training again.
 */
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { parseConfig } from '../core/config-schema.js';
import { parseRedisUrl } from './redis-url.js';
import type { TrialDispatcher } from './run-sweep.js';
import type { TrialOutcome, TrialResult } from './run-trial.js';
import { isCellOutcomeOf, parseBenchCell, type BenchCell, type CellOutcome } from './bench-cell.js';
import type { CellRun } from './run-bench-cell.js';
import { parseSweepTrial, type SweepTrial } from './sweep-trial.js';
import { TrialFailedError } from './trial-pool.js';

/** The BullMQ queue of sweep trials (default name). */
export const TRIAL_QUEUE_NAME = 'arbiter-trials';

/** A job kind workers accept: train a sweep trial. */
export const TRAIN_TRIAL_JOB = 'train-trial';

/** A job kind workers accept: run a benchmark cell (payload {@link BenchCellPayload}). */
export const BENCH_CELL_JOB = 'bench-cell';

/** A job kind workers accept: become an env runner of one training run (serves its rollouts). */
export const ENV_RUNNER_JOB = 'env-runner';

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

/** The payload of a {@link BENCH_CELL_JOB} job. */
export interface BenchCellPayload {
  /** The cell. */
  cell: BenchCell;
  /** Folder of cell outcomes, as the coordinator names it (a worker may override it). */
  cellsRoot: string;
}

const CELL_PAYLOAD_SCHEMA = z.object({ cell: z.unknown(), cellsRoot: z.string().min(1) }).strict();

/** Checks a cell job's payload (a `ValidationError` naming `source` when it is not a cell payload). */
export function parseBenchCellPayload(input: unknown, source: string): BenchCellPayload {
  const p = parseConfig(CELL_PAYLOAD_SCHEMA, input, { source, what: 'bench-cell job' });
  return { cell: parseBenchCell(p.cell, source), cellsRoot: p.cellsRoot };
}

/**
 * BullMQ connection options (ioredis options) for a Redis URL. BullMQ opens its own ioredis
 * connections from them and closes them with the queue or worker. With `blocking` (workers,
 * queue events) commands wait out a lost connection (`maxRetriesPerRequest: null`, as BullMQ
 * requires for blocking connections); otherwise ioredis's default fails a command after its
 * reconnection attempts, so that a coordinator facing a Redis that stays down gives up.
 */
export function queueConnection(url: string, blocking = false): ConnectionOptions {
  return { ...parseRedisUrl(url), ...(blocking && { maxRetriesPerRequest: null }) };
}

/** Where a waited-for job stands. */
type JobOutcome = { value: unknown } | { error: string } | { lost: true } | { pending: true };

/** Errors in a row talking to Redis (each `pollMs` apart) before a trial's wait gives up. */
const MAX_QUEUE_ERRORS = 20;

/** Whether `v` is the result of trial `id` (what a worker's job returns). */
function isResultOf(v: unknown, id: string): v is TrialResult {
  const r = v as Partial<TrialResult> | null;
  return r !== null && typeof r === 'object' && r.id === id && typeof r.finalEvalMeanReturn === 'number';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** Options of {@link TrialQueueDispatcher}. */
export interface TrialQueueOptions {
  /** Queue name (default {@link TRIAL_QUEUE_NAME}). */
  queueName?: string;
  /** Attempts of a job that fails for a non-deterministic reason (default 3). */
  attempts?: number;
  /** How often a waited-for job is looked at directly, in ms (default 5000). */
  pollMs?: number;
}

/** A {@link TrialDispatcher} that sends trials (and benchmark cells) to `arbiter worker`s through a BullMQ queue. */
export class TrialQueueDispatcher implements TrialDispatcher {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly attempts: number;
  private readonly pollMs: number;

  constructor(url: string, options: TrialQueueOptions = {}) {
    const name = options.queueName ?? TRIAL_QUEUE_NAME;
    this.queue = new Queue(name, { connection: queueConnection(url) });
    this.events = new QueueEvents(name, { connection: queueConnection(url, true) });
    // Every waiting trial listens on both, so a sweep of many trials passes Node's default of 10.
    this.queue.setMaxListeners(0);
    this.events.setMaxListeners(0);
    // Connection errors: the client reconnects, and `run` looks at its jobs again meanwhile.
    this.queue.on('error', () => undefined);
    this.events.on('error', () => undefined);
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
    const result = await this.runJob(TRAIN_TRIAL_JOB, trial.id, payload, isResultOf);
    return { result, reused: false };
  }

  /** Adds a benchmark cell's job and waits for its one outcome, as {@link run} does for trials. */
  async runCell(cell: BenchCell, cellsRoot: string): Promise<CellRun> {
    const payload: BenchCellPayload = { cell, cellsRoot };
    const outcome = await this.runJob<CellOutcome>(BENCH_CELL_JOB, cell.id, payload, isCellOutcomeOf);
    return { outcome, reused: false };
  }

  private async runJob<T>(
    kind: string,
    id: string,
    payload: object,
    isAnswer: (v: unknown, id: string) => v is T,
  ): Promise<T> {
    for (let errors = 0; ;) {
      let state: JobOutcome;
      try {
        const job = await this.queue.add(kind, payload, {
          jobId: id,
          attempts: this.attempts,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        });
        const stop = { done: false };
        const event = job.waitUntilFinished(this.events).then(
          (value: unknown): JobOutcome => ({ value }),
          // A failure event, or the connection failing: the job's own state tells which.
          (): Promise<JobOutcome> => this.outcome(id),
        );
        state = await Promise.race([event, this.watch(id, stop)]).finally(() => (stop.done = true));
        errors = 0;
      } catch (e) {
        // Redis unreachable or restarting: adding the job again is harmless (same id).
        if (++errors >= MAX_QUEUE_ERRORS) throw e;
        await sleep(this.pollMs);
        continue;
      }
      if ('value' in state) {
        if (isAnswer(state.value, id)) return state.value;
        // Completed without its result (its worker finished across a Redis restart): run it again,
        // which reads the trial's folder when it has one.
        await this.queue.remove(id).catch(() => undefined);
        continue;
      }
      if ('error' in state) throw new TrialFailedError(id, state.error, true);
      if ('pending' in state) await sleep(this.pollMs); // the wait broke off (e.g. a reconnection)
    }
  }

  /** Job `id`'s outcome as Redis has it now. */
  private async outcome(id: string): Promise<JobOutcome> {
    const job = await this.queue.getJob(id);
    if (job === undefined) return { lost: true };
    const state = await job.getState();
    if (state === 'completed') return { value: job.returnvalue };
    if (state === 'failed') return { error: job.failedReason };
    return { pending: true };
  }

  /** Polls job `id` until it finished or is gone (`lost`), or until `stop.done`. */
  private async watch(id: string, stop: { done: boolean }): Promise<JobOutcome> {
    for (;;) {
      await sleep(this.pollMs);
      if (stop.done) return new Promise(() => undefined); // the other side of the race won
      const o = await this.outcome(id).catch((): JobOutcome => ({ pending: true })); // Redis down: later
      if (!('pending' in o)) return o;
    }
  }

  /** Closes the connections (the jobs stay in Redis). */
  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
  }
}
