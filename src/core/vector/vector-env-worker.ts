/**
 * Entry point of a {@link WorkerVectorEnv} worker thread: builds a contiguous chunk of the copies
 * from a serializable factory spec and steps them with a {@link SyncVectorEnv} on request.
 * Not imported by library code; `WorkerVectorEnv` starts it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Env } from '../env.js';
import { makeEnv } from '../make-env.js';
import { spaceToJson } from '../spaces.js';
import type { VectorResetResult, VectorStepResult } from '../vector-env.js';
import { SyncVectorEnv } from './sync-vector-env.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-vector-env.js';

const port = parentPort;
const init = workerData as WorkerInit;

function errorReply(e: unknown): WorkerReply {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return {
    type: 'error',
    message: err.message,
    stack: err.stack ?? '',
    code: typeof code === 'string' ? code : null,
  };
}

// Typed-array buffers of a result move to the main thread instead of being copied.
function transferList(r: VectorResetResult | VectorStepResult): ArrayBuffer[] {
  const list: ArrayBuffer[] = [r.obs.buffer as ArrayBuffer];
  if (r.actionMasks) list.push(r.actionMasks.buffer as ArrayBuffer);
  if ('rewards' in r) {
    list.push(
      r.rewards.buffer as ArrayBuffer,
      r.terminated.buffer as ArrayBuffer,
      r.truncated.buffer as ArrayBuffer,
    );
    for (const f of r.finalObs) if (f) list.push(f.buffer as ArrayBuffer);
  }
  return list;
}

async function buildFactory(): Promise<(index: number) => Env> {
  const f = init.factory;
  if ('export' in f) {
    const mod = (await import(f.module)) as Record<string, unknown>;
    const fn = mod[f.export];
    if (typeof fn !== 'function')
      throw new Error(`module ${f.module} has no exported function '${f.export}'`);
    return (index) => (fn as (options: unknown, index: number) => Env)(f.options, index);
  }
  for (const m of f.modules) await import(m);
  return () =>
    makeEnv(f.id, { options: f.options, maxEpisodeSteps: f.maxEpisodeSteps, recordStats: f.recordStats });
}

async function main(): Promise<void> {
  if (!port) throw new Error('vector-env-worker must run in a worker thread');
  let venv: SyncVectorEnv;
  try {
    const build = await buildFactory();
    venv = new SyncVectorEnv(Array.from({ length: init.count }, (_, j) => () => build(init.start + j)));
    port.postMessage({
      type: 'ready',
      observationSpace: spaceToJson(venv.singleObservationSpace),
      actionSpace: spaceToJson(venv.singleActionSpace),
    } satisfies WorkerReply);
  } catch (e) {
    port.postMessage(errorReply(e));
    return;
  }
  port.on('message', (req: WorkerRequest) => {
    try {
      if (req.type === 'close') {
        void venv.close().then(() => port.postMessage({ type: 'closed' } satisfies WorkerReply));
        return;
      }
      const result =
        req.type === 'reset'
          ? venv.resetSync(req.seed === null ? undefined : req.seed + init.start)
          : venv.stepSync(req.actions);
      port.postMessage({ type: 'result', result } satisfies WorkerReply, transferList(result));
    } catch (e) {
      port.postMessage(errorReply(e));
    }
  });
}

void main();
