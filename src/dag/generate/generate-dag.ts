/**
 * Seeded random DAG tasks by family (layered, fork-join or the two Kasahara-style ones) with a slack-based deadline: one task, or a
 * set in which each task can be reproduced alone from its seed.
 */
import { ArbiterError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { buildDag } from '../build-dag.js';
import type { Dag, DagTaskSpec } from '../dag-task.js';
import { withSlackDeadline } from './deadline.js';
import { generateForkJoinDag, type ForkJoinDagOptions } from './fork-join-dag.js';
import { generateLayeredDag, type LayeredDagOptions } from './layered-dag.js';
import { generateSamePredecessorsDag } from './same-predecessors-dag.js';
import { generateSameProbabilityDag, type SameProbabilityDagOptions } from './same-probability-dag.js';

/** The random DAG families {@link generateDag} knows. */
export type DagKind = 'layered' | 'fork-join' | 'same-probability' | 'same-predecessors';

/** Every {@link DagKind}. */
export const DAG_KINDS: readonly DagKind[] = [
  'layered',
  'fork-join',
  'same-probability',
  'same-predecessors',
];

/**
 * Options of {@link generateDag}: the family, size, seed and slack, plus the options of the
 * family's generator (those of the other family are ignored).
 */
export interface GenerateDagOptions
  extends
    Omit<LayeredDagOptions, 'nodes' | 'name'>,
    Omit<ForkJoinDagOptions, 'nodes' | 'name'>,
    Omit<SameProbabilityDagOptions, 'nodes' | 'name' | 'edgeProbability'> {
  /** Generator family. Default `'layered'`. */
  kind?: DagKind;
  /** Number of nodes (integer ≥ 1); fork-join DAGs meet it exactly too. */
  nodes: number;
  /** Seed of the task's own {@link Rng}. */
  seed: number;
  /** Slack factor s of the deadline `D = ⌈L + s·(vol − L)⌉`, in [0, 1]. Default 0.5. */
  slack?: number;
  /** Task name. Default `{kind}-n{nodes}-s{seed}`, e.g. `layered-n20-s1`. */
  name?: string;
}

/** Options of {@link generateDagSet}: those of {@link generateDag} plus the set size. */
export interface GenerateDagSetOptions extends GenerateDagOptions {
  /** Number of DAG tasks (integer ≥ 0). */
  count: number;
}

/**
 * One seeded random DAG task with its deadline set by slack: makes `new Rng(seed)`, runs the
 * family's generator, validates the graph with `buildDag`, and sets `D = ⌈L + s·(vol − L)⌉`.
 * Same options → the identical task.
 */
export function generateDag(options: GenerateDagOptions): Dag {
  const { kind = 'layered', nodes, seed, slack = 0.5 } = options;
  if (!Number.isFinite(seed))
    throw new ArbiterError('bad-option', `seed must be a finite number, got ${seed}`);
  const rng = new Rng(seed);
  const name = options.name ?? `${kind}-n${nodes}-s${seed}`;
  let spec: DagTaskSpec;
  if (kind === 'layered') spec = generateLayeredDag({ ...options, nodes, name }, rng);
  else if (kind === 'fork-join') spec = generateForkJoinDag({ ...options, nodes, name }, rng);
  // The Kasahara-style families share the layered family's `edgeProbability` key; WCETs 1–10 unless given.
  else if (kind === 'same-probability')
    spec = generateSameProbabilityDag({ wcetMax: 10, ...options, nodes, name }, rng);
  else if (kind === 'same-predecessors')
    spec = generateSamePredecessorsDag({ wcetMax: 10, ...options, nodes, name }, rng);
  else
    throw new ArbiterError(
      'bad-option',
      `kind must be one of ${DAG_KINDS.join(', ')}, got '${String(kind)}'`,
    );
  return withSlackDeadline(buildDag(spec), slack);
}

/**
 * `count` seeded DAG tasks: task i is `generateDag({ ...options, seed: options.seed + i })`, so
 * any one task of a set can be reproduced alone (and the default names, which carry the seed,
 * differ). A given `name` becomes `{name}-{i}` to keep names unique.
 */
export function generateDagSet(options: GenerateDagSetOptions): Dag[] {
  const { count, ...rest } = options;
  if (!Number.isInteger(count) || count < 0)
    throw new ArbiterError('bad-option', `count must be an integer >= 0, got ${count}`);
  return Array.from({ length: count }, (_, i) =>
    generateDag({
      ...rest,
      seed: rest.seed + i,
      ...(rest.name !== undefined && { name: `${rest.name}-${i}` }),
    }),
  );
}
