/**
 * The benchmarks view's data: the result files of `npm run bench` (`bench/results/` of a checkout)
 * as tables (every array of records in a JSON file) and its SVG plots, confined to that folder.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArbiterError } from '../core/errors.js';
import { confinedPath } from './confined-path.js';
import type { BenchList, BenchTables } from './dashboard-api.js';

/** Rows sent per table (the rest is cut; the page says how many there were). */
const MAX_ROWS = 2000;

/** The results folder of the checkout this module belongs to (absent from the npm package). */
export function benchResultsDir(): string {
  return fileURLToPath(new URL('../../bench/results/', import.meta.url));
}

/** The JSON result files and SVG plots in `dir` and its subfolders (one level), sorted. */
export async function listBenchResults(dir: string): Promise<BenchList> {
  if (!existsSync(dir)) return { tables: [], plots: [] };
  const files: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isFile()) files.push(e.name);
    else if (e.isDirectory() && !e.name.startsWith('.'))
      for (const f of await readdir(path.join(dir, e.name), { withFileTypes: true }))
        if (f.isFile()) files.push(`${e.name}/${f.name}`);
  }
  files.sort();
  return { tables: files.filter((f) => f.endsWith('.json')), plots: files.filter((f) => f.endsWith('.svg')) };
}

/** A result file as tables (see {@link BenchTables}); `bad-request` for a file that is not JSON. */
export async function readBenchTables(dir: string, file: string): Promise<BenchTables> {
  if (!file.endsWith('.json')) throw new ArbiterError('bad-request', 'benchmark tables are .json files');
  const text = await readFile(await confinedPath(dir, file), 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ArbiterError('bad-request', `${file} is not valid JSON`);
  }
  const meta: BenchTables['meta'] = {};
  const tables: BenchTables['tables'] = [];
  const collect = (key: string, value: unknown, depth: number): void => {
    if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      const columns = [...new Set(value.flatMap((r) => Object.keys(r)))];
      tables.push({ key, columns, rows: value.slice(0, MAX_ROWS) });
    } else if (isRecord(value) && depth < 2)
      for (const [k, v] of Object.entries(value)) collect(key === '' ? k : `${key}.${k}`, v, depth + 1);
    else if (depth === 1 && ['string', 'number', 'boolean'].includes(typeof value))
      meta[key] = value as string | number | boolean;
  };
  collect('', doc, 0);
  return { file, meta, tables };
}

/** The text of an SVG plot under `dir` (confined). */
export async function readBenchPlot(dir: string, file: string): Promise<string> {
  if (!file.endsWith('.svg')) throw new ArbiterError('bad-request', 'benchmark plots are .svg files');
  return readFile(await confinedPath(dir, file), 'utf8');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
