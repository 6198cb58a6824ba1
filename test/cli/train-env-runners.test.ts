/**
 * `arbiter train … --env-runners K`: the run with two local runner threads equals the run
 * without (same checkpoint bytes, same final evaluation); `--async-rollouts` gives one run per
 * seed; misuse is refused with a clear message.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, type Checkpoint } from '../../src/agents/checkpoint.js';
import { cli } from './run-cli-helper.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'arbiter-train-runners-'));
});

const train = (name: string, ...extra: string[]): ReturnType<typeof cli> =>
  cli(
    'train',
    'ppo',
    '--env',
    'CartPole-v1',
    '--steps',
    '1024',
    '--seed',
    '5',
    '--runs',
    root,
    '--eval-episodes',
    '2',
    '--name',
    name,
    '--json',
    ...extra,
  );

describe('arbiter train --env-runners', () => {
  it('two local runners give the run of --env-runners 0, bit for bit', { timeout: 120_000 }, async () => {
    const a = await train('k0', '--env-runners', '0');
    const b = await train('k2', '--env-runners', '2');
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const evalOf = (r: typeof a): unknown => {
      const { finalEvalMeanReturn, finalEvalStdReturn, steps } = JSON.parse(r.stdout) as Record<
        string,
        unknown
      >;
      return { finalEvalMeanReturn, finalEvalStdReturn, steps };
    };
    expect(evalOf(b)).toEqual(evalOf(a));
    const [ckptA, ckptB] = await Promise.all(
      ['k0', 'k2'].map((run) => loadCheckpoint(path.join(root, run, 'latest'))),
    );
    // Weights and Adam's state; the env state is the run's own envs' (runners keep theirs).
    const learned = (c: Checkpoint): [string, number[]][] =>
      Object.entries(c.tensors)
        .filter(([k]) => !k.startsWith('env/') && !k.startsWith('rollout/'))
        .map(([k, v]) => [k, Array.from(v)]);
    expect(learned(ckptB!).length).toBeGreaterThan(0);
    expect(learned(ckptB!)).toEqual(learned(ckptA!));
    expect(Object.keys(ckptB!.tensors).some((k) => k.startsWith('env/'))).toBe(false);
    expect(ckptB!.counters).toEqual(ckptA!.counters);
  });

  it('--async-rollouts trains with one runner thread, the same run twice', { timeout: 120_000 }, async () => {
    const a = await train('async-a', '--env-runners', '1', '--async-rollouts');
    const b = await train('async-b', '--env-runners', '1', '--async-rollouts');
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [ckptA, ckptB] = await Promise.all(
      ['async-a', 'async-b'].map((run) => loadCheckpoint(path.join(root, run, 'latest'))),
    );
    expect(ckptB!.counters).toEqual(ckptA!.counters);
    expect(Object.entries(ckptB!.tensors).map(([k, v]) => [k, Array.from(v)])).toEqual(
      Object.entries(ckptA!.tensors).map(([k, v]) => [k, Array.from(v)]),
    );
  });

  it('refuses --queue without --env-runners, and env runners for an off-policy algorithm', async () => {
    const q = await cli(
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--queue',
      'redis://127.0.0.1:1',
      '--runs',
      root,
    );
    expect(q.code).not.toBe(0);
    expect(q.stderr).toMatch(/--queue needs --env-runners/);
    const a = await cli('train', 'ppo', '--env', 'CartPole-v1', '--async-rollouts', '--runs', root);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/--async-rollouts needs --env-runners/);
    const d = await cli(
      'train',
      'dqn',
      '--env',
      'CartPole-v1',
      '--steps',
      '1000',
      '--env-runners',
      '1',
      '--runs',
      root,
    );
    expect(d.code).not.toBe(0);
    expect(d.stderr).toMatch(
      /env runners collect rollouts of on-policy algorithms \(ppo, a2c, reinforce\), not dqn/,
    );
  });
});
