/**
 * `HSoC-v0` in the env registry: the single-agent view of the HSoC env
 * ({@link HsocSingleAgentEnv}, the shared-parameter learner's env) with the options that are plain
 * data, so that a queue job (data only, never code) can name it and an env runner on another
 * machine builds the same env. Options that carry objects (a custom DAG, trace, plan, power model,
 * speed table, availability) are refused: build the env in code for those.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../../core/config-schema.js';
import type { EnvSpec } from '../../core/env.js';
import type { HsocEnvOptions } from './hsoc-env.js';

/** The registered id and facts (no TimeLimit: every episode ends when its jobs are done). */
export const HSOC_REGISTERED_SPEC: EnvSpec = { id: 'HSoC-v0' };

/** The data-only {@link HsocEnvOptions} of `HSoC-v0`. */
export type HsocRegisteredOptions = Pick<
  HsocEnvOptions,
  | 'calibration'
  | 'jobs'
  | 'alpha'
  | 'pes'
  | 'lookahead'
  | 'deadlineFactor'
  | 'congestion'
  | 'contentionModel'
  | 'balanceWeight'
  | 'tokenNeed'
  | 'warmupJobs'
> & {
  /** A shipped workload (default `5-task`). */
  workload?: '5-task' | 'av-42' | '5-task-profiled' | 'av-42-profiled';
  /** A load preset (default `medium`). */
  load?: 'light' | 'medium' | 'heavy';
};

/** Rules of every {@link HsocRegisteredOptions} key (strict: unknown keys are refused). */
export const HSOC_REGISTERED_OPTIONS_SCHEMA = z
  .object({
    workload: z.enum(['5-task', 'av-42', '5-task-profiled', 'av-42-profiled']).optional(),
    load: z.enum(['light', 'medium', 'heavy']).optional(),
    calibration: z.enum(['nominal', 'per-type']).optional(),
    jobs: zc.int(1).max(100_000).optional(),
    alpha: zc.positive().max(1).optional(),
    pes: z
      .array(z.enum(['cpu', 'gpu', 'dsp', 'fft']))
      .min(1)
      .max(64)
      .optional(),
    lookahead: zc.nonNegative().optional(),
    deadlineFactor: zc.positive().optional(),
    congestion: zc.nonNegative().optional(),
    contentionModel: z.enum(['all', 'memory', 'none']).optional(),
    balanceWeight: zc.nonNegative().optional(),
    tokenNeed: z.enum(['balanced', 'sub-deadline']).optional(),
    warmupJobs: zc.int(0).optional(),
  } satisfies ConfigShape<HsocRegisteredOptions>)
  .strict();
