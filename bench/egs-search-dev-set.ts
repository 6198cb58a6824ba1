/**
 * The development set of the `egs-search` seed work (`npm run bench -- egs-search-dev`): seeded
 * DAGs of 50 and 100 nodes from the four generators of the issue-16 sets (same options, WCETs
 * 1–10) but from their own seed base, disjoint from the held-out seeds (`isEgsHeldOutSeed`,
 * checked) and from the STG samples, each at m = 2, 4, 8 with D = `bestKnownMakespan(dag, m,
 * { timeLimitS: 5 })`. Computing D is the slow part, so the deadlines can be cached in a JSON file
 * keyed by DAG name and m.
 */
import fs from 'node:fs';
import { withDeadline } from '../src/dag/build-dag.js';
import type { Dag } from '../src/dag/dag-task.js';
import { generateDag } from '../src/dag/generate/generate-dag.js';
import { bestKnownMakespan, type BestKnownMakespan } from '../src/dag/optimal/best-known-makespan.js';
import {
  EGS_SET_DECLARATION,
  EGS_SET_GENERATORS,
  egsGeneratorOptions,
  isEgsHeldOutSeed,
} from '../src/experiments/egs-held-out-sets.js';

/** Seed base of the development DAGs (the held-out sets use 0x16e90000). */
export const EGS_SEARCH_DEV_SEED_BASE = 0x0de5_0000;

/** One development task: a DAG at the tight deadline of m cores. */
export interface DevTask {
  /** `dev-<nodes>-m<m>`. */
  set: string;
  nodes: number;
  m: number;
  /** The DAG with D set. */
  dag: Dag;
  /** How D was found. */
  best: BestKnownMakespan;
}

/** Options of {@link egsSearchDevSet}. */
export interface DevSetOptions {
  /** DAGs per generator and size (default 3). */
  perGenerator?: number;
  /** Sizes (default [50, 100]). */
  sizes?: readonly number[];
  /** Core counts (default [2, 4, 8]). */
  cores?: readonly number[];
  /** A JSON cache of the deadlines (read when present, written after). */
  cache?: string;
  /** Progress. */
  onTask?: (done: number, total: number) => void;
}

/** The `per=` argument of a development bench (default 8), or an error naming it and its rule. */
export function devSetPer(arg: string | undefined): number {
  const per = Number(arg ?? 8);
  if (!Number.isInteger(per) || per < 1)
    throw new Error(`per=${arg}: DAGs per generator and size must be an integer ≥ 1`);
  return per;
}

/** The development tasks (see the file comment). */
export async function egsSearchDevSet(options: DevSetOptions = {}): Promise<DevTask[]> {
  const decl = { ...EGS_SET_DECLARATION, seedBase: EGS_SEARCH_DEV_SEED_BASE };
  const cache: Record<string, BestKnownMakespan> =
    options.cache !== undefined && fs.existsSync(options.cache)
      ? (JSON.parse(fs.readFileSync(options.cache, 'utf8')) as Record<string, BestKnownMakespan>)
      : {};
  const sizes = options.sizes ?? [50, 100];
  const cores = options.cores ?? [2, 4, 8];
  const per = options.perGenerator ?? 3;
  if (!Number.isInteger(per) || per < 1)
    throw new Error(
      `egs development set: per (DAGs per generator and size) must be an integer ≥ 1, got ${per}`,
    );
  const total = sizes.length * cores.length * EGS_SET_GENERATORS.length * per;
  const tasks: DevTask[] = [];
  for (const nodes of sizes)
    for (const g of EGS_SET_GENERATORS)
      for (let i = 0; i < per; i++) {
        const o = egsGeneratorOptions(decl, g, nodes, i);
        if (isEgsHeldOutSeed(o.seed)) throw new Error(`egs-search-dev: seed ${o.seed} is a held-out seed`);
        const dag = generateDag({ ...o, name: `dev-${g}-n${nodes}-${i}` });
        for (const m of cores) {
          const key = `${dag.name}|m${m}`;
          const best = (cache[key] ??= await bestKnownMakespan(dag, m, { timeLimitS: 5 }));
          tasks.push({ set: `dev-${nodes}-m${m}`, nodes, m, dag: withDeadline(dag, best.makespan), best });
          options.onTask?.(tasks.length, total);
        }
      }
  if (options.cache !== undefined) fs.writeFileSync(options.cache, JSON.stringify(cache, null, 1) + '\n');
  return tasks;
}
