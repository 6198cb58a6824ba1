import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { TimeLimit } from '../../../src/core/wrappers/time-limit.js';
import { CountingEnv, DriftEnv } from '../fixtures/counting-env.js';

describe('TimeLimit', () => {
  it('truncates at the limit, then rejects steps until reset', () => {
    const env = new TimeLimit(new DriftEnv(), 3);
    env.reset({ seed: 1 });
    const a = Float32Array.of(0);
    expect(env.step(a).truncated).toBe(false);
    expect(env.step(a).truncated).toBe(false);
    const last = env.step(a);
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(false);
    expect(env.elapsedSteps).toBe(3);
    expect(() => env.step(a)).toThrow(ArbiterError);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(env.step(a).truncated).toBe(false);
  });

  it('does not truncate a step that terminates at the limit', () => {
    // Counter starts at 0, 1 or 2; target 4 with +2 steps ends within 2 steps.
    const env = new TimeLimit(new CountingEnv({ target: 4 }), 2);
    for (let seed = 0; seed < 20; seed++) {
      env.reset({ seed });
      let r = env.step(1);
      if (r.terminated) continue;
      r = env.step(2 - (r.obs[0]! % 2) * 1);
      if (r.obs[0]! >= 4) {
        expect(r.terminated).toBe(true);
        expect(r.truncated).toBe(false);
      } else expect(r.truncated).toBe(true);
    }
  });

  it('reports its limit in the spec and rejects bad limits', () => {
    const inner = new CountingEnv();
    Object.defineProperty(inner, 'spec', { value: { id: 'X', maxEpisodeSteps: 99 } });
    expect(new TimeLimit(inner, 7).spec).toEqual({ id: 'X', maxEpisodeSteps: 7 });
    expect(new TimeLimit(new CountingEnv(), 7).spec).toBeUndefined();
    expect(() => new TimeLimit(new CountingEnv(), 0)).toThrow(RangeError);
  });
});
