/** DAGs of the `egs-search` development set (bench/egs-search-dev-set.ts), rebuilt for tests at a given D. */
import { EGS_SEARCH_DEV_SEED_BASE } from '../../bench/egs-search-dev-set.js';
import { withDeadline } from '../../src/dag/build-dag.js';
import type { Dag } from '../../src/dag/dag-task.js';
import { generateDag } from '../../src/dag/generate/generate-dag.js';
import {
  EGS_SET_DECLARATION,
  egsGeneratorOptions,
  type EgsSetGenerator,
} from '../../src/experiments/egs-held-out-sets.js';

/** `dev-<generator>-n<nodes>-<index>` of the development set, with deadline `D`. */
export function devDag(generator: EgsSetGenerator, nodes: number, index: number, D: number): Dag {
  const decl = { ...EGS_SET_DECLARATION, seedBase: EGS_SEARCH_DEV_SEED_BASE };
  const o = egsGeneratorOptions(decl, generator, nodes, index);
  return withDeadline(generateDag({ ...o, name: `dev-${generator}-n${nodes}-${index}` }), D);
}
