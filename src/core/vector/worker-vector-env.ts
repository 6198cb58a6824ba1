/**
 * WorkerVectorEnv, as SB3's SubprocVecEnv on Node `worker_threads`: the copies are split over
 * worker threads that step in parallel, with exactly the results of a {@link SyncVectorEnv} built
 * from the same factory and seeds.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { ArbiterError } from '../errors.js';
import { siblingModule, startModuleWorker } from '../module-worker.js';
import { flatDim, spaceFromJson, type Space, type SpaceJson } from '../spaces.js';
import type { VectorEnv, VectorResetResult, VectorStepResult } from '../vector-env.js';
import { actionRowLength } from './sync-vector-env.js';
import { allocateVectorStepResult, vectorStepResult } from './vector-step-buffers.js';

/**
 * How a worker builds its copies, as data (functions cannot cross threads). Either an exported
 * factory `(options, index) => Env` of an ESM module, or a registered env id plus the module(s)
 * whose import registers it. Module names are file URLs or paths (relative ones against the
 * current directory); `.ts` modules are loaded through tsx (a devDependency).
 */
export type EnvFactorySpec =
  | {
      /** Module exporting the factory. */
      module: string;
      /** Name of the exported function `(options, index) => Env`; index is the copy's number. */
      export: string;
      /** First argument of the factory; must be structured-cloneable. */
      options?: unknown;
    }
  | {
      /** Registered env id, built with `makeEnv`. */
      id: string;
      /** Module(s) whose import registers the id. */
      module: string | string[];
      /** Env-specific options for `makeEnv`. */
      options?: Record<string, unknown>;
      /** Step-limit override for `makeEnv`. */
      maxEpisodeSteps?: number;
      /** `makeEnv`'s RecordEpisodeStatistics switch. */
      recordStats?: boolean;
    };

/** Options of {@link WorkerVectorEnv.create}. */
export interface WorkerVectorEnvOptions {
  /** Worker threads (default `min(numEnvs, os.availableParallelism())`). */
  numWorkers?: number;
  /** As {@link SyncVectorEnvOptions.reuseBuffers} (default false: fresh arrays per call). */
  reuseBuffers?: boolean;
}

/** @internal What a worker gets as `workerData`. */
export interface WorkerInit {
  factory:
    | { module: string; export: string; options?: unknown }
    | {
        id: string;
        modules: string[];
        options?: Record<string, unknown>;
        maxEpisodeSteps?: number;
        recordStats?: boolean;
      };
  start: number;
  count: number;
}

/** @internal Requests to a worker. */
export type WorkerRequest =
  | { type: 'reset'; seed: number | null }
  | { type: 'step'; actions: Int32Array | Float32Array }
  | { type: 'close' };

/** @internal Replies of a worker. */
export type WorkerReply =
  | { type: 'ready'; observationSpace: SpaceJson; actionSpace: SpaceJson }
  | { type: 'result'; result: VectorResetResult | VectorStepResult }
  | { type: 'closed' }
  | { type: 'error'; message: string; stack: string; code: string | null };

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
}

// One worker thread and its single in-flight request.
class WorkerHandle {
  pending: Pending | null = null;
  failure: Error | null = null;

  constructor(
    readonly worker: Worker,
    readonly start: number,
    readonly count: number,
  ) {
    worker.on('message', (reply: WorkerReply) => this.settle(null, reply));
    worker.on('error', (e: Error) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`worker thread exited with code ${code}`)));
  }

  request(msg: WorkerRequest | null, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    // Ref'd only while waiting, so a forgotten close() does not keep the process alive.
    this.worker.ref();
    return new Promise<WorkerReply>((res, rej) => {
      this.pending = { resolve: res, reject: rej };
      if (msg) this.worker.postMessage(msg, transfer);
    });
  }

  private fail(e: Error): void {
    this.failure ??= new ArbiterError(
      'vector-env-worker',
      `vector env worker (copies ${this.start}…${this.start + this.count - 1}): ${e.message}`,
    );
    this.settle(this.failure, null);
  }

  private settle(error: Error | null, reply: WorkerReply | null): void {
    const p = this.pending;
    this.pending = null;
    this.worker.unref();
    if (!p) return;
    if (error) p.reject(error);
    else if (reply!.type === 'error') {
      const e = new ArbiterError(reply!.code ?? 'vector-env-worker', `vector env worker: ${reply!.message}`);
      e.stack = reply!.stack;
      p.reject(e);
    } else p.resolve(reply!);
  }
}

