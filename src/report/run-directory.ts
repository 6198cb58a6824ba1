/**
 * Run folders: the layout of one training run on disk (config, metric logs, checkpoints), creating
 * a new one, reopening one to resume, and the default run id.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ArbiterError, ValidationError } from '../core/errors.js';
import type { MetricsSink } from '../core/metrics-sink.js';
import { CsvMetricsSink } from './csv-metrics-sink.js';
import { JsonlMetricsSink } from './jsonl-metrics-sink.js';
import { MultiSink } from './multi-sink.js';
import { TensorBoardSink } from './tensorboard-event-writer.js';
import { makeDirs } from '../core/make-dirs.js';

/** A run folder problem: `run-exists` (the name is taken) or `run-not-found` (no config.json). */
export class RunDirectoryError extends ArbiterError {
  /** The run folder concerned. */
  readonly dir: string;

  constructor(code: 'run-exists' | 'run-not-found', dir: string, message: string) {
    super(code, message);
    this.dir = dir;
  }
}

/** Where things live inside a run folder (absolute paths). */
export interface RunPaths {
  /** The run folder, `<root>/<run-id>`. */
  dir: string;
  /** The run's configuration, written once (atomically) when the run is created. */
  config: string;
  /** Wide-format metrics CSV (see {@link CsvMetricsSink}). */
  csv: string;
  /** Metrics as JSON Lines (see {@link JsonlMetricsSink}). */
  jsonl: string;
  /** TensorBoard log folder (see {@link TensorBoardSink}). */
  tensorboard: string;
  /** Folder for checkpoints (not created here; the checkpoint writer creates it). */
  checkpoints: string;
  /** The SVG learning curve (see `writeLearningCurve`). */
  learningCurve: string;
}

/** Which default sinks to open; each defaults to true. */
export interface RunSinkChoice {
  /** Write `metrics.csv`. */
  csv?: boolean;
  /** Write `metrics.jsonl`. */
  jsonl?: boolean;
  /** Write TensorBoard event files under `tb/`. */
  tensorboard?: boolean;
}

/** An open run folder: its id, paths and configuration, and one sink feeding all its logs. */
export interface RunDirectory<C = Record<string, unknown>> {
  /** The run id, the folder's name. */
  id: string;
  /** Paths inside the run folder. */
  paths: RunPaths;
  /** The configuration stored in `config.json`. */
  config: C;
  /** Writes to every open log (CSV, JSONL, TensorBoard). */
  sink: MetricsSink;
  /** Flushes and closes the logs. */
  close(): Promise<void>;
}

/** Options of {@link createRunDirectory}. */
export interface CreateRunDirectoryOptions<C extends object> {
  /** Parent folder of all runs. Default `runs`. */
  root?: string;
  /**
   * The run id (one folder name; an existing run of that name is a `run-exists` error). Default
   * `<algo>-<env>-<seed>-<YYYYMMDD-HHMMSS UTC>` from the config's `algo`, `env` and `seed` fields
   * (those absent are left out), with `-2`, `-3`, … appended if that folder exists.
   */
  name?: string;
  /** The run's configuration, stored as `config.json` (it must be JSON-serialisable). */
  config: C;
  /** Which default sinks to open. Default all. */
  sinks?: RunSinkChoice;
  /** Clock for the default id and the logs' wall times. Default the system clock. */
  now?: () => Date;
}

/** Options of {@link openRunDirectory}. */
export interface OpenRunDirectoryOptions {
  /**
   * The step of the checkpoint being resumed: log entries after it are removed from the CSV and
   * JSONL files, and TensorBoard is told to drop them, so the resumed run's curve has no doubled
   * steps. Default: keep everything.
   */
  resumeStep?: number;
  /** Which default sinks to open. Default all. */
  sinks?: RunSinkChoice;
  /** Clock for the logs' wall times. Default the system clock. */
  now?: () => Date;
}

/** The paths of a run folder (nothing is created). */
export function runPaths(dir: string): RunPaths {
  const d = resolve(dir);
  return {
    dir: d,
    config: join(d, 'config.json'),
    csv: join(d, 'metrics.csv'),
    jsonl: join(d, 'metrics.jsonl'),
    tensorboard: join(d, 'tb'),
    checkpoints: join(d, 'checkpoints'),
    learningCurve: join(d, 'learning-curve.svg'),
  };
}

/**
 * Creates a new run folder `<root>/<run-id>/`, writes `config.json` atomically (temp file +
 * rename) and opens the default logs: `metrics.csv`, `metrics.jsonl` and a TensorBoard event
 * file under `tb/`. Close the returned run when training ends.
 */
