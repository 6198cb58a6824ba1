/**
 * The DAG sets of the EGS benchmark: generated held-out sets in three size bands, or the DAG
 * files of a folder (files without a deadline get `D = L + s·(vol − L)`).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Dag } from '../dag/dag-task.js';
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
