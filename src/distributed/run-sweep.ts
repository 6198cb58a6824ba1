/**
 * The sweep coordinator (`arbiter sweep`): expands the sweep file into trials, hands each
 * unfinished one to a dispatcher — local trial processes by default, a queue's workers with
 * `queue` — and rewrites the summary as results come in. The sweep folder holds `sweep.json` (the
 * file as read), `trials/<id>/` (each trial's run folder) and the summary files. With `resume`
 * a coordinator that died is replaced: trials whose results exist (a `trial.json`, or an entry of
 * the summary for trials run on other machines) are not run again.
 */
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { expandSweep } from './expand-sweep.js';
import { readTrialResult, type TrialOutcome, type TrialResult } from './run-trial.js';
import { settleEach } from './result-ledger.js';
import { defaultDispatcher, openSweepFolder } from './sweep-folder.js';
import { readSweepSpec } from './sweep-spec.js';
import { SweepSummary, type SweepSummaryData, type TrialFailure } from './sweep-summary.js';
import type { SweepTrial } from './sweep-trial.js';

/** Runs trials somewhere: local processes, or a queue's workers. */
export interface TrialDispatcher {
  /** Runs (or finds the result of) `trial`, its folder under `trialsRoot`. */
  run(trial: SweepTrial, trialsRoot: string): Promise<TrialOutcome>;
  /** Releases processes or connections. */
  close(): Promise<void>;
}

/** What happened to one trial, for progress output. */
export interface SweepTrialEvent {
  /** The trial. */
  trial: SweepTrial;
  /** Its result, when it finished. */
  result?: TrialResult;
  /** Its failure, when it failed. */
  failure?: TrialFailure;
  /** True when the result was there already (a resumed sweep, a duplicate job). */
  reused: boolean;
  /** Trials settled so far (finished or failed), this one included. */
  settled: number;
  /** Trials in the sweep. */
  total: number;
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** The sweep file. */
  file: string;
  /** Local trial processes (default the number of cores); ignored with `queue` or `dispatcher`. */
  workers?: number;
  /** The sweep folder (default `sweeps/<file name without .json>`). */
  out?: string;
  /** Continue the sweep in `out` (required when `out` holds one already). */
  resume?: boolean;
  /** Where trials run (default a {@link TrialPool} of `workers` processes, closed at the end). */
  dispatcher?: TrialDispatcher;
  /** Send the trials to `arbiter worker`s through the BullMQ queue at this Redis URL (unless `dispatcher`). */
  queue?: string;
  /** With `queue`: how long to try to reach Redis at the start, in ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Called as each trial settles. */
  onTrial?: (event: SweepTrialEvent) => void;
}

/** What {@link runSweep} returns (and `arbiter sweep --json` prints, less `out`). */
export interface RunSweepResult extends SweepSummaryData {
  /** The sweep folder. */
  out: string;
  /** Wall time of this call, in seconds. */
  wallSeconds: number;
}

/** Runs a sweep (see the module doc). */
export async function runSweep(options: RunSweepOptions): Promise<RunSweepResult> {
  const t0 = performance.now();
  const spec = await readSweepSpec(options.file);
  const trials = expandSweep(spec, options.file);
  const { title, out, specFile } = await openSweepFolder(options);
  const trialsRoot = join(out, 'trials');
  const summary = new SweepSummary(out, title, trials);
  if (options.resume === true)
    await summary.loadEarlier(
      join(out, 'summary.json'),
      'trials',
      trials.map((t) => t.id),
      (id) => readTrialResult(trialsRoot, id),
    );
  await writeFileAtomic(specFile, JSON.stringify(spec, null, 2) + '\n');
  await summary.write();

  const dispatcher = options.dispatcher ?? defaultDispatcher(options);

  let settled = 0;
  const report = (event: Omit<SweepTrialEvent, 'settled' | 'total'>): void =>
    options.onTrial?.({ ...event, settled: ++settled, total: trials.length });
  try {
    await settleEach(trials, summary, {
      run: async (trial) => {
        const { result, reused } = await dispatcher.run(trial, trialsRoot);
        return { value: result, reused };
      },
      failure: (trial, error) => ({ id: trial.id, params: trial.params, seed: trial.seed, error }),
      report: (trial, e) =>
        report({
          trial,
          ...(e.result && { result: e.result }),
          ...(e.failure && { failure: e.failure as TrialFailure }),
          reused: e.reused,
        }),
    });
  } finally {
    if (options.dispatcher === undefined) await dispatcher.close();
    await rmdir(join(trialsRoot, '.partial')).catch(() => undefined); // only when empty
  }
  return { out, ...summary.data(), wallSeconds: (performance.now() - t0) / 1000 };
}
