/**
 * Reading a growing `metrics.jsonl` incrementally: the complete lines after a byte offset, and a
 * poller that hands each new batch to a listener (what the live curves are fed from).
 */
import { open } from 'node:fs/promises';
import type { MetricsBatch, MetricsLine } from './dashboard-api.js';

/**
 * The complete lines of a metrics log after byte `offset`, and the offset after the last of them
 * (a half-written last line is left for the next read). A file shorter than `offset` was rewritten
 * (a resumed run drops the steps it redoes): then every line is read and `reset` is set. A
 * missing file reads as no lines. Lines that are not JSON objects with a numeric `step` are skipped.
 */
export async function readMetricsFrom(file: string, offset: number): Promise<MetricsBatch> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return { lines: [], offset: 0, ...(offset > 0 && { reset: true }) };
  }
  try {
    const { size } = await handle.stat();
    const reset = size < offset;
    const from = reset ? 0 : offset;
    if (size === from) return { lines: [], offset: from, ...(reset && { reset }) };
    const buffer = Buffer.alloc(size - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    const end = buffer.lastIndexOf(0x0a, bytesRead - 1);
    if (end < 0) return { lines: [], offset: from, ...(reset && { reset }) };
    const lines: MetricsLine[] = [];
    for (const text of buffer.subarray(0, end).toString('utf8').split('\n')) {
      const line = parseMetricsLine(text);
      if (line) lines.push(line);
    }
    return { lines, offset: from + end + 1, ...(reset && { reset }) };
  } finally {
    await handle.close();
  }
}

/** Options of {@link watchMetrics}. */
export interface WatchMetricsOptions {
  /** Byte offset to start after (default 0: the whole file first). */
  offset?: number;
  /** Polling interval in milliseconds (default 200: a new line shows within a fraction of a second). */
  intervalMs?: number;
}

/**
 * Polls a metrics log and calls `listener` with every non-empty batch of new lines (and with each
 * reset). Polling rather than `fs.watch`: it works the same on every file system, network ones
 * included, and costs one `stat` per interval. Returns a function that stops watching.
 */
export function watchMetrics(
  file: string,
  listener: (batch: MetricsBatch) => void,
  options: WatchMetricsOptions = {},
): () => void {
  let offset = options.offset ?? 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async (): Promise<void> => {
    try {
      const batch = await readMetricsFrom(file, offset);
      offset = batch.offset;
      if (!stopped && (batch.lines.length > 0 || batch.reset)) listener(batch);
    } catch {
      // a transient read error: try again at the next tick
    }
    if (!stopped) timer = setTimeout(() => void poll(), options.intervalMs ?? 200);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

function parseMetricsLine(text: string): MetricsLine | undefined {
  if (text.trim() === '') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    return typeof (v as { step?: unknown }).step === 'number' ? (v as MetricsLine) : undefined;
  } catch {
    return undefined;
  }
}
