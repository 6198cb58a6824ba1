/** The deep MARL baseline of the HSoC benchmark: one PPO policy shared by every agent. */
import { PPO } from '../agents/ppo.js';
import { HSOC_LOADS } from '../envs/hsoc/hsoc-platform.js';
import type { HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import { HsocSingleAgentEnv } from '../envs/hsoc/hsoc-single-agent-env.js';

/**
 * The deep MARL baseline: one PPO policy (MLP 64×64) shared by every agent, trained on the
 * single-agent view of the 5-task env (4 jobs, the three loads in turn over 3 env copies) with
 * the team reward; evaluated greedily with the guard-rail masks.
 */
export async function trainPpoBaseline(steps: number, seed = 1): Promise<HsocPolicy> {
  let k = 0;
  const model = await PPO.create(
    () => new HsocSingleAgentEnv({ workload: '5-task', jobs: 4, load: HSOC_LOADS[k++ % HSOC_LOADS.length]! }),
    {
      numEnvs: 3,
      numSteps: 256,
      seed,
      gamma: 0.995,
      entCoef: 0.001,
      learningRate: 3e-4,
      normalizeReward: true,
    },
  );
  await model.learn({ totalTimesteps: steps });
  return {
    name: 'ppo-shared',
    act: (_env, _agent, obs, mask) => model.predict(obs, { deterministic: true, mask }) as number,
  };
}
