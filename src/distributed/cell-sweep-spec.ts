/**
 * The benchmark-cell sweep file (`arbiter sweep CELLS.json`, told from a training sweep by its
 * `benchmark` key) and its cells. HSoC: workloads × loads × policies × seed chunks; EGS: generated
 * held-out sets × methods; EGS held-out (issue 16): sets of a set file × DAG slices × methods; soundness: shards of the soundness DAG set (every method on each).
 * Every setting has the default of the benchmark's own command
 * (`arbiter bench hsoc`, `arbiter bench egs`, `npm run bench -- soundness`). The file is checked by a strict schema: unknown
 * keys, wrong types and out-of-range values are errors that name the file, the key and the rule.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseConfig, zc } from '../core/config-schema.js';
import { ValidationError } from '../core/errors.js';
import { readJsonObjectFile } from '../core/read-json-object.js';
import { HSOC_LOADS, type HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import { HSOC_WORKLOADS, type HsocWorkload } from '../envs/hsoc/hsoc-workloads.js';
import { knowledgeBaseSchema } from '../logic/knowledge-base.js';
import type { KnowledgeBaseSpec } from '../logic/knowledge-base-spec.js';
import { EGS_BENCHMARK_METHODS } from '../experiments/egs-benchmark.js';
import { egsCellSetNames } from '../experiments/egs-cell.js';
import { EGS_HELD_OUT_METHODS, egsHeldOutMethodsOf } from '../experiments/egs-held-out-benchmark.js';
import { egsSetFileHash } from '../experiments/egs-held-out-cell.js';
import {
  EGS_HELD_OUT_LARGE_METHODS,
  EGS_HELD_OUT_LIMITS,
  openEgsHeldOutSetFile,
  selectEgsHeldOutSets,
} from '../experiments/egs-held-out-run.js';
import { HSOC_CELL_POLICIES } from '../experiments/hsoc-cell.js';
import { DAG_SHAPES } from '../experiments/shaped-dag.js';
import { SOUNDNESS_SEED } from '../experiments/soundness-dags.js';
import { SOUNDNESS_DEFAULTS, SOUNDNESS_METHODS } from '../experiments/soundness-shard.js';
import { cellId, type BenchCell } from './bench-cell.js';

const unique = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1)
    .refine((a) => new Set(a).size === a.length, 'values must differ');

const [w0, ...wRest] = HSOC_WORKLOADS;
const [l0, ...lRest] = HSOC_LOADS;

const HSOC_SWEEP_SCHEMA = z
  .object({
    benchmark: z.literal('hsoc'),
    workloads: unique(z.enum([w0!, ...wRest])).optional(),
    loads: unique(z.enum([l0!, ...lRest])).optional(),
    policies: unique(z.enum(HSOC_CELL_POLICIES)).optional(),
    seeds: zc.int(1).optional(),
    seedBase: zc.seed().optional(),
    seedsPerCell: zc.int(1).optional(),
    jobs: z
      .object({ '5-task': zc.int(1).optional(), 'av-42': zc.int(1).optional() })
      .strict()
      .optional(),
    restarts: zc.int(1).optional(),
    trainEpisodes: zc.int(1).optional(),
    threshold: zc.unit().optional(),
    ppoSteps: zc.int(1).optional(),
    idealTaskSearch: z.boolean().optional(),
    kb: z.string().min(1).optional(),
  })
  .strict();

const EGS_SWEEP_SCHEMA = z
  .object({
    benchmark: z.literal('egs'),
    count: zc.int(1).optional(),
    seed: zc.seed().optional(),
    slack: zc.nonNegative().optional(),
    sets: unique(z.string()).optional(),
    methods: unique(z.enum(EGS_BENCHMARK_METHODS)).optional(),
    model: z.string().min(1).optional(),
    samples: zc.int(0).optional(),
    timeLimit: zc.positive().optional(),
    optimalMaxNodes: zc.int(1).optional(),
  })
  .strict();

const EGS_HELD_OUT_SWEEP_SCHEMA = z
  .object({
    benchmark: z.literal('egs-held-out'),
    setFile: z.string().min(1).optional(),
    only: unique(z.string().min(1)).optional(),
    methods: unique(z.enum(EGS_HELD_OUT_METHODS)).optional(),
    dagsPerCell: zc.int(1).optional(),
    optimalLimit: zc.positive().optional(),
    budget: zc.positive().optional(),
    model: z.string().min(1).optional(),
  })
  .strict();

const SOUNDNESS_SWEEP_SCHEMA = z
  .object({
    benchmark: z.literal('soundness'),
    perShape: zc.int(1).optional(),
    seed: zc.seed().optional(),
    tasksPerCell: zc.int(1).optional(),
    methods: unique(z.enum(SOUNDNESS_METHODS)).optional(),
    methodsPerCell: zc.int(1).optional(),
    draws: zc.int(1).optional(),
    budget: zc.int(1).optional(),
    staticBudget: zc.int(1).optional(),
    egsEvery: zc.int(1).optional(),
    optimalEvery: zc.int(1).optional(),
  })
  .strict();

const CELL_SWEEP_SCHEMA = z.discriminatedUnion('benchmark', [
  HSOC_SWEEP_SCHEMA,
  EGS_SWEEP_SCHEMA,
  EGS_HELD_OUT_SWEEP_SCHEMA,
  SOUNDNESS_SWEEP_SCHEMA,
]);

/** A parsed benchmark-cell sweep file, as written (defaults are filled in by {@link expandCellSweep}). */
export type CellSweepSpec = z.output<typeof CELL_SWEEP_SCHEMA>;

