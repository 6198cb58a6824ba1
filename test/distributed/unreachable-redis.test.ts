import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeRedis } from '../../src/distributed/redis-probe.js';
import { freePort } from '../helpers/redis-server.js';
import { tinySweep } from '../helpers/tiny-sweep.js';
import { cli } from '../cli/run-cli-helper.js';

let root: string;
let url: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arbiter-unreachable-'));
  url = `redis://:secret@127.0.0.1:${await freePort()}`;
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('an unreachable Redis', () => {
  it('probeRedis fails after its timeout, naming the URL without its password and the reason', async () => {
    const t0 = Date.now();
    const e = await probeRedis(url, 600).catch((x: unknown) => x);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((e as Error).message).toContain(`cannot reach Redis at ${url.replace('secret', '***')}`);
    expect((e as Error).message).toMatch(/ECONNREFUSED/);
    expect((e as Error).message).not.toContain('secret');
  });

  it('`arbiter worker` prints an error naming the URL and exits non-zero within its connect timeout', async () => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--queue', url, '--connect-timeout', '1'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach Redis at ${url.replace('secret', '***')} within 1.0 s`);
    expect(Date.now() - t0).toBeLessThan(20_000); // process start included
  }, 30_000);

  it('`arbiter sweep --queue` (trials and benchmark cells) fails the same way before the sweep folder exists', async () => {
    const trials = join(root, 'trials.json');
    const cells = join(root, 'cells.json');
    await writeFile(trials, JSON.stringify(tinySweep(256)));
    await writeFile(cells, JSON.stringify({ benchmark: 'egs', count: 1, methods: ['graham'] }));
    for (const file of [trials, cells]) {
      const out = join(root, `out-${file.endsWith('cells.json') ? 'cells' : 'trials'}`);
      const r = await cli('sweep', file, '--queue', url, '--connect-timeout', '0.5', '--out', out);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot reach Redis at ${url.replace('secret', '***')}`);
      expect(existsSync(out)).toBe(false);
    }
  }, 30_000);
});
