import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../src/core/errors.js';
import { makeEnv } from '../../src/core/make-env.js';
import { RecordEpisodeStatistics } from '../../src/core/wrappers/record-episode-statistics.js';
import { TimeLimit } from '../../src/core/wrappers/time-limit.js';
import { CountingEnv } from './fixtures/counting-env.js';
import './fixtures/register-fixtures.js';

describe('makeEnv', () => {
  it('builds a registered env under its TimeLimit, with the spec set', () => {
    const env = makeEnv('Counting-v0', { options: { target: 1000 } });
    expect(env).toBeInstanceOf(TimeLimit);
    expect((env as TimeLimit).unwrapped).toBeInstanceOf(CountingEnv);
    expect(env.spec).toEqual({ id: 'Counting-v0', maxEpisodeSteps: 8, rewardThreshold: 9 });
    expect((env as TimeLimit).unwrapped.spec?.id).toBe('Counting-v0');
    env.reset({ seed: 0 });
    let steps = 0;
    for (;;) {
      steps++;
      if (env.step(1).truncated) break;
    }
    expect(steps).toBe(8);
  });

  it('overrides or disables the limit and adds episode statistics on request', () => {
    const env = makeEnv('Counting-v0', { maxEpisodeSteps: 3, recordStats: { bufferLength: 5 } });
    expect(env).toBeInstanceOf(RecordEpisodeStatistics);
    expect(env.spec?.maxEpisodeSteps).toBe(3);
    expect((env as RecordEpisodeStatistics).bufferLength).toBe(5);
    expect(makeEnv('Counting-v0', { maxEpisodeSteps: 0 })).toBeInstanceOf(CountingEnv);
  });

  it('throws unknown-env for an unknown id', () => {
    expect(() => makeEnv('Nope-v9')).toThrow(ArbiterError);
    try {
      makeEnv('Nope-v9');
    } catch (e) {
      expect((e as ArbiterError).code).toBe('unknown-env');
      expect((e as Error).message).toContain('Counting-v0');
    }
  });
});
