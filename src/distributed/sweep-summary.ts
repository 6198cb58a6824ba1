/**
 * A sweep's summary, rewritten as trials finish: `summary.json` (every result and failure, the
 * best trial), `summary.md` (tables) and `summary.svg` (the metric against the swept parameter),
 * each written atomically, one rewrite at a time (see `ResultLedger`), so a reader (or a crash) never sees a torn file.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sweepMarkdown, sweepPlotSvg, type SweepReport } from '../report/sweep-report.js';
import type { TrialResult } from './run-trial.js';
import { ResultLedger } from './result-ledger.js';
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
export class SweepSummary extends ResultLedger<TrialResult, TrialFailure> {
  /**
   * @param dir the sweep folder
   * @param title the sweep's name in the reports
   * @param trials every trial of the sweep, in order
   */
  constructor(
    readonly dir: string,
    readonly title: string,
    private readonly trials: readonly SweepTrial[],
  ) {
    super();
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

  protected async writeNow(): Promise<void> {
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
