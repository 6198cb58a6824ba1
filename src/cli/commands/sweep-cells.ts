/**
 * `arbiter sweep CELLS.json` for a benchmark-cell sweep file (one with a `benchmark` key): runs
 * the cells on local processes or `arbiter worker`s and prints the benchmark's tables.
 */
import { ArbiterError } from '../../core/errors.js';
import { writeJson } from '../output.js';
import { startProgress } from '../progress.js';

/** The options `arbiter sweep` passes on. */
export interface CellSweepCommandOptions {
  workers?: number;
  queue?: string;
  out?: string;
  resume?: boolean;
  json?: boolean;
  connectTimeout: number;
}

/** The options of either sweep runner from the command's (trials and cells alike). */
export function sweepRunOptions(
  file: string,
  opts: CellSweepCommandOptions,
): {
  file: string;
  workers?: number;
  queue?: string;
  out?: string;
  resume?: boolean;
  connectTimeoutMs: number;
} {
  return {
    file,
    ...(opts.workers !== undefined && { workers: opts.workers }),
    ...(opts.queue !== undefined && { queue: opts.queue }),
    ...(opts.out !== undefined && { out: opts.out }),
    ...(opts.resume === true && { resume: true }),
    connectTimeoutMs: opts.connectTimeout * 1000,
  };
}

/** Runs the cell sweep `file` and prints its tables (or, with `json`, its summary document). */
export async function runCellSweepCommand(file: string, opts: CellSweepCommandOptions): Promise<void> {
  const [{ runCellSweep }, { cellFiguresMarkdown, describeCell }] = await Promise.all([
    import('../../distributed/run-cell-sweep.js'),
    import('../../distributed/cell-summary.js'),
  ]);
  let progress: ReturnType<typeof startProgress> | undefined;
  const result = await runCellSweep({
    ...sweepRunOptions(file, opts),
    onCell: (e) => {
      progress ??= startProgress(e.total, 'sweep', !opts.json);
      progress.update(e.settled, e.outcome ? describeCell(e.cell) : '');
      if (e.failure) process.stderr.write(`cell ${e.cell.id} failed: ${e.failure.error}\n`);
    },
  });
  progress?.stop();
  if (opts.json) writeJson(result);
  else
    process.stdout.write(
      cellFiguresMarkdown(result.figures) +
        `\n${result.cells.length}/${result.total} cells finished in ${result.wallSeconds.toFixed(1)} s\n` +
        `summary: ${result.out}/summary.{json,md}\n`,
    );
  if (result.failed.length > 0)
    throw new ArbiterError(
      'sweep-failed-cells',
      `${result.failed.length} of ${result.total} cells failed (see ${result.out}/summary.md)`,
    );
}
