/** A PPO config that trains CartPole in a fraction of a second (updates of 128 steps). */
export const TINY_PPO = { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2 };

/** A 4-trial sweep file (2 learning rates × 2 seeds) of `steps`-step PPO runs on CartPole. */
export function tinySweep(steps: number): Record<string, unknown> {
  return {
    algo: 'ppo',
    env: 'CartPole-v1',
    steps,
    seeds: [1, 2],
    grid: { learningRate: [0.00025, 0.001] },
    config: TINY_PPO,
    envOptions: {},
    evalEpisodes: 2,
  };
}
