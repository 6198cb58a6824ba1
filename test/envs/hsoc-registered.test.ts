/**
 * `HSoC-v0` in the registry: the single-agent HSoC env built from data-only options (what a queue
 * job can carry), checked like every env; options that are not data, or out of range, are refused
 * naming the key.
 */
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/core/check-env.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { HsocSingleAgentEnv } from '../../src/envs/hsoc/hsoc-single-agent-env.js';

describe('HSoC-v0', () => {
  registerBuiltinEnvs();

  it('builds the single-agent HSoC env from plain options and passes checkEnv', () => {
    const options = { workload: '5-task', load: 'heavy', jobs: 2, contentionModel: 'memory' };
    const env = makeEnv('HSoC-v0', { options });
    expect(env).toBeInstanceOf(HsocSingleAgentEnv);
    expect(env.spec?.id).toBe('HSoC-v0');
    expect(checkEnv(env, { seed: 3, steps: 1500 })).toEqual([]);
    // The same options and seed give the same episode as the class built directly.
    const direct = new HsocSingleAgentEnv({
      workload: '5-task',
      load: 'heavy',
      jobs: 2,
      contentionModel: 'memory',
    });
    const a = env.reset({ seed: 9 }).obs as Float32Array;
    expect(Array.from(a)).toEqual(Array.from(direct.reset({ seed: 9 }).obs));
  });

  it('refuses unknown, non-data and out-of-range options, naming the key', () => {
    expect(() => makeEnv('HSoC-v0', { options: { load: 'extreme' } })).toThrow(/load/);
    expect(() => makeEnv('HSoC-v0', { options: { jobs: 0 } })).toThrow(/jobs/);
    expect(() => makeEnv('HSoC-v0', { options: { trace: [] } })).toThrow(/trace/);
  });
});
