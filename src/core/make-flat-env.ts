/**
 * A registered env as the flat-vector machinery (vector envs, rollout buffers, env runners) takes
 * it: `makeEnv`, then, when its observations are graphs, {@link PadGraphObservation} at the graph
 * space's own `maxNodes`. One rule for the learner's envs, its evaluation envs and every env
 * runner (local thread or queue worker), so an env id plus options is all a runner needs.
 */
import type { Env } from './env.js';
import { makeEnv, type MakeEnvOptions } from './make-env.js';
import { PadGraphObservation, type PaddedGraphLayout } from './wrappers/pad-graph-observation.js';

/** `makeEnv(id, options)`, padded when its observation space is a Graph space. */
export function makeFlatEnv(id: string, options: MakeEnvOptions = {}): Env {
  const env = makeEnv(id, options);
  if (env.observationSpace.kind !== 'graph') return env;
  return new PadGraphObservation(env as Env<never>) as unknown as Env;
}

/** The padded layout of an env from {@link makeFlatEnv}, or undefined when it is not padded. */
export function paddedLayoutOf(env: Env): PaddedGraphLayout | undefined {
  return env instanceof PadGraphObservation ? env.layout : undefined;
}
