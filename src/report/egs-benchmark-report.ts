/**
 * The EGS benchmark's figures rendered: a Markdown table per set, the same for a terminal, and
 * the acceptance curves (fraction of DAGs schedulable on M cores) as SVG.
 */
import { renderLinePlotSvg } from './line-plot-svg.js';
import { formatMarkdownTable } from './markdown-table.js';
import { formatTable } from './table.js';

/** Per set and method: the figures of the report. */
export interface EgsBenchmarkSummary {
  /** Set name. */
  set: string;
  /** Method. */
  method: string;
  /** DAGs run. */
  count: number;
  /** Mean cores. */
  meanCores: number;
  /** Mean of (cores − optimum) / optimum over the DAGs where `optimal` proved optimality. */
  gapToOptimal?: number;
  /** DAGs where `optimal` proved optimality (the gap's denominator count). */
  provedCount?: number;
  /** Fraction of DAGs schedulable on M cores, M = 1…16. */
  acceptance: number[];
  /** Mean wall time per DAG (ms). */
  meanTimeMs: number;
  /** Timetables that failed the checker (must be 0). */
  invalid: number;
}

/** A Markdown table per set (method, DAGs, mean cores, gap to proven optimum, time, invalid). */
export function egsBenchmarkTables(summary: readonly EgsBenchmarkSummary[]): string {
  const parts: string[] = [];
  for (const set of [...new Set(summary.map((s) => s.set))]) {
    const rows = summary
      .filter((s) => s.set === set)
      .map((s) => [
        s.method,
        String(s.count),
        s.meanCores.toFixed(3),
        s.gapToOptimal !== undefined ? `${(s.gapToOptimal * 100).toFixed(1)}% (${s.provedCount})` : '-',
        s.meanTimeMs.toFixed(1),
        String(s.invalid),
      ]);
    parts.push(
      `### ${set}\n\n` +
        formatMarkdownTable(
          ['method', 'DAGs', 'mean cores', 'gap to proven optimum (DAGs)', 'ms per DAG', 'invalid'],
          rows,
        ),
    );
  }
  return parts.join('\n\n') + '\n';
}

/** The same tables for a terminal. */
export function egsBenchmarkText(summary: readonly EgsBenchmarkSummary[]): string {
  const rows = summary.map((s) => [
    s.set,
    s.method,
    s.meanCores.toFixed(3),
    s.gapToOptimal !== undefined ? `${(s.gapToOptimal * 100).toFixed(1)}%` : '-',
    s.meanTimeMs.toFixed(1),
    String(s.invalid),
  ]);
  return formatTable(['set', 'method', 'mean cores', 'gap', 'ms/DAG', 'invalid'], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
  ]);
}

/** SVG of the acceptance curves of one set (fraction schedulable vs cores M). */
export async function egsAcceptanceSvg(
  summary: readonly EgsBenchmarkSummary[],
  set: string,
): Promise<string> {
  const M = Array.from({ length: 16 }, (_, m) => m + 1);
  return renderLinePlotSvg({
    title: `Acceptance: ${set}`,
    xLabel: 'cores M',
    yLabel: 'fraction of DAGs schedulable on M cores',
    series: summary.filter((s) => s.set === set).map((s) => ({ name: s.method, x: M, y: s.acceptance })),
  });
}
