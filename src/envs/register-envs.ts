/**
 * Registers Arbiter's built-in environments in the core registry, so `makeEnv('CartPole-v1')`,
 * the CLI and worker threads can name them by id.
 */
import { z } from 'zod';
import type { Env } from '../core/env.js';
import { registerEnv } from '../core/registry.js';
import { CARTPOLE_SPEC, CartPole } from './cartpole.js';
import { EGS_OPTIONS_SCHEMA, EGS_SPEC, EgsEnv, type EgsEnvOptions } from './egs/egs-env.js';
import { GRIDWORLD_OPTIONS_SCHEMA, GRIDWORLD_SPEC, GridWorld, type GridWorldOptions } from './gridworld.js';
import {
  HSOC_REGISTERED_OPTIONS_SCHEMA,
  HSOC_REGISTERED_SPEC,
  type HsocRegisteredOptions,
} from './hsoc/hsoc-registration.js';
import { HsocSingleAgentEnv } from './hsoc/hsoc-single-agent-env.js';
import { JOBS_OPTIONS_SCHEMA, JOBS_SPEC, JobsEnv, type JobsOptions } from './jobs/jobs-env.js';
import {
  PIXEL_PONG_OPTIONS_SCHEMA,
  PIXEL_PONG_SPEC,
  PixelPong,
  type PixelPongOptions,
} from './pixel-pong.js';

/** Ids registered by {@link registerBuiltinEnvs}. */
export const BUILTIN_ENV_IDS = [
  CARTPOLE_SPEC.id,
  GRIDWORLD_SPEC.id,
  JOBS_SPEC.id,
  EGS_SPEC.id,
  PIXEL_PONG_SPEC.id,
  HSOC_REGISTERED_SPEC.id,
] as const;

/**
 * Registers `CartPole-v1` (no options), `GridWorld-v0` ({@link GridWorldOptions}), `Jobs-v0`
 * ({@link JobsOptions}), `EGS-v0` ({@link EgsEnvOptions}), `PixelPong-v0` ({@link PixelPongOptions}) and `HSoC-v0` (the
 * single-agent HSoC env, {@link HsocRegisteredOptions}), each with its options schema
 * (`makeEnv` validates options before the factory sees them). Idempotent: calling it again re-registers the same factories.
 */
export function registerBuiltinEnvs(): void {
  registerEnv({
    ...CARTPOLE_SPEC,
    optionsSchema: z.object({}).strict(), // no options
    description: "Gymnasium's CartPole: balance a pole on a cart (Discrete(2), 500-step limit)",
    create: (): Env => new CartPole(),
  });
  registerEnv({
    ...GRIDWORLD_SPEC,
    optionsSchema: GRIDWORLD_OPTIONS_SCHEMA,
    description: 'Grid world of the seed article: walk to the goal (+1); exact model for Q-iteration',
    create: (options?: Record<string, unknown>): Env =>
      new GridWorld(options as GridWorldOptions | undefined),
  });
  registerEnv({
    ...JOBS_SPEC,
    optionsSchema: JOBS_OPTIONS_SCHEMA,
    description: 'DeepRM-style multi-resource job scheduling; reward −Σ slowdown; masked actions',
    create: (options?: Record<string, unknown>): Env => new JobsEnv(options as JobsOptions | undefined),
  });
  registerEnv({
    ...EGS_SPEC,
    optionsSchema: EGS_OPTIONS_SCHEMA,
    description:
      'Edge Generation Scheduling: add edges to a DAG task to minimise its width (cores) with L ≤ D',
    create: (options?: Record<string, unknown>): Env => new EgsEnv(options as EgsEnvOptions | undefined),
  });
  registerEnv({
    ...PIXEL_PONG_SPEC,
    optionsSchema: PIXEL_PONG_OPTIONS_SCHEMA,
    description: 'Pong on a 10×10 grid of binary pixels (4 channels), scripted tracker opponent, ±1 a point',
    create: (options?: Record<string, unknown>): Env =>
      new PixelPong(options as PixelPongOptions | undefined),
  });
  registerEnv({
    ...HSOC_REGISTERED_SPEC,
    optionsSchema: HSOC_REGISTERED_OPTIONS_SCHEMA,
    description:
      'HSoC power-token allocation, one shared-parameter agent deciding for each PE in turn (Discrete(11), masked)',
    create: (options?: Record<string, unknown>): Env =>
      new HsocSingleAgentEnv(options as HsocRegisteredOptions | undefined) as Env,
  });
}
