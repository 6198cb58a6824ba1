/**
 * A benchmark-cell sweep's summary, rewritten as cells finish: `summary.json` (every cell's
 * outcome and failure, and the benchmark's figures put together from the finished cells) and
 * `summary.md` (the tables of the benchmark's own report: `arbiter bench hsoc`'s per-workload
 * tables, `arbiter bench egs`'s per-set tables (either regime), `npm run bench -- soundness`'s bound and
 * timetable tables), each written atomically, one rewrite at a time.
 * The figures depend only on the finished cells, never on where or in which order they ran.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import {
  EGS_BENCHMARK_METHODS,
  summarizeEgsBenchmark,
  type EgsBenchmarkRow,
} from '../experiments/egs-benchmark.js';
import { egsCellSetNames, type EgsCellResult } from '../experiments/egs-cell.js';
import {
  EGS_HELD_OUT_METHODS,
  type EgsHeldOutDagRow,
  type EgsHeldOutSummaryRow,
} from '../experiments/egs-held-out-benchmark.js';
import { egsHeldOutCellFigures } from '../experiments/egs-held-out-cell.js';
import { hsocCellRows } from '../experiments/hsoc-cell.js';
import { soundnessRows } from '../experiments/soundness-rows.js';
import { egsBenchmarkTables, type EgsBenchmarkSummary } from '../report/egs-benchmark-report.js';
import { egsHeldOutSetTables, egsHeldOutSummaryTable } from '../report/egs-held-out-report.js';
import { hsocWorkloadTables } from '../report/hsoc-benchmark-markdown.js';
import type { HsocBenchmarkRow } from '../report/hsoc-benchmark-result.js';
import { formatMarkdownTable } from '../report/markdown-table.js';
import { soundnessTables, type SoundnessRow } from '../report/soundness-tables.js';
import type { BenchCell, CellBenchmark, CellOutcome } from './bench-cell.js';
import { ResultLedger } from './result-ledger.js';

/** A cell that failed, as the summary records it. */
export interface CellFailure {
  /** Cell id. */
  id: string;
  /** What went wrong. */
  error: string;
}

/** The benchmark's figures from the finished cells. */
export type CellFigures =
  | { benchmark: 'hsoc'; rows: HsocBenchmarkRow[] }
  | { benchmark: 'egs'; summary: EgsBenchmarkSummary[]; rows: EgsBenchmarkRow[] }
  | { benchmark: 'egs-held-out'; summary: EgsHeldOutSummaryRow[]; rows: EgsHeldOutDagRow[] }
  | {
      benchmark: 'soundness';
      /** The rows as `npm run bench -- soundness` writes them (bench/results/soundness.json). */
      rows: SoundnessRow[];
      /** Tasks the finished shards covered. */
      tasks: number;
      /** The first few violations of each row, in words. */
      examples: string[];
    };

/** The content of `summary.json`. */
export interface CellSweepSummaryData {
  /** Name of the sweep. */
  sweep: string;
  /** The benchmark. */
  benchmark: CellBenchmark;
  /** Cells in the sweep. */
  total: number;
  /** Finished cells, in sweep order. */
  cells: CellOutcome[];
  /** Failed cells, in sweep order. */
  failed: CellFailure[];
  /** The benchmark's figures from the finished cells. */
  figures: CellFigures;
}

/**
 * The benchmark's figures from cell outcomes (any order): HSoC rows as `runHsocBenchmark` gives
 * them, EGS rows (in set, method, DAG order) and their summary as `summarizeEgsBenchmark` gives it,
 * soundness rows as one run over the finished shards' tasks gives them.
 */
export function cellFigures(benchmark: CellBenchmark, outcomes: readonly CellOutcome[]): CellFigures {
  if (benchmark === 'soundness') {
    const { rows, tasks, examples } = soundnessRows(
      outcomes.flatMap((o) => (o.benchmark === 'soundness' ? [o.result] : [])),
    );
    return { benchmark, rows, tasks, examples };
  }
  if (benchmark === 'hsoc')
    return {
      benchmark,
      rows: hsocCellRows(outcomes.flatMap((o) => (o.benchmark === 'hsoc' ? [o.result] : []))),
    };
  if (benchmark === 'egs-held-out')
    return {
      benchmark,
      ...egsHeldOutCellFigures(outcomes.flatMap((o) => (o.benchmark === 'egs-held-out' ? [o.result] : []))),
    };
  const sets = egsCellSetNames();
  const rank = (r: EgsCellResult): number =>
    sets.indexOf(r.set) * EGS_BENCHMARK_METHODS.length + EGS_BENCHMARK_METHODS.indexOf(r.method);
  const rows = outcomes
    .flatMap((o) => (o.benchmark === 'egs' ? [o.result] : []))
    .sort((a, b) => rank(a) - rank(b))
    .flatMap((r) => r.rows);
  return { benchmark, summary: summarizeEgsBenchmark(rows), rows };
}

