import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDagFile } from '../../src/dag/io/read-dag-file.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { cli } from './run-cli-helper.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-egs-cli-'));
  await cli(
    'dag',
    'generate',
    '--nodes',
    '14',
    '--seed',
    '5',
    '--slack',
    '0.2',
    '--out',
    path.join(dir, 'set'),
    '--count',
    '2',
  );
});

describe('arbiter schedule --method egs | egs-search', () => {
  it('uses the shipped policy; --samples and --beam work; results pass the checker', async () => {
    const files = (await readdir(path.join(dir, 'set'))).map((f) => path.join(dir, 'set', f));
    const dag = await readDagFile(files[0]!);
    const g = await cli('schedule', files[0]!, '--method', 'egs', '--json');
    expect(g.code).toBe(0);
    const greedy = JSON.parse(g.stdout) as ScheduleResult;
    expect(greedy.method).toBe('egs');
    expect(checkSchedule(dag, greedy).violations).toEqual([]);
    const k = JSON.parse(
      (await cli('schedule', files[0]!, '--method', 'egs', '--samples', '4', '--json')).stdout,
    ) as ScheduleResult;
    expect(k.cores).toBeLessThanOrEqual(greedy.cores);
    // Four policy episodes, unless the list-schedule seed reached the lower bound first.
    expect(k.note).toMatch(/best of 4|answer from: .*seed \(at the lower bound\)/);
    const s = await cli('schedule', files[0]!, '--method', 'egs-search', '--beam', '2', '--samples', '2');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/egs-search\s+\d+/);
  });

  it('a bad --model file exits 1 naming the file and the rule', async () => {
    const f = path.join(dir, 'model.json');
    await writeFile(f, JSON.stringify({ format: 'arbiter-egs-graph-policy/1' }));
    const files = await readdir(path.join(dir, 'set'));
    const r = await cli('schedule', path.join(dir, 'set', files[0]!), '--method', 'egs', '--model', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model\.json: dims: missing/);
  });
});

describe('arbiter bench egs', () => {
  it('runs every method on a folder set, writes egs.md and an acceptance SVG, no invalid timetable', async () => {
    const out = path.join(dir, 'bench');
    const r = await cli(
      'bench',
      'egs',
      '--set',
      path.join(dir, 'set'),
      '--samples',
      '1',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { invalid: number; summary: { method: string; meanCores: number }[] };
    expect(doc.invalid).toBe(0);
    expect(doc.summary.map((s) => s.method)).toEqual([
      'egs',
      'egs-search',
      'egs-greedy',
      'listsched',
      'graham',
      'he2019',
      'zhao2020',
      'he2021',
      'optimal',
    ]);
    const md = await readFile(path.join(out, 'egs.md'), 'utf8');
    expect(md).toContain('| egs |');
    expect((await readFile(path.join(out, 'egs-acceptance-set.svg'), 'utf8')).startsWith('<svg')).toBe(true);
  });

  it('an empty --set folder exits 1 naming the folder', async () => {
    const r = await cli(
      'bench',
      'egs',
      '--set',
      os.tmpdir() + '/arbiter-no-such-dir',
      '--out',
      path.join(dir, 'x'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--set .*arbiter-no-such-dir: cannot list the folder/);
  });
});

describe('arbiter demo', () => {
  it('trains EGS briefly, compares every method with the shipped policy, writes an HTML report with a Gantt chart', async () => {
    const out = path.join(dir, 'demo');
    const r = await cli('demo', '--count', '2', '--train-dags', '6', '--train-epochs', '1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/EGS trained from scratch/);
    expect(r.stdout).toMatch(/egs-search\s+\d/);
    expect(r.stdout).toMatch(/egs \(demo-trained\)/);
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('egs-search');
    const model = JSON.parse(await readFile(path.join(out, 'egs-demo-policy.json'), 'utf8')) as {
      format: string;
      features: string;
    };
    expect(model.format).toBe('arbiter-egs-graph-policy/2');
    expect(model.features).toBe('v1');
    // It ends with the command that opens its results in the dashboard.
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`Open it in the dashboard: arbiter dashboard ${out}`);
  }, 120_000);
});
