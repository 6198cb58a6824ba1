import { describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import { createAlgorithm, resolveAlgorithmConfig } from '../../src/agents/algorithm-registry.js';
import { ALGORITHM_NAMES } from '../../src/agents/algorithm-names.js';
import { BehaviorCloning } from '../../src/agents/behavior-cloning.js';
import { DQN } from '../../src/agents/dqn.js';
import { resolveOd3Config } from '../../src/agents/od3/od3-distiller.js';
import { PPO, PPO_DEFAULTS } from '../../src/agents/ppo.js';
import { REINFORCE } from '../../src/agents/reinforce.js';
import { QLearning } from '../../src/agents/tabular/q-learning.js';
import { qIteration } from '../../src/agents/tabular/q-iteration.js';
import { ValidationError } from '../../src/core/errors.js';
import { makeEnv } from '../../src/core/make-env.js';
import { validateEnvOptions } from '../../src/core/registry.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { GridWorld } from '../../src/envs/gridworld.js';
import { initTf } from '../../src/nn/tf-backend.js';

registerBuiltinEnvs();
const cartpole = () => makeEnv('CartPole-v1');

async function rejects(p: () => unknown, rule: string, text: string): Promise<void> {
  let err: unknown;
  try {
    await p();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a ${rule} error`).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).rule).toBe(rule);
  expect((err as Error).message).toContain(text);
}

describe('algorithm configs are validated by the library API', () => {
  it('PPO, A2C, REINFORCE refuse wrong types, ranges and unknown keys', async () => {
    await initTf();
    await rejects(
      () => PPO.create(cartpole, { learningRate: 'fast' as unknown as number }),
      'type',
      'learningRate',
    );
    await rejects(() => PPO.create(cartpole, { learningRate: -1 }), 'range', 'learningRate');
    await rejects(
      () => PPO.create(cartpole, { learningrate: 1e-3 } as unknown as object),
      'unknown-key',
      "did you mean 'learningRate'",
    );
    await rejects(() => new A2C(cartpole, { optimizer: 'sgd' as 'adam' }), 'enum', 'optimizer');
    await rejects(() => new REINFORCE(cartpole, { numSteps: 0 }), 'range', 'numSteps');
    await rejects(
      () => new PPO(cartpole, { policy: { hiddenSizes: [64], activaton: 'relu' } as object }),
      'unknown-key',
      "key 'policy.activaton'",
    );
  });

  it('DQN, Q-learning, Q-iteration, behaviour cloning and OD3 refuse bad values', async () => {
    await initTf();
    await rejects(() => new DQN(cartpole(), { bogusKey: 5 } as object), 'unknown-key', 'bogusKey');
    await rejects(() => new DQN(cartpole(), { gamma: 2 }), 'range', 'gamma');
    await rejects(() => new QLearning(new GridWorld(), { alpha: 0 }), 'range', 'alpha');
    await rejects(
      () => new QLearning(new GridWorld(), { epsilon: { strat: 1 } } as object),
      'unknown-key',
      'start',
    );
    await rejects(() => qIteration(new GridWorld().model, { tol: -1 }), 'range', 'tol');
    const ppo = new PPO(cartpole);
    await rejects(
      () => new BehaviorCloning(ppo.policy, { learningRate: Number.NaN }),
      'type',
      'learningRate',
    );
    await rejects(() => resolveOd3Config({ hiddenSizes: [8], tau: 0 }), 'range', 'tau');
    await ppo.close();
  });

  it('every algorithm name has a resolver; errors name the given source', () => {
    for (const name of ALGORITHM_NAMES) {
      expect(() => resolveAlgorithmConfig(name, {})).not.toThrow();
      expect(() => resolveAlgorithmConfig(name, { bogusKey: 1 }, 'ppo.json')).toThrow(
        /^ppo\.json: key 'bogusKey'/,
      );
    }
    expect(resolveAlgorithmConfig('ppo', {})).toMatchObject({ learningRate: PPO_DEFAULTS.learningRate });
  });

  it('createAlgorithm validates before building anything', async () => {
    await rejects(
      () => createAlgorithm('ppo', cartpole, { learningRate: -1 }, '--config'),
      'range',
      '--config',
    );
  });
});

describe('environment options are validated', () => {
  it('each registered env refuses unknown keys (with a suggestion), wrong types and ranges', () => {
    expect(() => validateEnvOptions('Jobs-v0', { lod: 'high' }, '--env-options')).toThrow(
      /^--env-options: key 'lod': unknown-key: .*did you mean 'load'/,
    );
    expect(() => validateEnvOptions('Jobs-v0', { load: 'heavy' })).toThrow(ValidationError);
    expect(() => validateEnvOptions('GridWorld-v0', { slip: 2 })).toThrow(/range/);
    expect(() => validateEnvOptions('EGS-v0', { maxNodes: '64' })).toThrow(/type/);
    expect(() => validateEnvOptions('EGS-v0', { sampler: { node: [5, 9] } })).toThrow(/did you mean 'nodes'/);
    expect(() => validateEnvOptions('CartPole-v1', { x: 1 })).toThrow(/CartPole-v1 has no option 'x'/);
    expect(() => makeEnv('Jobs-v0', { options: { lod: 'high' } })).toThrow(/options of Jobs-v0: key 'lod'/);
    for (const [id, ok] of [
      ['Jobs-v0', { load: 'high', capacity: [10, 5] }],
      ['GridWorld-v0', { size: 5, slip: 0.1, walls: [[1, 1]] }],
      ['EGS-v0', { maxNodes: 32, sampler: { nodes: [5, 9] } }],
      ['CartPole-v1', {}],
    ] as const)
      expect(() => validateEnvOptions(id, ok)).not.toThrow();
  });
});

describe('environment constructors validate their options too (library API)', () => {
  it('JobsEnv, GridWorld, EgsEnv refuse unknown keys and bad values', async () => {
    const { JobsEnv } = await import('../../src/envs/jobs/jobs-env.js');
    const { EgsEnv } = await import('../../src/envs/egs/egs-env.js');
    expect(() => new JobsEnv({ lod: 'high' } as object)).toThrow(
      /JobsEnv options: key 'lod'.*did you mean 'load'/,
    );
    expect(() => new GridWorld({ slip: -0.1 })).toThrow(/GridWorld options: key 'slip': range/);
    expect(() => new EgsEnv({ maxNodes: 4096 })).toThrow(
      /EgsEnv options: key 'maxNodes': range: value must be ≤ 1024/,
    );
  });
});
