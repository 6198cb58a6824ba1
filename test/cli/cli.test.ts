import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { readDagFile } from '../../src/dag/io/read-dag-file.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { cli } from './run-cli-helper.js';

let dir: string;
const EX1 = {
  name: 'ex1',
  deadline: 8,
  nodes: [0, 5, 4, 3, 3, 1, 0].map((c, i) => ({ id: `v${i + 1}`, wcet: c })),
  edges: [
    [1, 2],
    [1, 3],
    [1, 4],
    [2, 5],
    [2, 6],
    [3, 6],
    [4, 6],
    [5, 7],
    [6, 7],
  ].map(([a, b]) => [`v${a}`, `v${b}`]),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-cli-'));
  await writeFile(path.join(dir, 'ex1.json'), JSON.stringify(EX1));
});

describe('arbiter CLI', () => {
  it('dag analyze --json prints one document with the contract keys', async () => {
    const r = await cli('dag', 'analyze', path.join(dir, 'ex1.json'), '--json');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    for (const k of [
      'nodes',
      'edges',
      'volume',
      'criticalPath',
      'width',
      'lowerBound',
      'antichain',
      'chains',
    ])
      expect(a).toHaveProperty(k);
    expect(a).toMatchObject({ nodes: 7, edges: 9, volume: 16, criticalPath: 8, width: 3, lowerBound: 2 });
    expect(a.antichain).toHaveLength(3);
    expect(a.chains).toHaveLength(3);
  });

  it('dag analyze of several files prints an array; human output names width and chains', async () => {
    const f = path.join(dir, 'ex1.json');
    const r = await cli('dag', 'analyze', f, f, '--json');
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const h = await cli('dag', 'analyze', f);
    expect(h.stdout).toContain('width W(G) = 3');
    expect(h.stdout).toContain('chain 0:');
  });

  it('schedule --method all --json prints an array of valid results; --gantt writes an SVG', async () => {
    const f = path.join(dir, 'ex1.json');
    const svg = path.join(dir, 'ex1.svg');
    const r = await cli('schedule', f, '--method', 'all', '--json', '--gantt', svg);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as ScheduleResult[];
    expect(results.map((x) => x.method)).toContain('optimal');
    const dag = await readDagFile(f);
    for (const x of results) expect(checkSchedule(dag, x).violations).toEqual([]);
    expect(results.find((x) => x.method === 'optimal')!.cores).toBe(2);
    const text = await readFile(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('D = 8');
  });

  it('schedule with one method prints one object; human output is a table', async () => {
    const f = path.join(dir, 'ex1.json');
    const r = await cli('schedule', f, '--method', 'egs-greedy', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ method: 'egs-greedy', cores: 2, feasible: true });
    const h = await cli('schedule', f, '--deadline', '12');
    expect(h.stdout).toMatch(/method\s+static-order cores\s+list-dispatch cores/);
    // The analytic rows prove a list-dispatch count; listsched proves none there.
    expect(h.stdout).toMatch(/^listsched\s+\d+\s+-\s/m);
    expect(h.stdout).toMatch(/^graham\s+(\d+|-)\s+(\d+|-)\s/m);
    expect(h.stdout).toContain('static-order cores: proved when');
    expect(h.stdout).toContain('D = 12');
  });

  it('schedule --method optimal shows lower bound and gap columns; --json carries the bounds', async () => {
    const f = path.join(dir, 'ex1.json');
    const h = await cli('schedule', f, '--method', 'optimal');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('lower bound 2 cores (volume)');
    expect(h.stdout).toMatch(
      /method\s+static-order cores\s+list-dispatch cores\s+makespan\s+bound R\s+lower bound\s+gap\s+guarantee/,
    );
    expect(h.stdout).toMatch(/^optimal +2 +- +8 +2 +0% +exact \(proved optimal\)/m);
    const j = await cli('schedule', f, '--method', 'optimal', '--json');
    expect(JSON.parse(j.stdout)).toMatchObject({
      method: 'optimal',
      cores: 2,
      lowerBound: 2,
      lowerBoundBy: 'volume',
      upperBoundBy: 'listsched',
      gap: 0,
      optimal: true,
    });
  });

  it('a deadline below L exits 1 with DeadlineInfeasible naming L and D, no stack trace', async () => {
    const r = await cli('schedule', path.join(dir, 'ex1.json'), '--deadline', '7');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DeadlineInfeasible.*L = 8.*D = 7/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(r.stdout).toBe('');
  });

  it('bad input: a cyclic file and a missing file exit 1 naming the file and rule', async () => {
    const bad = path.join(dir, 'cyc.json');
    await writeFile(
      bad,
      JSON.stringify({
        nodes: [
          { id: 'a', wcet: 1 },
          { id: 'b', wcet: 1 },
        ],
        edges: [
          ['a', 'b'],
          ['b', 'a'],
        ],
      }),
    );
    const r = await cli('dag', 'analyze', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cyc.json');
    expect(r.stderr).toContain('cycle');
    const m = await cli('schedule', path.join(dir, 'nope.json'));
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('nope.json');
  });

  it('usage errors exit 2', async () => {
    expect((await cli('schedule', path.join(dir, 'ex1.json'), '--deadline', 'abc')).code).toBe(2);
    expect((await cli('schedule', path.join(dir, 'ex1.json'), '--method', 'magic')).code).toBe(1);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('dag generate is seeded: same seed, same task; --count writes a batch', async () => {
    const a = await cli('dag', 'generate', '--nodes', '15', '--seed', '3');
    const b = await cli('dag', 'generate', '--nodes', '15', '--seed', '3');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).nodes).toHaveLength(15);
    const out = path.join(dir, 'set');
    const c = await cli(
      'dag',
      'generate',
      '--nodes',
      '12',
      '--seed',
      '1',
      '--count',
      '4',
      '--format',
      'stg',
      '--out',
      out,
    );
    expect(c.code).toBe(0);
    expect((await readdir(out)).filter((f) => f.endsWith('.stg'))).toHaveLength(4);
  });

  it('dag generate makes the Kasahara-style kinds, and refuses --mean-preds where it does not apply', async () => {
    for (const kind of ['same-probability', 'same-predecessors']) {
      const r = await cli(
        'dag',
        'generate',
        '--nodes',
        '40',
        '--kind',
        kind,
        '--mean-preds',
        '2',
        '--seed',
        '5',
      );
      expect(r.code).toBe(0);
      const task = JSON.parse(r.stdout) as { nodes: { wcet: number }[]; edges: unknown[] };
      expect(task.nodes).toHaveLength(40);
      expect(task.nodes.every((v) => Number.isInteger(v.wcet) && v.wcet >= 1 && v.wcet <= 10)).toBe(true);
      expect(task.edges.length).toBeGreaterThan(0);
    }
    const wrongKind = await cli('dag', 'generate', '--kind', 'layered', '--mean-preds', '2');
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toMatch(/--mean-preds applies to same-probability/);
    const negative = await cli('dag', 'generate', '--kind', 'same-predecessors', '--mean-preds', '-1');
    expect(negative.code).not.toBe(0);
    const unknown = await cli('dag', 'generate', '--kind', 'kasahara');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/same-probability, same-predecessors/);
  });
});
