/**
 * The held-out sets of the issue-16 EGS benchmark, declared before any tuning: seeded DAGs of 50,
 * 100, 300 and 1,000 nodes, a mix of four generators (Kasahara-style same probability and same
 * predecessors, layered, fork-join; WCETs 1–10), each at m = 2, 4, 8 cores with the tight deadline
 * D = the best makespan known on m cores (`bestKnownMakespan`), plus the two STG samples at their
 * published optimal makespans. No training run draws from these seeds (the training seeds are
 * small multiples of 7919 plus an offset, 0x5eede65, 0xbe4c0e65, 0x716b7e and 0x7e57, and the
 * sampler's own draws; see {@link isEgsHeldOutSeed}).
 *
 * Generating the sets can be slow (D from an exact solver), so it is a separate step that writes a
 * versioned set file (`egs-set-file.ts`); the benchmark only reads it.
 */
import path from 'node:path';
import { buildDag, dagToSpec, withDeadline } from '../dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../dag/dag-task.js';
import { generateDag, type DagKind, type GenerateDagOptions } from '../dag/generate/generate-dag.js';
import { readDagFile } from '../dag/io/read-dag-file.js';
import { bestKnownMakespan } from '../dag/optimal/best-known-makespan.js';

/** Version of the declaration; a set file of another version is stale. */
export const EGS_SETS_VERSION = 1;

/** First seed of the held-out DAGs; DAG seeds are `base + 100·n + 10·generator + i`. */
export const EGS_HELD_OUT_SEED_BASE = 0x16e9_0000;

/** The generators of the generated sets, in the order of their seed digit. */
export const EGS_SET_GENERATORS = ['same-probability', 'same-predecessors', 'layered', 'fork-join'] as const;

/** A generator of the held-out sets. */
export type EgsSetGenerator = (typeof EGS_SET_GENERATORS)[number];

/** One generated size of the declaration. */
export interface EgsGeneratedSize {
  /** Node count of every DAG. */
  nodes: number;
  /** DAGs per generator (the set has 4× as many). */
  perGenerator: number;
  /** Core counts m; one set per m, all on the same DAGs. */
  cores: number[];
}

/** One STG sample of the declaration, with its published optimal makespans. */
export interface EgsStgSample {
  /** Path in the repository. */
  file: string;
  /** Nominal size (tasks without the dummy entry and exit). */
  nodes: number;
  /** Published optimal makespan by core count m (stg-optimal-makespans.csv). */
  optimal: Record<string, number>;
}

/** What the held-out sets are; a set file records the one it was made from. */
export interface EgsSetDeclaration {
  /** {@link EGS_SETS_VERSION}. */
  version: number;
  /** {@link EGS_HELD_OUT_SEED_BASE}. */
  seedBase: number;
  /** WCET range of the generated DAGs (integers). */
  wcet: [number, number];
  /** Generated sizes. */
  sizes: EgsGeneratedSize[];
  /** STG samples. */
  stg: EgsStgSample[];
}

/**
 * The declared sets. Modest counts so the whole benchmark fits about 25 minutes on a loaded
 * 2-core machine: 16 DAGs (4 per generator) at 50 and 100 nodes, 8 (2 per generator) at 300
 * nodes, 4 (1 per generator) at 1,000 nodes; the 1,000-node generalisation set at m = 8 only.
 */
export const EGS_SET_DECLARATION: Readonly<EgsSetDeclaration> = Object.freeze<EgsSetDeclaration>({
  version: EGS_SETS_VERSION,
  seedBase: EGS_HELD_OUT_SEED_BASE,
  wcet: [1, 10],
  sizes: [
    { nodes: 50, perGenerator: 4, cores: [2, 4, 8] },
    { nodes: 100, perGenerator: 4, cores: [2, 4, 8] },
    { nodes: 300, perGenerator: 2, cores: [2, 4, 8] },
    { nodes: 1000, perGenerator: 1, cores: [8] },
  ],
  stg: [
    { file: 'examples/dag/stg-50-rand0007.stg', nodes: 50, optimal: { '2': 260, '4': 130, '8': 77 } },
    { file: 'examples/dag/stg-100-rand0001.stg', nodes: 100, optimal: { '2': 267, '4': 134, '8': 81 } },
  ],
});

