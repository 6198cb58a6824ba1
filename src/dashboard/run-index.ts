/**
 * The run folders under the dashboard folder: finding them (sweeps are folders of run folders),
 * summarising each from the files a training run writes (`config.json`, `metrics.jsonl`,
 * `final-eval.json`, `checkpoints/`) and reading one run's details.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunDetail, RunSummary } from './dashboard-api.js';
import { confinedPath } from './confined-path.js';

/** How deep below the dashboard folder run folders are looked for (sweeps of sweeps fit). */
const MAX_DEPTH = 4;
/** Folders inside a run that never hold runs. */
const NOT_RUNS = new Set(['checkpoints', 'tb', 'latest', 'node_modules']);
/** Bytes read from the end of `metrics.jsonl` to find its last step and evaluation. */
const TAIL_BYTES = 64 * 1024;
/** Run ids in natural order: `run-2` before `run-10`. */
const BY_NAME = new Intl.Collator('en', { numeric: true });

/**
 * Every run folder (a folder with a `config.json`) under `root`, up to four levels deep, sorted by
 * id (numbers in natural order); folders inside a run are not searched. Summaries read only the small files and the end of
 * the metrics log, so a folder of hundreds of runs lists quickly.
 */
export async function listRuns(root: string): Promise<RunSummary[]> {
  const folders: string[] = [];
  await findRunFolders(root, '', 0, folders);
  const runs = await Promise.all(folders.map((id) => summarizeRun(root, id)));
  return runs.sort((a, b) => BY_NAME.compare(a.id, b.id));
}

/** The details of run `id` (a path relative to `root`); errors of {@link confinedPath} for a bad id. */
export async function readRunDetail(root: string, id: string): Promise<RunDetail> {
  const dir = await confinedPath(root, id);
  const summary = await summarizeRun(root, path.relative(root, dir).split(path.sep).join('/'));
  const config = (await readJson(path.join(dir, 'config.json'))) ?? {};
  const evaluation = await readJson(path.join(dir, 'final-eval.json'));
  let checkpoints: string[] = [];
  try {
    checkpoints = (await readdir(path.join(dir, 'checkpoints'), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort((a, b) => stepOf(a) - stepOf(b) || (a < b ? -1 : 1));
  } catch {
    // a run without checkpoints yet
  }
  return { ...summary, config, ...(evaluation && { evaluation }), checkpoints };
}

async function findRunFolders(root: string, rel: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return; // unreadable folders are simply not listed
  }
  if (rel !== '' && entries.some((e) => e.isFile() && e.name === 'config.json')) {
    out.push(rel);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  // Symbolic links are not followed: they could lead out of the folder or round in a cycle.
  const subfolders = entries.filter(
    (e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_RUNS.has(e.name),
  );
  await Promise.all(
    subfolders.map((e) => findRunFolders(root, rel === '' ? e.name : `${rel}/${e.name}`, depth + 1, out)),
  );
}

async function summarizeRun(root: string, id: string): Promise<RunSummary> {
  const dir = path.join(root, id);
  const [config, finalEval, tail] = await Promise.all([
    readJson(path.join(dir, 'config.json')),
    readJson(path.join(dir, 'final-eval.json')),
    readTail(path.join(dir, 'metrics.jsonl')),
  ]);
  const c = config ?? {};
  const slash = id.lastIndexOf('/');
  const summary: RunSummary = { id, steps: tail.steps };
  if (slash > 0) summary.group = id.slice(0, slash);
  if (typeof c.algo === 'string') summary.algo = c.algo;
  if (typeof c.env === 'string') summary.env = c.env;
  if (typeof c.seed === 'number') summary.seed = c.seed;
  if (typeof c.steps === 'number') summary.plannedSteps = c.steps;
  if (typeof finalEval?.meanReturn === 'number') summary.finalEval = finalEval.meanReturn;
  if (typeof finalEval?.stdReturn === 'number') summary.finalEvalStd = finalEval.stdReturn;
  if (typeof finalEval?.step === 'number') summary.steps = Math.max(summary.steps, finalEval.step);
  if (tail.lastEval !== undefined) summary.lastEval = tail.lastEval;
  if (tail.updatedMs !== undefined) summary.updatedMs = tail.updatedMs;
  return summary;
}

/** The last step and last evaluation in the final {@link TAIL_BYTES} of a metrics log. */
async function readTail(file: string): Promise<{ steps: number; lastEval?: number; updatedMs?: number }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return { steps: 0 };
  }
  try {
    const { size, mtimeMs } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (length < size) lines.shift(); // the first line is cut
    let steps = 0;
    let lastEval: number | undefined;
    for (const line of lines) {
      const record = parseLine(line);
      if (!record) continue;
      if (typeof record.step === 'number') steps = record.step;
      if (typeof record['eval/mean_return'] === 'number') lastEval = record['eval/mean_return'];
    }
    return { steps, ...(lastEval !== undefined && { lastEval }), updatedMs: mtimeMs };
  } finally {
    await handle.close();
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (line.trim() === '') return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // a line being written
  }
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    // One read, no stat first: listing hundreds of runs is a few small reads per run.
    const text = await readFile(file, 'utf8');
    return text.length > 4 * 1024 * 1024 ? undefined : parseLine(text.replace(/\n/g, ' '));
  } catch {
    return undefined;
  }
}

function stepOf(name: string): number {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}
