import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli-helper.js';

let dir: string;
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-numbers-'));
  const chain = (wcets: number[], deadline?: number): string =>
    JSON.stringify({
      ...(deadline !== undefined && { deadline }),
      nodes: wcets.map((wcet, i) => ({ id: `v${i}`, wcet })),
      edges: wcets.slice(1).map((_, i) => [`v${i}`, `v${i + 1}`]),
    });
  await writeFile(file('frac.json'), chain([0.1, 0.2], 0.3));
  await writeFile(
    file('huge.json'),
    '{"deadline": 1e15, "nodes": [{"id": "a", "wcet": 1e308}, {"id": "b", "wcet": 1e308}], "edges": []}',
  );
  await writeFile(file('inf.json'), '{"deadline": 5, "nodes": [{"id": "a", "wcet": 1e309}], "edges": []}');
  await writeFile(file('zero.json'), chain([0, 0]));
  await writeFile(file('empty.stg'), '0\n0 0 0\n1 0 1 0\n# deadline: 4\n');
  await writeFile(file('twice.dot'), 'digraph {\n  a [C=1]\n  a [C=5]\n}\n');
});

describe('bad numbers and redefinitions at the CLI', () => {
  it('0.1 + 0.2 against D = 0.3 is met on 1 core by every method, exit 0', async () => {
    const r = await cli('schedule', file('frac.json'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as { method: string; feasible: boolean; cores: number }[];
    for (const x of results) expect([x.method, x.feasible, x.cores]).toEqual([x.method, true, 1]);
  });

  it('WCETs of 1e308 and 1e309 are refused with file, item and rule, exit 1', async () => {
    const huge = await cli('schedule', file('huge.json'), '--method', 'optimal');
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/^error: .*huge\.json: node 'a': wcet: wcet must be at most 2\^53/);
    const inf = await cli('dag', 'analyze', file('inf.json'));
    expect(inf.code).toBe(1);
    expect(inf.stderr).toMatch(/^error: .*inf\.json: node 'a': wcet: .*not a finite number/);
  });

  it('a task without work: lower bound 1 (not NaN), 1 core, with a warning', async () => {
    const a = await cli('dag', 'analyze', file('zero.json'), '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ deadline: 0, lowerBound: 1 });
    expect(a.stderr).toContain('zero-work');
    const s = await cli('schedule', file('empty.stg'), '--method', 'optimal', '--json');
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ feasible: true, cores: 1, makespan: 0, lowerBound: 1 });
  });

  it('a DOT node given two WCETs in two statements is refused, naming both places', async () => {
    const r = await cli('dag', 'analyze', file('twice.dot'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /twice\.dot:3: node 'a': dot-conflict: C=5 \(line 3, column 6\) contradicts C=1 \(line 2, column 6\)/,
    );
  });
});
