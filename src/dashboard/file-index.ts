/**
 * The input files under the dashboard folder that its views open: DAG task files for the
 * schedules view (STG and DOT by extension, JSON whose start names `"nodes"`), knowledge bases
 * for the logic view (JSON whose start names `"logic"`) and HSoC workloads for the HSoC view
 * (workload files, JSON whose start names their format, and STOMP arrival traces, `.trc`). Run
 * folders' own files are not searched.
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { HSOC_WORKLOAD_FORMAT } from '../envs/hsoc/hsoc-workload-file.js';
import type { DagFileEntry } from './dashboard-api.js';

/** How deep below the dashboard folder files are looked for. */
const MAX_DEPTH = 5;
/** Most files listed (a folder of thousands is cut, in path order). */
const MAX_FILES = 1000;
/** Bytes of a JSON file read to tell what it holds. */
const HEAD_BYTES = 4096;
const SKIPPED = new Set(['checkpoints', 'tb', 'latest', 'node_modules']);

/** Which files a listing keeps: by lower-case extension, and for JSON by its first bytes. */
interface FileKind {
  extensions: readonly string[];
  /** Text that the first {@link HEAD_BYTES} of a `.json` file must contain. */
  jsonMarker?: string;
  /** Text that they must not contain (a file of another kind that also has the marker). */
  jsonExcluded?: string;
}

/** How an HSoC workload file starts (its `format` tag). */
const WORKLOAD_MARKER = `"${HSOC_WORKLOAD_FORMAT}"`;
const DAG_FILES: FileKind = {
  extensions: ['.stg', '.dot', '.gv', '.json'],
  jsonMarker: '"nodes"',
  jsonExcluded: WORKLOAD_MARKER,
};
const KNOWLEDGE_BASES: FileKind = { extensions: ['.json'], jsonMarker: '"logic"' };
const HSOC_WORKLOADS: FileKind = { extensions: ['.json', '.trc'], jsonMarker: WORKLOAD_MARKER };

/** The DAG task files under `root` (`.stg`, `.dot`, `.gv`, and `.json` holding `"nodes"`), sorted by path. */
export async function listDagFiles(root: string): Promise<DagFileEntry[]> {
  return listFiles(root, DAG_FILES);
}

/** The knowledge base files under `root` (`.json` holding `"logic"`), sorted by path. */
export async function listKnowledgeBaseFiles(root: string): Promise<DagFileEntry[]> {
  return listFiles(root, KNOWLEDGE_BASES);
}

/**
 * The HSoC workloads under `root`: workload files (`.json` holding their format tag, as
 * `arbiter hsoc import` writes them) and STOMP arrival traces (`.trc`), sorted by path.
 */
export async function listHsocWorkloadFiles(root: string): Promise<DagFileEntry[]> {
  return listFiles(root, HSOC_WORKLOADS);
}

async function listFiles(root: string, kind: FileKind): Promise<DagFileEntry[]> {
  const out: DagFileEntry[] = [];
  await walk(root, '', 0, kind, out);
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out.slice(0, MAX_FILES);
}

async function walk(
  root: string,
  rel: string,
  depth: number,
  kind: FileKind,
  out: DagFileEntry[],
): Promise<void> {
  if (out.length >= MAX_FILES) return;
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  // A run folder's JSON files (config, evaluation, checkpoints) are never inputs.
  if (rel !== '' && entries.some((e) => e.isFile() && e.name === 'config.json')) return;
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH && !SKIPPED.has(e.name)) await walk(root, child, depth + 1, kind, out);
    } else if (e.isFile()) {
      const ext = path.extname(e.name).toLowerCase();
      if (!kind.extensions.includes(ext)) continue;
      const head = await readHead(path.join(root, child));
      if (head === undefined) continue;
      if (ext === '.json' && kind.jsonMarker !== undefined && !head.text.includes(kind.jsonMarker)) continue;
      if (ext === '.json' && kind.jsonExcluded !== undefined && head.text.includes(kind.jsonExcluded))
        continue;
      out.push({ path: child, bytes: head.size });
    }
  }
}

/** The first {@link HEAD_BYTES} of a file and its size; undefined when it cannot be read. */
async function readHead(file: string): Promise<{ text: string; size: number } | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), size: (await handle.stat()).size };
  } finally {
    await handle.close();
  }
}
