/** Column alignment for {@link formatTable}. */
export type Align = 'left' | 'right';

/**
 * A plain-text table for terminals: a header row, a rule, and rows padded to the widest cell.
 * Numbers are right-aligned unless `align` says otherwise.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align?: readonly Align[],
): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, k) => Math.max(h.length, ...cells.map((r) => (r[k] ?? '').length)));
  const alignOf = (k: number): Align =>
    align?.[k] ?? (rows.length > 0 && typeof rows[0]![k] === 'number' ? 'right' : 'left');
  const pad = (s: string, k: number): string =>
    alignOf(k) === 'right' ? s.padStart(widths[k]!) : s.padEnd(widths[k]!);
  const line = (r: readonly string[]): string =>
    r
      .map((c, k) => pad(c, k))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Compact number formatting: integers as is, others with up to 3 decimals. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return String(Math.round(x * 1000) / 1000);
}
