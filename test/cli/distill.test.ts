import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistillRunResult } from '../../src/experiments/distill-run.js';
import { trainRun } from '../../src/experiments/train-run.js';
import { readPolicyArtifactFile } from '../../src/deploy/policy-artifact.js';
import { cli } from './run-cli-helper.js';

let root: string;
let teacherDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'arbiter-distill-'));
  const r = await trainRun({
    algo: 'ppo',
    env: 'CartPole-v1',
    steps: 1024,
    seed: 4,
    config: { policy: { hiddenSizes: [32, 32] } },
    evalEpisodes: 1,
    runsRoot: root,
    name: 'teacher',
  });
  teacherDir = r.runDir;
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI in-process (the shared helper); stdout, or an Error with its stderr on a non-zero exit. */
async function run(...args: string[]): Promise<string> {
  const r = await cli(...args);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('arbiter distill', () => {
  it('distills the teacher run into a student within the budget and writes an exportable run folder', async () => {
    const out = await run(
      'distill',
      '--teacher',
      teacherDir,
      '--budget-params',
      '400',
      '--env',
      'CartPole-v1',
      '--steps',
      '1200',
      '--seed',
      '3',
      '--minibatch',
      '8',
      '--update-freq',
      '8',
      '--eval-every',
      '600',
      '--eval-episodes',
      '2',
      '--runs',
      root,
      '--name',
      'student',
      '--json',
    );
    const r = JSON.parse(out) as DistillRunResult;
    expect(r.runDir).toBe(join(root, 'student'));
    expect(r.steps).toBe(1200);
    expect(r.student.params).toBeLessThanOrEqual(400);
    expect(r.student.hiddenSizes).toEqual([16, 16]);
    expect(r.student.explanation).toMatch(/maxParams 400/);
    expect(r.teacher.decisionParams).toBe(4 * 32 + 32 + 32 * 32 + 32 + 32 * 2 + 2);
    expect(r.paramRatio).toBeCloseTo(r.student.params / r.teacher.decisionParams, 10);
    expect(Number.isFinite(r.finalEvalMeanReturn) && Number.isFinite(r.teacherEvalMeanReturn)).toBe(true);
    for (const f of [
      'config.json',
      'metrics.csv',
      'policy-net.json',
      'final-eval.json',
      'latest/checkpoint.json',
    ])
      expect(existsSync(join(r.runDir, f)), f).toBe(true);
    const cfg = JSON.parse(readFileSync(join(r.runDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(cfg).toMatchObject({ algo: 'od3', env: 'CartPole-v1', seed: 3, budgetParams: 400 });
    expect(readFileSync(join(r.runDir, 'metrics.csv'), 'utf8')).toMatch(/train\/kl_loss/);

    // The run folder exports like a trained run: the artifact is the student's network.
    const file = join(root, 'student.json');
    await run('export', r.runDir, '--format', 'json', '--out', file);
    const art = await readPolicyArtifactFile(file);
    expect(art.layers.map((l) => l.outputDim)).toEqual([16, 16, 2]);
    expect(art.source?.timesteps).toBe(1200);
  }, 120_000);

  it('rejects a budget below the smallest student', async () => {
    await expect(
      run('distill', '--teacher', teacherDir, '--budget-params', '5', '--steps', '100', '--runs', root),
    ).rejects.toThrow(/budget|fits/);
  }, 60_000);

  it('--config: an unknown key is refused naming --config; a diverging student stops with non-finite', async () => {
    const base = [
      'distill',
      '--teacher',
      teacherDir,
      '--budget-params',
      '400',
      '--steps',
      '600',
      '--runs',
      root,
    ];
    await expect(run(...base, '--config', '{"memorysize":100}')).rejects.toThrow(
      /--config: key 'memorysize': unknown-key: .*did you mean 'memorySize'/,
    );
    await expect(run(...base, '--config', '{"learningRate":3e38}', '--name', 'nan')).rejects.toThrow(
      /od3 training diverged at step \d+/,
    );
  }, 60_000);
});
