/**
 * The workloads of the HSoC view: a built-in one, or a file under the dashboard folder read with
 * the CLI's readers — an HSoC workload file (`arbiter hsoc simulate`'s input) or a STOMP arrival
 * trace with its `dag{T}.graphml` and `dag_{T}.txt` beside it (`arbiter hsoc import`'s input,
 * imported the same way). File workloads run on STOMP's PE mix, as `hsoc simulate` does by default.
 * Every problem of a file is a `ValidationError` naming the file (relative to the folder), the
 * line or item, and the rule.
 */
import { stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArbiterError, ValidationError } from '../core/errors.js';
import type { HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { STOMP_PES } from '../envs/hsoc/hsoc-platform.js';
import {
  importStompWorkload,
  parseHsocWorkloadFile,
  stompTraceDagTypes,
  type NamedText,
} from '../envs/hsoc/hsoc-workload-file.js';
import { HSOC_WORKLOADS, type HsocWorkload } from '../envs/hsoc/hsoc-workloads.js';
import { ConfinedPathError, confinedPath } from './confined-path.js';
import type { HsocTraceRequest } from './dashboard-api.js';

/** Largest workload, trace, GraphML or CSV file read, in bytes. */
export const MAX_HSOC_FILE_BYTES = 4 * 1024 * 1024;
/** Most jobs of a traced file workload (the answer lists every task of every job). */
export const MAX_HSOC_TRACE_JOBS = 500;
/** Most workload jobs of a traced built-in workload. */
const MAX_JOBS = 40;

/** A workload ready to simulate: its name and the env options that select it. */
export interface HsocWorkloadChoice {
  /** Built-in name, or the file's path relative to the folder. */
  name: string;
  /** The file, relative to the folder, for a file workload. */
  file?: string;
  /** The env options of the workload (everything but the load). */
  env: Omit<HsocEnvOptions, 'load'>;
  /** Workload jobs of the episode. */
  jobs: number;
}

/**
 * The workload a request names: `file` (under `root`, a real path) or the built-in `workload`
 * with its `jobs` (default 12 for 5-task, 4 for av-42, as `bench hsoc`).
 */
export async function readHsocWorkload(root: string, request: HsocTraceRequest): Promise<HsocWorkloadChoice> {
  if (request.file !== undefined) {
    if (typeof request.file !== 'string' || request.file === '')
      throw new ArbiterError('bad-request', 'file must name a workload file under the folder');
    return readWorkloadFile(root, request.file);
  }
  const { workload } = request;
  if (!HSOC_WORKLOADS.includes(workload as HsocWorkload))
    throw new ArbiterError(
      'bad-request',
      `unknown workload '${String(workload)}' (${HSOC_WORKLOADS.join(', ')}, or a file under the folder)`,
    );
  const jobs = request.jobs ?? (workload === 'av-42' ? 4 : 12);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS)
    throw new ArbiterError('bad-request', `jobs must be an integer in 1…${MAX_JOBS}, got ${String(jobs)}`);
  return { name: workload!, env: { workload: workload as HsocWorkload, jobs }, jobs };
}

async function readWorkloadFile(root: string, file: string): Promise<HsocWorkloadChoice> {
  const workload = path.extname(file).toLowerCase() === '.trc' ? await importTrace(root, file) : undefined;
  const text = workload ? JSON.stringify(workload) : (await readConfined(root, file, file)).text;
  const w = parseHsocWorkloadFile(text, file);
  if (w.trace.length > MAX_HSOC_TRACE_JOBS)
    throw new ValidationError(
      'trace-length',
      `${w.trace.length} jobs: the dashboard traces at most ${MAX_HSOC_TRACE_JOBS} (arbiter hsoc simulate runs any)`,
      { file, item: 'trace' },
    );
  return { name: w.name, file, env: { trace: w.trace, pes: STOMP_PES }, jobs: w.trace.length };
}

/** A STOMP trace and the DAG files beside it, imported as `arbiter hsoc import` does. */
async function importTrace(root: string, file: string): Promise<ReturnType<typeof importStompWorkload>> {
  const trace = await readConfined(root, file, file);
  const dir = path.posix.dirname(file);
  const dags = new Map<string, { graphml: NamedText; computation: NamedText }>();
  for (const t of stompTraceDagTypes(trace)) {
    const beside = (name: string): string => (dir === '.' ? name : `${dir}/${name}`);
    dags.set(t, {
      graphml: await readConfined(root, beside(`dag${t}.graphml`), file),
      computation: await readConfined(root, beside(`dag_${t}.txt`), file),
    });
  }
  return importStompWorkload({ trace, dags, name: file });
}

/** A file under `root`, size-limited; a missing one is a validation error of the file naming it. */
async function readConfined(root: string, file: string, namedBy: string): Promise<NamedText> {
  let real: string;
  try {
    real = await confinedPath(root, file);
  } catch (e) {
    if (e instanceof ConfinedPathError && e.code === 'path-not-found' && file !== namedBy)
      throw new ValidationError('missing-file', `needs ${file} beside it, which does not exist`, {
        file: namedBy,
      });
    throw e;
  }
  const info = await stat(real);
  if (!info.isFile()) throw new ArbiterError('bad-request', `'${file}' is not a file`);
  const size = info.size;
  if (size > MAX_HSOC_FILE_BYTES)
    throw new ValidationError(
      'file-size',
      `${size} bytes: the dashboard reads at most ${MAX_HSOC_FILE_BYTES}`,
      {
        file,
      },
    );
  return { text: await readFile(real, 'utf8'), file };
}
