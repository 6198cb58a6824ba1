import { describe, expect, it } from 'vitest';
import { NormalizeReward } from '../../../src/core/wrappers/normalize-reward.js';
import { TimeLimit } from '../../../src/core/wrappers/time-limit.js';
import { DriftEnv } from '../fixtures/counting-env.js';

function run(env: NormalizeReward<Float32Array, Float32Array>, steps: number, seed: number): number[] {
  const rewards: number[] = [];
  env.reset({ seed });
  for (let t = 0; t < steps; t++) {
    const r = env.step(Float32Array.of(Math.cos(t)));
    rewards.push(r.reward);
    if (r.truncated || r.terminated) env.reset();
  }
  return rewards;
}

describe('NormalizeReward', () => {
  it('divides by the std of the discounted return, which restarts each episode', () => {
    const gamma = 0.9;
    const env = new NormalizeReward(new TimeLimit(new DriftEnv(), 4), { gamma, clip: Infinity });
    const raw = new TimeLimit(new DriftEnv(), 4);
    raw.reset({ seed: 3 });
    env.reset({ seed: 3 });
    const returns: number[] = [];
    let g = 0;
    for (let t = 0; t < 12; t++) {
      const a = Float32Array.of(0.5);
      const s = raw.step(a);
      const n = env.step(a);
      g = gamma * g + s.reward;
      returns.push(g);
      // Two-pass variance with the 1e-4 pseudo-count prior (mean 0, var 1).
      const c0 = 1e-4;
      const total = c0 + returns.length;
      const mean = returns.reduce((x, y) => x + y, 0) / total;
      const m2 = c0 * (1 + mean * mean) + returns.reduce((x, y) => x + (y - mean) ** 2, 0);
      expect(n.reward).toBeCloseTo(s.reward / Math.sqrt(m2 / total + 1e-8), 6);
      expect(n.info['rawReward']).toBe(s.reward);
      if (s.truncated) {
        g = 0;
        raw.reset();
        env.reset();
      }
    }
  });

  it('clips scaled rewards', () => {
    const env = new NormalizeReward(new TimeLimit(new DriftEnv(), 10), { clip: 0.25 });
    for (const r of run(env, 30, 1)) expect(Math.abs(r)).toBeLessThanOrEqual(0.25);
  });

  it('state round trip gives identical rewards; training=false freezes the statistics', () => {
    const a = new NormalizeReward(new TimeLimit(new DriftEnv(), 6));
    run(a, 40, 2);
    const b = new NormalizeReward(new TimeLimit(new DriftEnv(), 6));
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(run(b, 40, 8)).toEqual(run(a, 40, 8));
    a.training = false;
    const frozen = a.getState();
    run(a, 20, 3);
    expect(a.getState().returnRms).toEqual(frozen.returnRms);
  });
});
