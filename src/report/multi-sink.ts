/**
 * A metrics sink that fans out to several sinks, so a run can log to CSV, JSONL and TensorBoard at
 * once without any sink's failure silencing the others.
 */
import type { MetricsSink } from '../core/metrics-sink.js';

/**
 * A {@link MetricsSink} that forwards every write to several sinks (e.g. CSV, JSONL and
 * TensorBoard at once). A sink that throws does not keep the others from receiving the metrics;
 * the first error is rethrown after all have been tried.
 */
export class MultiSink implements MetricsSink {
  /** The sinks written to, in order. */
  readonly sinks: readonly MetricsSink[];

  constructor(sinks: readonly MetricsSink[]) {
    this.sinks = [...sinks];
  }

  /** Writes the metrics to every sink. */
  write(step: number, metrics: Readonly<Record<string, number>>): void {
    let failure: { error: unknown } | undefined;
    for (const sink of this.sinks) {
      try {
        sink.write(step, metrics);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Closes every sink that can be closed (all of them, even if one fails; then rethrows the first error). */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map(async (s) => s.close?.()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
