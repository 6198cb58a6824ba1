/**
 * The policy of a training run (`arbiter train`, `trainRun`): the default network of the
 * algorithm for flat observations, or, for an env with graph observations (EGS-v0), the graph
 * policy over its padded observations (`makeFlatEnv`), sized by the run's `policy` settings.
 * One function decides it for training, resume, evaluation and export, so a run's checkpoints
 * always load into the network that wrote them.
 */
import { z } from 'zod';
import type { AlgorithmName } from '../agents/algorithm-names.js';
import type { PolicyFactory } from '../agents/on-policy-algorithm.js';
import type { PpoConfig } from '../agents/ppo.js';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import { ArbiterError } from '../core/errors.js';
import { makeFlatEnv, paddedLayoutOf } from '../core/make-flat-env.js';
import { GRAPH_POLICY_DEFAULTS, GraphPolicy, type GraphPolicyConfig } from '../nn/graph-policy.js';
import { EGS_PPO } from './egs-ppo-settings.js';

/** Rules of the graph policy's settings (strict: unknown keys are refused). */
export const GRAPH_POLICY_CONFIG_SCHEMA = z
  .object({
    hiddenDim: zc.int(1).max(1024).optional(),
    numHeads: zc.int(1).max(64).optional(),
    numLayers: zc.int(1).max(16).optional(),
    ffnDim: zc.int(1).max(4096).optional(),
    valueHiddenDim: zc.int(1).max(4096).optional(),
    logitClip: zc.nonNegative().optional(),
  } satisfies ConfigShape<GraphPolicyConfig>)
  .strict();

/** Algorithms that train a graph policy (the on-policy ones, which take a policy factory). */
const GRAPH_ALGORITHMS: readonly AlgorithmName[] = ['ppo', 'a2c', 'reinforce'];

/** What {@link runPolicyFactory} needs of a run. */
export interface RunPolicySpec {
  /** Algorithm (unknown for a bare checkpoint folder: not checked then). */
  algo?: AlgorithmName;
  /** Registered env id. */
  env: string;
  /** Its options. */
  envOptions: Record<string, unknown>;
  /** Graph policy settings (graph-observation envs only). */
  policy?: Record<string, unknown>;
}

/**
 * The policy factory of a run: a {@link GraphPolicy} for a graph-observation env, undefined (the
 * algorithm's default network) otherwise. Throws `invalid-config` for `policy` settings on a flat
 * env and for an algorithm that cannot train a graph policy; `source` names the settings in
 * validation errors.
 */
export function runPolicyFactory(run: RunPolicySpec, source = 'policy'): PolicyFactory | undefined {
  const env = makeFlatEnv(run.env, { options: run.envOptions });
  const layout = paddedLayoutOf(env);
  env.close?.();
  if (layout === undefined) {
    if (run.policy !== undefined && Object.keys(run.policy).length > 0)
      throw new ArbiterError(
        'invalid-config',
        `${source}: graph policy settings apply to envs with graph observations (EGS-v0), not ${run.env}`,
      );
    return undefined;
  }
  if (run.algo !== undefined && !GRAPH_ALGORITHMS.includes(run.algo))
    throw new ArbiterError(
      'invalid-config',
      `${run.env} has graph observations: train it with ${GRAPH_ALGORITHMS.join(', ')} (a graph policy), not ${run.algo}`,
    );
  const config = parseConfig(GRAPH_POLICY_CONFIG_SCHEMA, run.policy ?? {}, {
    source,
    what: 'graph policy',
  }) as GraphPolicyConfig;
  const hidden = config.hiddenDim ?? GRAPH_POLICY_DEFAULTS.hiddenDim;
  const heads = config.numHeads ?? GRAPH_POLICY_DEFAULTS.numHeads;
  if (hidden % heads !== 0)
    throw new ArbiterError('invalid-config', `${source}: numHeads ${heads} must divide hiddenDim ${hidden}`);
  return GraphPolicy.factory(layout, config);
}

/**
 * The algorithm defaults under a run's own config: the EGS PPO settings ({@link EGS_PPO}) for PPO
 * on EGS-v0, nothing otherwise (the algorithm's own defaults).
 */
export function runConfigDefaults(algo: AlgorithmName, env: string): Partial<PpoConfig> {
  return algo === 'ppo' && env === 'EGS-v0' ? EGS_PPO : {};
}
