/**
 * The algorithms by name, so the CLI and configs can say `ppo` or `dqn`: one place that knows how
 * each is constructed from an environment factory and a config, and loaded from a checkpoint.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { A2C, type A2cConfig } from './a2c.js';
import { isAlgorithmName, type AlgorithmName } from './algorithm-names.js';
import type { Algorithm } from './base-algorithm.js';
import { loadCheckpoint, type CheckpointCounters } from './checkpoint.js';
import { DQN, type DqnConfig } from './dqn.js';
import { PPO, type PpoConfig } from './ppo.js';
import { initTf } from '../nn/tf-backend.js';
import { REINFORCE, type ReinforceConfig } from './reinforce.js';
import { qIteration, type FiniteMdp, type QIterationConfig } from './tabular/q-iteration.js';
import { Q_LEARNING_FILE, QLearning, type QLearningConfig } from './tabular/q-learning.js';

/** An algorithm with its step counters (every algorithm here has them). */
export type CountedAlgorithm = Algorithm & { readonly counters: CheckpointCounters };

/**
 * Builds an algorithm on fresh environments from `makeEnv` (on-policy methods call it once per
 * vector copy). `q-iteration` solves the env's exact model (`env.model`, e.g. GridWorld) at once
 * and returns the greedy agent as a {@link QLearning} holding the optimal Q-table, so it can be
 * saved, loaded and evaluated like the others. Config keys are those of each algorithm's config.
 */
export async function createAlgorithm(
  name: AlgorithmName,
  makeEnv: () => Env,
  config: Record<string, unknown> = {},
): Promise<CountedAlgorithm> {
  switch (name) {
    case 'ppo':
      return PPO.create(makeEnv, config as Partial<PpoConfig>);
    case 'a2c':
      return A2C.create(makeEnv, config as Partial<A2cConfig>);
    case 'reinforce':
      return REINFORCE.create(makeEnv, config as Partial<ReinforceConfig>);
    case 'dqn':
      await initTf();
      return new DQN(makeEnv(), config as DqnConfig);
    case 'q-learning':
      return new QLearning(makeEnv() as Env<number, number>, config as QLearningConfig);
    case 'q-iteration': {
      const env = makeEnv() as Env<number, number>;
      const model = modelOf(env);
      const result = qIteration(model, config as QIterationConfig);
      const gamma = (config as QIterationConfig).gamma;
      const agent = new QLearning(env, gamma === undefined ? {} : { gamma });
      agent.Q.set(result.Q);
      return agent;
    }
  }
}

/**
 * Loads a checkpoint written by `save` onto fresh environments from `makeEnv`; the algorithm is
 * read from the checkpoint itself.
 */
export async function loadAlgorithm(dir: string, makeEnv: () => Env): Promise<CountedAlgorithm> {
  const algo = await checkpointAlgorithm(dir);
  switch (algo) {
    case 'ppo':
      return PPO.load(dir, makeEnv);
    case 'a2c':
      return A2C.load(dir, makeEnv);
    case 'reinforce':
      return REINFORCE.load(dir, makeEnv);
    case 'dqn':
      return DQN.load(dir, makeEnv());
    case 'q-learning':
    case 'q-iteration':
      return QLearning.load(dir, makeEnv() as Env<number, number>);
  }
}

/** The algorithm name stored in a checkpoint folder. */
async function checkpointAlgorithm(dir: string): Promise<AlgorithmName> {
  if (existsSync(path.join(dir, Q_LEARNING_FILE))) return 'q-learning';
  const ckpt = await loadCheckpoint(dir);
  const name = ckpt.algo.toLowerCase();
  if (!isAlgorithmName(name))
    throw new ArbiterError('unknown-algorithm', `${dir}: checkpoint of unknown algorithm '${ckpt.algo}'`);
  return name;
}

function modelOf(env: Env): FiniteMdp {
  const base = (env as { unwrapped?: Env }).unwrapped ?? env; // through wrappers such as TimeLimit
  const model = (base as { model?: FiniteMdp }).model;
  if (!model || typeof model.transitions !== 'function')
    throw new ArbiterError(
      'invalid-config',
      'q-iteration needs an environment with an exact transition model (env.model), e.g. GridWorld-v0',
    );
  return model;
}
