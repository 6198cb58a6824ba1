import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli-helper.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'arbiter-train-'));
});

describe('arbiter train / eval', () => {
  it('train --json prints one document; the run folder has config, metrics, TensorBoard, checkpoint, curve', async () => {
    const r = await cli(
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--steps',
      '2048',
      '--seed',
      '3',
      '--runs',
      root,
      '--eval-episodes',
      '2',
      '--name',
      'smoke',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc.runDir).toBe(path.join(root, 'smoke'));
    expect(typeof doc.finalEvalMeanReturn).toBe('number');
    expect(doc.steps).toBeGreaterThanOrEqual(2048);
    for (const f of [
      'config.json',
      'metrics.csv',
      'metrics.jsonl',
      'final-eval.json',
      'learning-curve.svg',
      'latest/checkpoint.json',
    ])
      expect(existsSync(path.join(root, 'smoke', f)), f).toBe(true);
    const config = JSON.parse(await readFile(path.join(root, 'smoke', 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({ algo: 'ppo', env: 'CartPole-v1', seed: 3, steps: 2048 });
  });

  it('eval --json on the run gives {meanReturn, stdReturn, episodes}, the same for the same seed', async () => {
    const a = await cli('eval', path.join(root, 'smoke'), '--episodes', '3', '--seed', '5', '--json');
    expect(a.code, a.stderr).toBe(0);
    const doc = JSON.parse(a.stdout) as { meanReturn: number; stdReturn: number; episodes: number };
    expect(doc.episodes).toBe(3);
    expect(Number.isFinite(doc.meanReturn) && Number.isFinite(doc.stdReturn)).toBe(true);
    const b = await cli('eval', path.join(root, 'smoke'), '--episodes', '3', '--seed', '5', '--json');
    expect(JSON.parse(b.stdout)).toEqual(doc);
  });

  it('--resume continues the run to a larger total', async () => {
    const r = await cli('train', '--resume', path.join(root, 'smoke'), '--steps', '4096', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { steps: number }).steps).toBeGreaterThanOrEqual(4096);
    const lines = (await readFile(path.join(root, 'smoke', 'metrics.jsonl'), 'utf8')).trim().split('\n');
    const steps = lines.map((l) => (JSON.parse(l) as { step: number }).step);
    expect(Math.max(...steps)).toBeGreaterThanOrEqual(4096);
  });

  it('q-iteration on GridWorld solves exactly and evaluates to the optimal return', async () => {
    const r = await cli(
      'train',
      'q-iteration',
      '--env',
      'GridWorld-v0',
      '--runs',
      root,
      '--name',
      'qi',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    // Default 4×4 grid, +1 at the goal, deterministic: the greedy policy always reaches it.
    expect((JSON.parse(r.stdout) as { finalEvalMeanReturn: number }).finalEvalMeanReturn).toBe(1);
  });

  it('bad input: unknown algorithm, unknown env, malformed config file — exit 1 with a clear message', async () => {
    const a = await cli('train', 'sarsa', '--env', 'CartPole-v1', '--runs', root);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/unknown algorithm 'sarsa'.*ppo/);
    const b = await cli('train', 'ppo', '--env', 'Pong-v9', '--runs', root);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/unknown environment 'Pong-v9'.*CartPole-v1/);
    const g = await cli('train', 'q-learning', '--env', 'EGS-v0', '--runs', root);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/EGS-v0 has graph observations: train it with ppo/);
    const bad = path.join(root, 'bad.json');
    await writeFile(bad, '{ "learningRate": 0.001, }');
    const c = await cli('train', 'ppo', '--env', 'CartPole-v1', '--config', bad, '--runs', root);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('bad.json');
    expect(c.stderr).toContain('json-syntax');
    const d = await cli('eval', path.join(root, 'nothing-here'), '--env', 'CartPole-v1');
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/no checkpoint/);
  });
});
