/**
 * One benchmark cell of a sweep: which benchmark (`hsoc`, `egs`, `egs-held-out`, `soundness`) and the complete input of one
 * of its cells, plain data, validated by a strict schema wherever it crosses a process or machine
 * boundary, and named by a content hash of that input, so that the same cell has the same id in
 * every process, after every restart (a duplicate delivery is recognised as the same cell).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../core/canonical-json.js';
import { parseConfig, zc } from '../core/config-schema.js';
import { ValidationError } from '../core/errors.js';
import { HSOC_LOADS } from '../envs/hsoc/hsoc-platform.js';
import { HSOC_WORKLOADS } from '../envs/hsoc/hsoc-workloads.js';
import { knowledgeBaseSchema } from '../logic/knowledge-base.js';
import { EGS_BENCHMARK_METHODS } from '../experiments/egs-benchmark.js';
import type { EgsCellInput, EgsCellResult } from '../experiments/egs-cell.js';
import { EGS_HELD_OUT_METHODS } from '../experiments/egs-held-out-benchmark.js';
import type { EgsHeldOutCellInput, EgsHeldOutCellResult } from '../experiments/egs-held-out-cell.js';
import { HSOC_CELL_POLICIES, type HsocCellInput, type HsocCellResult } from '../experiments/hsoc-cell.js';
import { DAG_SHAPES } from '../experiments/shaped-dag.js';
import {
  SOUNDNESS_METHODS,
  type SoundnessShardInput,
  type SoundnessShardResult,
} from '../experiments/soundness-shard.js';

/** The benchmarks whose cells a sweep can run (`egs-held-out`: the issue-16 regime of a set file). */
export const CELL_BENCHMARKS = ['hsoc', 'egs', 'egs-held-out', 'soundness'] as const;

/** One of {@link CELL_BENCHMARKS}. */
export type CellBenchmark = (typeof CELL_BENCHMARKS)[number];

/** A cell: its benchmark and input, and the id of the two. */
export type BenchCell =
  | { id: string; benchmark: 'hsoc'; input: HsocCellInput }
  | { id: string; benchmark: 'egs'; input: EgsCellInput }
  | { id: string; benchmark: 'egs-held-out'; input: EgsHeldOutCellInput }
  | { id: string; benchmark: 'soundness'; input: SoundnessShardInput };

/** A finished cell (`cells/<id>.json`, and a queue job's return value). */
export type CellOutcome = (
  | { id: string; benchmark: 'hsoc'; result: HsocCellResult }
  | { id: string; benchmark: 'egs'; result: EgsCellResult }
  | { id: string; benchmark: 'egs-held-out'; result: EgsHeldOutCellResult }
  | { id: string; benchmark: 'soundness'; result: SoundnessShardResult }
) & {
  /** Wall time of the cell, in seconds. */
  wallSeconds: number;
};

const [w0, ...wRest] = HSOC_WORKLOADS;
const [l0, ...lRest] = HSOC_LOADS;

const HSOC_INPUT_SCHEMA = z
  .object({
    workload: z.enum([w0!, ...wRest]),
    load: z.enum([l0!, ...lRest]),
    policy: z.enum(HSOC_CELL_POLICIES),
    seedBase: zc.seed(),
    seeds: zc.int(1),
    jobs: zc.int(1),
    lnn: z.object({ restarts: zc.int(1), trainEpisodes: zc.int(1) }).strict(),
    threshold: zc.unit(),
    ppoSteps: zc.int(1),
    idealTaskSearch: z.boolean(),
    knowledgeBase: knowledgeBaseSchema.optional(),
  })
  .strict();

const EGS_INPUT_SCHEMA = z
  .object({
    sets: z.object({ count: zc.int(1), seed: zc.seed(), slack: zc.nonNegative() }).strict(),
    set: z.string().min(1),
    method: z.enum(EGS_BENCHMARK_METHODS),
    model: z.string().min(1).optional(),
    samples: zc.int(0),
    timeLimitS: zc.positive(),
    optimalMaxNodes: zc.int(1),
  })
  .strict();

const EGS_HELD_OUT_INPUT_SCHEMA = z
  .object({
    setFile: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'),
    set: z.string().min(1),
    setIndex: zc.int(0),
    from: zc.int(0),
    to: zc.int(1),
    method: z.enum(EGS_HELD_OUT_METHODS),
    optimalTimeLimitS: zc.positive(),
    budgetS: zc.positive(),
    model: z.string().min(1).optional(),
  })
  .strict()
  .refine((i) => i.from < i.to, { message: 'DAGs from…to must be a non-empty range', path: ['to'] });

const SOUNDNESS_INPUT_SCHEMA = z
  .object({
    seed: zc.seed(),
    perShape: zc.int(1),
    from: zc.int(0),
    to: zc.int(0),
    draws: zc.int(1),
    budget: zc.int(1),
    staticBudget: zc.int(1),
    egsEvery: zc.int(1),
    optimalEvery: zc.int(1),
    methods: z
      .array(z.enum(SOUNDNESS_METHODS))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'values must differ'),
  })
  .strict()
  .refine((i) => i.from < i.to && i.to <= DAG_SHAPES.length * i.perShape, {
    message: 'tasks from…to must be a non-empty slice of the set',
    path: ['to'],
  });

/** Rules of a {@link BenchCell} received from another process or from a queue (strict). */
export const BENCH_CELL_SCHEMA = z.discriminatedUnion('benchmark', [
  z.object({ id: z.string(), benchmark: z.literal('hsoc'), input: HSOC_INPUT_SCHEMA }).strict(),
  z.object({ id: z.string(), benchmark: z.literal('egs'), input: EGS_INPUT_SCHEMA }).strict(),
  z
    .object({ id: z.string(), benchmark: z.literal('egs-held-out'), input: EGS_HELD_OUT_INPUT_SCHEMA })
    .strict(),
  z.object({ id: z.string(), benchmark: z.literal('soundness'), input: SOUNDNESS_INPUT_SCHEMA }).strict(),
]);

/** The id of a cell: `c` and 16 hex digits of the SHA-256 of its benchmark and input (canonical JSON). */
export function cellId(cell: Pick<BenchCell, 'benchmark' | 'input'>): string {
  const doc = canonicalJson({ benchmark: cell.benchmark, input: cell.input });
  return 'c' + createHash('sha256').update(doc).digest('hex').slice(0, 16);
}

/** Validates a cell that came from elsewhere: the schema, and an id that matches its content. */
export function parseBenchCell(input: unknown, source: string): BenchCell {
  const cell = parseConfig(BENCH_CELL_SCHEMA, input, { source, what: 'benchmark cell' }) as BenchCell;
  const expected = cellId(cell);
  if (cell.id !== expected)
    throw new ValidationError('cell-id', `id ${cell.id} does not match the cell's content (${expected})`, {
      file: source,
      item: "key 'id'",
    });
  return cell;
}

/** Whether `v` is the outcome of cell `id` (what a worker's job returns). */
export function isCellOutcomeOf(v: unknown, id: string): v is CellOutcome {
  const o = v as Partial<CellOutcome> | null;
  return o !== null && typeof o === 'object' && o.id === id && typeof o.result === 'object';
}
