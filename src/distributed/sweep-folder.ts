/**
 * What a sweep coordinator does before its first item, whatever the items (training trials,
 * benchmark cells): name the sweep and its folder, refuse to overwrite a sweep without `resume`,
 * check that the queue answers before anything is written, and pick where items run.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { ArbiterError } from '../core/errors.js';
import { probeRedis } from './redis-probe.js';
import { TrialPool } from './trial-pool.js';
import { TrialQueueDispatcher } from './trial-queue.js';

/** The options of a sweep that {@link openSweepFolder} and {@link defaultDispatcher} read. */
export interface SweepFolderOptions {
  /** The sweep file. */
  file: string;
  /** The sweep folder (default `sweeps/<file name without .json>`). */
  out?: string;
  /** Continue the sweep in `out`. */
  resume?: boolean;
  /** A caller's own dispatcher (then `queue` and `workers` are not used). */
  dispatcher?: unknown;
  /** Redis URL of the queue. */
  queue?: string;
  /** How long to try to reach Redis at the start, in ms. */
  connectTimeoutMs?: number;
  /** Local processes. */
  workers?: number;
}

/** A sweep's name and folder, checked (see the module doc). */
export interface SweepFolder {
  /** The file name without `.json`. */
  title: string;
  /** The sweep folder (absolute). */
  out: string;
  /** `<out>/sweep.json`, the file as read. */
  specFile: string;
}

/**
 * The sweep's name and folder; an `ArbiterError` when the folder holds a sweep and `resume` is
 * not set, or when the queue cannot be reached (before anything is written).
 */
export async function openSweepFolder(options: SweepFolderOptions): Promise<SweepFolder> {
  const title = basename(options.file, extname(options.file));
  const out = resolve(options.out ?? join('sweeps', title));
  const specFile = join(out, 'sweep.json');
  if (existsSync(specFile) && options.resume !== true)
    throw new ArbiterError(
      'sweep-exists',
      `${out} holds a sweep already: pass --resume to continue it, or choose another --out`,
    );
  if (options.dispatcher === undefined && options.queue !== undefined)
    await probeRedis(options.queue, options.connectTimeoutMs);
  return { title, out, specFile };
}

/** Where items run without a caller's dispatcher: the queue's workers with `queue`, else local processes. */
export function defaultDispatcher(options: SweepFolderOptions): TrialPool | TrialQueueDispatcher {
  return options.queue !== undefined
    ? new TrialQueueDispatcher(options.queue)
    : new TrialPool({ ...(options.workers !== undefined && { size: options.workers }) });
}
