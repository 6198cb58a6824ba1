/**
 * The sweep file (`arbiter sweep SWEEP.json`): which algorithm to train on which environment, for
 * how long, over which seeds, and which values to try — a grid (Cartesian product of value
 * lists) and/or a seeded random search (distributions and a count). Parameter names are
 * hyper-parameter keys (`learningRate`, nested as `policy.hiddenSizes`) or environment options
 * (`envOptions.load`). The file is checked by a strict schema: unknown keys, wrong types and
 * out-of-range values are errors that name the file, the key and the rule.
 */
import { z } from 'zod';
import { parseConfig, zc } from '../core/config-schema.js';
import { readJsonObjectFile } from '../core/read-json-object.js';
import { ALGORITHM_NAMES, type AlgorithmName } from '../agents/algorithm-names.js';

/** A distribution of a random-search parameter. */
export type SweepDistribution =
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'log-uniform'; min: number; max: number }
  | { dist: 'int'; min: number; max: number }
  | { dist: 'choice'; values: unknown[] };

/** The `random` block: `count` samples per grid point, drawn from one RNG seeded with `seed`. */
export interface SweepRandom {
  /** Samples per grid point (with every seed each). */
  count: number;
  /** Seed of the sampling RNG (default 0). */
  seed: number;
  /** Distribution of each sampled parameter. */
  params: Record<string, SweepDistribution>;
}

/** A parsed sweep file. */
export interface SweepSpec {
  /** Algorithm. */
  algo: AlgorithmName;
  /** Registered environment id. */
  env: string;
  /** Environment steps of every trial. */
  steps: number;
  /** Seeds: every parameter combination runs once per seed (default `[0]`). */
  seeds: number[];
  /** Value lists; their Cartesian product is the grid (default: one point, no parameters). */
  grid: Record<string, unknown[]>;
  /** Random search, when present. */
  random?: SweepRandom | undefined;
  /** Base hyper-parameters of every trial (default `{}`). */
  config: Record<string, unknown>;
  /** Base environment options of every trial (default `{}`). */
  envOptions: Record<string, unknown>;
  /** Episodes per evaluation, periodic and final (default 10). */
  evalEpisodes: number;
  /** Evaluate every this many steps (default: the train run's, steps/20 and at least 1000). */
  evalEvery?: number | undefined;
  /** Checkpoint every this many steps (default: the train run's, steps/10 and at least 1000). */
  checkpointEvery?: number | undefined;
}

const RANGE = { min: zc.finite(), max: zc.finite() };

const DISTRIBUTION_SCHEMA = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('uniform'), ...RANGE }).strict(),
  z.object({ dist: z.literal('log-uniform'), min: zc.positive(), max: zc.positive() }).strict(),
  z.object({ dist: z.literal('int'), min: z.number().int(), max: z.number().int() }).strict(),
  z.object({ dist: z.literal('choice'), values: z.array(z.unknown()).min(1) }).strict(),
]);

/** A parameter name: a key path of the config (`a.b`), or `envOptions.` and an option. */
const PARAM_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

const SWEEP_SCHEMA = z
  .object({
    algo: z.enum(ALGORITHM_NAMES),
    env: z.string().min(1),
    steps: zc.int(1),
    seeds: z.array(zc.seed()).min(1).optional(),
    grid: z.record(z.string().regex(PARAM_NAME), z.array(z.unknown()).min(1)).optional(),
    random: z
      .object({
        count: zc.int(1),
        seed: zc.seed().optional(),
        params: z.record(z.string().regex(PARAM_NAME), DISTRIBUTION_SCHEMA),
      })
      .strict()
      .optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    envOptions: z.record(z.string(), z.unknown()).optional(),
    evalEpisodes: zc.int(1).optional(),
    evalEvery: zc.int(1).optional(),
    checkpointEvery: zc.int(1).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const [name, d] of Object.entries(s.random?.params ?? {})) {
      if (d.dist !== 'choice' && !(d.min < d.max))
        ctx.addIssue({
          code: 'custom',
          path: ['random', 'params', name, 'max'],
          message: `max must be > min (${d.min})`,
        });
      if (s.grid !== undefined && name in s.grid)
        ctx.addIssue({
          code: 'custom',
          path: ['random', 'params', name],
          message: `'${name}' is swept by the grid already`,
        });
    }
    const seeds = s.seeds ?? [];
    const dup = seeds.findIndex((x, i) => seeds.indexOf(x) !== i);
    if (dup >= 0) ctx.addIssue({ code: 'custom', path: ['seeds', dup], message: 'seeds must differ' });
  });

/**
 * Checks a sweep object (e.g. a parsed file) and fills in the defaults; a `ValidationError`
 * names `source`, the key and the rule.
 */
export function parseSweepSpec(input: unknown, source: string): SweepSpec {
  const s = parseConfig(SWEEP_SCHEMA, input, { source, what: 'sweep' });
  return {
    algo: s.algo,
    env: s.env,
    steps: s.steps,
    seeds: s.seeds ?? [0],
    grid: s.grid ?? {},
    random: s.random && { count: s.random.count, seed: s.random.seed ?? 0, params: s.random.params },
    config: s.config ?? {},
    envOptions: s.envOptions ?? {},
    evalEpisodes: s.evalEpisodes ?? 10,
    evalEvery: s.evalEvery,
    checkpointEvery: s.checkpointEvery,
  };
}

/** Reads and checks a sweep file (errors name the file). */
export async function readSweepSpec(file: string): Promise<SweepSpec> {
  return parseSweepSpec(await readJsonObjectFile(file), file);
}