export async function createRunDirectory<C extends object>(
  options: CreateRunDirectoryOptions<C>,
): Promise<RunDirectory<C>> {
  const root = options.root ?? 'runs';
  const now = options.now ?? ((): Date => new Date());
  // Serialise first: a config that is not JSON must fail before any folder exists.
  const configText = JSON.stringify(options.config, null, 2) + '\n';
  await makeDirs(root);
  let id: string;
  if (options.name !== undefined) {
    id = checkRunName(options.name);
    await makeFolder(join(root, id), true);
  } else {
    const base = defaultRunId(options.config, now());
    id = base;
    for (let n = 2; !(await makeFolder(join(root, id), false)); n++) id = `${base}-${n}`;
  }
  const paths = runPaths(join(root, id));
  await writeFileAtomic(paths.config, configText);
  return openSinks(id, paths, options.config, false, undefined, options.sinks, now);
}

/**
 * Reopens an existing run folder to resume it: reads `config.json` and opens the logs for
 * appending (the TensorBoard sink starts a new event file beside the old ones).
 */
export async function openRunDirectory<C = Record<string, unknown>>(
  dir: string,
  options: OpenRunDirectoryOptions = {},
): Promise<RunDirectory<C>> {
  const paths = runPaths(dir);
  const config = readRunConfig<C>(dir);
  const now = options.now ?? ((): Date => new Date());
  return openSinks(basename(paths.dir), paths, config, true, options.resumeStep, options.sinks, now);
}

/** Reads a run folder's `config.json` (`run-not-found` if absent, a ValidationError if not JSON). */
export function readRunConfig<C = Record<string, unknown>>(dir: string): C {
  const { config } = runPaths(dir);
  let text: string;
  try {
    text = readFileSync(config, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new RunDirectoryError('run-not-found', dir, `${dir} is not a run folder: it has no config.json`);
    throw e;
  }
  try {
    return JSON.parse(text) as C;
  } catch (e) {
    throw new ValidationError('json-syntax', (e as Error).message, { file: config });
  }
}

/** `<algo>-<env>-<seed>-<YYYYMMDD-HHMMSS>` (UTC) from whichever of those config fields exist. */
export function defaultRunId(config: object, time: Date): string {
  const c = config as { algo?: unknown; env?: unknown; seed?: unknown };
  const parts: string[] = [];
  for (const part of [c.algo, c.env, c.seed])
    if (typeof part === 'string' || typeof part === 'number') parts.push(String(part));
  const iso = time.toISOString(); // 2025-01-02T03:04:05.678Z
  parts.push(`${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`);
  // Folder-safe: env ids like "ns/Env-v0" must not create sub-folders.
  return parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-');
}

function checkRunName(name: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name))
    throw new ValidationError('run-name', 'a run name is one folder name (no slashes, not "." or "..")', {
      item: `run '${name}'`,
    });
  return name;
}

/** Creates the folder; false (or `run-exists` if `mustBeNew`) when it already exists. */
async function makeFolder(dir: string, mustBeNew: boolean): Promise<boolean> {
  try {
    await mkdir(dir); // not recursive: EEXIST tells that the id is taken, without a race
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (mustBeNew)
      throw new RunDirectoryError(
        'run-exists',
        dir,
        `run folder ${dir} already exists; choose another name or resume it`,
      );
    return false;
  }
}

function openSinks<C>(
  id: string,
  paths: RunPaths,
  config: C,
  append: boolean,
  resumeStep: number | undefined,
  choice: RunSinkChoice = {},
  now: () => Date,
): RunDirectory<C> {
  const seconds = (): number => now().getTime() / 1000;
  const sinks: MetricsSink[] = [];
  const fileOptions = { append, truncateAfterStep: resumeStep, now: seconds };
  try {
    if (choice.csv !== false) sinks.push(new CsvMetricsSink(paths.csv, fileOptions));
    if (choice.jsonl !== false) sinks.push(new JsonlMetricsSink(paths.jsonl, fileOptions));
    if (choice.tensorboard !== false)
      sinks.push(
        new TensorBoardSink(paths.tensorboard, {
          now: seconds,
          // TensorBoard drops older events with step ≥ purgeStep: keep those ≤ resumeStep.
          ...(resumeStep !== undefined ? { purgeStep: resumeStep + 1 } : {}),
        }),
      );
  } catch (e) {
    for (const s of sinks) void s.close?.(); // do not leak the files already opened
    throw e;
  }
  const sink = new MultiSink(sinks);
  return { id, paths, config, sink, close: () => sink.close() };
}
