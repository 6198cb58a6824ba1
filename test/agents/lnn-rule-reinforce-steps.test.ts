import { describe, expect, it } from 'vitest';
import { trainLnnRulePolicy, type LnnTrainingProgress } from '../../src/agents/lnn-rule-reinforce.js';
import { HsocEnv } from '../../src/envs/hsoc/hsoc-env.js';
import { runHsocEpisode } from '../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../src/envs/hsoc/policies/uniform-policy.js';

describe('trainLnnRulePolicy step counting', () => {
  it('counts the sampled decisions and the baseline episodes’ decisions, episode by episode', () => {
    const seen: Omit<LnnTrainingProgress, 'policy'>[] = [];
    const r = trainLnnRulePolicy({
      episodes: 3,
      loads: ['medium'],
      env: { jobs: 3 },
      seedBase: 7000,
      onEpisode: (_ep, _c, p) =>
        seen.push({ decisions: p.decisions, baselineDecisions: p.baselineDecisions }),
    });
    expect(seen).toHaveLength(3);
    expect(seen[2]).toEqual({ decisions: r.decisions, baselineDecisions: r.baselineDecisions });
    // The baseline is the uniform control on the same seeds: count its agent decisions independently.
    const env = new HsocEnv({ workload: '5-task', jobs: 3, load: 'medium' });
    const control = new UniformPolicy();
    let n = 0;
    const counted = {
      name: 'counted',
      act: (e: HsocEnv, a: number) => {
        n++;
        return control.act(e, a);
      },
    };
    const perEpisode = [0, 1, 2].map((ep) => {
      const before = n;
      runHsocEpisode(env, counted, 7000 + ep);
      return n - before;
    });
    expect(perEpisode.every((k) => k > 0)).toBe(true);
    expect(seen.map((s) => s.baselineDecisions)).toEqual([
      perEpisode[0],
      perEpisode[0]! + perEpisode[1]!,
      perEpisode[0]! + perEpisode[1]! + perEpisode[2]!,
    ]);
    // Sampled decisions grow every episode too.
    expect(seen[0]!.decisions).toBeGreaterThan(0);
    expect(seen[1]!.decisions).toBeGreaterThan(seen[0]!.decisions);
    expect(seen[2]!.decisions).toBeGreaterThan(seen[1]!.decisions);
  });
});
