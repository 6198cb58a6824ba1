/**
 * A pool of trial processes on this machine: each runs one trial or benchmark cell at a time
 * (training is CPU-bound and blocks its event loop, so a process per trial keeps the caller — a
 * sweep coordinator, a queue worker renewing its job locks — responsive). Processes start on demand, load the library
 * once and serve trial after trial. A process that dies mid-trial is replaced and its trial given
 * to another, up to `crashRetries` times.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArbiterError } from '../core/errors.js';
import type { BenchCell } from './bench-cell.js';
import type { CellRun } from './run-bench-cell.js';
import type { TrialOutcome } from './run-trial.js';
import type { SweepTrial } from './sweep-trial.js';

/** Trial processes in a row that may end before they are ready, before waiting trials fail. */
const MAX_FAILED_STARTS = 3;

/** A message from a trial process to the pool. */
export type ChildReply =
  | { kind: 'ready' }
  | { kind: 'done'; outcome: TrialOutcome | CellRun }
  | { kind: 'error'; message: string; deterministic: boolean };

/** A trial that failed: `deterministic` when another attempt would fail the same way. */
export class TrialFailedError extends ArbiterError {
  /** The trial's id (or the benchmark cell's). */
  readonly trialId: string;
  /** True for a failure of the trial itself (e.g. a bad config), false for a lost process. */
  readonly deterministic: boolean;

  constructor(trialId: string, message: string, deterministic: boolean) {
    super('trial-failed', `trial ${trialId}: ${message}`);
    this.trialId = trialId;
    this.deterministic = deterministic;
  }
}

/** Options of {@link TrialPool}. */
export interface TrialPoolOptions {
  /** Processes at most (default the number of cores). */
  size?: number;
  /** How often a trial whose process died is given to a fresh one (default 2). */
  crashRetries?: number;
}

/** What a trial process is asked to do: a trial, or a benchmark cell. */
export type ChildRequest = { trial: SweepTrial; trialsRoot: string } | { cell: BenchCell; cellsRoot: string };

interface Task {
  /** The trial's or cell's id. */
  id: string;
  request: ChildRequest;
  crashes: number;
  resolve: (o: never) => void;
  reject: (e: Error) => void;
}

interface Slot {
  proc: ChildProcess;
  ready: boolean;
  task: Task | undefined;
}

/** Runs trials on up to `size` local processes (see the module doc). */
export class TrialPool {
  /** Processes at most. */
  readonly size: number;
  private readonly crashRetries: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private closed = false;
  /** Processes in a row that ended before they were ready (a broken install fails, not loops). */
  private failedStarts = 0;

  constructor(options: TrialPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.crashRetries = options.crashRetries ?? 2;
  }

  /** Runs `trial` under `trialsRoot` on a free process (queued while all are busy). */
  run(trial: SweepTrial, trialsRoot: string): Promise<TrialOutcome> {
    return this.submit<TrialOutcome>(trial.id, { trial, trialsRoot });
  }

  /** Runs benchmark cell `cell` under `cellsRoot` on a free process (queued while all are busy). */
  runCell(cell: BenchCell, cellsRoot: string): Promise<CellRun> {
    return this.submit<CellRun>(cell.id, { cell, cellsRoot });
  }

  private submit<T>(id: string, request: ChildRequest): Promise<T> {
    if (this.closed) return Promise.reject(new ArbiterError('pool-closed', 'the trial pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ id, request, crashes: 0, resolve: resolve as (o: never) => void, reject });
      this.dispatch();
    });
  }

  /** Stops every process (a running trial is abandoned; its partial folder stays). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.waiting.splice(0))
      t.reject(new TrialFailedError(t.id, 'the trial pool was closed', false));
    await Promise.all(
      this.slots.splice(0).map(
        (s) =>
          new Promise<void>((done) => {
            if (s.proc.exitCode !== null || s.proc.signalCode !== null) return done();
            s.proc.once('exit', () => done());
            s.proc.kill('SIGTERM');
          }),
      ),
    );
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.task === undefined);
      if (slot === undefined) {
        if (this.slots.length < this.size) this.slots.push(this.spawn());
        return;
      }
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.proc.send(task.request);
    }
  }

  private spawn(): Slot {
    const ts = import.meta.url.endsWith('.ts');
    const entry = fileURLToPath(new URL(ts ? './trial-child.ts' : './trial-child.js', import.meta.url));
    // Source (.ts) entries, as under the test runner, go through tsx's loader (a devDependency).
    const execArgv = ts
      ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
      : [];
    const proc = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const slot: Slot = { proc, ready: false, task: undefined };
    proc.on('message', (m: ChildReply) => {
      if (m.kind === 'ready') {
        slot.ready = true;
        this.failedStarts = 0;
      } else {
        const task = slot.task;
        slot.task = undefined;
        if (task !== undefined) {
          if (m.kind === 'done') task.resolve(m.outcome as never);
          else task.reject(new TrialFailedError(task.id, m.message, m.deterministic));
        }
      }
      this.dispatch();
    });
    proc.on('error', () => undefined); // an exit follows, handled there
    proc.on('exit', (code, signal) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const task = slot.task;
      slot.task = undefined;
      if (task !== undefined) {
        task.crashes++;
        if (task.crashes <= this.crashRetries && !this.closed) this.waiting.unshift(task);
        else
          task.reject(
            new TrialFailedError(
              task.id,
              `its process ended (${signal ?? `exit code ${code}`}) before the trial finished`,
              false,
            ),
          );
      }
      if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
        this.failedStarts = 0;
        for (const t of this.waiting.splice(0))
          t.reject(
            new TrialFailedError(
              t.id,
              `trial processes end before they start (${signal ?? `exit code ${code}`}); see their output above`,
              false,
            ),
          );
      }
      if (!this.closed) this.dispatch();
    });
    return slot;
  }
}
