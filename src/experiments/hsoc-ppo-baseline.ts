/** The deep MARL baseline of the HSoC benchmark: one PPO policy shared by every agent. */
import type { Callback } from '../agents/algorithm.js';
import { PPO } from '../agents/ppo.js';
import { HSOC_LOADS } from '../envs/hsoc/hsoc-platform.js';
import type { HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import type { HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { HsocSingleAgentEnv } from '../envs/hsoc/hsoc-single-agent-env.js';

/**
 * The deep MARL baseline: one PPO policy (MLP 64×64) shared by every agent, trained on the
 * single-agent view of the 5-task env (4 jobs, the three loads in turn over 3 env copies; `env`
 * overrides the env options, e.g. the profiled DAG and STOMP's PE mix) with the team reward;
 * evaluated greedily with the guard-rail masks. `onUpdate` receives the learning curve (steps so
 * far, mean episode return of the recent episodes) after each update; `callbacks` go to
 * `learn` (one returning false from `onUpdateEnd` stops training early). The learner is PPO's
 * default, the fast host learner.
 */
export async function trainPpoBaseline(
  steps: number,
  seed = 1,
  env: HsocEnvOptions = {},
  onUpdate?: (steps: number, meanEpisodeReturn: number) => void,
  callbacks: readonly Callback<PPO>[] = [],
): Promise<HsocPolicy> {
  let k = 0;
  const model = await PPO.create(
    () =>
      new HsocSingleAgentEnv({
        workload: '5-task',
        jobs: 4,
        ...env,
        load: HSOC_LOADS[k++ % HSOC_LOADS.length]!,
      }),
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
  await model.learn({
    totalTimesteps: steps,
    callbacks: [...callbacks],
    ...(onUpdate && {
      progress: (done: number, _total: number, metrics: Readonly<Record<string, number>>) => {
        const r = metrics['rollout/ep_rew_mean'];
        if (r !== undefined && Number.isFinite(r)) onUpdate(done, r);
      },
    }),
  });
  return {
    name: 'ppo-shared',
    act: (_env, _agent, obs, mask) => model.predict(obs, { deterministic: true, mask }) as number,
  };
}
