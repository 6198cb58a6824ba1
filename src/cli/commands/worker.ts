/**
 * The `arbiter worker` command: takes sweep trials from a BullMQ queue on Redis and trains them
 * on this machine until stopped (SIGINT or SIGTERM: the running trials finish first).
 */
import type { Command } from 'commander';
import { parsePositiveInt, parsePositiveNumber } from '../parse-number.js';

interface WorkerOptions {
  queue: string;
  concurrency: number;
  runs?: string;
  name?: string;
  lockMs?: number;
  stalledMs?: number;
  connectTimeout: number;
}

/** `arbiter worker --queue redis://HOST:PORT [--concurrency N] [--runs DIR]`. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run sweep trials and benchmark cells from a Redis queue (started by `arbiter sweep --queue`) until stopped',
    )
    .requiredOption(
      '-q, --queue <url>',
      'Redis URL: redis://[user:password@]HOST:PORT[/db], rediss:// for TLS',
    )
    .option('-c, --concurrency <N>', 'trials at once (one process each)', parsePositiveInt, 1)
    .option('--runs <dir>', "folder of trial folders on this machine (default: the coordinator's)")
    .option('--name <name>', 'worker name in the queue (default host-pid)')
    .option(
      '--lock-ms <ms>',
      'job lock duration: a worker silent this long has lost its job',
      parsePositiveInt,
    )
    .option('--stalled-ms <ms>', 'how often to look for jobs of lost workers', parsePositiveInt)
    .option(
      '--connect-timeout <seconds>',
      'fail (exit status 1) when Redis cannot be reached at the start within this time',
      parsePositiveNumber,
      10,
    )
    .action(async (opts: WorkerOptions) => {
      const { startTrialWorker } = await import('../../distributed/trial-worker.js');
      const { redactRedisUrl } = await import('../../distributed/redis-url.js');
      const worker = await startTrialWorker({
        url: opts.queue,
        concurrency: opts.concurrency,
        connectTimeoutMs: opts.connectTimeout * 1000,
        ...(opts.runs !== undefined && { trialsRoot: opts.runs }),
        ...(opts.name !== undefined && { name: opts.name }),
        ...(opts.lockMs !== undefined && { lockDurationMs: opts.lockMs }),
        ...(opts.stalledMs !== undefined && { stalledIntervalMs: opts.stalledMs }),
        onJob: (e) =>
          process.stderr.write(
            e.result
              ? `trial ${e.id}: ${e.result.finalEvalMeanReturn.toFixed(2)} (${e.result.runDir})\n`
              : e.cell
                ? `cell ${e.id}: done in ${e.cell.wallSeconds.toFixed(1)} s\n`
                : `job ${e.id} failed${e.retry ? ' (will be retried)' : ''}: ${e.error}\n`,
          ),
      });
      process.stderr.write(
        `worker ${worker.name} on ${redactRedisUrl(opts.queue)}, ${opts.concurrency} at once; Ctrl-C stops\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => void worker.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
