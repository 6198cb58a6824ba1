/**
 * The algorithms by name, so the CLI and configs can say `ppo` or `dqn`: one place that knows how
 * each is constructed from an environment factory and a config, and loaded from a checkpoint.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';

import { A2C } from './a2c.js';
import { isAlgorithmName, type AlgorithmName } from './algorithm-names.js';
import type { Algorithm } from './base-algorithm.js';
import { loadCheckpoint, type CheckpointCounters } from './checkpoint.js';
import type { DeepAlgorithm } from './deep-algorithm.js';
import { DQN } from './dqn.js';
import { PPO } from './ppo.js';
import { REINFORCE } from './reinforce.js';
import { qIteration, type FiniteMdp } from './tabular/q-iteration.js';
import { Q_LEARNING_FILE, QLearning } from './tabular/q-learning.js';
import { resolveAlgorithmConfig } from './algorithm-config.js';
import type { PolicyFactory } from './on-policy-algorithm.js';

/** An algorithm with its step counters (every algorithm here has them). */
export type CountedAlgorithm = Algorithm & { readonly counters: CheckpointCounters };

/** The TF.js algorithms: each is created and loaded through the shared {@link DeepAlgorithm} statics. */
const DEEP_ALGORITHMS: Record<
  'ppo' | 'a2c' | 'reinforce' | 'dqn',
  {
    create(
      makeEnv: () => Env,
      config: Record<string, unknown>,
      makePolicy?: PolicyFactory,
    ): Promise<DeepAlgorithm>;
    load(dir: string, makeEnv: () => Env, makePolicy?: PolicyFactory): Promise<DeepAlgorithm>;
  }
> = { ppo: PPO, a2c: A2C, reinforce: REINFORCE, dqn: DQN };

// A custom policy is for the on-policy algorithms (their constructors take a policy factory).
function checkPolicyFactory(name: AlgorithmName, makePolicy: PolicyFactory | undefined): void {
  if (makePolicy !== undefined && name !== 'ppo' && name !== 'a2c' && name !== 'reinforce')
    throw new ArbiterError(
      'invalid-config',
      `a custom policy (e.g. a graph policy) trains with ppo, a2c or reinforce, not ${name}`,
    );
}

export { resolveAlgorithmConfig } from './algorithm-config.js';

/**
 * Builds an algorithm on fresh environments from `makeEnv` (on-policy methods call it once per
 * vector copy). `q-iteration` solves the env's exact model (`env.model`, e.g. GridWorld) at once
 * and returns the greedy agent as a {@link QLearning} holding the optimal Q-table, so it can be
 * saved, loaded and evaluated like the others. Config keys are those of each algorithm's config,
 * validated by {@link resolveAlgorithmConfig} (errors name `source`). `makePolicy`: a custom
 * policy (ppo, a2c, reinforce only).
 */
export async function createAlgorithm(
  name: AlgorithmName,
  makeEnv: () => Env,
  config: Record<string, unknown> = {},
  source?: string,
  makePolicy?: PolicyFactory,
): Promise<CountedAlgorithm> {
  const c = resolveAlgorithmConfig(name, config, source);
  checkPolicyFactory(name, makePolicy);
  switch (name) {
    case 'ppo':
    case 'a2c':
    case 'reinforce':
      return DEEP_ALGORITHMS[name].create(makeEnv, c, makePolicy);
    case 'dqn':
      return DEEP_ALGORITHMS[name].create(makeEnv, c);
    case 'q-learning':
      return new QLearning(makeEnv() as Env<number, number>, c);
    case 'q-iteration': {
      const env = makeEnv() as Env<number, number>;
      const model = modelOf(env);
      const result = qIteration(model, c);
      const gamma = c['gamma'] as number | undefined;
      const agent = new QLearning(env, gamma === undefined ? {} : { gamma });
      agent.Q.set(result.Q);
      return agent;
    }
  }
}

/**
 * Loads a checkpoint written by `save` onto fresh environments from `makeEnv`; the algorithm is
 * read from the checkpoint itself. `makePolicy`: the custom policy it was trained with, if any.
 */
export async function loadAlgorithm(
  dir: string,
  makeEnv: () => Env,
  makePolicy?: PolicyFactory,
): Promise<CountedAlgorithm> {
  const algo = await checkpointAlgorithm(dir);
  checkPolicyFactory(algo, makePolicy);
  switch (algo) {
    case 'ppo':
    case 'a2c':
    case 'reinforce':
      return DEEP_ALGORITHMS[algo].load(dir, makeEnv, makePolicy);
    case 'dqn':
      return DEEP_ALGORITHMS[algo].load(dir, makeEnv);
    case 'q-learning':
    case 'q-iteration':
      return QLearning.load(dir, makeEnv() as Env<number, number>);
  }
}

/** A checkpoint folder of a run that could not be used, and why. */
export interface SkippedCheckpoint {
  /** The folder. */
  dir: string;
  /** The load error's message. */
  reason: string;
}

/**
 * Loads the newest usable checkpoint of run folder `runDir`: `latest/`, else the `checkpoints/step-N`
 * folders from the largest N down. Only unreadable or torn checkpoints (`checkpoint-missing`,
 * `checkpoint-corrupt`) are skipped; each skip is reported through `onSkip`. Any other error (e.g.
 * `checkpoint-mismatch`) is thrown as is. Throws `checkpoint-missing` when none is usable.
 * `makePolicy`: the custom policy the run trained, if any.
 */
export async function loadNewestCheckpoint(
  runDir: string,
  makeEnv: () => Env,
  onSkip: (skipped: SkippedCheckpoint, next: string | undefined) => void = () => {},
  makePolicy?: PolicyFactory,
): Promise<{ algo: CountedAlgorithm; dir: string; skipped: SkippedCheckpoint[] }> {
  const candidates = checkpointCandidates(runDir);
  const skipped: SkippedCheckpoint[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const dir = candidates[i]!;
    try {
      const algo = await loadAlgorithm(dir, makeEnv, makePolicy);
      return { algo, dir, skipped };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code !== 'checkpoint-missing' && code !== 'checkpoint-corrupt') throw e;
      const s = { dir, reason: (e as Error).message };
      skipped.push(s);
      onSkip(s, candidates[i + 1]);
    }
  }
  throw new ArbiterError(
    'checkpoint-missing',
    `${runDir}: no usable checkpoint${skipped.length ? ` (tried ${skipped.map((s) => `${s.dir}: ${s.reason}`).join('; ')})` : ` (looked for ${path.join(runDir, 'latest')})`}`,
  );
}

/** `latest/` then `checkpoints/step-N` from the largest N down (only those that exist). */
function checkpointCandidates(runDir: string): string[] {
  const out: string[] = [];
  const latest = path.join(runDir, 'latest');
  if (existsSync(latest)) out.push(latest);
  const root = path.join(runDir, 'checkpoints');
  const steps = existsSync(root)
    ? readdirSync(root)
        .map((name) => /^step-(\d+)$/.exec(name))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
        .sort((a, b) => b - a)
    : [];
  for (const n of steps) out.push(path.join(root, `step-${n}`));
  return out;
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