/** Seed of DAG `i` of `generator` at `nodes` nodes. */
export function egsHeldOutSeed(
  decl: EgsSetDeclaration,
  nodes: number,
  generator: EgsSetGenerator,
  i: number,
): number {
  return decl.seedBase + 100 * nodes + 10 * EGS_SET_GENERATORS.indexOf(generator) + i;
}

/** Whether a seed is one of the held-out DAGs' (a training run must not use it). */
export function isEgsHeldOutSeed(seed: number, decl: EgsSetDeclaration = EGS_SET_DECLARATION): boolean {
  for (const s of decl.sizes)
    for (const g of EGS_SET_GENERATORS)
      for (let i = 0; i < s.perGenerator; i++) if (egsHeldOutSeed(decl, s.nodes, g, i) === seed) return true;
  return false;
}

/**
 * The generator options of DAG `i`: two density variants alternate (sparser for even i), so a
 * set of 2 per generator has both; fork-join nests deeper on larger DAGs so it does not
 * degenerate into one wide fan.
 */
export function egsGeneratorOptions(
  decl: EgsSetDeclaration,
  generator: EgsSetGenerator,
  nodes: number,
  i: number,
): GenerateDagOptions {
  const dense = i % 2 === 1;
  const base = {
    kind: generator satisfies DagKind,
    nodes,
    seed: egsHeldOutSeed(decl, nodes, generator, i),
    wcetMin: decl.wcet[0],
    wcetMax: decl.wcet[1],
    name: `${generator}-n${nodes}-${i}`,
  };
  switch (generator) {
    case 'same-probability':
    case 'same-predecessors':
      return { ...base, meanPredecessors: dense ? 4 : 2 };
    case 'layered':
      return { ...base, edgeProbability: dense ? 0.3 : 0.15 };
    case 'fork-join':
      return {
        ...base,
        nestProbability: dense ? 0.7 : 0.5,
        maxDepth: Math.max(3, Math.round(Math.log(nodes) / Math.log(3))),
      };
  }
}

/** One DAG of the sets, without a deadline. */
export interface EgsSetDag {
  /** Unique key (the DAG's name). */
  key: string;
  /** `same-probability`, `same-predecessors`, `layered`, `fork-join` or `stg`. */
  generator: EgsSetGenerator | 'stg';
  /** Generator seed (absent for STG files). */
  seed?: number;
  /** The STG file (STG samples only). */
  file?: string;
  /** The DAG in the canonical JSON form (no deadline). */
  spec: DagTaskSpec;
}

/** One DAG of a set at its tight deadline. */
export interface EgsSetItem {
  /** Key of the DAG in {@link EgsSetDag}. */
  dag: string;
  /** The deadline D: the best makespan known on m cores. */
  D: number;
  /** Whether D is proved the minimum makespan on m cores. */
  proven: boolean;
  /** Lower bound on the makespan on m cores. */
  lowerBound: number;
  /** What found D (e.g. `list:lst`, `milp`, `published`). */
  by: string;
}

/** One held-out set: DAGs of one size on m cores. */
export interface EgsHeldOutSet {
  /** Name, e.g. `gen-50-m4`, `stg-100-m8`. */
  name: string;
  /** Nominal node count. */
  nodes: number;
  /** Core count m of the deadlines. */
  m: number;
  /** The DAGs at their deadlines. */
  items: EgsSetItem[];
}

/** Every DAG and set of a declaration (what the set file holds besides its header). */
export interface EgsHeldOutSets {
  dags: EgsSetDag[];
  sets: EgsHeldOutSet[];
}

