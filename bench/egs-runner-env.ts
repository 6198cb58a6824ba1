/**
 * EGS-v0 with padded graph observations as env runners load it (module + export): 10–14-node
 * DAGs, the graph policy's input as in the EGS PPO smoke run.
 */
import type { Env } from '../src/core/env.js';
import { PadGraphObservation } from '../src/core/wrappers/pad-graph-observation.js';
import { EgsEnv } from '../src/envs/egs/egs-env.js';

/** Largest node count of {@link egsRunnerEnv}. */
export const EGS_RUNNER_MAX_NODES = 14;

/** `(options, index) => Env` for {@link RunnerEnvSpec}'s module form. */
export function egsRunnerEnv(): Env {
  return new PadGraphObservation(
    new EgsEnv({ maxNodes: EGS_RUNNER_MAX_NODES, sampler: { nodes: [10, EGS_RUNNER_MAX_NODES] } }),
  ) as unknown as Env;
}
