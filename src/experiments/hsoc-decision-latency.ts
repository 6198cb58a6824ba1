/** Decision latency of an LNN rule policy on the HSoC env (the figure the HSoC benchmark reports). */
import { HsocEnv } from '../envs/hsoc/hsoc-env.js';
import { runHsocEpisode, type HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import type { LnnRulePolicy } from '../envs/hsoc/policies/lnn-rule-policy.js';

/** µs per decision of `policy.act` over 5 heavy-load AV episodes (median). */
export function measureHsocDecisionLatency(policy: LnnRulePolicy): number {
  const env = new HsocEnv({ workload: 'av-42', load: 'heavy', jobs: 4 });
  const per: number[] = [];
  for (let rep = 0; rep < 6; rep++) {
    let ns = 0;
    let count = 0;
    const timed: HsocPolicy = {
      name: 'timed',
      act(e, agent, obs, mask) {
        const t0 = process.hrtime.bigint();
        const a = policy.act(e, agent, obs, mask);
        ns += Number(process.hrtime.bigint() - t0);
        count++;
        return a;
      },
    };
    runHsocEpisode(env, timed, 7000 + rep);
    if (rep > 0) per.push(ns / count / 1000); // first run warms the JIT up
  }
  per.sort((a, b) => a - b);
  return per[per.length >> 1]!;
}