/** Whether a parsed sweep file describes benchmark cells (it has a `benchmark` key). */
export function isCellSweep(doc: Readonly<Record<string, unknown>>): boolean {
  return 'benchmark' in doc;
}

/** Checks a cell sweep object (e.g. a parsed file); a `ValidationError` names `source`, the key and the rule. */
export function parseCellSweepSpec(input: unknown, source: string): CellSweepSpec {
  return parseConfig(CELL_SWEEP_SCHEMA, input, { source, what: 'cell sweep' });
}

/** Reads and checks a cell sweep file (errors name the file). */
export async function readCellSweepSpec(file: string): Promise<CellSweepSpec> {
  return parseCellSweepSpec(await readJsonObjectFile(file), file);
}

/**
 * The cells of `spec` in order. HSoC: workload, load, policy (each in the benchmark's order, as
 * listed in the file), then seed chunks of `seedsPerCell`; the knowledge base (file `kb`, default
 * `examples/logic/light-load.json`) is read here and travels in the `dynamic-rules` cells. EGS:
 * set, then method. Soundness: slices of `tasksPerCell` tasks (default 100) of the whole set, in
 * task order, then runs of `methodsPerCell` of the chosen methods (in the benchmark's order). `source` (the file) is named in errors.
 */
export async function expandCellSweep(spec: CellSweepSpec, source: string): Promise<BenchCell[]> {
  if (spec.benchmark === 'soundness') {
    const d = SOUNDNESS_DEFAULTS;
    const perShape = spec.perShape ?? d.perShape;
    const total = DAG_SHAPES.length * perShape;
    const chunk = spec.tasksPerCell ?? 100;
    const methods = SOUNDNESS_METHODS.filter((m) => spec.methods === undefined || spec.methods.includes(m));
    const perCell = spec.methodsPerCell ?? methods.length;
    const cells: BenchCell[] = [];
    for (let from = 0; from < total; from += chunk)
      for (let m = 0; m < methods.length; m += perCell) {
        const input = {
          seed: spec.seed ?? SOUNDNESS_SEED,
          perShape,
          from,
          to: Math.min(total, from + chunk),
          draws: spec.draws ?? d.draws,
          budget: spec.budget ?? d.budget,
          staticBudget: spec.staticBudget ?? d.staticBudget,
          egsEvery: spec.egsEvery ?? d.egsEvery,
          optimalEvery: spec.optimalEvery ?? d.optimalEvery,
          methods: methods.slice(m, m + perCell),
        };
        cells.push({ id: cellId({ benchmark: 'soundness', input }), benchmark: 'soundness', input });
      }
    return cells;
  }
  if (spec.benchmark === 'egs-held-out') return expandEgsHeldOutCells(spec, source);
  if (spec.benchmark === 'egs') {
    const names = egsCellSetNames();
    const sets = spec.sets ?? names;
    sets.forEach((s, i) => {
      if (!names.includes(s))
        throw new ValidationError('cell-sweep', `no generated set '${s}' (sets: ${names.join(', ')})`, {
          file: source,
          item: `sets[${i}]`,
        });
    });
    const cells: BenchCell[] = [];
    for (const set of sets)
      for (const method of spec.methods ?? EGS_BENCHMARK_METHODS) {
        const input = {
          sets: { count: spec.count ?? 16, seed: spec.seed ?? 0xbe4c0e65, slack: spec.slack ?? 0.3 },
          set,
          method,
          ...(spec.model !== undefined && { model: spec.model }),
          samples: spec.samples ?? 16,
          timeLimitS: spec.timeLimit ?? 5,
          optimalMaxNodes: spec.optimalMaxNodes ?? 20,
        };
        cells.push({ id: cellId({ benchmark: 'egs', input }), benchmark: 'egs', input });
      }
    return cells;
  }
  const policies = spec.policies ?? HSOC_CELL_POLICIES;
  const knowledgeBase = policies.includes('dynamic-rules')
    ? await readKnowledgeBase(spec.kb ?? 'examples/logic/light-load.json', source)
    : undefined;
  const seeds = spec.seeds ?? 20;
  const seedBase = spec.seedBase ?? 1000;
  const chunk = spec.seedsPerCell ?? seeds;
  const jobs: Record<HsocWorkload, number> = { '5-task': 12, 'av-42': 4, ...spec.jobs };
  const cells: BenchCell[] = [];
  const inOrder = <T>(all: readonly T[], chosen: readonly T[] | undefined): T[] =>
    all.filter((x) => chosen === undefined || chosen.includes(x));
  for (const workload of inOrder(HSOC_WORKLOADS, spec.workloads))
    for (const load of inOrder<HsocLoad>(HSOC_LOADS, spec.loads))
      for (const policy of inOrder(HSOC_CELL_POLICIES, policies))
        for (let s = 0; s < seeds; s += chunk) {
          const input = {
            workload,
            load,
            policy,
            seedBase: seedBase + s,
            seeds: Math.min(chunk, seeds - s),
            jobs: jobs[workload],
            lnn: { restarts: spec.restarts ?? 8, trainEpisodes: spec.trainEpisodes ?? 2000 },
            threshold: spec.threshold ?? 0.5,
            ppoSteps: spec.ppoSteps ?? 60_000,
            idealTaskSearch: spec.idealTaskSearch ?? true,
            ...(policy === 'dynamic-rules' && { knowledgeBase }),
          };
          cells.push({ id: cellId({ benchmark: 'hsoc', input }), benchmark: 'hsoc', input });
        }
  return cells;
}

