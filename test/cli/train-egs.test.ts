/**
 * `arbiter train` on EGS-v0 (graph observations): the graph policy trains on the padded
 * observations, with K = 2 local env runners to the same weights as K = 0, resumes bit-exactly
 * (K = 0), and evaluates from its run folder; unsupported combinations fail with a clear error.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/agents/checkpoint.js';
import { cli } from './run-cli-helper.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'arbiter-train-egs-'));
});

const ENV_OPTIONS = JSON.stringify({ maxNodes: 8, sampler: { nodes: [5, 8] } });
const POLICY = JSON.stringify({ hiddenDim: 8, numHeads: 2, numLayers: 1, valueHiddenDim: 8 });
const CONFIG = JSON.stringify({ numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 1 });

const train = (name: string, steps: number, ...extra: string[]): ReturnType<typeof cli> =>
  cli(
    'train',
    'ppo',
    '--env',
    'EGS-v0',
    '--env-options',
    ENV_OPTIONS,
    '--policy',
    POLICY,
    '--config',
    CONFIG,
    '--steps',
    String(steps),
    '--seed',
    '4',
    '--eval-every',
    '32',
    '--checkpoint-every',
    '32',
    '--eval-episodes',
    '2',
    '--runs',
    root,
    '--name',
    name,
    '--json',
    ...extra,
  );

async function policyWeights(run: string): Promise<Record<string, number[]>> {
  const ckpt = await loadCheckpoint(path.join(root, run, 'latest'));
  return Object.fromEntries(
    Object.entries(ckpt.tensors)
      .filter(([k]) => k.startsWith('policy/'))
      .map(([k, v]) => [k, Array.from(v)]),
  );
}

describe('arbiter train on EGS-v0 (graph policy)', () => {
  it(
    'trains, resumes bit-exactly, matches K = 2 env runners, and evaluates',
    { timeout: 120_000 },
    async () => {
      const whole = await train('whole', 64);
      expect(whole.code, whole.stderr).toBe(0);
      const weights = await policyWeights('whole');
      expect(Object.keys(weights).some((k) => k.includes('embed/kernel'))).toBe(true);

      const runners = await train('runners', 64, '--env-runners', '2');
      expect(runners.code, runners.stderr).toBe(0);
      expect(await policyWeights('runners')).toEqual(weights);

      const half = await train('resumed', 32);
      expect(half.code, half.stderr).toBe(0);
      const resumed = await cli('train', '--resume', path.join(root, 'resumed'), '--steps', '64', '--json');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await policyWeights('resumed')).toEqual(weights);

      const ev = await cli('eval', path.join(root, 'whole'), '--episodes', '2', '--json');
      expect(ev.code, ev.stderr).toBe(0);
      expect(Number.isFinite((JSON.parse(ev.stdout) as { meanReturn: number }).meanReturn)).toBe(true);
    },
  );

  it('refuses unsupported combinations with a clear error', async () => {
    const dqn = await cli('train', 'dqn', '--env', 'EGS-v0', '--env-options', ENV_OPTIONS, '--runs', root);
    expect(dqn.code).toBe(1);
    expect(dqn.stderr).toMatch(/EGS-v0 has graph observations: train it with ppo, a2c, reinforce/);
    const flat = await cli('train', 'ppo', '--env', 'CartPole-v1', '--policy', POLICY, '--runs', root);
    expect(flat.code).toBe(1);
    expect(flat.stderr).toMatch(/graph policy settings apply to envs with graph observations/);
    const bad = await cli(
      'train',
      'ppo',
      '--env',
      'EGS-v0',
      '--policy',
      '{"hiddenDim":8,"depth":2}',
      '--runs',
      root,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/depth/);
  });
});
