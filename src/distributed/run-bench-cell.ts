/**
 * Runs one benchmark cell into `<cells>/<id>.json`, its outcome. Running a cell is idempotent: a
 * finished cell's outcome is read back, never computed again; an attempt writes its outcome to a
 * private file under `<cells>/.partial/` and publishes it with a hard link to the final name,
 * which fails when another attempt (a duplicate delivery, a retry of a job thought lost)
 * published first — then that outcome is the cell's. So a cell has exactly one outcome, whatever
 * the number of attempts.
 */
import { randomBytes } from 'node:crypto';
import { link, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { errnoOf } from '../core/file-error.js';
import { runEgsCell } from '../experiments/egs-cell.js';
import { runEgsHeldOutCell } from '../experiments/egs-held-out-cell.js';
import { runHsocCell } from '../experiments/hsoc-cell.js';
import { runSoundnessShard } from '../experiments/soundness-shard.js';
import type { BenchCell, CellOutcome } from './bench-cell.js';
import { readResultFile } from './run-trial.js';

/** What {@link runBenchCell} did: the cell's one outcome, and whether it was there already. */
export interface CellRun {
  /** The outcome. */
  outcome: CellOutcome;
  /** True when the cell had been finished before (nothing was computed now). */
  reused: boolean;
}

/** The outcome file of cell `id` under `cellsRoot`. */
export function cellFile(cellsRoot: string, id: string): string {
  return resolve(cellsRoot, `${id}.json`);
}

/** The outcome of cell `id` under `cellsRoot`, or undefined when it has not finished. */
export async function readCellOutcome(cellsRoot: string, id: string): Promise<CellOutcome | undefined> {
  return (await readResultFile(cellFile(cellsRoot, id))) as CellOutcome | undefined;
}

/** Computes a cell here, in this process. */
export async function computeBenchCell(cell: BenchCell): Promise<CellOutcome> {
  const t0 = performance.now();
  const seconds = (): number => (performance.now() - t0) / 1000;
  if (cell.benchmark === 'hsoc') {
    const result = await runHsocCell(cell.input);
    return { id: cell.id, benchmark: 'hsoc', result, wallSeconds: seconds() };
  }
  if (cell.benchmark === 'soundness') {
    const result = await runSoundnessShard(cell.input);
    return { id: cell.id, benchmark: 'soundness', result, wallSeconds: seconds() };
  }
  if (cell.benchmark === 'egs-held-out') {
    const result = await runEgsHeldOutCell(cell.input);
    return { id: cell.id, benchmark: 'egs-held-out', result, wallSeconds: seconds() };
  }
  const result = await runEgsCell(cell.input);
  return { id: cell.id, benchmark: 'egs', result, wallSeconds: seconds() };
}

/** Runs `cell` under `cellsRoot`, or reads its outcome back when finished (see the module doc). */
export async function runBenchCell(cell: BenchCell, cellsRoot: string): Promise<CellRun> {
  const done = await readCellOutcome(cellsRoot, cell.id);
  if (done !== undefined) return { outcome: done, reused: true };
  const outcome = await computeBenchCell(cell);
  const partial = join(
    cellsRoot,
    '.partial',
    `${cell.id}-${process.pid}-${randomBytes(4).toString('hex')}.json`,
  );
  try {
    await writeFileAtomic(partial, JSON.stringify(outcome, null, 1) + '\n');
    try {
      await link(partial, cellFile(cellsRoot, cell.id)); // fails on an existing name: the first attempt wins
      return { outcome, reused: false };
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw e;
      const winner = await readCellOutcome(cellsRoot, cell.id);
      if (winner === undefined) throw e;
      return { outcome: winner, reused: true };
    }
  } finally {
    await rm(partial, { force: true });
  }
}
