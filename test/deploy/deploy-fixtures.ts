/**
 * Shared fixtures of the deploy tests: tiny PPO (normalized observations; separate and shared
 * trunk) and DQN models trained briefly on CartPole-v1 with fixed seeds, and held-out CartPole
 * states collected from rollouts with seeds the training never used.
 */
import { DQN } from '../../src/agents/dqn.js';
import { PPO } from '../../src/agents/ppo.js';
import { makeEnv } from '../../src/core/make-env.js';
import { Rng } from '../../src/core/rng.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';

/** CartPole-v1 factory. */
export const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

/** A PPO trained for `steps` steps (normalized observations). */
export async function trainPpo(steps: number, shareTrunk = false): Promise<PPO> {
  await initTf();
  registerBuiltinEnvs();
  const m = await PPO.create(cartPole, {
    seed: 7,
    numEnvs: 2,
    numSteps: 256,
    normalizeObservation: true,
    policy: { hiddenSizes: [32, 32], shareTrunk, activation: shareTrunk ? 'relu' : 'tanh' },
  });
  await m.learn({ totalTimesteps: steps });
  return m;
}

/** A DQN trained for `steps` steps. */
export async function trainDqn(steps: number): Promise<DQN> {
  await initTf();
  registerBuiltinEnvs();
  const m = new DQN(cartPole(), {
    seed: 3,
    learningRate: 2.3e-3,
    bufferSize: 10_000,
    learningStarts: 200,
    trainFreq: 16,
    gradientSteps: 8,
    targetUpdateInterval: 10,
    explorationFraction: 0.2,
    hiddenSizes: [32, 32],
  });
  await m.learn({ totalTimesteps: steps });
  return m;
}

/**
 * `count` CartPole observations from episodes seeded from 10 000 on, acting with `policy` (a
 * random action with probability 0.3, so states spread beyond the policy's own path).
 */
export function heldOutStates(count: number, policy: (obs: Float32Array) => number): Float32Array[] {
  registerBuiltinEnvs();
  const env = cartPole();
  const rng = new Rng(12345);
  const states: Float32Array[] = [];
  let seed = 10_000;
  let obs = env.reset({ seed: seed++ }).obs as Float32Array;
  while (states.length < count) {
    states.push(Float32Array.from(obs));
    const a = rng.random() < 0.3 ? rng.int(2) : policy(obs);
    const r = env.step(a);
    obs = (r.terminated || r.truncated ? env.reset({ seed: seed++ }).obs : r.obs) as Float32Array;
  }
  return states;
}
