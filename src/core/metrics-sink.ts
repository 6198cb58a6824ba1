/**
 * Where training metrics go. Algorithms only know this interface; `report/` provides sinks that
 * write CSV, JSONL and TensorBoard event files.
 */

/** Receives scalar metrics keyed by name (e.g. `"rollout/ep_rew_mean"`), at an env-step count. */
export interface MetricsSink {
  /** Records the metrics of one logging point. */
  write(step: number, metrics: Readonly<Record<string, number>>): void;
  /** Flushes and closes files. */
  close?(): Promise<void>;
}
