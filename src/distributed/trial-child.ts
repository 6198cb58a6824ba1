/**
 * The entry of a trial process (started by {@link TrialPool}): receives one trial at a time over
 * the IPC channel, runs it with {@link runTrial} and sends back its outcome or its error. Messages
 * are data only, checked by a schema; the process ends when its parent goes away.
 */
import { z } from 'zod';
import { ArbiterError } from '../core/errors.js';
import { runTrial } from './run-trial.js';
import { parseSweepTrial } from './sweep-trial.js';
import type { ChildReply } from './trial-pool.js';

const REQUEST_SCHEMA = z.object({ trial: z.unknown(), trialsRoot: z.string().min(1) }).strict();

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function handle(message: unknown): Promise<void> {
  try {
    const request = REQUEST_SCHEMA.parse(message);
    const trial = parseSweepTrial(request.trial, 'trial request');
    reply({ kind: 'done', outcome: await runTrial(trial, request.trialsRoot) });
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
// Loading the library blocks the event loop for seconds: a parent that died meanwhile (a worker
// killed as it took its first job) left no 'disconnect' listener to hear it, so look now.
if (process.connected) reply({ kind: 'ready' });
else process.exit(0);
