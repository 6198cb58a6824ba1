/**
 * From a sweep file to its list of trials: every grid point (the Cartesian product, the last key
 * varying fastest), `random.count` samples at each (drawn in order from one seeded RNG), each with
 * every seed. Every value is checked against the algorithm's and the environment's own schemas
 * first, so that a bad value fails the whole sweep at once, naming the file and the item
 * (`sweep.json grid.learningRate[1]: key 'learningRate': range: …`), before anything trains.
 */
import { ArbiterError, ValidationError } from '../core/errors.js';
import { envRegistration, validateEnvOptions } from '../core/registry.js';
import { Rng } from '../core/rng.js';
import { resolveAlgorithmConfig } from '../agents/algorithm-config.js';
import { registerBuiltinEnvs } from '../envs/register-envs.js';
import type { SweepDistribution, SweepSpec } from './sweep-spec.js';
import { trialId, type SweepTrial } from './sweep-trial.js';

/** The prefix of a parameter name that addresses an environment option. */
const ENV_OPTION_PREFIX = 'envOptions.';

/** The trials of `spec` in order (see the module doc); `source` (the file) is named in errors. */
export function expandSweep(spec: SweepSpec, source: string): SweepTrial[] {
  registerBuiltinEnvs();
  try {
    envRegistration(spec.env);
  } catch (e) {
    if (!(e instanceof ArbiterError)) throw e;
    throw new ValidationError('unknown-env', e.message, { file: source, item: "key 'env'" });
  }
  checkValues(spec, source);
  const points = gridPoints(spec.grid);
  const rng = new Rng(spec.random?.seed ?? 0);
  const trials: SweepTrial[] = [];
  for (const point of points)
    for (let r = 0; r < (spec.random?.count ?? 1); r++) {
      const params = { ...point };
      for (const [name, d] of Object.entries(spec.random?.params ?? {})) params[name] = sample(d, rng);
      const { config, envOptions } = applyParams(spec, params);
      for (const seed of spec.seeds) {
        const where = `${source} trial ${JSON.stringify(params)} seed ${seed}`;
        resolveAlgorithmConfig(spec.algo, { ...config, seed }, where);
        validateEnvOptions(spec.env, envOptions, where);
        const run = {
          seed,
          algo: spec.algo,
          env: spec.env,
          steps: spec.steps,
          config,
          envOptions,
          evalEpisodes: spec.evalEpisodes,
          ...(spec.evalEvery !== undefined && { evalEvery: spec.evalEvery }),
          ...(spec.checkpointEvery !== undefined && { checkpointEvery: spec.checkpointEvery }),
        };
        trials.push({ id: trialId(run), params, ...run });
      }
    }
  return trials;
}

/** The base config and env options of `spec` with each parameter of `params` set. */
export function applyParams(
  spec: Pick<SweepSpec, 'config' | 'envOptions'>,
  params: Readonly<Record<string, unknown>>,
): { config: Record<string, unknown>; envOptions: Record<string, unknown> } {
  const config = structuredClone(spec.config);
  const envOptions = structuredClone(spec.envOptions);
  for (const [name, value] of Object.entries(params))
    if (name.startsWith(ENV_OPTION_PREFIX))
      setPath(envOptions, name.slice(ENV_OPTION_PREFIX.length).split('.'), value);
    else setPath(config, name.split('.'), value);
  return { config, envOptions };
}

/** Each grid value and each random bound or choice, alone on the base config, must be valid. */
function checkValues(spec: SweepSpec, source: string): void {
  const check = (name: string, value: unknown, item: string): void => {
    const { config, envOptions } = applyParams(spec, { [name]: value });
    const where = `${source} ${item}`;
    if (name.startsWith(ENV_OPTION_PREFIX)) validateEnvOptions(spec.env, envOptions, where);
    else resolveAlgorithmConfig(spec.algo, { ...config, seed: spec.seeds[0] }, where);
  };
  validateEnvOptions(spec.env, spec.envOptions, `${source} envOptions`);
  resolveAlgorithmConfig(spec.algo, { ...spec.config, seed: spec.seeds[0] }, `${source} config`);
  for (const [name, values] of Object.entries(spec.grid))
    values.forEach((v, i) => check(name, v, `grid.${name}[${i}]`));
  for (const [name, d] of Object.entries(spec.random?.params ?? {}))
    if (d.dist === 'choice') d.values.forEach((v, i) => check(name, v, `random.params.${name}.values[${i}]`));
    else {
      check(name, d.min, `random.params.${name}.min`);
      check(name, d.max, `random.params.${name}.max`);
    }
}

function gridPoints(grid: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(grid))
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  return points;
}

function sample(d: SweepDistribution, rng: Rng): unknown {
  switch (d.dist) {
    case 'uniform':
      return rng.uniform(d.min, d.max);
    case 'log-uniform':
      return Math.exp(rng.uniform(Math.log(d.min), Math.log(d.max)));
    case 'int':
      return rng.intBetween(d.min, d.max);
    case 'choice':
      return structuredClone(d.values[rng.int(d.values.length)]);
  }
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let o = target;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    o = o[k] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
  }
  o[keys.at(-1)!] = structuredClone(value);
}
