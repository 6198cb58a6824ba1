/**
 * Entry point of a local env-runner thread (started by {@link LocalEnvRunners}): builds its slice's
 * env copies from the spec in `workerData`, then answers rollout requests with
 * {@link EnvRunner.rollout}, moving the result arrays to the learner's thread. Not imported by
 * library code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CollectedRollout } from '../agents/rollout-source.js';
import { EnvRunner } from './env-runner.js';
import type { RunnerThreadInit, RunnerThreadReply, RunnerThreadRequest } from './runner-thread.js';

const port = parentPort;
const init = workerData as RunnerThreadInit;

function errorReply(e: unknown): RunnerThreadReply {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return { type: 'error', message: err.message, code: typeof code === 'string' ? code : null };
}

function transferList(r: CollectedRollout): ArrayBuffer[] {
  const arrays = [
    r.obs,
    r.actions,
    r.logProbs,
    r.values,
    r.rewards,
    r.terminated,
    r.truncated,
    r.finalValues,
    r.lastObs,
  ];
  if (r.masks) arrays.push(r.masks);
  if (r.lastMasks) arrays.push(r.lastMasks);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

async function main(): Promise<void> {
  if (!port) throw new Error('env-runner-thread must run in a worker thread');
  let runner: EnvRunner;
  try {
    runner = await EnvRunner.create(init.env, init.slice);
  } catch (e) {
    port.postMessage(errorReply(e));
    return;
  }
  port.postMessage({ type: 'ready' } satisfies RunnerThreadReply);
  port.on('message', (req: RunnerThreadRequest) => {
    if (req.type === 'close') {
      void runner.close().then(() => port.postMessage({ type: 'closed' } satisfies RunnerThreadReply));
      return;
    }
    try {
      const rollout = runner.rollout(req.request);
      port.postMessage({ type: 'rollout', rollout } satisfies RunnerThreadReply, transferList(rollout));
    } catch (e) {
      port.postMessage(errorReply(e));
    }
  });
}

void main();
