import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EGS_NODE_FEATURES_V2, EGS_RELATIONS } from '../../src/envs/egs/egs-observation.js';
import { EGS_OPTIONS_SCHEMA } from '../../src/envs/egs/egs-env.js';
import { GRIDWORLD_OPTIONS_SCHEMA } from '../../src/envs/gridworld.js';
import { JOBS_OPTIONS_SCHEMA } from '../../src/envs/jobs/jobs-env.js';
import { PIXEL_PONG_OPTIONS_SCHEMA } from '../../src/envs/pixel-pong.js';

// Every env file opens with Gymnasium-style sections (as Gymnasium's cartpole.py docstring).
const ENV_FILES = [
  'src/envs/cartpole.ts',
  'src/envs/gridworld.ts',
  'src/envs/jobs/jobs-env.ts',
  'src/envs/egs/egs-env.ts',
  'src/envs/hsoc/hsoc-env.ts',
  'src/envs/hsoc/hsoc-single-agent-env.ts',
  'src/envs/pixel-pong.ts',
];
const SECTIONS = [
  'Description',
  'Action space',
  'Observation space',
  'Rewards',
  'Starting state',
  'Episode end',
  'Options',
];

function header(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.slice(0, text.indexOf(' */'));
}

/** First cells of the table rows of a header section (the header row and rule left out). */
function firstColumn(file: string, section: string): string[] {
  const body = header(file).split(`## ${section}`)[1]!.split(' * ## ')[0]!;
  return [...body.matchAll(/^ \* \| ([^|]+?) \| ([^|]+?) \|/gm)]
    .filter((m) => m[1] !== 'index' && m[1] !== 'option' && !m[1]!.startsWith('---'))
    .map((m) => m[1]!);
}

describe('env doc sections', () => {
  it.each(ENV_FILES)('%s has every section, in order', (file) => {
    const h = header(file);
    const found = [...h.matchAll(/^ \* ## (.+)$/gm)].map((m) => m[1]!);
    expect(found.filter((s) => SECTIONS.includes(s))).toEqual(SECTIONS);
  });

  it.each([
    ['src/envs/gridworld.ts', GRIDWORLD_OPTIONS_SCHEMA],
    ['src/envs/jobs/jobs-env.ts', JOBS_OPTIONS_SCHEMA],
    ['src/envs/egs/egs-env.ts', EGS_OPTIONS_SCHEMA],
    ['src/envs/pixel-pong.ts', PIXEL_PONG_OPTIONS_SCHEMA],
  ] as const)('the options table of %s lists exactly the keys of its zod schema', (file, schema) => {
    const documented = firstColumn(file, 'Options').flatMap((c) => c.split(', '));
    expect(documented.sort()).toEqual(Object.keys(schema.shape).sort());
  });

  it("EGS's observation tables name the features and relations the observation writes, in order", () => {
    const file = 'src/envs/egs/egs-env.ts';
    const body = header(file).split('## Observation space')[1]!.split('## Rewards')[0]!;
    const rows = [...body.matchAll(/^ \* \| (\d+) \| (\w+) \|/gm)].map((m) => m[2]!);
    // The v1 table, the rows v2 adds, then the relations.
    expect(rows).toEqual([...EGS_NODE_FEATURES_V2, ...EGS_RELATIONS]);
  });
});
