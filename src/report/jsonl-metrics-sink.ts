/**
 * Training metrics as JSON Lines (one record per write), flushed line by line so a crash loses at
 * most one record, and the reader of such files.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../core/atomic-write.js';
import { ArbiterError, ValidationError } from '../core/errors.js';
import type { MetricsSink } from '../core/metrics-sink.js';
import { makeDirsSync } from '../core/make-dirs.js';

/** Options of {@link JsonlMetricsSink}. */
export interface JsonlMetricsSinkOptions {
  /** Keep an existing file and append to it (resuming a run). Default false: start anew. */
  append?: boolean;
  /** When appending: drop the records whose step is greater than this (the steps a resumed run redoes). */
  truncateAfterStep?: number;
  /** Clock for `wallTime`, in seconds since the Unix epoch. Default `Date.now() / 1000`. */
  now?: () => number;
}

/** One line of `metrics.jsonl` as read back by {@link readMetricsJsonl}. */
export interface MetricsRecord {
  /** Env-step count the metrics were logged at. */
  step: number;
  /** Seconds since the Unix epoch when they were logged. */
  wallTime: number;
  /** Metric values by key; a value logged as non-finite (stored as `null`) reads back as NaN. */
  metrics: Record<string, number>;
}

/**
 * Writes metrics as JSON Lines: one `{"step":…,"wallTime":…,…metrics}` object per
 * {@link MetricsSink.write} call (`wallTime` in seconds since the Unix epoch). JSON has no NaN or
 * infinity, so non-finite values are written `null`. Each line goes to the OS as soon as it is
 * logged, so a crash loses at most the line being written; a half-written last line is dropped
 * when the file is reopened with `append` (and skipped by {@link readMetricsJsonl}).
 */
export class JsonlMetricsSink implements MetricsSink {
  /** Path of the JSONL file. */
  readonly path: string;
  private readonly now: () => number;
  private fd: number | undefined;

  constructor(path: string, options: JsonlMetricsSinkOptions = {}) {
    this.path = path;
    this.now = options.now ?? ((): number => Date.now() / 1000);
    makeDirsSync(dirname(path));
    if (options.append === true && existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const limit = options.truncateAfterStep;
      const kept = completeLines(text).filter(
        (l, i) => l.trim() !== '' && (limit === undefined || !(parseLine(l, path, i + 1).step > limit)),
      );
      const rewritten = kept.map((l) => l + '\n').join('');
      if (rewritten !== text) writeFileAtomicSync(path, rewritten);
    } else writeFileAtomicSync(path, '');
    this.fd = openSync(path, 'a');
  }

  /** Appends one line. */
  write(step: number, metrics: Readonly<Record<string, number>>): void {
    if (this.fd === undefined) throw new ArbiterError('metrics/closed', `JSONL sink ${this.path} is closed`);
    if (!Number.isSafeInteger(step) || step < 0)
      throw new ArbiterError(
        'metrics/invalid-step',
        `metrics step must be a non-negative integer, got ${step}`,
      );
    if ('step' in metrics || 'wallTime' in metrics)
      throw new ArbiterError(
        'metrics/reserved-key',
        `metric keys 'step' and 'wallTime' are reserved; rename them`,
      );
    // JSON.stringify already writes NaN and ±Infinity as null.
    const line = JSON.stringify({ step, wallTime: this.now(), ...metrics }) + '\n';
    const bytes = Buffer.from(line, 'utf8');
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }

  /** Closes the file; later writes throw. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Reads a `metrics.jsonl` file. Blank lines and a half-written last line (a crash while logging)
 * are skipped; any other line that is not a record with a numeric `step` is a
 * {@link ValidationError} naming the file and line.
 */
export function readMetricsJsonl(path: string): MetricsRecord[] {
  const text = readFileSync(path, 'utf8');
  const complete = completeLines(text);
  const records: MetricsRecord[] = [];
  complete.forEach((line, i) => {
    if (line.trim() !== '') records.push(parseLine(line, path, i + 1));
  });
  // The unterminated tail is kept only if it happens to be a whole record.
  const tail = text.slice(text.lastIndexOf('\n') + 1);
  if (tail.trim() !== '') {
    try {
      records.push(parseLine(tail, path, complete.length + 1));
    } catch {
      // a crash cut it short; losing it is the documented behaviour
    }
  }
  return records;
}

/** The newline-terminated lines of `text`, without their newlines. */
function completeLines(text: string): string[] {
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

function parseLine(line: string, file: string, lineNo: number): MetricsRecord {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    throw new ValidationError('jsonl-syntax', (e as Error).message, { file, line: lineNo });
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new ValidationError('jsonl-record', 'each line must be a JSON object', { file, line: lineNo });
  const { step, wallTime, ...rest } = obj as Record<string, unknown>;
  if (typeof step !== 'number')
    throw new ValidationError('jsonl-record', "each record needs a numeric 'step'", { file, line: lineNo });
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (typeof value === 'number') metrics[key] = value;
    else if (value === null) metrics[key] = NaN;
  }
  return { step, wallTime: typeof wallTime === 'number' ? wallTime : NaN, metrics };
}
