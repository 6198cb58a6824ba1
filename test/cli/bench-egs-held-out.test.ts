import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EgsHeldOutDagRow, EgsHeldOutSummaryRow } from '../../src/experiments/egs-held-out-benchmark.js';
import { writeTinyEgsSetFile } from '../helpers/tiny-egs-set-file.js';
import { cli } from './run-cli-helper.js';

let dir: string;
let sets: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-bench-egs-'));
  sets = path.join(dir, 'tiny-sets.json');
  await writeTinyEgsSetFile(sets);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('arbiter bench egs --sets FILE (issue-16 regime)', () => {
  it('runs the chosen methods on every set, prints one row per (set, method), writes egs.md, egs.json, rows.json', async () => {
    const out = path.join(dir, 'out');
    const r = await cli(
      'bench',
      'egs',
      '--sets',
      sets,
      '--methods',
      'listsched,egs',
      '--budget',
      '5',
      '--out',
      out,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: EgsHeldOutSummaryRow[]; files: string[]; invalid: number };
    expect(doc.invalid).toBe(0);
    // Report order (egs before listsched), set order of the file.
    expect(doc.rows.map((x) => `${x.set} ${x.method} ${x.dags}`)).toEqual([
      'gen-10-m2 egs 3',
      'gen-10-m2 listsched 3',
      'gen-10-m3 egs 2',
      'gen-10-m3 listsched 2',
    ]);
    for (const row of doc.rows) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'dags',
          'invalid',
          'm',
          'meanCores',
          'meanGapToBest',
          'method',
          'msPerDag',
          'nodes',
          'provenOptimal',
          'set',
        ].sort(),
      );
      // egs is seeded with the best list schedule: never more cores than listsched.
      if (row.method === 'egs')
        expect(row.meanCores).toBeLessThanOrEqual(
          doc.rows.find((x) => x.set === row.set && x.method === 'listsched')!.meanCores,
        );
    }
    expect(doc.files.map((f) => path.basename(f))).toEqual(['egs.md', 'egs.json', 'rows.json']);
    expect(JSON.parse(await readFile(path.join(out, 'egs.json'), 'utf8'))).toEqual(doc.rows);
    const rows = JSON.parse(await readFile(path.join(out, 'rows.json'), 'utf8')) as EgsHeldOutDagRow[];
    expect(rows).toHaveLength(2 * (3 + 2));
    expect(rows.every((x) => x.valid && x.cores >= x.lowerBound)).toBe(true);
    const md = await readFile(path.join(out, 'egs.md'), 'utf8');
    expect(md).toContain('## Acceptance (issue 16 targets)');
    expect(md).toContain(`Sets: \`${sets}\``);
    expect(md).toContain('Methods run: egs, listsched.');
    expect(md).toContain('--methods listsched,egs');
    // Every per-set table row has as many cells as its header.
    const lines = md.split('\n');
    const cells = (l: string): number => l.split('|').length;
    const heads = lines.flatMap((l, i) => (l.startsWith('| method | DAGs |') ? [i] : []));
    expect(heads).toHaveLength(2);
    for (const i of heads) expect(cells(lines[i + 2]!)).toBe(cells(lines[i]!));
  }, 60_000);

  it('--only runs the named sets; an unknown set or method, a negative limit, a missing file exit 1 with a message', async () => {
    const out = path.join(dir, 'only');
    const ok = await cli(
      'bench',
      'egs',
      '--sets',
      sets,
      '--only',
      'gen-10-m3',
      '--methods',
      'listsched',
      '--out',
      out,
      '--json',
    );
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { rows: EgsHeldOutSummaryRow[] }).rows.map((x) => x.set)).toEqual([
      'gen-10-m3',
    ]);

    const badSet = await cli('bench', 'egs', '--sets', sets, '--only', 'gen-10-m2,gen-99-m4', '--out', out);
    expect(badSet.code).toBe(1);
    expect(badSet.stderr).toMatch(/no set 'gen-99-m4' in .*tiny-sets\.json \(sets: gen-10-m2, gen-10-m3\)/);
    const badMethod = await cli('bench', 'egs', '--sets', sets, '--methods', 'egs,lisched', '--out', out);
    expect(badMethod.code).toBe(1);
    expect(badMethod.stderr).toMatch(/unknown method 'lisched' \(methods: egs, egs-search/);
    const negative = await cli('bench', 'egs', '--sets', sets, '--budget', '-1', '--out', out);
    expect(negative.code).toBe(1);
    expect(negative.stderr).toMatch(/budget must be a positive number of seconds, not -1/);
    const missing = await cli('bench', 'egs', '--sets', path.join(dir, 'nope.json'), '--out', out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the EGS set file/);
    const mixed = await cli('bench', 'egs', '--generated', '--only', 'gen-10-m2', '--out', out);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/--only: only for the issue-16 benchmark/);
    const mixed2 = await cli('bench', 'egs', '--sets', sets, '--count', '2', '--out', out);
    expect(mixed2.code).toBe(1);
    expect(mixed2.stderr).toMatch(/--count: only with --generated or --set/);
  }, 60_000);
});
