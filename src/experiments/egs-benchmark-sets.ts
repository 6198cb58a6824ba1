/**
 * The DAG sets of the EGS benchmark: generated held-out sets in three size bands, held-out sets at
 * tight deadlines (the best list-schedule makespan on m cores), or the DAG files of a folder (files
 * without a deadline get `D = L + s·(vol − L)`).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { createAnalysisContext } from '../dag/analysis/analysis-context.js';
import { withDeadline } from '../dag/build-dag.js';
import type { Dag } from '../dag/dag-task.js';
import { listSchedule } from '../dag/schedule/list-scheduler.js';
import { genericPriorities } from '../dag/schedule/min-cores-list-schedule.js';
import { BOUND_METHODS } from '../dag/schedule/schedule-dag.js';
import { withSlackDeadline } from '../dag/generate/deadline.js';
import { readDagFile } from '../dag/io/read-dag-file.js';
import { DagSampler } from '../envs/egs/dag-sampler.js';

/** A named set of DAG tasks with deadlines. */
export interface EgsBenchmarkSet {
  /** Name in tables and file names. */
  name: string;
  /** The tasks (each with a deadline). */
  dags: Dag[];
}

/**
 * Held-out DAG sets in three size bands (10–20, 21–35, 36–50 nodes) with slack factor in
 * [0, slack], drawn from `seed` (the default seed is used nowhere in training).
 */
export function heldOutEgsSets(count: number, seed = 0xbe4c_0e65, slack = 0.3): EgsBenchmarkSet[] {
  const rng = new Rng(seed);
  const bands: [number, number][] = [
    [10, 20],
    [21, 35],
    [36, 50],
  ];
  return bands.map(([lo, hi]) => {
    const sampler = new DagSampler({ nodes: [lo, hi], slack: [0, slack] });
    return { name: `gen-${lo}-${hi}`, dags: Array.from({ length: count }, () => sampler.sample(rng)) };
  });
}

/**
 * The tightest deadline list scheduling is known to meet on `m` cores: the smallest makespan of a
 * simulated list schedule over `listsched`'s priority orders (the generic ones and those of the
 * bound-based methods). With D = this, `listsched` needs at most m cores; the tight regime of the
 * EGS benchmark.
 */
export function tightDeadline(dag: Dag, m: number): number {
  const ctx = createAnalysisContext(dag);
  let best = Infinity;
  const orders = [
    ...genericPriorities(ctx).map((o) => o.ranks),
    ...BOUND_METHODS.map((b) => b.priority(ctx)),
  ];
  for (const ranks of orders) best = Math.min(best, listSchedule(dag, m, ranks).makespan);
  return best;
}

/** Options of {@link tightEgsSets}. */
export interface TightEgsSetsOptions {
  /** DAGs per (size band, core count). */
  count: number;
  /** Node ranges of the size bands (default [20, 35] and [40, 60]). */
  bands?: [number, number][];
  /** Core counts m of the deadlines (default 2 and 4). */
  cores?: number[];
  /** Seed of the DAGs (default: one no training run uses). */
  seed?: number;
}

/**
 * Held-out sets at tight deadlines: per size band and core count m, `count` sampled DAGs (layered
 * and fork-join) with D = {@link tightDeadline}(dag, m), so that list scheduling meets D on m cores.
 * Named `tight-LO-HI-mM`. Declared before any tuning; no training run draws from this seed.
 */
export function tightEgsSets(options: TightEgsSetsOptions): EgsBenchmarkSet[] {
  const rng = new Rng(options.seed ?? 0x71_6b7e);
  const bands = options.bands ?? [
    [20, 35],
    [40, 60],
  ];
  const sets: EgsBenchmarkSet[] = [];
  for (const [lo, hi] of bands) {
    const sampler = new DagSampler({ nodes: [lo, hi], slack: [0, 0] });
    for (const m of options.cores ?? [2, 4]) {
      const dags = Array.from({ length: options.count }, () => {
        const dag = sampler.sample(rng);
        return withDeadline(dag, tightDeadline(dag, m));
      });
      sets.push({ name: `tight-${lo}-${hi}-m${m}`, dags });
    }
  }
  return sets;
}

/**
 * The DAG files (.json, .stg, .dot) of `dir` as one set named after the folder; a file without a
 * deadline gets the one of slack factor `slack`. Errors name the folder as `--set DIR`.
 */
export async function readEgsBenchmarkSet(dir: string, slack: number): Promise<EgsBenchmarkSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /\.(json|stg|dot)$/i.test(f)).sort();
  } catch (e) {
    throw new ArbiterError(
      'bad-set',
      `--set ${dir}: cannot list the folder (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (names.length === 0) throw new ArbiterError('bad-set', `--set ${dir}: no .json, .stg or .dot files`);
  const dags: Dag[] = [];
  for (const f of names) {
    const dag = await readDagFile(path.join(dir, f));
    dags.push(dag.deadline === undefined ? withSlackDeadline(dag, slack) : dag);
  }
  return { name: path.basename(path.resolve(dir)), dags };
}