/**
 * A {@link VectorEnv} whose copies live in worker threads, each worker stepping a contiguous chunk
 * of copies (a SyncVectorEnv) in parallel; results travel by message passing. Same seeds and
 * actions give results identical to {@link SyncVectorEnv} (including `finalObs`, `finalInfos`,
 * masks). Infos must be structured-cloneable. Build with {@link WorkerVectorEnv.create}; call
 * `close()` to stop the threads.
 */
export class WorkerVectorEnv implements VectorEnv {
  /** Flat observation length of one copy. */
  readonly obsDim: number;
  /** Length of one copy's action row (1 for Discrete). */
  readonly actionDim: number;
  /** Number of worker threads. */
  readonly numWorkers: number;
  private readonly maskDim: number;
  private busy = false;
  private closed = false;
  private ready = false;
  private shared: VectorStepResult | null = null;

  private constructor(
    private readonly handles: WorkerHandle[],
    /** Number of copies. */
    readonly numEnvs: number,
    /** Observation space of one copy (rebuilt from the workers' description). */
    readonly singleObservationSpace: Space,
    /** Action space of one copy. */
    readonly singleActionSpace: Space,
    private readonly reuse: boolean,
  ) {
    this.obsDim = flatDim(singleObservationSpace);
    this.actionDim = actionRowLength(singleActionSpace);
    this.maskDim = singleActionSpace.kind === 'discrete' ? singleActionSpace.n : 0;
    this.numWorkers = handles.length;
  }

