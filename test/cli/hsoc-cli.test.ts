import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli-helper.js';

let dir: string;
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-hsoc-'));
  for (const f of ['dag4.graphml', 'dag_4.txt', 'dag6.graphml', 'dag_6.txt', 'trace.trc'])
    await copyFile(path.join('examples/hsoc/stomp', f), file(f));
  await writeFile(file('bad.trc'), '0,0,4,1,150\n10,1,6,3\n');
  await writeFile(file('missing.trc'), '0,0,8,1,150\n');
});

describe('arbiter hsoc import / simulate', () => {
  it('imports the STOMP example into a workload file and simulates it, exit 0', async () => {
    const r = await cli('hsoc', 'import', file('trace.trc'), '--out', file('w.json'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 DAG types, 6 jobs/);
    const w = JSON.parse(await readFile(file('w.json'), 'utf8')) as { format: string; trace: unknown[] };
    expect([w.format, w.trace.length]).toEqual(['arbiter-hsoc-workload', 6]);
    const s = await cli('hsoc', 'simulate', file('w.json'), '--policy', 'uniform-running', '--json');
    expect(s.code).toBe(0);
    const m = JSON.parse(s.stdout) as { jobs: number; meanCompletion: number; pes: string[] };
    expect(m.jobs).toBe(6);
    expect(m.pes).toHaveLength(9);
    expect(m.meanCompletion).toBeGreaterThan(0);
  });

  it('bad input: message names the file, the line and the rule; exit 1', async () => {
    const r = await cli('hsoc', 'import', file('bad.trc'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.trc:2: .*trace-columns/);
    const m = await cli('hsoc', 'import', file('missing.trc'));
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/dag8\.graphml/);
    const s = await cli('hsoc', 'import', file('trace.trc'), '--servers', 'cpu,npu,fft');
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/--servers: unknown PE type 'npu'/);
    const c = await cli('hsoc', 'import', file('trace.trc'), '--servers', 'cpu,gpu');
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/dag_4\.txt:2: .*csv-columns/);
  });

  it('compare prints one row per (workload, load, policy) as JSON, exit 0', async () => {
    const r = await cli('hsoc', 'compare', '--seeds', '1', '--json');
    expect(r.code).toBe(0);
    const { rows } = JSON.parse(r.stdout) as { rows: { policy: string; seeds: number }[] };
    expect(rows).toHaveLength(2 * 3 * 6);
    expect(new Set(rows.map((x) => x.policy))).toEqual(
      new Set(['uniform', 'uniform-running', 'seed-rules', 'slack-peak', 'static-target', 'lower-bound']),
    );
    const bad = await cli('hsoc', 'compare', '--seeds', '1', '--calibration', 'x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--calibration: unknown 'x' \(per-type, nominal\)/);
  });
});