/** The generated DAGs of a declaration (fast; no deadline), in size, generator, index order. */
export function generateEgsSetDags(decl: EgsSetDeclaration, nodes: number): EgsSetDag[] {
  const size = decl.sizes.find((s) => s.nodes === nodes);
  if (!size) return [];
  const out: EgsSetDag[] = [];
  for (const g of EGS_SET_GENERATORS)
    for (let i = 0; i < size.perGenerator; i++) {
      const options = egsGeneratorOptions(decl, g, nodes, i);
      const spec = dagToSpec(withDeadline(generateDag({ ...options, slack: 1 }), undefined));
      out.push({ key: options.name!, generator: g, seed: options.seed, spec });
    }
  return out;
}

/** The STG samples of a declaration as set DAGs (read from `root`, the repository). */
export async function readEgsStgDags(decl: EgsSetDeclaration, root = '.'): Promise<EgsSetDag[]> {
  return Promise.all(
    decl.stg.map(async (s) => {
      const dag = withDeadline(await readDagFile(path.join(root, s.file)), undefined);
      const key = `stg-${s.nodes}-${path.basename(s.file, '.stg').replace(/^stg-\d+-/, '')}`;
      return { key, generator: 'stg' as const, file: s.file, spec: { ...dagToSpec(dag), name: key } };
    }),
  );
}

/** Options of {@link generateEgsHeldOutSets}. */
export interface GenerateEgsSetsOptions {
  /** Time limit in seconds of each `bestKnownMakespan` call. */
  timeLimitS?: number;
  /** Repository root (for the STG files). Default `.`. */
  root?: string;
  /** Called after each (DAG, m). */
  onItem?: (set: string, dag: string, item: EgsSetItem) => void;
}

/**
 * Every DAG and set of `decl`: generated DAGs at D = `bestKnownMakespan(dag, m)` for each
 * declared m, STG samples at their published optimal makespans (proved, lower bound = D).
 */
export async function generateEgsHeldOutSets(
  decl: EgsSetDeclaration,
  options: GenerateEgsSetsOptions = {},
): Promise<EgsHeldOutSets> {
  const dags: EgsSetDag[] = [];
  const sets: EgsHeldOutSet[] = [];
  for (const size of decl.sizes) {
    const own = generateEgsSetDags(decl, size.nodes);
    dags.push(...own);
    for (const m of size.cores) {
      const name = `gen-${size.nodes}-m${m}`;
      const items: EgsSetItem[] = [];
      for (const d of own) {
        const best = await bestKnownMakespan(buildDag(d.spec), m, {
          ...(options.timeLimitS !== undefined && { timeLimitS: options.timeLimitS }),
          seed: d.seed ?? 0,
        });
        const item = {
          dag: d.key,
          D: best.makespan,
          proven: best.proven,
          lowerBound: best.lowerBound,
          by: best.by,
        };
        items.push(item);
        options.onItem?.(name, d.key, item);
      }
      sets.push({ name, nodes: size.nodes, m, items });
    }
  }
  const stg = await readEgsStgDags(decl, options.root);
  dags.push(...stg);
  decl.stg.forEach((s, k) => {
    for (const [mText, D] of Object.entries(s.optimal)) {
      const m = Number(mText);
      const item = { dag: stg[k]!.key, D, proven: true, lowerBound: D, by: 'published (Kasahara STG)' };
      sets.push({ name: `stg-${s.nodes}-m${m}`, nodes: s.nodes, m, items: [item] });
      options.onItem?.(`stg-${s.nodes}-m${m}`, stg[k]!.key, item);
    }
  });
  return { dags, sets };
}

/** A set's DAGs with their deadlines, ready to schedule. */
export function egsSetTasks(all: EgsHeldOutSets, set: EgsHeldOutSet): Dag[] {
  const byKey = new Map(all.dags.map((d) => [d.key, d]));
  return set.items.map((item) => {
    const d = byKey.get(item.dag);
    if (!d) throw new Error(`egs sets: set ${set.name} names an unknown DAG '${item.dag}'`);
    return buildDag({ ...d.spec, deadline: item.D });
  });
}
