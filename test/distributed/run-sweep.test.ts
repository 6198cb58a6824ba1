import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PPO, tinySweep } from '../helpers/tiny-sweep.js';
import { runSweep } from '../../src/distributed/run-sweep.js';
import { trialId, type SweepTrial } from '../../src/distributed/sweep-trial.js';
import { TrialFailedError, TrialPool } from '../../src/distributed/trial-pool.js';
import { cli } from '../cli/run-cli-helper.js';

const SMALL = TINY_PPO;
const SWEEP = tinySweep(256);

// One pool for the tests below that need no fresh processes (each process loads the library once).
const pool = new TrialPool({ size: 2 });
afterAll(() => pool.close());
let root: string;
let file: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arbiter-sweep-'));
  file = join(root, 'lr.json');
  await writeFile(file, JSON.stringify(SWEEP));
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface JsonTrial {
  id: string;
  params: Record<string, unknown>;
  seed: number;
  runDir: string;
  finalEvalMeanReturn: number;
}

const mtimes = (dir: string): Record<string, number> =>
  Object.fromEntries(
    readdirSync(join(dir, 'trials'))
      .filter((d) => existsSync(join(dir, 'trials', d, 'trial.json')))
      .map((d) => [d, statSync(join(dir, 'trials', d, 'trial.json')).mtimeMs]),
  );

describe('arbiter sweep (local trial processes)', () => {
  it('a sweep whose coordinator is killed (kill -9) and resumed ends with every trial once, in its run folder, summarised', async () => {
    const out = join(root, 'killed');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sweep', file, '--workers', '1', '--out', out, '--json'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 40_000;
    const finished = (): number => (existsSync(join(out, 'trials')) ? Object.keys(mtimes(out)).length : 0);
    while (finished() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = mtimes(out);
    expect(Object.keys(before).length).toBeGreaterThan(0);

    const again = await cli('sweep', file, '--out', out, '--json');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('pass --resume');

    let reused = 0;
    const result = await runSweep({
      file,
      out,
      resume: true,
      dispatcher: pool,
      onTrial: (e) => void (reused += e.reused ? 1 : 0),
    });
    expect(result.failed).toEqual([]);
    expect(reused).toBeGreaterThanOrEqual(Object.keys(before).length);
    const after = mtimes(out);
    for (const [id, t] of Object.entries(before)) expect(after[id]).toBe(t);

    // The CLI on the finished sweep: nothing trains, and --json reports every trial.
    const r = await cli('sweep', file, '--out', out, '--json', '--resume');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(mtimes(out)).toEqual(after);
    const doc = JSON.parse(r.stdout) as { trials: JsonTrial[]; best: JsonTrial };
    expect(doc.trials.map((t) => [t.params.learningRate, t.seed])).toEqual([
      [0.00025, 1],
      [0.00025, 2],
      [0.001, 1],
      [0.001, 2],
    ]);
    for (const t of doc.trials) {
      expect(t.runDir).toBe(join(out, 'trials', t.id));
      const finalEval = JSON.parse(await readFile(join(t.runDir, 'final-eval.json'), 'utf8')) as {
        meanReturn: number;
      };
      expect(finalEval.meanReturn).toBe(t.finalEvalMeanReturn);
      expect(existsSync(join(t.runDir, 'config.json'))).toBe(true);
    }
    expect(doc.trials.map((t) => t.finalEvalMeanReturn)).toEqual(
      result.trials.map((t) => t.finalEvalMeanReturn),
    );
    expect(doc.best.finalEvalMeanReturn).toBe(Math.max(...doc.trials.map((t) => t.finalEvalMeanReturn)));
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
      trials: unknown[];
      total: number;
    };
    expect([summary.trials.length, summary.total]).toEqual([4, 4]);
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain(`Best: trial \`${doc.best.id}\``);
    expect(await readFile(join(out, 'summary.svg'), 'utf8')).toMatch(/^<svg[\s\S]*learningRate/);
  }, 60_000);
});

describe('runSweep inputs', () => {
  it('a bad queue URL fails before the sweep folder exists', async () => {
    const out = join(root, 'bad-url');
    await expect(runSweep({ file, out, queue: 'http://127.0.0.1:6379' })).rejects.toThrow(
      /redis-url: the scheme/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('TrialPool', () => {
  const run = {
    seed: 5,
    algo: 'ppo' as const,
    env: 'CartPole-v1',
    steps: 256,
    envOptions: {},
    evalEpisodes: 2,
  };

  it('two attempts at one trial at once give one result: one trains and publishes, the other reuses it', async () => {
    const trial: SweepTrial = { id: trialId({ ...run, config: SMALL }), params: {}, ...run, config: SMALL };
    const trials = join(root, 'dup');
    const [a, b] = await Promise.all([pool.run(trial, trials), pool.run(trial, trials)]);
    expect(a.result).toEqual(b.result);
    expect([a.reused, b.reused].sort()).toEqual([false, true]);
    expect(readdirSync(trials).filter((d) => d.startsWith('t'))).toEqual([trial.id]);
    expect(readdirSync(join(trials, '.partial'))).toEqual([]);
  }, 60_000);

  it('a trial that cannot run (a bad config) fails once, as deterministic, naming the rule', async () => {
    const config = { ...SMALL, learningRate: -1 };
    const trial: SweepTrial = { id: trialId({ ...run, config }), params: {}, ...run, config };
    const e = await pool.run(trial, join(root, 'bad')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TrialFailedError);
    expect(e).toMatchObject({ deterministic: true, trialId: trial.id });
    expect((e as Error).message).toMatch(/learningRate.*range/);
  }, 60_000);
});
