import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/core/check-env.js';
import { ArbiterError } from '../../src/core/errors.js';
import { makeEnv } from '../../src/core/make-env.js';
import { NormalizeObservation } from '../../src/core/wrappers/normalize-observation.js';
import { NormalizeReward } from '../../src/core/wrappers/normalize-reward.js';
import { Box } from '../../src/core/spaces.js';
import { TimeLimit } from '../../src/core/wrappers/time-limit.js';
import { Wrapper } from '../../src/core/wrappers/wrapper.js';
import { BREAKAGES, brokenEnv, type Breakage } from './fixtures/broken-envs.js';
import { CountingEnv, DriftEnv } from './fixtures/counting-env.js';
import './fixtures/register-fixtures.js';

describe('checkEnv', () => {
  it.each(['info', 'method', 'both', 'none'] as const)('accepts a correct env (masks: %s)', (masks) => {
    expect(checkEnv(new CountingEnv({ masks }), { steps: 300 })).toEqual([]);
  });

  it('accepts wrapped and registered envs', () => {
    expect(checkEnv(makeEnv('Counting-v0'), { seed: 5, steps: 200 })).toEqual([]);
    // Normalizers must be frozen: learning statistics makes a seed's trajectory drift.
    const live = new NormalizeObservation(new TimeLimit(new DriftEnv(), 20));
    expect(() => checkEnv(live)).toThrow(/different first observations/);
    const frozen = new NormalizeReward(new NormalizeObservation(new TimeLimit(new DriftEnv(), 20)), {
      training: false,
    });
    (frozen.env as NormalizeObservation).training = false;
    expect(checkEnv(frozen)).toEqual([]);
  });

  it('warns about a Box action space that is not [-1, 1]', () => {
    class WideActions extends Wrapper<Float32Array, Float32Array> {
      override get actionSpace(): Box {
        return new Box(-2, 2, [1]);
      }
    }
    const w = checkEnv(new WideActions(new TimeLimit(new DriftEnv(), 10)));
    expect(w).toEqual([
      'the Box action space is not [-1, 1]; Gaussian policies work best on a normalized action space',
    ]);
  });

  it('warns when no episode ends (the step-after-end check cannot run)', () => {
    const w = checkEnv(new DriftEnv(), { steps: 50 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/no episode ended within 50 steps/);
  });

  it.each(Object.keys(BREAKAGES) as Breakage[])('rejects a broken env: %s', (kind) => {
    let error: unknown;
    try {
      checkEnv(brokenEnv(kind), { steps: 300 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArbiterError);
    expect((error as ArbiterError).code).toBe('env-check');
    expect((error as Error).message).toContain(BREAKAGES[kind]);
  });

  it('masks are respected: a masked-out action is never taken during the check', () => {
    // CountingEnv throws on a masked action, and checkEnv wraps a throwing step as a failure.
    expect(() => checkEnv(new CountingEnv({ masks: 'info', target: 50 }), { steps: 2000 })).not.toThrow();
  });
});
