import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { RunningMeanStd } from '../../../src/core/running-mean-std.js';
import { Box } from '../../../src/core/spaces.js';
import { NormalizeObservation } from '../../../src/core/wrappers/normalize-observation.js';
import { TimeLimit } from '../../../src/core/wrappers/time-limit.js';
import { CountingEnv, DriftEnv } from '../fixtures/counting-env.js';

function drive(env: NormalizeObservation<Float32Array>, steps: number, seed: number): Float32Array[] {
  const out = [env.reset({ seed }).obs];
  for (let t = 0; t < steps; t++) {
    const r = env.step(Float32Array.of(Math.sin(t)));
    out.push(r.obs);
    if (r.truncated || r.terminated) out.push(env.reset().obs);
  }
  return out;
}

describe('NormalizeObservation', () => {
  it('standardizes with the statistics of all raw observations so far', () => {
    const raw = new TimeLimit(new DriftEnv(), 10);
    const env = new NormalizeObservation(new TimeLimit(new DriftEnv(), 10), { clip: Infinity });
    const ref = new RunningMeanStd(1);
    let r = raw.reset({ seed: 4 });
    let n = env.reset({ seed: 4 });
    for (let t = 0; t < 25; t++) {
      ref.update(r.obs);
      expect(n.obs[0]).toBeCloseTo((r.obs[0]! - ref.mean[0]!) / Math.sqrt(ref.var[0]! + 1e-8), 5);
      const a = Float32Array.of(0.3);
      const s = raw.step(a);
      const ns = env.step(a);
      r = s.truncated ? raw.reset() : s;
      n = ns.truncated ? env.reset() : ns;
      if (s.truncated) ref.update(s.obs);
    }
    ref.update(r.obs); // the last observation, already absorbed by the wrapper
    expect(env.obsRms.count).toBeCloseTo(ref.count, 9);
    expect(env.obsRms.mean[0]).toBeCloseTo(ref.mean[0]!, 12);
  });

  it('clips to [-clip, clip] and declares that box', () => {
    const env = new NormalizeObservation(new CountingEnv(), { clip: 0.5 });
    expect(env.observationSpace).toBeInstanceOf(Box);
    expect(Array.from(env.observationSpace.high)).toEqual([0.5, 0.5]);
    env.reset({ seed: 0 });
    for (let t = 0; t < 4; t++) {
      const o = env.step(1).obs;
      for (const v of o) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    }
  });

  it('freezes the statistics when training is false', () => {
    const env = new NormalizeObservation(new TimeLimit(new DriftEnv(), 50));
    drive(env, 20, 1);
    const before = env.getState();
    env.training = false;
    drive(env, 20, 2);
    expect(env.getState()).toEqual(before);
  });

  it('a checkpointed state restores identical normalization (JSON round trip)', () => {
    const a = new NormalizeObservation(new TimeLimit(new DriftEnv(), 7));
    drive(a, 30, 5);
    const saved = JSON.stringify(a.getState());
    const b = new NormalizeObservation(new TimeLimit(new DriftEnv(), 7));
    b.setState(JSON.parse(saved));
    expect(drive(b, 30, 9)).toEqual(drive(a, 30, 9));
    expect(() => new NormalizeObservation(new CountingEnv()).setState(JSON.parse(saved))).toThrow(
      ArbiterError,
    );
  });

  it('rejects non-Box observation spaces', () => {
    const env = new CountingEnv();
    Object.defineProperty(env, 'observationSpace', { value: { kind: 'discrete' } });
    expect(() => new NormalizeObservation(env as never)).toThrow(/Box observation space/);
  });
});
