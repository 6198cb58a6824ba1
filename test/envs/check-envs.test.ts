import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/core/check-env.js';
import { makeEnv } from '../../src/core/make-env.js';
import { CartPole } from '../../src/envs/cartpole.js';
import { GridWorld } from '../../src/envs/gridworld.js';
import { JobsEnv } from '../../src/envs/jobs/jobs-env.js';
import { BUILTIN_ENV_IDS, registerBuiltinEnvs } from '../../src/envs/register-envs.js';

describe('checkEnv on the built-in environments', () => {
  it('CartPole-v1 passes', () => {
    expect(checkEnv(new CartPole(), { seed: 1, steps: 2000 })).toEqual([]);
  });

  it('GridWorld passes, deterministic and slippery with holes', () => {
    expect(checkEnv(new GridWorld(), { seed: 2, steps: 2000 })).toEqual([]);
    expect(
      checkEnv(new GridWorld({ size: 5, slip: 0.3, holes: [[2, 2]], walls: [[1, 3]] }), { seed: 3 }),
    ).toEqual([]);
  });

  it('Jobs passes in its variants (masks, no auto-advance, value reward, Poisson arrivals)', () => {
    expect(checkEnv(new JobsEnv({ arrivalSteps: 40 }), { seed: 4 })).toEqual([]);
    expect(checkEnv(new JobsEnv({ arrivalSteps: 30, autoAdvance: false }), { seed: 5 })).toEqual([]);
    expect(checkEnv(new JobsEnv({ arrivalSteps: 30, reward: 'value', load: 'high' }), { seed: 6 })).toEqual(
      [],
    );
    expect(
      checkEnv(new JobsEnv({ arrivalSteps: 30, arrivalProcess: 'poisson', load: 1.4, resources: 3 }), {
        seed: 7,
      }),
    ).toEqual([]);
  });

  it('every registered id passes through makeEnv (TimeLimit applied)', () => {
    registerBuiltinEnvs();
    for (const id of BUILTIN_ENV_IDS) {
      const env = makeEnv(id, id === 'Jobs-v0' ? { options: { arrivalSteps: 40 } } : {});
      expect(checkEnv(env, { seed: 8, steps: 1500 }), id).toEqual([]);
    }
  });
});