  /**
   * Starts the workers, builds `numEnvs` copies from `factory` and waits until all are ready.
   * Throws `vector-env-worker` (or the factory's own error code) if a worker cannot build its copies.
   */
  static async create(
    factory: EnvFactorySpec,
    numEnvs: number,
    options: WorkerVectorEnvOptions = {},
  ): Promise<WorkerVectorEnv> {
    if (!Number.isInteger(numEnvs) || numEnvs < 1)
      throw new ArbiterError('vector-env', `numEnvs must be an integer ≥ 1, got ${numEnvs}`);
    const numWorkers = Math.max(1, Math.min(numEnvs, options.numWorkers ?? availableParallelism()));
    const init: WorkerInit['factory'] =
      'export' in factory
        ? { module: moduleUrl(factory.module), export: factory.export, options: factory.options }
        : {
            id: factory.id,
            modules: (Array.isArray(factory.module) ? factory.module : [factory.module]).map(moduleUrl),
            options: factory.options,
            maxEpisodeSteps: factory.maxEpisodeSteps,
            recordStats: factory.recordStats,
          };
    const modules = 'export' in init ? [init.module] : init.modules;
    const useTsx = import.meta.url.endsWith('.ts') || modules.some((m) => /\.[mc]?ts$/.test(m));
    const handles: WorkerHandle[] = [];
    let start = 0;
    for (let w = 0; w < numWorkers; w++) {
      // Balanced contiguous chunks: the first (numEnvs mod numWorkers) workers get one more copy.
      const count = Math.floor(numEnvs / numWorkers) + (w < numEnvs % numWorkers ? 1 : 0);
      handles.push(new WorkerHandle(spawnWorker({ factory: init, start, count }, useTsx), start, count));
      start += count;
    }
    try {
      const replies = await Promise.all(handles.map((h) => h.request(null)));
      const first = replies[0] as Extract<WorkerReply, { type: 'ready' }>;
      const key = JSON.stringify([first.observationSpace, first.actionSpace]);
      for (const r of replies)
        if (r.type !== 'ready' || JSON.stringify([r.observationSpace, r.actionSpace]) !== key)
          throw new ArbiterError('vector-env', 'workers built copies with different spaces');
      return new WorkerVectorEnv(
        handles,
        numEnvs,
        spaceFromJson(first.observationSpace),
        spaceFromJson(first.actionSpace),
        options.reuseBuffers ?? false,
      );
    } catch (e) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw e;
    }
  }

  /** Resets every copy; copy i gets seed `seed + i` when a seed is given. */
  async reset(seed?: number): Promise<VectorResetResult> {
    const parts = await this.all(() => [{ type: 'reset', seed: seed ?? null }, []]);
    const out = this.buffers();
    const hasMasks = this.gather(parts, out, false);
    this.ready = true;
    const res: VectorResetResult = { obs: out.obs, infos: out.infos };
    if (hasMasks) res.actionMasks = out.actionMasks!;
    return res;
  }

  /** Steps every copy (same action layout as {@link SyncVectorEnv.stepSync}). */
  async step(actions: Int32Array | Float32Array): Promise<VectorStepResult> {
    if (!this.ready) throw new ArbiterError('vector-env', 'step() called before reset()');
    const k = this.actionDim;
    if (actions.length !== this.numEnvs * k)
      throw new ArbiterError(
        'vector-env',
        `step() needs ${this.numEnvs} × ${k} actions, got an array of length ${actions.length}`,
      );
    const parts = await this.all((h) => {
      const chunk = actions.slice(h.start * k, (h.start + h.count) * k);
      return [{ type: 'step', actions: chunk }, [chunk.buffer as ArrayBuffer]];
    });
    const out = this.buffers();
    const hasMasks = this.gather(parts, out, true);
    return vectorStepResult(out, hasMasks);
  }

  /** Closes the copies and stops the worker threads. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ready = false;
    await Promise.all(
      this.handles.map(async (h) => {
        try {
          if (!h.failure && !h.pending) await h.request({ type: 'close' });
        } catch {
          // A worker that already failed has nothing left to close.
        }
        await h.worker.terminate();
      }),
    );
  }

  // Sends one request per worker and waits for all replies (one call in flight at a time).
  private async all(
    make: (h: WorkerHandle) => [WorkerRequest, ArrayBuffer[]],
  ): Promise<(VectorResetResult | VectorStepResult)[]> {
    if (this.closed) throw new ArbiterError('vector-env', 'the vector env is closed');
    if (this.busy)
      throw new ArbiterError('vector-env', 'reset()/step() called while another call is in flight');
    this.busy = true;
    try {
      const replies = await Promise.all(
        this.handles.map((h) => {
          const [msg, transfer] = make(h);
          return h.request(msg, transfer);
        }),
      );
      return replies.map((r) => (r as Extract<WorkerReply, { type: 'result' }>).result);
    } finally {
      this.busy = false;
    }
  }

  // Copies the workers' chunks into one result; returns whether any chunk carried masks.
  private gather(
    parts: (VectorResetResult | VectorStepResult)[],
    out: VectorStepResult,
    isStep: boolean,
  ): boolean {
    const d = this.obsDim;
    const n = this.maskDim;
    const hasMasks = parts.some((p) => p.actionMasks !== undefined);
    parts.forEach((p, w) => {
      const h = this.handles[w]!;
      out.obs.set(p.obs, h.start * d);
      for (let j = 0; j < h.count; j++) out.infos[h.start + j] = p.infos[j]!;
      if (hasMasks) {
        if (p.actionMasks) out.actionMasks!.set(p.actionMasks, h.start * n);
        else out.actionMasks!.fill(1, h.start * n, (h.start + h.count) * n);
      }
      if (isStep) {
        const s = p as VectorStepResult;
        out.rewards.set(s.rewards, h.start);
        out.terminated.set(s.terminated, h.start);
        out.truncated.set(s.truncated, h.start);
        for (let j = 0; j < h.count; j++) {
          out.finalObs[h.start + j] = s.finalObs[j] ?? null;
          out.finalInfos[h.start + j] = s.finalInfos[j] ?? null;
        }
      }
    });
    return hasMasks;
  }

  private buffers(): VectorStepResult {
    if (this.reuse && this.shared) return this.shared;
    const b = allocateVectorStepResult(this.numEnvs, this.obsDim, this.maskDim);
    if (this.reuse) this.shared = b;
    return b;
  }
}

function moduleUrl(m: string): string {
  if (/^(file|data|node):/.test(m)) return m;
  return pathToFileURL(isAbsolute(m) ? m : resolve(process.cwd(), m)).href;
}

// Starts a worker on the compiled (.js) or source (.ts) entry (TypeScript through tsx).
function spawnWorker(workerData: WorkerInit, useTsx: boolean): Worker {
  return startModuleWorker(
    siblingModule(import.meta.url, 'vector-env-worker').url,
    useTsx,
    { workerData },
    'vector-env',
  );
}
