/**
 * A queue worker (`arbiter worker`): takes `train-trial` and `bench-cell` jobs from the BullMQ
 * queue and runs each on a local {@link TrialPool} process, so that this process's event loop
 * stays free to renew job locks however long a trial trains. A worker that dies mid-job stops renewing its lock; BullMQ's
 * stalled-job check (run by every live worker) then puts the job back for another worker. A
 * trial that fails deterministically (an invalid payload, a bad config) fails its job with
 * `UnrecoverableError`: reported once, never retried; a lost trial process fails the attempt
 * and BullMQ retries it. Retries and duplicates cannot produce a second result: see `runTrial`.
 * An `env-runner` job makes the worker an env runner of a training run (`serveEnvRunnerJob`).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { pid } from 'node:process';
import { ArbiterError } from '../core/errors.js';
import type { TrialResult } from './run-trial.js';
import type { EnvRunnerJobResult } from './env-runner-job.js';
import { TrialFailedError, TrialPool } from './trial-pool.js';
import type { CellOutcome } from './bench-cell.js';
import { probeRedis } from './redis-probe.js';
import {
  BENCH_CELL_JOB,
  ENV_RUNNER_JOB,
  parseBenchCellPayload,
  parseTrainTrialPayload,
  queueConnection,
  TRAIN_TRIAL_JOB,
  TRIAL_QUEUE_NAME,
} from './trial-queue.js';

/** Options of {@link startTrialWorker}. */
export interface TrialWorkerOptions {
  /** Redis URL (`redis://HOST:PORT`, `rediss://…` for TLS). */
  url: string;
  /** Trials at once (trial processes; default 1). */
  concurrency?: number;
  /** Queue name (default `arbiter-trials`). */
  queueName?: string;
  /** Put trial folders and cell outcomes here instead of where the coordinator named (e.g. elsewhere). */
  trialsRoot?: string;
  /** How long a job's lock lasts without renewal, in ms (default 30 000). */
  lockDurationMs?: number;
  /** How often to look for stalled jobs, in ms (default 15 000). */
  stalledIntervalMs?: number;
  /** The worker's name (recorded as the `processedBy` of its jobs; default host name and pid). */
  name?: string;
  /**
   * Run trials on this pool instead of one of the worker's own (`concurrency` processes): a
   * process that already has warm trial processes shares them. The caller closes it; its
   * `crashRetries` come on top of the job's attempts.
   */
  pool?: TrialPool;
  /** How long to try to reach Redis at the start before failing, in ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Called when a job settles: `result` for a trial, `cell` for a benchmark cell. */
  onJob?: (event: {
    id: string;
    result?: TrialResult;
    cell?: CellOutcome;
    error?: string;
    retry: boolean;
  }) => void;
}

/** A running worker. */
export interface TrialWorker {
  /** The BullMQ worker. */
  readonly worker: Worker;
  /** Its name (the `processedBy` of its jobs). */
  readonly name: string;
  /** Stops taking jobs, waits for the running ones, closes the trial processes (its own pool). */
  close(): Promise<void>;
}

/** Starts a worker (see the module doc); it runs until {@link TrialWorker.close}. */
export async function startTrialWorker(options: TrialWorkerOptions): Promise<TrialWorker> {
  // Once running, a worker waits out a lost connection; a Redis not there at the start is an error.
  await probeRedis(options.url, options.connectTimeoutMs);
  const concurrency = options.concurrency ?? 1;
  const name = options.name ?? `${hostname()}-${pid}`;
  const pool = options.pool ?? new TrialPool({ size: concurrency, crashRetries: 0 });
  const processJob = async (job: Job): Promise<TrialResult | CellOutcome | EnvRunnerJobResult> => {
    // Loaded on demand: an env runner steps policies (TF.js), a sweep worker need not.
    if (job.name === ENV_RUNNER_JOB)
      return (await import('./env-runner-job.js')).serveEnvRunnerJob(job, options.url, {
        ...(options.lockDurationMs !== undefined && { lockDurationMs: options.lockDurationMs }),
        ...(options.stalledIntervalMs !== undefined && { stalledIntervalMs: options.stalledIntervalMs }),
      });
    if (job.name !== TRAIN_TRIAL_JOB && job.name !== BENCH_CELL_JOB)
      throw new UnrecoverableError(
        `unknown job kind '${job.name}' (this worker runs '${TRAIN_TRIAL_JOB}', '${BENCH_CELL_JOB}' and '${ENV_RUNNER_JOB}' jobs)`,
      );
    let payload;
    try {
      payload =
        job.name === TRAIN_TRIAL_JOB
          ? parseTrainTrialPayload(job.data, `job ${job.id}`)
          : parseBenchCellPayload(job.data, `job ${job.id}`);
    } catch (e) {
      throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
    }
    const itemId = 'trial' in payload ? payload.trial.id : payload.cell.id;
    if (itemId !== job.id)
      throw new UnrecoverableError(
        `job ${job.id} carries ${'trial' in payload ? 'trial' : 'cell'} ${itemId}: a job id must name its trial or cell`,
      );
    try {
      if ('trial' in payload)
        return (await pool.run(payload.trial, options.trialsRoot ?? payload.trialsRoot)).result;
      return (await pool.runCell(payload.cell, options.trialsRoot ?? payload.cellsRoot)).outcome;
    } catch (e) {
      if (e instanceof TrialFailedError && e.deterministic) throw new UnrecoverableError(e.message);
      throw e;
    }
  };
  const worker = new Worker(options.queueName ?? TRIAL_QUEUE_NAME, processJob, {
    connection: queueConnection(options.url, true),
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 15_000,
    maxStalledCount: 2,
    runRetryDelay: 1000, // after a lost connection, look for jobs again soon (BullMQ waits 15 s)
    name,
  });
  worker.on('completed', (job: Job, value: TrialResult | CellOutcome | EnvRunnerJobResult) => {
    // Env-runner jobs serve a training run's rollouts; they are not sweep items.
    if (job.name === ENV_RUNNER_JOB) return;
    options.onJob?.({
      id: String(job.id),
      ...(job.name === BENCH_CELL_JOB ? { cell: value as CellOutcome } : { result: value as TrialResult }),
      retry: false,
    });
  });
  worker.on('failed', (job: Job | undefined, e: Error) => {
    if (job === undefined) return;
    const retry = !(e instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
    options.onJob?.({ id: String(job.id), error: e.message, retry });
  });
  worker.on('error', () => undefined); // connection errors: the client reconnects by itself
  await worker.waitUntilReady().catch((e: unknown) => {
    throw new ArbiterError(
      'queue-unreachable',
      `cannot reach Redis: ${e instanceof Error ? e.message : String(e)}`,
    );
  });
  return {
    worker,
    name,
    close: async () => {
      await worker.close();
      if (options.pool === undefined) await pool.close();
    },
  };
}
