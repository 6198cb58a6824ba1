/**
 * The entry of a trial process (started by {@link TrialPool}): receives one trial or benchmark
 * cell at a time over the IPC channel, runs it with `runTrial` or `runBenchCell` and sends back
 * its outcome or its error. Messages are data only, checked by a schema; the process ends when
 * its parent goes away. The runners load on first use, so that a process that only runs cells
 * never loads TensorFlow.js (which training needs), and a new process is ready at once.
 */
import { z } from 'zod';
import { ArbiterError } from '../core/errors.js';
import { parseBenchCell } from './bench-cell.js';
import { parseSweepTrial } from './sweep-trial.js';
import type { ChildReply } from './trial-pool.js';

const REQUEST_SCHEMA = z.union([
  z.object({ trial: z.unknown(), trialsRoot: z.string().min(1) }).strict(),
  z.object({ cell: z.unknown(), cellsRoot: z.string().min(1) }).strict(),
]);

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function handle(message: unknown): Promise<void> {
  try {
    const request = REQUEST_SCHEMA.parse(message);
    if ('cell' in request) {
      const cell = parseBenchCell(request.cell, 'cell request');
      const { runBenchCell } = await import('./run-bench-cell.js');
      reply({ kind: 'done', outcome: await runBenchCell(cell, request.cellsRoot) });
    } else {
      const trial = parseSweepTrial(request.trial, 'trial request');
      const { runTrial } = await import('./run-trial.js');
      reply({ kind: 'done', outcome: await runTrial(trial, request.trialsRoot) });
    }
  } catch (e) {
    // An Arbiter error (a bad config, an invalid request) fails the same way on every attempt.
    reply({
      kind: 'error',
      message: e instanceof Error ? e.message : String(e),
      deterministic: e instanceof ArbiterError || e instanceof z.ZodError,
    });
  }
}

process.on('message', (m) => void handle(m));
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the parent decides (a worker lets running trials finish).
process.on('SIGINT', () => undefined);
// A parent that died while this process started (a worker killed as it took its first job) left
// no 'disconnect' listener to hear it, so look now.
if (process.connected) reply({ kind: 'ready' });
else process.exit(0);
