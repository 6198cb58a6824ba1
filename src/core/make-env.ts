/**
 * `makeEnv`, as Gymnasium's `make`: builds a registered environment and applies the standard
 * wrappers its spec asks for.
 */
import type { Env, EnvSpec } from './env.js';
import { envRegistration, validateEnvOptions } from './registry.js';
import {
  RecordEpisodeStatistics,
  type RecordEpisodeStatisticsOptions,
} from './wrappers/record-episode-statistics.js';
import { TimeLimit } from './wrappers/time-limit.js';

/** Options of {@link makeEnv}. */
export interface MakeEnvOptions {
  /** Environment-specific options passed to the registered factory. */
  options?: Record<string, unknown>;
  /** Overrides the registered step limit; 0 or a negative value disables the TimeLimit. */
  maxEpisodeSteps?: number;
  /** Wrap in {@link RecordEpisodeStatistics} (outermost), with these options when an object. */
  recordStats?: boolean | RecordEpisodeStatisticsOptions;
}

/**
 * Builds environment `id` from the registry (throws `unknown-env` for an unknown id). Wraps it in
 * a {@link TimeLimit} when the registration or `maxEpisodeSteps` gives a limit, then optionally in
 * {@link RecordEpisodeStatistics}. As Gymnasium's `make`, an env whose factory left `spec` unset
 * gets the registered spec (with the effective step limit). `O` and `A` are the caller's claim about
 * the env's observation and action types (the registry is untyped), as in `makeEnv<Float32Array,
 * number>('CartPole-v1')`.
 */
export function makeEnv<O = unknown, A = unknown>(id: string, makeOptions: MakeEnvOptions = {}): Env<O, A> {
  const reg = envRegistration(id);
  validateEnvOptions(id, makeOptions.options);
  let env: Env = reg.create(makeOptions.options);
  const limit = makeOptions.maxEpisodeSteps ?? reg.maxEpisodeSteps;
  const hasLimit = limit !== undefined && limit > 0;
  if (env.spec === undefined) {
    const spec: EnvSpec = { id: reg.id };
    if (hasLimit) spec.maxEpisodeSteps = limit;
    if (reg.rewardThreshold !== undefined) spec.rewardThreshold = reg.rewardThreshold;
    try {
      Object.defineProperty(env, 'spec', { value: spec, enumerable: true, configurable: true });
    } catch {
      // A frozen env keeps no spec; nothing depends on it being there.
    }
  }
  if (hasLimit) env = new TimeLimit(env, limit);
  if (makeOptions.recordStats)
    env = new RecordEpisodeStatistics(env, makeOptions.recordStats === true ? {} : makeOptions.recordStats);
  return env as Env<O, A>;
}
