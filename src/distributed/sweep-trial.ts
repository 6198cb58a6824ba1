/**
 * One trial of a sweep: a complete, self-contained description of a training run (algorithm,
 * environment, steps, hyper-parameters, env options, seed). It is plain data, validated by a
 * strict schema wherever it crosses a process or machine boundary, and named by a content hash so
 * that the same trial has the same id in every process, after every restart.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../core/canonical-json.js';
import { parseConfig, zc } from '../core/config-schema.js';
import { ValidationError } from '../core/errors.js';
import { ALGORITHM_NAMES } from '../agents/algorithm-names.js';
import type { TrainRunConfig } from '../experiments/train-run.js';

/**
 * A training run of a sweep (the fields of a train run's `config.json`; evaluation and checkpoint
 * intervals default to the train run's), with the values the sweep gave it (`params`).
 */
export interface SweepTrial
  extends
    Pick<TrainRunConfig, 'algo' | 'env' | 'seed' | 'steps' | 'config' | 'envOptions' | 'evalEpisodes'>,
    Partial<Pick<TrainRunConfig, 'evalEvery' | 'checkpointEvery'>> {
  /** Content hash of everything but `params` (see {@link trialId}). */
  id: string;
  /** The swept values of this trial, by parameter name (`learningRate`, `envOptions.load` …). */
  params: Record<string, unknown>;
}

/** Rules of a {@link SweepTrial} received from another process or from a queue (strict). */
export const SWEEP_TRIAL_SCHEMA = z
  .object({
    id: z.string().regex(/^t[0-9a-f]{16}$/),
    params: z.record(z.string(), z.unknown()),
    seed: zc.seed(),
    algo: z.enum(ALGORITHM_NAMES),
    env: z.string().min(1),
    steps: zc.int(1),
    config: z.record(z.string(), z.unknown()),
    envOptions: z.record(z.string(), z.unknown()),
    evalEpisodes: zc.int(1),
    evalEvery: zc.int(1).optional(),
    checkpointEvery: zc.int(1).optional(),
  })
  .strict();

/**
 * The id of a trial: `t` and 16 hex digits of the SHA-256 of its canonical JSON (keys sorted)
 * without `id` and `params`. Two trials that would train the same run have the same id.
 */
export function trialId(
  trial: Omit<SweepTrial, 'id' | 'params'> & { id?: string; params?: unknown },
): string {
  const { id: _id, params: _params, ...run } = trial;
  return 't' + createHash('sha256').update(canonicalJson(run)).digest('hex').slice(0, 16);
}

/**
 * Validates a trial that came from elsewhere (a queue job, a parent process): the schema, and an
 * id that matches its content (a `ValidationError` naming `source` otherwise).
 */
export function parseSweepTrial(input: unknown, source: string): SweepTrial {
  const trial = parseConfig(SWEEP_TRIAL_SCHEMA, input, { source, what: 'sweep trial' }) as SweepTrial;
  const expected = trialId(trial);
  if (trial.id !== expected)
    throw new ValidationError('trial-id', `id ${trial.id} does not match the trial's content (${expected})`, {
      file: source,
      item: "key 'id'",
    });
  return trial;
}