/**
 * EGS held-out cells: per chosen set of the set file (default the package's), in the file's
 * order, slices of `dagsPerCell` DAGs (default the whole set), then each chosen method that the
 * benchmark runs on that set (report order).
 */
async function expandEgsHeldOutCells(
  spec: Extract<CellSweepSpec, { benchmark: 'egs-held-out' }>,
  source: string,
): Promise<BenchCell[]> {
  const opened = await openEgsHeldOutSetFile(spec.setFile);
  const setFile = resolve(opened.path);
  const sha256 = egsSetFileHash(await readFile(setFile, 'utf8'));
  let chosen;
  try {
    chosen = selectEgsHeldOutSets(opened.file, spec.only, setFile);
  } catch (e) {
    throw new ValidationError('cell-sweep', (e as Error).message, { file: source, item: "key 'only'" });
  }
  const select = {
    largeMethods: EGS_HELD_OUT_LARGE_METHODS,
    ...(spec.methods !== undefined && { methods: spec.methods }),
  };
  const cells: BenchCell[] = [];
  for (const set of chosen.sets) {
    const setIndex = opened.file.sets.indexOf(set);
    const chunk = spec.dagsPerCell ?? set.items.length;
    for (let from = 0; from < set.items.length; from += chunk)
      for (const method of egsHeldOutMethodsOf(set, select)) {
        const input = {
          setFile,
          sha256,
          set: set.name,
          setIndex,
          from,
          to: Math.min(set.items.length, from + chunk),
          method,
          optimalTimeLimitS: spec.optimalLimit ?? EGS_HELD_OUT_LIMITS.optimalTimeLimitS,
          budgetS: spec.budget ?? EGS_HELD_OUT_LIMITS.budgetS,
          ...(spec.model !== undefined && { model: spec.model }),
        };
        cells.push({ id: cellId({ benchmark: 'egs-held-out', input }), benchmark: 'egs-held-out', input });
      }
  }
  return cells;
}

async function readKnowledgeBase(file: string, source: string): Promise<KnowledgeBaseSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ValidationError(
      'cell-sweep',
      `cannot read the knowledge base ${file}: ${(e as Error).message}`,
      {
        file: source,
        item: "key 'kb'",
      },
    );
  }
  return parseConfig(knowledgeBaseSchema, JSON.parse(text), {
    source: file,
    what: 'knowledge base',
  }) as KnowledgeBaseSpec;
}
