import { writeFile } from 'node:fs/promises';
import {
  EGS_HELD_OUT_SEED_BASE,
  generateEgsHeldOutSets,
  type EgsSetDeclaration,
} from '../../src/experiments/egs-held-out-sets.js';
import {
  EGS_SET_FILE_FORMAT,
  formatEgsSetFile,
  type EgsSetFile,
} from '../../src/experiments/egs-set-file.js';

/** A declaration of 10-node DAGs (one per generator) at m = 2 and 3, no STG sample. */
const TINY: EgsSetDeclaration = {
  version: 1,
  seedBase: EGS_HELD_OUT_SEED_BASE,
  wcet: [1, 10],
  sizes: [{ nodes: 10, perGenerator: 1, cores: [2, 3] }],
  stg: [],
};

/**
 * Writes a tiny set file in the egs-sets format (made by the production generator, D from
 * `bestKnownMakespan`) with two sets, `gen-10-m2` (3 DAGs) and `gen-10-m3` (2 DAGs), and returns
 * its text.
 */
export async function writeTinyEgsSetFile(file: string): Promise<string> {
  const all = await generateEgsHeldOutSets(TINY, { timeLimitS: 2 });
  const sets = all.sets.map((s) => ({ ...s, items: s.items.slice(0, s.m === 2 ? 3 : 2) }));
  const doc: EgsSetFile = {
    format: EGS_SET_FILE_FORMAT,
    declaration: TINY,
    generatedBy: {
      command: 'test/helpers/tiny-egs-set-file.ts',
      timeLimitS: 2,
      makespanMethod: 'bestKnownMakespan',
    },
    dags: all.dags,
    sets,
  };
  const text = formatEgsSetFile(doc);
  await writeFile(file, text);
  return text;
}
