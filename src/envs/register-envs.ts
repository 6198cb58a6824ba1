/**
 * Registers Arbiter's built-in environments in the core registry, so `makeEnv('CartPole-v1')`,
 * the CLI and worker threads can name them by id.
 */
import type { Env } from '../core/env.js';
import { registerEnv } from '../core/registry.js';
import { CARTPOLE_SPEC, CartPole } from './cartpole.js';
import { EGS_SPEC, EgsEnv, type EgsEnvOptions } from './egs/egs-env.js';
import { GRIDWORLD_SPEC, GridWorld, type GridWorldOptions } from './gridworld.js';
import { JOBS_SPEC, JobsEnv, type JobsOptions } from './jobs/jobs-env.js';

/** Ids registered by {@link registerBuiltinEnvs}. */
export const BUILTIN_ENV_IDS = [CARTPOLE_SPEC.id, GRIDWORLD_SPEC.id, JOBS_SPEC.id, EGS_SPEC.id] as const;

/**
 * Registers `CartPole-v1` (no options), `GridWorld-v0` ({@link GridWorldOptions}), `Jobs-v0`
 * ({@link JobsOptions}) and `EGS-v0` ({@link EgsEnvOptions}); the factory's `options` go to the
 * constructor unchanged. Idempotent: calling it again re-registers the same factories.
 */
export function registerBuiltinEnvs(): void {
  registerEnv({
    ...CARTPOLE_SPEC,
    description: "Gymnasium's CartPole: balance a pole on a cart (Discrete(2), 500-step limit)",
    create: (): Env => new CartPole(),
  });
  registerEnv({
    ...GRIDWORLD_SPEC,
    description: 'Grid world of the seed article: walk to the goal (+1); exact model for Q-iteration',
    create: (options?: Record<string, unknown>): Env =>
      new GridWorld(options as GridWorldOptions | undefined),
  });
  registerEnv({
    ...JOBS_SPEC,
    description: 'DeepRM-style multi-resource job scheduling; reward −Σ slowdown; masked actions',
    create: (options?: Record<string, unknown>): Env => new JobsEnv(options as JobsOptions | undefined),
  });
  registerEnv({
    ...EGS_SPEC,
    description:
      'Edge Generation Scheduling: add edges to a DAG task to minimise its width (cores) with L ≤ D',
    create: (options?: Record<string, unknown>): Env => new EgsEnv(options as EgsEnvOptions | undefined),
  });
}
