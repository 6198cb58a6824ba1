import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { checkEventDrivenEnv, checkParallelEnv } from '../../../src/core/multi-agent/check-parallel-env.js';
import { TinyEventDrivenEnv, TinyParallelEnv } from '../fixtures/tiny-multi-agent.js';

function failure(f: () => unknown): ArbiterError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArbiterError);
    expect((e as ArbiterError).code).toBe('env-check');
    return e as ArbiterError;
  }
  throw new Error('expected the check to fail');
}

describe('TinyParallelEnv fixture', () => {
  it('follows the Parallel API: dead agents leave, results cover the agents live before the step', () => {
    const env = new TinyParallelEnv();
    const r = env.reset({ seed: 1 });
    expect(Object.keys(r.obs)).toEqual(['a', 'b', 'c']);
    let steps = 0;
    while (env.agents.length > 0) {
      const before = [...env.agents];
      const s = env.step(Object.fromEntries(before.map((a) => [a, 0])));
      expect(Object.keys(s.rewards).sort()).toEqual(before.sort());
      steps++;
    }
    expect(steps).toBe(6);
    expect(() => env.step({})).toThrow();
  });
});

describe('checkParallelEnv', () => {
  it('accepts a correct env', () => {
    expect(checkParallelEnv(new TinyParallelEnv(), { steps: 300 })).toEqual([]);
    expect(checkParallelEnv(new TinyParallelEnv(), { seed: 9, steps: 50 })).toEqual([]);
  });

  it.each([
    ['keeps-dead-agent', 'ended but is still in agents'],
    ['reward-missing', 'rewards has keys'],
    ['bad-mask', "action mask of 'a' allows no action"],
  ] as const)('rejects a broken env: %s', (bug, message) => {
    expect(failure(() => checkParallelEnv(new TinyParallelEnv(bug), { steps: 300 })).message).toContain(
      message,
    );
  });
});

describe('checkEventDrivenEnv', () => {
  it('accepts a correct env, whose events sometimes have two pending agents', () => {
    expect(checkEventDrivenEnv(new TinyEventDrivenEnv(), { steps: 300 })).toEqual([]);
    const env = new TinyEventDrivenEnv();
    let r = env.reset({ seed: 0 });
    let both = 0;
    for (let t = 0; t < 300; t++) {
      if (r.pendingAgents.length === 2) both++;
      const s = env.step(Object.fromEntries(r.pendingAgents.map((a) => [a, 0])));
      r = env.agents.length === 0 ? env.reset() : s;
    }
    expect(both).toBeGreaterThan(0);
  });

  it.each([
    ['accepts-missing', 'did not throw'],
    ['mutates-before-validate', 'a rejected step() changed the env state'],
    ['no-pending', 'no agent is pending'],
    ['time-goes-back', 'time went back'],
  ] as const)('rejects a broken env: %s', (bug, message) => {
    expect(failure(() => checkEventDrivenEnv(new TinyEventDrivenEnv(bug), { steps: 300 })).message).toContain(
      message,
    );
  });

  it('the parallel checker rejects an event-driven env (not every live agent may act)', () => {
    expect(() => checkParallelEnv(new TinyEventDrivenEnv() as never, { steps: 300 })).toThrow(ArbiterError);
  });
});
