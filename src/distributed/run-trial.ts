/**
 * Runs one sweep trial into `<trials>/<id>/`, a normal train run folder (config, metrics,
 * checkpoints, final evaluation, learning curve) plus `trial.json`, the trial's result. Running a
 * trial is idempotent: a finished trial's result is read back, never trained again; an attempt
 * trains in a private folder under `<trials>/.partial/` and publishes it with one rename of the
 * whole folder, which fails when another attempt (a duplicate delivery, a retry of a job thought
 * lost) published first — then that result is the trial's, and this attempt's folder is dropped.
 * So a trial has exactly one result, whatever the number of attempts.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { errnoOf } from '../core/file-error.js';
import { ValidationError } from '../core/errors.js';
import type { SweepTrial } from './sweep-trial.js';

/** The result of a finished trial (`trial.json`). */
export interface TrialResult {
  /** The trial's id. */
  id: string;
  /** Its swept values. */
  params: Record<string, unknown>;
  /** Its seed. */
  seed: number;
  /** Its run folder (on the machine that ran it). */
  runDir: string;
  /** Mean return of the final deterministic evaluation on held-out seeds. */
  finalEvalMeanReturn: number;
  /** Standard deviation of that return over the evaluation episodes. */
  finalEvalStdReturn: number;
  /** Best mean return of the periodic evaluations, or null when none ran. */
  bestEvalMeanReturn: number | null;
  /** Environment steps trained. */
  steps: number;
  /** Wall time of the training, in seconds. */
  wallSeconds: number;
}

/** What {@link runTrial} did: the trial's one result, and whether it was already there. */
export interface TrialOutcome {
  /** The result. */
  result: TrialResult;
  /** True when the trial had been finished before (nothing was trained now). */
  reused: boolean;
}

/** The file of a trial's result inside its folder. */
export const TRIAL_RESULT_FILE = 'trial.json';

/** The folder of trial `id` under `trialsRoot`. */
export function trialDir(trialsRoot: string, id: string): string {
  return resolve(trialsRoot, id);
}

/** The result of trial `id` under `trialsRoot`, or undefined when it has not finished. */
export async function readTrialResult(trialsRoot: string, id: string): Promise<TrialResult | undefined> {
  return (await readResultFile(join(trialDir(trialsRoot, id), TRIAL_RESULT_FILE))) as TrialResult | undefined;
}

/**
 * The parsed JSON of a result file, or undefined when there is none (not finished); a torn or
 * foreign file is a `ValidationError` naming it.
 */
export async function readResultFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError('json-syntax', (e as Error).message, { file });
  }
}

/** Runs `trial` under `trialsRoot`, or reads its result back when finished (see the module doc). */
export async function runTrial(trial: SweepTrial, trialsRoot: string): Promise<TrialOutcome> {
  const done = await readTrialResult(trialsRoot, trial.id);
  if (done !== undefined) return { result: done, reused: true };
  const partialRoot = join(trialsRoot, '.partial');
  const name = `${trial.id}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const partialDir = resolve(partialRoot, name);
  const finalDir = trialDir(trialsRoot, trial.id);
  try {
    // Loaded here: only the process that trains pays for TensorFlow.js.
    const { trainRun } = await import('../experiments/train-run.js');
    const r = await trainRun({
      algo: trial.algo,
      env: trial.env,
      steps: trial.steps,
      seed: trial.seed,
      config: trial.config,
      configSource: `trial ${trial.id}`,
      envOptions: trial.envOptions,
      envOptionsSource: `trial ${trial.id}`,
      evalEpisodes: trial.evalEpisodes,
      ...(trial.evalEvery !== undefined && { evalEvery: trial.evalEvery }),
      ...(trial.checkpointEvery !== undefined && { checkpointEvery: trial.checkpointEvery }),
      runsRoot: partialRoot,
      name,
      onWarning: (m) => void process.stderr.write(`warning: trial ${trial.id}: ${m}\n`),
    });
    const result: TrialResult = {
      id: trial.id,
      params: trial.params,
      seed: trial.seed,
      runDir: finalDir,
      finalEvalMeanReturn: r.finalEvalMeanReturn,
      finalEvalStdReturn: r.finalEvalStdReturn,
      bestEvalMeanReturn: Number.isNaN(r.bestEvalMeanReturn) ? null : r.bestEvalMeanReturn,
      steps: r.steps,
      wallSeconds: r.wallSeconds,
    };
    await writeFileAtomic(join(partialDir, TRIAL_RESULT_FILE), JSON.stringify(result, null, 2) + '\n');
    try {
      await rename(partialDir, finalDir); // fails on a non-empty target: the first attempt wins
      return { result, reused: false };
    } catch (e) {
      const code = errnoOf(e);
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      const winner = await readTrialResult(trialsRoot, trial.id);
      if (winner === undefined) throw e;
      return { result: winner, reused: true };
    }
  } finally {
    await rm(partialDir, { recursive: true, force: true });
  }
}
