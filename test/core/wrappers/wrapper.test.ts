import { describe, expect, it } from 'vitest';
import { TimeLimit } from '../../../src/core/wrappers/time-limit.js';
import { Wrapper } from '../../../src/core/wrappers/wrapper.js';
import { CountingEnv, DriftEnv } from '../fixtures/counting-env.js';

describe('Wrapper', () => {
  it('forwards spaces, reset, step and masks; unwrapped reaches the innermost env', () => {
    const base = new CountingEnv();
    const w = new Wrapper(new Wrapper(base));
    expect(w.observationSpace).toBe(base.observationSpace);
    expect(w.actionSpace).toBe(base.actionSpace);
    expect(w.unwrapped).toBe(base);
    const r = w.reset({ seed: 3 });
    const ref = new CountingEnv().reset({ seed: 3 });
    expect(r.obs).toEqual(ref.obs);
    expect(w.actionMasks!()).toEqual(base.actionMasks!());
    expect(w.step(1).obs[0]).toBe(r.obs[0]! + 1);
  });

  it('has actionMasks only when the inner env has it', () => {
    expect(new Wrapper(new CountingEnv({ masks: 'info' })).actionMasks).toBeUndefined();
    expect(new TimeLimit(new DriftEnv(), 3).actionMasks).toBeUndefined();
    expect(typeof new TimeLimit(new CountingEnv(), 3).actionMasks).toBe('function');
  });
});
