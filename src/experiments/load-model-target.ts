/**
 * Loading the trained model that `arbiter eval` and `arbiter export` are given (a run folder or one
 * of its checkpoints) together with the environment it runs on.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CountedAlgorithm } from '../agents/algorithm-registry.js';
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { registerBuiltinEnvs } from '../envs/register-envs.js';
import { readRunConfig, runPaths } from '../report/run-directory.js';
import { readJsonObjectOption } from '../core/read-json-object.js';
import type { TrainRunConfig } from './train-run.js';

/** A trained model named on the command line, loaded with the environment it runs on. */
export interface LoadedModel {
  /** The algorithm, restored from its checkpoint. */
  algo: CountedAlgorithm;
  /** The checkpoint folder it came from. */
  modelDir: string;
  /** Environment id. */
  env: string;
  /** Fresh environments of that id and options. */
  makeEnv: () => Env;
}

/**
 * The run folder a checkpoint folder belongs to: `R` for `R/latest` and `R/checkpoints/step-N`
 * (when `R/config.json` exists), else undefined.
 */
export function owningRunDir(checkpointDir: string): string | undefined {
  const dir = path.resolve(checkpointDir);
  const parent = path.dirname(dir);
  if (path.basename(dir) === 'latest' && existsSync(runPaths(parent).config)) return parent;
  if (
    /^step-\d+$/.test(path.basename(dir)) &&
    path.basename(parent) === 'checkpoints' &&
    existsSync(runPaths(path.dirname(parent)).config)
  )
    return path.dirname(parent);
  return undefined;
}

/**
 * Loads `target` for `arbiter eval` and `arbiter export`: a run folder (its newest usable
 * checkpoint: `latest/`, else the newest good `checkpoints/step-N`, with a warning on stderr naming
 * what was skipped and why), one of a run's checkpoint folders (`R/latest`, `R/checkpoints/step-N`;
 * env and options default to the run's), or any checkpoint folder (then `--env` is required).
 * TensorFlow.js is imported here, only when a model is actually loaded.
 */
export async function loadModelTarget(
  target: string,
  opts: { env?: string; envOptions?: string },
): Promise<LoadedModel> {
  const { loadAlgorithm, loadNewestCheckpoint } = await import('../agents/algorithm-registry.js');
  const { envFactory } = await import('./train-run.js');
  const { runPolicyFactory } = await import('./train-run-policy.js');
  const { validateEnvOptions } = await import('../core/registry.js');
  registerBuiltinEnvs();
  const isRun = existsSync(runPaths(target).config);
  const runDir = isRun ? target : owningRunDir(target);
  const run = runDir !== undefined ? readRunConfig<TrainRunConfig>(runDir) : undefined;
  if (!isRun && !existsSync(target))
    throw new ArbiterError(
      'checkpoint-missing',
      `${target}: no checkpoint found (no such run or checkpoint folder)`,
    );
  const env = opts.env ?? run?.env;
  if (env === undefined)
    throw new ArbiterError(
      'invalid-config',
      `${target} is not a run folder: give the environment with --env`,
    );
  let envOptions = run?.envOptions ?? {};
  if (opts.envOptions) {
    const o = await readJsonObjectOption(opts.envOptions, '--env-options');
    validateEnvOptions(env, o.value, o.source);
    envOptions = o.value;
  }
  const makeEnv = envFactory({ env, envOptions });
  // A graph env's run trained a graph policy: its sizes are the run's (defaults without a run).
  const makePolicy = runPolicyFactory({
    env,
    envOptions,
    ...(run !== undefined && { algo: run.algo, policy: run.policy }),
  });
  if (isRun) {
    const loaded = await loadNewestCheckpoint(
      target,
      makeEnv,
      (s, next) =>
        process.stderr.write(
          `warning: skipping checkpoint ${s.dir}: ${s.reason}${next ? `; trying ${next}` : ''}\n`,
        ),
      makePolicy,
    );
    return { algo: loaded.algo, modelDir: loaded.dir, env, makeEnv };
  }
  const algo = await loadAlgorithm(target, makeEnv, makePolicy);
  return { algo, modelDir: target, env, makeEnv };
}
