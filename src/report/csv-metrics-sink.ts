/**
 * Training metrics as a wide-format CSV file (one row per write, one column per key), the shape
 * pandas and spreadsheets read directly.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../core/atomic-write.js';
import { ArbiterError, ValidationError } from '../core/errors.js';
import type { MetricsSink } from '../core/metrics-sink.js';
import { makeDirsSync } from '../core/make-dirs.js';

/** Options of {@link CsvMetricsSink}. */
export interface CsvMetricsSinkOptions {
  /**
   * Keep an existing file and append to it (resuming a run); its header gives the first columns.
   * Default false: the file is started anew.
   */
  append?: boolean;
  /** When appending: drop the rows whose step is greater than this (the steps a resumed run redoes). */
  truncateAfterStep?: number;
  /** Clock for the `wallTime` column, in seconds since the Unix epoch. Default `Date.now() / 1000`. */
  now?: () => number;
}

/** The two columns every row starts with; metric keys may not use these names. */
const FIXED = ['step', 'wallTime'] as const;

/**
 * Writes metrics to a CSV file in wide format, the shape `pandas.read_csv` and spreadsheets want:
 * one row per {@link MetricsSink.write} call, columns `step,wallTime` (seconds since the Unix
 * epoch) and then one column per metric key in order of first appearance. A cell is empty when a
 * row lacks that key (pandas reads NaN); non-finite values are written `NaN`, `inf`, `-inf`.
 *
 * A CSV header cannot grow in place, so when a new key appears the file is rewritten once with
 * the widened header (atomically: temp file + rename), then appending goes on. New keys appear
 * in the first few logging points of a run, so this stays cheap. Every row is written to the OS
 * as soon as it is logged: a crash loses at most the row being written, and a half-written last
 * line is dropped when the file is reopened with `append`.
 */
export class CsvMetricsSink implements MetricsSink {
  /** Path of the CSV file. */
  readonly path: string;
  private readonly now: () => number;
  private columns: string[];
  private readonly index = new Map<string, number>();
  private fd: number | undefined;

  constructor(path: string, options: CsvMetricsSinkOptions = {}) {
    this.path = path;
    this.now = options.now ?? ((): number => Date.now() / 1000);
    makeDirsSync(dirname(path));
    if (options.append === true && existsSync(path)) {
      const { header, rows, rewrite } = readCsvFile(path, options.truncateAfterStep);
      this.columns = header;
      if (rewrite) writeFileAtomicSync(path, formatCsv(header, rows));
    } else {
      this.columns = [...FIXED];
      writeFileAtomicSync(path, formatCsv(this.columns, []));
    }
    this.columns.forEach((c, i) => this.index.set(c, i));
    this.fd = openSync(path, 'a');
  }

  /** Appends one row (widening the header first if `metrics` has keys not seen before). */
  write(step: number, metrics: Readonly<Record<string, number>>): void {
    if (this.fd === undefined) throw new ArbiterError('metrics/closed', `CSV sink ${this.path} is closed`);
    checkStep(step);
    const fresh: string[] = [];
    for (const key of Object.keys(metrics)) {
      if ((FIXED as readonly string[]).includes(key)) throw reservedKey(key);
      if (!this.index.has(key)) fresh.push(key);
    }
    if (fresh.length > 0) this.widen(fresh);
    const cells = new Array<string>(this.columns.length).fill('');
    cells[0] = String(step);
    cells[1] = formatCsvNumber(this.now());
    for (const [key, value] of Object.entries(metrics)) cells[this.index.get(key)!] = formatCsvNumber(value);
    writeAll(this.fd, cells.join(',') + '\n');
  }

  /** Closes the file; later writes throw. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Rewrites the file with `keys` added as new columns (empty in the rows already written). */
  private widen(keys: string[]): void {
    closeSync(this.fd!);
    this.fd = undefined;
    // Read back from disk rather than keeping rows in memory: a long run's log stays out of RAM.
    const { rows } = readCsvFile(this.path, undefined);
    for (const key of keys) {
      this.index.set(key, this.columns.length);
      this.columns.push(key);
    }
    const width = this.columns.length;
    const padded = rows.map((r) =>
      r.length < width ? [...r, ...new Array<string>(width - r.length).fill('')] : r,
    );
    writeFileAtomicSync(this.path, formatCsv(this.columns, padded));
    this.fd = openSync(this.path, 'a');
  }
}

/** The cell text of a number: shortest round-trip decimal; `NaN`, `inf`, `-inf` for the others. */
export function formatCsvNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

/** Quotes a cell when it holds a comma, a quote or a line break (RFC 4180). */
function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header.map(quoteCell).join(',')];
  for (const r of rows) lines.push(r.join(','));
  return lines.join('\n') + '\n';
}

/**
 * Parses CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks) into rows of
 * cells. A final line without its newline is returned too; the caller decides what to do with it.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else cell += ch;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Reads a metrics CSV written by this sink: its header, its complete rows (a half-written last
 * line is dropped) and whether anything was dropped (so the file needs rewriting).
 */
function readCsvFile(
  path: string,
  truncateAfterStep: number | undefined,
): { header: string[]; rows: string[][]; rewrite: boolean } {
  let text = readFileSync(path, 'utf8');
  let rewrite = false;
  if (text.length > 0 && !text.endsWith('\n')) {
    // A crash in the middle of a row: keep everything up to the last complete line.
    text = text.slice(0, text.lastIndexOf('\n') + 1);
    rewrite = true;
  }
  const [header, ...rows] = parseCsv(text);
  if (header === undefined || header[0] !== FIXED[0] || header[1] !== FIXED[1])
    throw new ValidationError('csv-header', `a metrics CSV starts with the columns ${FIXED.join(',')}`, {
      file: path,
      line: 1,
    });
  if (truncateAfterStep === undefined) return { header, rows, rewrite };
  const kept = rows.filter((r) => !(Number(r[0]) > truncateAfterStep));
  return { header, rows: kept, rewrite: rewrite || kept.length !== rows.length };
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function checkStep(step: number): void {
  if (!Number.isSafeInteger(step) || step < 0)
    throw new ArbiterError(
      'metrics/invalid-step',
      `metrics step must be a non-negative integer, got ${step}`,
    );
}

function reservedKey(key: string): ArbiterError {
  return new ArbiterError(
    'metrics/reserved-key',
    `metric key '${key}' is reserved for a fixed column; rename it`,
  );
}
