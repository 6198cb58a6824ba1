/**
 * The HSoC single-agent env as env runners load it (module + export): copy i runs load
 * light/medium/heavy by i mod 3, as the HSoC PPO baseline's copies do.
 */
import type { Env } from '../src/core/env.js';
import { HSOC_LOADS } from '../src/envs/hsoc/hsoc-platform.js';
import { HsocSingleAgentEnv } from '../src/envs/hsoc/hsoc-single-agent-env.js';

/** `(options, index) => Env` for {@link RunnerEnvSpec}'s module form. */
export function hsocRunnerEnv(_options: unknown, index: number): Env {
  return new HsocSingleAgentEnv({
    workload: '5-task',
    jobs: 4,
    load: HSOC_LOADS[index % HSOC_LOADS.length]!,
  }) as Env;
}
