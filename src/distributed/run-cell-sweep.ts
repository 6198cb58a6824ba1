/**
 * The coordinator of a benchmark-cell sweep (`arbiter sweep CELLS.json`): expands the file into
 * cells, hands each unfinished one to a dispatcher — local trial processes by default, a queue's
 * workers with `queue` — and rewrites the summary as outcomes come in. The sweep folder holds
 * `sweep.json` (the file as read), `cells/<id>.json` (each cell's outcome) and the summary files.
 * With `resume` a coordinator that died is replaced: cells whose outcomes exist (a file, or an
 * entry of the summary for cells run on other machines) are not run again.
 */
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { BenchCell, CellOutcome } from './bench-cell.js';
import { expandCellSweep, readCellSweepSpec } from './cell-sweep-spec.js';
import { CellSweepSummary, type CellFailure, type CellSweepSummaryData } from './cell-summary.js';
import { settleEach } from './result-ledger.js';
import { defaultDispatcher, openSweepFolder } from './sweep-folder.js';
import { readCellOutcome, type CellRun } from './run-bench-cell.js';

/** Runs benchmark cells somewhere: local processes, a queue's workers, or this process. */
export interface CellDispatcher {
  /** Runs (or finds the outcome of) `cell`, its outcome file under `cellsRoot`. */
  runCell(cell: BenchCell, cellsRoot: string): Promise<CellRun>;
  /** Releases processes or connections. */
  close(): Promise<void>;
}

/** What happened to one cell, for progress output. */
export interface CellSweepEvent {
  /** The cell. */
  cell: BenchCell;
  /** Its outcome, when it finished. */
  outcome?: CellOutcome;
  /** Its failure, when it failed. */
  failure?: CellFailure;
  /** True when the outcome was there already (a resumed sweep, a duplicate job). */
  reused: boolean;
  /** Cells settled so far (finished or failed), this one included. */
  settled: number;
  /** Cells in the sweep. */
  total: number;
}

/** Options of {@link runCellSweep}. */
export interface RunCellSweepOptions {
  /** The sweep file. */
  file: string;
  /** Local processes (default the number of cores); ignored with `queue` or `dispatcher`. */
  workers?: number;
  /** The sweep folder (default `sweeps/<file name without .json>`). */
  out?: string;
  /** Continue the sweep in `out` (required when `out` holds one already). */
  resume?: boolean;
  /** Where cells run (default a {@link TrialPool} of `workers` processes, closed at the end). */
  dispatcher?: CellDispatcher;
  /** Send the cells to `arbiter worker`s through the BullMQ queue at this Redis URL (unless `dispatcher`). */
  queue?: string;
  /** With `queue`: how long to try to reach Redis at the start, in ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Called as each cell settles. */
  onCell?: (event: CellSweepEvent) => void;
}

/** What {@link runCellSweep} returns. */
export interface RunCellSweepResult extends CellSweepSummaryData {
  /** The sweep folder. */
  out: string;
  /** Wall time of this call, in seconds. */
  wallSeconds: number;
}

/** Runs a benchmark-cell sweep (see the module doc). */
export async function runCellSweep(options: RunCellSweepOptions): Promise<RunCellSweepResult> {
  const t0 = performance.now();
  const spec = await readCellSweepSpec(options.file);
  const cells = await expandCellSweep(spec, options.file);
  const { title, out, specFile } = await openSweepFolder(options);
  const cellsRoot = join(out, 'cells');
  const summary = new CellSweepSummary(out, title, spec.benchmark, cells);
  if (options.resume === true)
    await summary.loadEarlier(
      join(out, 'summary.json'),
      'cells',
      cells.map((c) => c.id),
      (id) => readCellOutcome(cellsRoot, id),
    );
  await writeFileAtomic(specFile, JSON.stringify(spec, null, 2) + '\n');
  await summary.write();

  const dispatcher: CellDispatcher = options.dispatcher ?? defaultDispatcher(options);

  let settled = 0;
  const report = (event: Omit<CellSweepEvent, 'settled' | 'total'>): void =>
    options.onCell?.({ ...event, settled: ++settled, total: cells.length });
  try {
    await settleEach(cells, summary, {
      run: async (cell) => {
        const { outcome, reused } = await dispatcher.runCell(cell, cellsRoot);
        return { value: outcome, reused };
      },
      failure: (cell, error) => ({ id: cell.id, error }),
      report: (cell, e) =>
        report({
          cell,
          ...(e.result && { outcome: e.result }),
          ...(e.failure && { failure: e.failure as CellFailure }),
          reused: e.reused,
        }),
    });
  } finally {
    if (options.dispatcher === undefined) await dispatcher.close();
    await rmdir(join(cellsRoot, '.partial')).catch(() => undefined); // only when empty
  }
  return { out, ...summary.data(), wallSeconds: (performance.now() - t0) / 1000 };
}