/** The figures as the benchmark's own Markdown tables. */
export function cellFiguresMarkdown(figures: CellFigures): string {
  if (figures.benchmark === 'hsoc') return hsocWorkloadTables(figures.rows);
  if (figures.benchmark === 'egs') return egsBenchmarkTables(figures.summary);
  if (figures.benchmark === 'egs-held-out')
    return (
      `## Mean cores, set × method\n\n${egsHeldOutSummaryTable(figures.summary, EGS_HELD_OUT_METHODS)}\n\n` +
      `## Per set\n\n${egsHeldOutSetTables(figures.summary, figures.rows)}`
    );
  const violations = figures.examples.map((e) => `- ${e}\n`).join('');
  return soundnessTables(figures.rows) + (violations ? `\n## Violations (first few)\n\n${violations}` : '');
}

/** The summary files of one cell sweep folder (see the module doc). */
export class CellSweepSummary extends ResultLedger<CellOutcome, CellFailure> {
  /**
   * @param dir the sweep folder
   * @param title the sweep's name in the reports
   * @param benchmark the benchmark of its cells
   * @param cells every cell of the sweep, in order
   */
  constructor(
    readonly dir: string,
    readonly title: string,
    readonly benchmark: CellBenchmark,
    private readonly cells: readonly BenchCell[],
  ) {
    super();
  }

  /** The summary as it stands. */
  data(): CellSweepSummaryData {
    const inOrder = <T extends { id: string }>(m: Map<string, T>): T[] =>
      this.cells.flatMap((c) => (m.has(c.id) ? [m.get(c.id)!] : []));
    const cells = inOrder(this.results);
    return {
      sweep: this.title,
      benchmark: this.benchmark,
      total: this.cells.length,
      cells,
      failed: inOrder(this.failures),
      figures: cellFigures(this.benchmark, cells),
    };
  }

  protected async writeNow(): Promise<void> {
    const data = this.data();
    await writeFileAtomic(join(this.dir, 'summary.json'), JSON.stringify(data, null, 1) + '\n');
    await writeFileAtomic(join(this.dir, 'summary.md'), this.markdown(data));
  }

  private markdown(data: CellSweepSummaryData): string {
    const parts = [
      `# Sweep ${data.sweep}: ${data.benchmark} benchmark cells\n`,
      `${data.cells.length} of ${data.total} cells finished, ${data.failed.length} failed.\n`,
      cellFiguresMarkdown(data.figures),
      '## Cells\n',
      formatMarkdownTable(
        ['cell', 'input', 'wall s'],
        data.cells.map((o) => [
          `\`${o.id}\``,
          describeCell(this.cells.find((c) => c.id === o.id)!),
          o.wallSeconds.toFixed(1),
        ]),
      ),
    ];
    if (data.failed.length > 0)
      parts.push(
        '\n## Failures\n',
        formatMarkdownTable(
          ['cell', 'input', 'error'],
          data.failed.map((f) => [
            `\`${f.id}\``,
            describeCell(this.cells.find((c) => c.id === f.id)!),
            f.error,
          ]),
        ),
      );
    return parts.join('\n') + '\n';
  }
}

/** A cell in a few words: `5-task light uniform seeds 1000–1019`, `gen-10-20 listsched`, `soundness tasks 0–99`. */
export function describeCell(cell: BenchCell): string {
  if (cell.benchmark === 'soundness')
    return `soundness tasks ${cell.input.from}–${cell.input.to - 1} ${cell.input.methods.join(', ')}`;
  if (cell.benchmark === 'egs') return `${cell.input.set} ${cell.input.method}`;
  if (cell.benchmark === 'egs-held-out')
    return `${cell.input.set} DAGs ${cell.input.from}–${cell.input.to - 1} ${cell.input.method}`;
  const i = cell.input;
  return `${i.workload} ${i.load} ${i.policy} seeds ${i.seedBase}–${i.seedBase + i.seeds - 1}`;
}
