import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointCallback, EvalCallback, type Callback } from '../../src/agents/callbacks.js';
import { evaluatePolicy } from '../../src/agents/evaluate-policy.js';
import { PPO } from '../../src/agents/ppo.js';
import type { MetricsSink } from '../../src/core/metrics-sink.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { ChainEnv } from './fixtures/chain-env.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-cb-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const SMALL = { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 1, policy: { hiddenSizes: [8] } };

describe('evaluatePolicy', () => {
  it('runs full episodes and reports mean/std of returns; seeded runs repeat', () => {
    const env = new ChainEnv({ slip: 0, length: 5, maxSteps: 10 });
    // Always right: from start position p ∈ {0, 1, 2} it takes 4 − p steps, return 1 − 0.01·steps.
    const r = evaluatePolicy(() => 1, env, { episodes: 20, seed: 3 });
    expect(r.episodes).toBe(20);
    r.returns.forEach((ret, i) => expect(ret).toBeCloseTo(1 - 0.01 * r.lengths[i]!, 10));
    r.lengths.forEach((l) => expect([2, 3, 4]).toContain(l));
    const mean = r.returns.reduce((a, b) => a + b) / 20;
    expect(r.meanReturn).toBeCloseTo(mean, 12);
    expect(r.stdReturn).toBeGreaterThan(0);
    expect(evaluatePolicy(() => 1, env, { episodes: 20, seed: 3 })).toEqual(r);
    // Always left never terminates: truncated at maxSteps.
    const left = evaluatePolicy(() => 0, env, { episodes: 2 });
    expect(left.lengths).toEqual([10, 10]);
    expect(left.meanReturn).toBeCloseTo(-0.1, 10);
  });

  it('passes the mask and the deterministic flag to the policy', () => {
    const env = new ChainEnv({ masked: true });
    const seen: [Uint8Array | undefined, boolean][] = [];
    evaluatePolicy((_o, mask, det) => (seen.push([mask, det]), 1), env, {
      episodes: 1,
      deterministic: false,
    });
    expect(seen.length).toBeGreaterThan(0);
    expect([...seen[0]![0]!]).toEqual([1, 1, 0]);
    expect(seen[0]![1]).toBe(false);
  });
});

describe('callbacks in learn()', () => {
  it('EvalCallback evaluates every N steps, records eval/* metrics in the sink, stops at the threshold', async () => {
    const rows: [number, Record<string, number>][] = [];
    const sink: MetricsSink = { write: (step, m) => rows.push([step, { ...m }]) };
    const m = new PPO(() => new ChainEnv(), { ...SMALL, seed: 1 });
    const ev = new EvalCallback({ env: () => new ChainEnv(), everySteps: 64, episodes: 3, evalAtEnd: false });
    await m.learn({ totalTimesteps: 320, callbacks: [ev], sink });
    expect(ev.history.map((h) => h.step)).toEqual([64, 128, 192, 256, 320]);
    expect(rows.length).toBe(10);
    expect(rows[1]![1]['eval/mean_return']).toBe(ev.history[0]!.meanReturn);
    expect(rows[1]![1]['rollout/ep_rew_mean']).toBeDefined();
    expect(ev.bestMeanReturn).toBe(Math.max(...ev.history.map((h) => h.meanReturn)));

    // A threshold below any return stops training at the first evaluation.
    const stopper = new EvalCallback({
      env: new ChainEnv(),
      everySteps: 64,
      episodes: 2,
      stopAboveReturn: -1e9,
    });
    const before = m.counters.numTimesteps;
    await m.learn({ totalTimesteps: 10_000, callbacks: [stopper] });
    expect(m.counters.numTimesteps - before).toBe(64);
    expect(stopper.reachedAt).toBe(before + 64);
    await m.close();
  });

  it('CheckpointCallback saves step-N directories and latest, loadable', async () => {
    const m = new PPO(() => new ChainEnv(), { ...SMALL, seed: 2 });
    const dir = path.join(tmp, 'run');
    const cb = new CheckpointCallback({ dir, everySteps: 64 });
    const order: string[] = [];
    const spy: Callback = {
      onTrainingStart: () => void order.push('start'),
      onUpdateEnd: (ctx) => void order.push(`update@${ctx.numTimesteps}`),
      onTrainingEnd: () => void order.push('end'),
    };
    await m.learn({ totalTimesteps: 128, callbacks: [cb, spy] });
    expect(order).toEqual(['start', 'update@32', 'update@64', 'update@96', 'update@128', 'end']);
    expect((await readdir(path.join(dir, 'checkpoints'))).sort()).toEqual(['step-128', 'step-64']);
    const back = await PPO.load(path.join(dir, 'latest'), () => new ChainEnv());
    expect(back.counters.numTimesteps).toBe(128);
    await back.close();
    await m.close();
  });
});
