/**
 * The DAG task files under the dashboard folder, for the schedules view's file list: STG and DOT
 * files by extension, JSON files whose start looks like a DAG task (run folders' own JSON files
 * are not searched).
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DagFileEntry } from './dashboard-api.js';

/** How deep below the dashboard folder DAG files are looked for. */
const MAX_DEPTH = 5;
/** Most files listed (a folder of thousands is cut, in path order). */
const MAX_FILES = 1000;
const SKIPPED = new Set(['checkpoints', 'tb', 'latest', 'node_modules']);

/** The DAG task files under `root` (`.stg`, `.dot`, `.gv`, and `.json` holding `"nodes"`), sorted by path. */
export async function listDagFiles(root: string): Promise<DagFileEntry[]> {
  const out: DagFileEntry[] = [];
  await walk(root, '', 0, out);
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out.slice(0, MAX_FILES);
}

async function walk(root: string, rel: string, depth: number, out: DagFileEntry[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  // A run folder's JSON files (config, evaluation, checkpoints) are never DAG tasks.
  if (rel !== '' && entries.some((e) => e.isFile() && e.name === 'config.json')) return;
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH && !SKIPPED.has(e.name)) await walk(root, child, depth + 1, out);
    } else if (e.isFile()) {
      const ext = path.extname(e.name).toLowerCase();
      const file = path.join(root, child);
      if (
        ext === '.stg' ||
        ext === '.dot' ||
        ext === '.gv' ||
        (ext === '.json' && (await looksLikeDag(file)))
      )
        out.push({ path: child, bytes: await sizeOf(file) });
    }
  }
}

/** Whether the first 4 KiB of a JSON file mention `"nodes"` (the DAG task format's node list). */
async function looksLikeDag(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').includes('"nodes"');
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}
