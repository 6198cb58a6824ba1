/**
 * The data of env-runner queue jobs, shared by the learner (`QueueEnvRunners`) and the
 * workers (`serveEnvRunnerJob`): job kinds, the runner job's payload and its schema, rollout job
 * data and the rollout queues' names. TF-free, as the workers must be.
 */
import { z } from 'zod';
import { parseConfig } from '../core/config-schema.js';
import type { RunnerSlice } from './env-runner.js';
import type { RunnerRequestJson } from './rollout-codec.js';

/** Job kinds of a runner's rollout queue. */
export const ROLLOUT_JOB = 'rollout';
/** Ends a runner (its job completes). */
export const CLOSE_RUNNER_JOB = 'close';

/** The payload of an `env-runner` job. */
export interface EnvRunnerPayload {
  /** The training run (names its rollout queues). */
  runId: string;
  /** The runner's index. */
  runner: number;
  /** Its env copies. */
  slice: RunnerSlice;
  /** A built-in env id and its options (validated by the env's schema on the worker). */
  env: { id: string; options: Record<string, unknown> };
  /** The runner ends with an error after this long without a request, in ms. */
  idleMs: number;
  /** 0 for the run's first runner job of this index, then 1, 2, … for replacements. */
  generation?: number;
  /** The first rollout it serves (a replacement: the one its predecessor was lost in). */
  firstIteration?: number;
}

const PAYLOAD_SCHEMA = z
  .object({
    runId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    runner: z.number().int().min(0),
    slice: z
      .object({
        start: z.number().int().min(0),
        count: z.number().int().min(1),
        numEnvs: z.number().int().min(1),
      })
      .strict()
      .refine((s) => s.start + s.count <= s.numEnvs, 'the slice must lie within numEnvs'),
    env: z.object({ id: z.string().min(1), options: z.record(z.string(), z.unknown()) }).strict(),
    idleMs: z.number().int().min(1),
    generation: z.number().int().min(0).optional(),
    firstIteration: z.number().int().min(0).optional(),
  })
  .strict();

/** Checks an env-runner job's payload (a `ValidationError` naming `source`). */
export function parseEnvRunnerPayload(input: unknown, source: string): EnvRunnerPayload {
  return parseConfig(PAYLOAD_SCHEMA, input, { source, what: 'env-runner job' }) as EnvRunnerPayload;
}

/** The data of a {@link ROLLOUT_JOB} job. */
export interface RolloutJobData {
  /** 0 for the run's first rollout, then 1, 2, …: a runner serves them in order. */
  iteration: number;
  /** The request. */
  request: RunnerRequestJson;
}

/** The BullMQ queue of runner `runner`'s rollouts in run `runId` (its `generation`-th job). */
export function rolloutQueueName(runId: string, runner: number, generation = 0): string {
  return `arbiter-rollouts-${runId}-${runner}${generation > 0 ? `-g${generation}` : ''}`;
}
