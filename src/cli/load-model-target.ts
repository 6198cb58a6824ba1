import { existsSync } from 'node:fs';
import type { CountedAlgorithm } from '../agents/algorithm-registry.js';
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { registerBuiltinEnvs } from '../envs/register-envs.js';
import { readRunConfig, runPaths } from '../report/run-directory.js';
import { readJsonObjectFile } from './read-json-option.js';
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
 * Loads `target` — a run folder (its `latest` checkpoint; env and options default to the run's) or
 * a checkpoint folder (then `--env` is required) — for `arbiter eval` and `arbiter export`.
 * TensorFlow.js is imported here, only when a model is actually loaded.
 */
export async function loadModelTarget(
  target: string,
  opts: { env?: string; envOptions?: string },
): Promise<LoadedModel> {
  const { loadAlgorithm } = await import('../agents/algorithm-registry.js');
  const { envFactory, latestCheckpointDir } = await import('./train-run.js');
  registerBuiltinEnvs();
  const isRun = existsSync(runPaths(target).config);
  const run = isRun ? readRunConfig<TrainRunConfig>(target) : undefined;
  const modelDir = isRun ? latestCheckpointDir(target) : target;
  if (!existsSync(modelDir))
    throw new ArbiterError('checkpoint-missing', `${target}: no checkpoint found (looked for ${modelDir})`);
  const env = opts.env ?? run?.env;
  if (env === undefined)
    throw new ArbiterError(
      'invalid-config',
      `${target} is not a run folder: give the environment with --env`,
    );
  const envOptions = opts.envOptions ? await readJsonObjectFile(opts.envOptions) : (run?.envOptions ?? {});
  const makeEnv = envFactory({ env, envOptions });
  const algo = (await loadAlgorithm(modelDir, makeEnv)) as CountedAlgorithm;
  return { algo, modelDir, env, makeEnv };
}
