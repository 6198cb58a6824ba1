import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp } from '../../src/dashboard/dashboard-server.js';
import { trainRun } from '../../src/experiments/train-run.js';
import { cli } from '../cli/run-cli-helper.js';

let root: string;
let out: string;
let app: FastifyInstance;
let checkpoints: string[];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'arbiter-dashboard-export-'));
  out = mkdtempSync(path.join(tmpdir(), 'arbiter-dashboard-export-cli-'));
  await trainRun({
    algo: 'ppo',
    env: 'CartPole-v1',
    steps: 1024,
    seed: 1,
    evalEpisodes: 1,
    checkpointEvery: 512,
    runsRoot: root,
    name: 'ppo-run',
  });
  checkpoints = readdirSync(path.join(root, 'ppo-run', 'checkpoints')).sort();
  app = await createDashboardApp({ root, publicDir: path.join(root, 'no-public') });
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('GET /api/export', () => {
  it('answers each format as the file `arbiter export` writes, offered for download', async () => {
    const step = checkpoints[0]!;
    // The CLI writes under the file name the dashboard offers, so the C identifiers match too.
    const name = `ppo-run-${step}`;
    const cases = [
      { format: 'json', cliOut: `${name}.json`, read: `${name}.json` },
      { format: 'int8', cliOut: `${name}.int8.json`, read: `${name}.int8.json` },
      { format: 'c', cliOut: name, read: `${name}.c`, part: 'c' },
      { format: 'c', cliOut: name, read: `${name}.h`, part: 'h' },
    ];
    for (const c of cases) {
      const model = path.join(root, 'ppo-run', 'checkpoints', step);
      const run = await cli('export', model, '--format', c.format, '--out', path.join(out, c.cliOut));
      expect(run.code).toBe(0);
      const res = await app.inject(
        `/api/export?run=ppo-run&checkpoint=${step}&format=${c.format}${c.part ? `&part=${c.part}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${c.read}"`);
      expect(res.body).toEqual(readFileSync(path.join(out, c.read), 'utf8'));
    }
  });

  it('exports the newest good checkpoint without one named, and refuses bad requests', async () => {
    expect((await app.inject('/api/export?run=ppo-run&format=json')).statusCode).toBe(200);
    expect((await app.inject('/api/export?run=ppo-run&format=onnx')).statusCode).toBe(400);
    expect((await app.inject('/api/export?run=ppo-run&format=c&part=x')).statusCode).toBe(400);
    expect((await app.inject('/api/export?run=ppo-run&checkpoint=../../etc&format=json')).statusCode).toBe(
      400,
    );
    expect((await app.inject('/api/export?run=../..&format=json')).statusCode).toBe(403);
    expect((await app.inject('/api/export?format=json')).statusCode).toBe(400);
  });
});
