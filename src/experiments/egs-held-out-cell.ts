/**
 * One cell of the issue-16 EGS benchmark: one method on a slice of the DAGs of one set of a set
 * file, as plain data in and out, so that the benchmark can be spread over a sweep's workers. The
 * cell names the set file and the SHA-256 of its text (a worker refuses a file that differs, so
 * every machine runs the same DAGs at the same deadlines); its rows are those
 * `runEgsHeldOutBenchmark` gives for the same DAGs and method under the same choice, and
 * {@link egsHeldOutCellFigures} of every cell's result is the benchmark's rows and summary.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ArbiterError } from '../core/errors.js';
import {
  EGS_HELD_OUT_METHODS,
  runEgsHeldOutBenchmark,
  summarizeEgsHeldOut,
  type EgsHeldOutDagRow,
  type EgsHeldOutMethod,
  type EgsHeldOutSummaryRow,
} from './egs-held-out-benchmark.js';
import { egsHeldOutRunOptions } from './egs-held-out-run.js';
import { parseEgsSetFile, type EgsSetFile } from './egs-set-file.js';

/** Everything a cell depends on (its id is a hash of this). */
export interface EgsHeldOutCellInput {
  /** The set file, as a path the workers can read. */
  setFile: string;
  /** SHA-256 (hex) of the set file's text. */
  sha256: string;
  /** The set's name and its index in the file (for the order of the figures). */
  set: string;
  setIndex: number;
  /** The DAGs `from`…`to − 1` of the set (item indices). */
  from: number;
  to: number;
  /** The method. */
  method: EgsHeldOutMethod;
  /** `optimal` solver limit and every other method's budget per DAG, in seconds. */
  optimalTimeLimitS: number;
  budgetS: number;
  /** One policy for every learned method (`small`, `large`, a file); default: small, large. */
  model?: string | undefined;
}

/** What a cell gives: its set, where its DAGs start, and its rows (DAG order). */
export interface EgsHeldOutCellResult {
  set: { name: string; nodes: number; m: number };
  setIndex: number;
  from: number;
  method: EgsHeldOutMethod;
  rows: EgsHeldOutDagRow[];
}

/** SHA-256 (hex) of a set file's text. */
export function egsSetFileHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const files = new Map<string, EgsSetFile>();

// Read and checked once per process and content: a worker runs many cells of one file.
async function setFileOf(input: EgsHeldOutCellInput): Promise<EgsSetFile> {
  const key = `${input.setFile}\u0000${input.sha256}`;
  let file = files.get(key);
  if (file === undefined) {
    const text = await readFile(input.setFile, 'utf8');
    const hash = egsSetFileHash(text);
    if (hash !== input.sha256)
      throw new ArbiterError(
        'egs-sets-changed',
        `${input.setFile}: the set file differs from the one the sweep was made from (SHA-256 ${hash.slice(0, 12)}…, expected ${input.sha256.slice(0, 12)}…)`,
      );
    file = parseEgsSetFile(text, input.setFile);
    files.set(key, file);
  }
  return file;
}

/** Runs one cell (deterministic but for the times and the budget-limited methods). */
export async function runEgsHeldOutCell(input: EgsHeldOutCellInput): Promise<EgsHeldOutCellResult> {
  const file = await setFileOf(input);
  const set = file.sets[input.setIndex];
  if (set?.name !== input.set)
    throw new ArbiterError(
      'egs-sets-changed',
      `${input.setFile}: set ${input.setIndex} is not '${input.set}'`,
    );
  const slice = { ...set, items: set.items.slice(input.from, input.to) };
  const options = egsHeldOutRunOptions({
    optimalTimeLimitS: input.optimalTimeLimitS,
    budgetS: input.budgetS,
    methods: [input.method],
    ...(input.model !== undefined && { model: input.model }),
  });
  const rows = await runEgsHeldOutBenchmark({ dags: file.dags, sets: [slice] }, options);
  return {
    set: { name: set.name, nodes: set.nodes, m: set.m },
    setIndex: input.setIndex,
    from: input.from,
    method: input.method,
    rows,
  };
}

/**
 * The benchmark's rows and summary from cell results in any order: rows in set, DAG, method
 * order (the order of one `runEgsHeldOutBenchmark` run), summarised by `summarizeEgsHeldOut`.
 */
export function egsHeldOutCellFigures(results: readonly EgsHeldOutCellResult[]): {
  rows: EgsHeldOutDagRow[];
  summary: EgsHeldOutSummaryRow[];
} {
  const keyed = results.flatMap((r) =>
    r.rows.map((row, k) => ({
      row,
      key: [r.setIndex, r.from + k, EGS_HELD_OUT_METHODS.indexOf(r.method)] as const,
    })),
  );
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
  const sets = new Map<number, EgsHeldOutCellResult['set']>();
  for (const r of results) sets.set(r.setIndex, r.set);
  const inOrder = [...sets.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => ({ ...s, items: [] }));
  const rows = keyed.map((k) => k.row);
  return { rows, summary: summarizeEgsHeldOut(rows, inOrder) };
}
