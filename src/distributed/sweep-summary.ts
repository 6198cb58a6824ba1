/**
 * A sweep's summary, rewritten as trials finish: `summary.json` (every result and failure, the
 * best trial), `summary.md` (tables) and `summary.svg` (the metric against the swept parameter),
 * each written atomically, one rewrite at a time, so a reader (or a crash) never sees a torn file.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sweepMarkdown, sweepPlotSvg, type SweepReport } from '../report/sweep-report.js';
import type { TrialResult } from './run-trial.js';
import type { SweepTrial } from './sweep-trial.js';

/** A trial that failed, as the summary records it. */
export interface TrialFailure {
  /** Trial id. */
  id: string;
  /** Its swept values. */
  params: Record<string, unknown>;
  /** Its seed. */
  seed: number;
  /** What went wrong. */
  error: string;
}

/** The content of `summary.json`. */
export interface SweepSummaryData {
  /** Name of the sweep. */
  sweep: string;
  /** The metric every trial is ranked by (higher is better). */
  metric: 'finalEvalMeanReturn';
  /** Trials in the sweep. */
  total: number;
  /** Finished trials, in sweep order. */
  trials: TrialResult[];
  /** Failed trials, in sweep order. */
  failed: TrialFailure[];
  /** The finished trial with the highest metric (the first such in sweep order), or null. */
  best: TrialResult | null;
}

/** The best of `results` by the metric (the first in order among equals), or undefined. */
export function bestTrial(results: readonly TrialResult[]): TrialResult | undefined {
  let best: TrialResult | undefined;
  for (const r of results)
    if (best === undefined || r.finalEvalMeanReturn > best.finalEvalMeanReturn) best = r;
  return best;
}

/** The summary files of one sweep folder (see the module doc). */
export class SweepSummary {
  private readonly results = new Map<string, TrialResult>();
  private readonly failures = new Map<string, TrialFailure>();
  private writing: Promise<void> = Promise.resolve();

  /**
   * @param dir the sweep folder
   * @param title the sweep's name in the reports
   * @param trials every trial of the sweep, in order
   */
  constructor(
    readonly dir: string,
    readonly title: string,
    private readonly trials: readonly SweepTrial[],
  ) {}

  /** Records a finished trial (replacing a failure of the same trial). */
  addResult(result: TrialResult): void {
    this.failures.delete(result.id);
    this.results.set(result.id, result);
  }

  /** Records a failed trial. */
  addFailure(failure: TrialFailure): void {
    if (!this.results.has(failure.id)) this.failures.set(failure.id, failure);
  }

  /** The result of trial `id`, when it has one. */
  result(id: string): TrialResult | undefined {
    return this.results.get(id);
  }

  /** The summary as it stands. */
  data(): SweepSummaryData {
    const order = (id: string): number => this.trials.findIndex((t) => t.id === id);
    const trials = [...this.results.values()].sort((a, b) => order(a.id) - order(b.id));
    const failed = [...this.failures.values()].sort((a, b) => order(a.id) - order(b.id));
    return {
      sweep: this.title,
      metric: 'finalEvalMeanReturn',
      total: this.trials.length,
      trials,
      failed,
      best: bestTrial(trials) ?? null,
    };
  }

  /** Rewrites the three files after the writes already queued (resolves when they are on disk). */
  write(): Promise<void> {
    const next = this.writing.then(() => this.writeNow());
    this.writing = next.catch(() => undefined); // one failed write must not block the next ones
    return next;
  }

  private async writeNow(): Promise<void> {
    const data = this.data();
    const report: SweepReport = {
      title: this.title,
      total: data.total,
      trials: data.trials,
      failed: data.failed,
      best: data.best ?? undefined,
    };
    await writeFileAtomic(join(this.dir, 'summary.json'), JSON.stringify(data, null, 2) + '\n');
    await writeFileAtomic(join(this.dir, 'summary.md'), sweepMarkdown(report));
    if (data.trials.length > 0)
      await writeFileAtomic(join(this.dir, 'summary.svg'), await sweepPlotSvg(report));
  }
}
