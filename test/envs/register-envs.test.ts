import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../src/core/make-env.js';
import { envRegistration, registeredEnvIds } from '../../src/core/registry.js';
import { TimeLimit } from '../../src/core/wrappers/time-limit.js';
import { CartPole } from '../../src/envs/cartpole.js';
import { GridWorld } from '../../src/envs/gridworld.js';
import { JobsEnv } from '../../src/envs/jobs/jobs-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';

describe('registerBuiltinEnvs', () => {
  it('registers the three ids with their specs, idempotently', () => {
    registerBuiltinEnvs();
    registerBuiltinEnvs();
    const ids = registeredEnvIds();
    for (const id of ['CartPole-v1', 'GridWorld-v0', 'Jobs-v0'])
      expect(ids.filter((x) => x === id)).toHaveLength(1);
    expect(envRegistration('CartPole-v1')).toMatchObject({ maxEpisodeSteps: 500, rewardThreshold: 475 });
    expect(envRegistration('Jobs-v0').maxEpisodeSteps).toBe(5000);
    expect(envRegistration('GridWorld-v0').create()).toBeInstanceOf(GridWorld);
  });

  it('passes options through and makeEnv applies the 500-step limit to CartPole', () => {
    registerBuiltinEnvs();
    const grid = envRegistration('GridWorld-v0').create({ size: 6 });
    expect((grid as GridWorld).model.numStates).toBe(36);
    const jobs = envRegistration('Jobs-v0').create({ windowSize: 3, load: 'low' }) as JobsEnv;
    expect(jobs.actionSpace.n).toBe(4);
    expect(jobs.load).toBe(0.3);

    const env = makeEnv('CartPole-v1') as TimeLimit;
    expect(env).toBeInstanceOf(TimeLimit);
    expect(env.unwrapped).toBeInstanceOf(CartPole);
    // Balance "perfectly" from the upright rest state by alternating pushes: the episode is cut at 500.
    env.reset({ seed: 0, options: { state: [0, 0, 0, 0] } });
    let steps = 0;
    let last;
    do {
      const s = (env.unwrapped as CartPole).getState();
      last = env.step(s[2] + 0.1 * s[3] > 0 ? 1 : 0);
      steps++;
    } while (!last.terminated && !last.truncated);
    expect(steps).toBe(500);
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(false);
  });
});
