import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli-helper.js';

let root: string;
const PPO_SMALL = '{"numEnvs":2,"numSteps":64,"numMinibatches":2,"updateEpochs":2}';
// 1024 steps, a checkpoint every 256 (4 updates of 128 steps each... 8 updates in all).
const trainArgs = (name: string): string[] => [
  'train',
  'ppo',
  '--env',
  'CartPole-v1',
  '--steps',
  '1024',
  '--seed',
  '3',
  '--config',
  PPO_SMALL,
  '--checkpoint-every',
  '256',
  '--eval-every',
  '512',
  '--eval-episodes',
  '2',
  '--runs',
  root,
  '--name',
  name,
  '--json',
];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'arbiter-ckpt-'));
});

/** 32-bit FNV-1a, as checkpoint.ts (to forge a checkpoint that passes the torn-file check). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

describe('bad training configuration is refused before anything runs', () => {
  it('--config / --env-options: type, range, unknown key (did you mean) — exit 1, no run folder', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--config', '{"learningRate":"fast"}'],
        /--config: key 'learningRate': type: expected a number, got string "fast"/,
      ],
      [['--config', '{"learningRate":-1}'], /--config: key 'learningRate': range: value must be > 0, got -1/],
      [['--config', '{"bogusKey":5}'], /--config: key 'bogusKey': unknown-key: PPO has no option 'bogusKey'/],
      [['--config', '{"learningrate":0.001}'], /did you mean 'learningRate'\?/],
    ];
    for (const [args, re] of cases) {
      const r = await cli('train', 'ppo', '--env', 'CartPole-v1', '--runs', path.join(root, 'none'), ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(re);
    }
    const j = await cli(
      'train',
      'ppo',
      '--env',
      'Jobs-v0',
      '--runs',
      path.join(root, 'none'),
      '--env-options',
      '{"lod":"high"}',
    );
    expect(j.code).toBe(1);
    expect(j.stderr).toMatch(
      /--env-options: key 'lod': unknown-key: Jobs-v0 has no option 'lod'; did you mean 'load'\?/,
    );
    const file = path.join(root, 'dqn.json');
    await writeFile(file, '{"gamma": 1.5}');
    const f = await cli(
      'train',
      'dqn',
      '--env',
      'CartPole-v1',
      '--runs',
      path.join(root, 'none'),
      '--config',
      file,
    );
    expect(f.code).toBe(1);
    expect(f.stderr).toContain(`${file}: key 'gamma': range: value must be ≤ 1, got 1.5`);
    expect(existsSync(path.join(root, 'none'))).toBe(false);
  });

  it('a diverging run stops with non-finite and exit 1, and writes no checkpoint of it', async () => {
    const r = await cli(
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--steps',
      '512',
      '--config',
      '{"learningRate":1e30,"numEnvs":2,"numSteps":64}',
      '--runs',
      root,
      '--name',
      'diverged',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ppo training diverged at step \d+ .*NaN.*no checkpoint was written/);
    expect(existsSync(path.join(root, 'diverged', 'latest'))).toBe(false);
  });
});

describe('checkpoints: resume, fallback, targets', () => {
  it('a run killed after a checkpoint and resumed ends bit-identical to the uninterrupted run', async () => {
    const a = await cli(...trainArgs('whole'));
    expect(a.code, a.stderr).toBe(0);
    const b = await cli(...trainArgs('killed'));
    expect(b.code, b.stderr).toBe(0);
    // "kill -9" after the step-512 checkpoint: nothing later was written.
    const killed = path.join(root, 'killed');
    await rm(path.join(killed, 'latest'), { recursive: true });
    for (const d of await readdir(path.join(killed, 'checkpoints')))
      if (Number(d.slice(5)) > 512) await rm(path.join(killed, 'checkpoints', d), { recursive: true });
    await rm(path.join(killed, 'final-eval.json'));
    const r = await cli('train', '--resume', killed, '--json');
    expect(r.code, r.stderr).toBe(0);
    const whole = path.join(root, 'whole');
    expect(await readFile(path.join(killed, 'latest', 'tensors.bin'))).toEqual(
      await readFile(path.join(whole, 'latest', 'tensors.bin')),
    );
    const fe = async (d: string): Promise<unknown> =>
      JSON.parse(await readFile(path.join(d, 'final-eval.json'), 'utf8'));
    expect(await fe(killed)).toEqual(await fe(whole));
    // Every logged metric but the clock (rollout, train, periodic eval) is the same, row by row.
    const rows = async (d: string): Promise<unknown[]> =>
      (await readFile(path.join(d, 'metrics.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => {
          const { wallTime: _w, 'time/fps': _f, ...rest } = JSON.parse(l) as Record<string, number>;
          return rest;
        });
    expect(await rows(killed)).toEqual(await rows(whole));
    expect((JSON.parse(r.stdout) as { finalEvalMeanReturn: number }).finalEvalMeanReturn).toBe(
      (JSON.parse(a.stdout) as { finalEvalMeanReturn: number }).finalEvalMeanReturn,
    );
  });

  it('--resume with another algo, env or seed is an error naming both', async () => {
    const run = path.join(root, 'whole');
    const a = await cli('train', 'a2c', '--resume', run);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(
      /resume-mismatch|cannot resume with algo "a2c": the run was trained with algo "ppo"/,
    );
    const e = await cli('train', '--env', 'GridWorld-v0', '--resume', run);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain(
      'cannot resume with env "GridWorld-v0": the run was trained with env "CartPole-v1"',
    );
    const c = await cli('train', '--config', '{"learningRate":2e-4}', '--resume', run);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('cannot resume with config {"learningRate":0.0002}');
    // The run's own settings, in any key order, are accepted (here: nothing left to train).
    const same = await cli(
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--seed',
      '3',
      '--config',
      '{"updateEpochs":2,"numMinibatches":2,"numSteps":64,"numEnvs":2}',
      '--resume',
      run,
      '--json',
    );
    expect(same.code, same.stderr).toBe(0);
    const s = await cli('train', '--seed', '4', '--resume', run);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('the run was trained with seed 3');
  });

  it('eval and export accept R/latest and R/checkpoints/step-N without --env', async () => {
    const run = path.join(root, 'whole');
    for (const target of [path.join(run, 'latest'), path.join(run, 'checkpoints', 'step-512')]) {
      const r = await cli('eval', target, '--episodes', '1', '--json');
      expect(r.code, r.stderr).toBe(0);
      const x = await cli('export', target, '--format', 'json', '--out', path.join(root, 'x.json'), '--json');
      expect(x.code, x.stderr).toBe(0);
    }
  });

  it('a corrupt latest/ falls back to the newest good checkpoints/step-N with a warning', async () => {
    const run = path.join(root, 'corrupt');
    await cp(path.join(root, 'whole'), run, { recursive: true });
    await writeFile(path.join(run, 'latest', 'tensors.bin'), 'torn');
    const r = await cli('eval', run, '--episodes', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: skipping checkpoint .*latest: .*torn or mixed checkpoint.*trying .*step-1024/,
    );
    const t = await cli('train', '--resume', run, '--steps', '1280', '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toContain('warning: skipping checkpoint');
  });

  it('a checkpoint loaded on another env is a checkpoint-mismatch saying what it was trained with', async () => {
    const r = await cli('eval', path.join(root, 'whole', 'latest'), '--env', 'GridWorld-v0');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the checkpoint was trained with 4 observation values, actions Discrete(2)');
    expect(r.stderr).toContain('this environment has 16 observation values and actions Discrete(4)');
    expect(r.stderr).not.toContain('Mlp.setWeights');
  });

  it('export refuses non-finite weights in every format and writes nothing', async () => {
    const dir = path.join(root, 'nan-ckpt');
    await cp(path.join(root, 'whole', 'latest'), dir, { recursive: true });
    const meta = JSON.parse(await readFile(path.join(dir, 'checkpoint.json'), 'utf8')) as {
      tensorIndex: { name: string; offset: number }[];
      tensorChecksum: number;
    };
    const bin = new Uint8Array(await readFile(path.join(dir, 'tensors.bin')));
    const entry = meta.tensorIndex.find((e) => e.name.startsWith('policy/actor'))!;
    new DataView(bin.buffer).setFloat32(entry.offset * 4 + 8, Number.NaN, true);
    meta.tensorChecksum = fnv1a(bin);
    await writeFile(path.join(dir, 'tensors.bin'), bin);
    await writeFile(path.join(dir, 'checkpoint.json'), JSON.stringify(meta));
    for (const format of ['json', 'bin', 'int8', 'c']) {
      const out = path.join(root, `nan-${format}`);
      const r = await cli('export', dir, '--env', 'CartPole-v1', '--format', format, '--out', out);
      expect(r.code, format).toBe(1);
      expect(r.stderr).toMatch(/nan-ckpt: layer 0 weights: finite: value 2 is NaN/);
      expect(existsSync(out) || existsSync(`${out}.c`)).toBe(false);
    }
  });
});
