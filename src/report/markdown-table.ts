/**
 * Markdown tables for benchmark reports.
 */
import { formatNumber } from './table.js';

/** A GitHub-flavoured Markdown table (benchmarks and reports). */
export function formatMarkdownTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cell = (c: string | number): string =>
    typeof c === 'number' ? formatNumber(c) : c.replace(/\|/g, '\\|');
  const right = headers.map((_, k) => rows.length > 0 && typeof rows[0]![k] === 'number');
  return [
    `| ${headers.join(' | ')} |`,
    `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}
