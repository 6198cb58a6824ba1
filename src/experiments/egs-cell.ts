/**
 * One cell of the EGS benchmark: one method on every DAG of one generated held-out set, as plain
 * data in and out, so that cells can run anywhere (a sweep's worker processes or machines). The
 * set is drawn again from its seed where the cell runs (the same DAGs on every machine); the rows
 * are those `runEgsBenchmark` gives for the same set and method, and `summarizeEgsBenchmark` of
 * every cell's rows is the benchmark's summary.
 */
import { loadEgsPolicyModel, resolveEgsModelPath } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { EGS_BENCHMARK_METHODS, runEgsMethodOnDag, type EgsBenchmarkRow } from './egs-benchmark.js';
import { heldOutEgsSets } from './egs-benchmark-sets.js';

/** One of the benchmark's methods. */
export type EgsCellMethod = (typeof EGS_BENCHMARK_METHODS)[number];

/** Everything a cell depends on (its id is a hash of this). */
export interface EgsCellInput {
  /** The generated held-out sets (`heldOutEgsSets(count, seed, slack)`). */
  sets: { count: number; seed: number; slack: number };
  /** The set of those this cell runs (`gen-10-20`, `gen-21-35`, `gen-36-50`). */
  set: string;
  /** Method. */
  method: EgsCellMethod;
  /** The policy of `egs` and `egs-search`: `small`, `large` or a model file (default: small, large). */
  model?: string | undefined;
  /** `egs-search`: policy episodes besides the beam. */
  samples: number;
  /** `optimal`: solver time limit per DAG in seconds. */
  timeLimitS: number;
  /** `optimal`: DAGs with at most this many nodes. */
  optimalMaxNodes: number;
}

/** What a cell gives: its rows (one per DAG the method ran on, set order). */
export interface EgsCellResult {
  /** Set name. */
  set: string;
  /** Method. */
  method: EgsCellMethod;
  /** The rows. */
  rows: EgsBenchmarkRow[];
}

const schedulers = new Map<string, EgsPolicyScheduler>();

/** The scheduler of a model file, loaded on first use in this process. */
function scheduler(file: string): EgsPolicyScheduler {
  let s = schedulers.get(file);
  if (s === undefined) {
    s = new EgsPolicyScheduler(loadEgsPolicyModel(file));
    schedulers.set(file, s);
  }
  return s;
}

/** The set names of the generated held-out sets, in the benchmark's order. */
export function egsCellSetNames(): string[] {
  return heldOutEgsSets(0).map((s) => s.name);
}

/** Runs one cell (deterministic but for the times; `optimal` also depends on its time limit). */
export async function runEgsCell(input: EgsCellInput): Promise<EgsCellResult> {
  const set = heldOutEgsSets(input.sets.count, input.sets.seed, input.sets.slack).find(
    (s) => s.name === input.set,
  );
  if (set === undefined)
    throw new Error(`no generated EGS set named '${input.set}' (${egsCellSetNames().join(', ')})`);
  const options = {
    scheduler: scheduler(resolveEgsModelPath(input.model, 'egs')),
    searchScheduler: scheduler(resolveEgsModelPath(input.model, 'egs-search')),
    searchSamples: input.samples,
    optimalTimeLimitS: input.timeLimitS,
    optimalMaxNodes: input.optimalMaxNodes,
  };
  const rows: EgsBenchmarkRow[] = [];
  for (const dag of set.dags) {
    const row = await runEgsMethodOnDag(set.name, dag, input.method, options);
    if (row !== undefined) rows.push(row);
  }
  return { set: set.name, method: input.method, rows };
}
