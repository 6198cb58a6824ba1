import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  EGS_SET_DECLARATION,
  egsHeldOutSeed,
  egsSetTasks,
  EGS_SET_GENERATORS,
  generateEgsHeldOutSets,
  isEgsHeldOutSeed,
  type EgsSetDeclaration,
} from '../../src/experiments/egs-held-out-sets.js';
import {
  EGS_SET_FILE_FORMAT,
  parseEgsSetFile,
  readEgsSetFile,
  writeEgsSetFile,
  type EgsSetFile,
} from '../../src/experiments/egs-set-file.js';

/** A tiny declaration: 4 DAGs of 8 nodes at m = 2, 3 and one STG sample. */
const TINY: EgsSetDeclaration = {
  ...EGS_SET_DECLARATION,
  sizes: [{ nodes: 8, perGenerator: 1, cores: [2, 3] }],
  stg: [EGS_SET_DECLARATION.stg[0]!],
};

let dir: string;
let file: EgsSetFile;
let text: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'egs-sets-'));
  file = {
    format: EGS_SET_FILE_FORMAT,
    declaration: TINY,
    generatedBy: { command: 'test', timeLimitS: 1, makespanMethod: 'bestKnownMakespan' },
    ...(await generateEgsHeldOutSets(TINY, { timeLimitS: 1 })),
  };
  await writeEgsSetFile(path.join(dir, 'sets.json'), file);
  text = await readFile(path.join(dir, 'sets.json'), 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The set file text with one change made to its parsed value. */
function edited(change: (v: EgsSetFile) => void): string {
  const v = JSON.parse(text) as EgsSetFile;
  change(v);
  return JSON.stringify(v);
}

describe('EGS held-out sets', () => {
  it('declares 4 generators per size, sets per (size, m) plus the STG sets, tasks at D', () => {
    expect(file.dags.map((d) => d.generator)).toEqual([...EGS_SET_GENERATORS, 'stg']);
    expect(file.sets.map((s) => s.name)).toEqual([
      'gen-8-m2',
      'gen-8-m3',
      'stg-50-m2',
      'stg-50-m4',
      'stg-50-m8',
    ]);
    const tasks = egsSetTasks(file, file.sets[0]!);
    expect(tasks.map((t) => t.n)).toEqual([8, 8, 8, 8]);
    expect(tasks.map((t) => t.deadline)).toEqual(file.sets[0]!.items.map((i) => i.D));
    expect(file.sets[3]!.items[0]).toMatchObject({ D: 130, proven: true });
  });

  it('uses seeds that are distinct, marked held-out, and not the training seeds', () => {
    const seeds = EGS_SET_DECLARATION.sizes.flatMap((s) =>
      EGS_SET_GENERATORS.flatMap((g) =>
        Array.from({ length: s.perGenerator }, (_, i) => egsHeldOutSeed(EGS_SET_DECLARATION, s.nodes, g, i)),
      ),
    );
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(seeds.every((s) => isEgsHeldOutSeed(s))).toBe(true);
    for (const training of [
      1 * 7919 + 17,
      1 * 7919 + 3,
      1 * 7919 + 104_729,
      0x5eede65,
      0xbe4c0e65,
      0x716b7e,
      0x7e57,
    ])
      expect(isEgsHeldOutSeed(training)).toBe(false);
  });
});

describe('EGS set file', () => {
  it('round trip: written atomically, read back equal and current', async () => {
    const back = await readEgsSetFile(path.join(dir, 'sets.json'), TINY);
    expect(back).toEqual(file);
    expect(parseEgsSetFile(text, 'x.json')).toEqual(file);
  });

  it('a missing file says how to make it', async () => {
    await expect(readEgsSetFile(path.join(dir, 'none.json'), TINY)).rejects.toThrow(
      /none\.json: cannot read.*npm run bench -- egs-sets/,
    );
  });

  it('stale: another declaration, or a DAG its generator no longer makes', async () => {
    await expect(readEgsSetFile(path.join(dir, 'sets.json'), EGS_SET_DECLARATION)).rejects.toThrow(
      /stale EGS set file \(its declaration differs/,
    );
    const p = path.join(dir, 'changed.json');
    await writeFile(
      p,
      edited((v) => (v.dags[1]!.spec.nodes[0]!.wcet = 9.5)),
    );
    await expect(readEgsSetFile(p, TINY)).rejects.toThrow(/stale.*DAG 'same-predecessors-n8-0' differs/);
  });

  const bad: [string, (v: EgsSetFile) => void, RegExp][] = [
    ['a negative D', (v) => (v.sets[0]!.items[0]!.D = -1), /x\.json: key 'sets\.0\.items\.0\.D': range/],
    [
      'an unknown key',
      (v) => Object.assign(v.sets[0]!, { extra: 1 }),
      /x\.json: key 'sets\.0\.extra': unknown-key/,
    ],
    ['a wrong format tag', (v) => (v.format = 'other'), /x\.json: key 'format'/],
    [
      'an unknown generator',
      (v) => ((v.dags[0] as { generator: string }).generator = 'random'),
      /key 'dags\.0\.generator': enum/,
    ],
    [
      'a cycle',
      (v) => v.dags[0]!.spec.edges.push(['v7', 'v0']),
      /x\.json: dags\.0 \('same-probability-n8-0'\).*cycle/,
    ],
    [
      'an unknown DAG',
      (v) => (v.sets[1]!.items[0]!.dag = 'nope'),
      /sets\.1\.items\.0 \(set 'gen-8-m3'\): unknown-dag/,
    ],
    ['a bound above D', (v) => (v.sets[0]!.items[0]!.lowerBound = 1e6), /sets\.0\.items\.0 .*: bound/],
    ['a duplicate set', (v) => (v.sets[1]!.name = v.sets[0]!.name), /sets\.1: unique-set/],
  ];
  it.each(bad)('refuses %s, naming the file, item and rule', (_what, change, message) => {
    expect(() => parseEgsSetFile(edited(change), 'x.json')).toThrow(ValidationError);
    expect(() => parseEgsSetFile(edited(change), 'x.json')).toThrow(message);
  });

  it('refuses malformed JSON with json-syntax', () => {
    expect(() => parseEgsSetFile(text.slice(0, 100), 'x.json')).toThrow(/x\.json: json-syntax/);
  });
});
