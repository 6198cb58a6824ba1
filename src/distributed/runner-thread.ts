/**
 * {@link EnvRunnerThread}: one {@link EnvRunner} on a worker thread of this process (the entry is
 * `env-runner-thread.ts`), used by the local runners ({@link LocalEnvRunners} in
 * `env-runner-pool.ts`) and by queue workers serving an `env-runner` job. TF-free: the learner's
 * weights arrive as data. A runner thread that throws or exits fails its rollout with a `lost`
 * {@link EnvRunnerError}, and every later one (its envs are gone).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { CollectedRollout } from '../agents/rollout-source.js';
import { siblingModule, startModuleWorker } from '../core/module-worker.js';
import type { RunnerEnvSpec, RunnerRolloutRequest, RunnerSlice } from './env-runner.js';
import { EnvRunnerError } from './env-runner-error.js';

/** @internal What a runner thread gets as `workerData`. */
export interface RunnerThreadInit {
  env: RunnerEnvSpec;
  slice: RunnerSlice;
}

/** @internal Requests to a runner thread. */
export type RunnerThreadRequest = { type: 'rollout'; request: RunnerRolloutRequest } | { type: 'close' };

/** @internal Replies of a runner thread. */
export type RunnerThreadReply =
  | { type: 'ready' }
  | { type: 'rollout'; rollout: CollectedRollout }
  | { type: 'closed' }
  | { type: 'error'; message: string; code: string | null };

/**
 * One env runner on a worker thread of this process: {@link EnvRunnerThread.rollout} sends a
 * request and waits for its rollout. A thread that threw or exited fails the pending and every
 * later request with an {@link EnvRunnerError}.
 */
export class EnvRunnerThread {
  /** The runner's index (named in errors). */
  readonly index: number;
  /** Its env copies. */
  readonly slice: RunnerSlice;
  private readonly worker: Worker;
  private failure: Error | undefined;
  private pending: { resolve: (r: RunnerThreadReply) => void; reject: (e: Error) => void } | undefined;
  private closed = false;

  private constructor(worker: Worker, index: number, slice: RunnerSlice) {
    this.worker = worker;
    this.index = index;
    this.slice = slice;
    worker.on('message', (m: RunnerThreadReply) => {
      const p = this.pending;
      this.pending = undefined;
      if (m.type === 'error') {
        const e = new EnvRunnerError(index, slice, m.message);
        this.failure ??= e;
        p?.reject(e);
      } else p?.resolve(m);
    });
    worker.on('error', (e: Error) => this.fail(`its thread threw: ${e.message}`));
    worker.on('exit', (code) => this.fail(`its thread exited (code ${code})`));
  }

  /**
   * Starts runner `index` on `slice` and waits until it has built its env copies (a module
   * factory's path is resolved against the current directory).
   */
  static async start(env: RunnerEnvSpec, slice: RunnerSlice, index: number): Promise<EnvRunnerThread> {
    const spec = 'module' in env ? { ...env, module: moduleUrl(env.module) } : env;
    const entry = siblingModule(import.meta.url, 'env-runner-thread');
    const useTsx = entry.ts || ('module' in spec && /\.[mc]?ts$/.test(spec.module));
    const init: RunnerThreadInit = { env: spec, slice };
    const worker = startModuleWorker(entry.url, useTsx, { workerData: init }, 'env-runner-failed');
    const thread = new EnvRunnerThread(worker, index, slice);
    try {
      await thread.request(null);
    } catch (e) {
      await thread.close();
      throw e;
    }
    return thread;
  }

  /** One rollout of this runner's copies. */
  async rollout(request: RunnerRolloutRequest): Promise<CollectedRollout> {
    const reply = await this.request({ type: 'rollout', request });
    return (reply as Extract<RunnerThreadReply, { type: 'rollout' }>).rollout;
  }

  /** Closes the env copies and stops the thread. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.failure) await this.request({ type: 'close' });
    } catch {
      // A failed runner has nothing left to close.
    }
    await this.worker.terminate();
  }

  private request(msg: RunnerThreadRequest | null): Promise<RunnerThreadReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      if (msg) this.worker.postMessage(msg);
    });
  }

  private fail(cause: string): void {
    this.failure ??= new EnvRunnerError(this.index, this.slice, cause, true);
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
  }
}

function moduleUrl(m: string): string {
  if (/^(file|data|node):/.test(m)) return m;
  return pathToFileURL(isAbsolute(m) ? m : resolve(process.cwd(), m)).href;
}
