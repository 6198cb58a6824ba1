import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { PadGraphObservation } from '../../src/core/wrappers/pad-graph-observation.js';
import { EgsEnv } from '../../src/envs/egs/egs-env.js';
import { egsDagger } from '../../src/experiments/egs-dagger.js';
import { collectTeacherDemonstrations, sampleTrainingDags } from '../../src/experiments/egs-imitation.js';
import { GraphPolicy } from '../../src/nn/graph-policy.js';
import { initTf } from '../../src/nn/tf-backend.js';

describe('egsDagger', () => {
  it('labels the policy’s own states with mask-legal teacher actions and retrains (tiny, seeded)', async () => {
    await initTf();
    const dags = sampleTrainingDags({ count: 4, nodes: [8, 12], tightCores: [2, 3], rng: new Rng(2) });
    const demos = await collectTeacherDemonstrations({ dags, rng: new Rng(3) });
    const layout = new PadGraphObservation(new EgsEnv({ maxNodes: 12 })).layout;
    const policy = new GraphPolicy(
      layout,
      new EgsEnv({ maxNodes: 12 }).actionSpace,
      { hiddenDim: 8, numHeads: 2, numLayers: 1 },
      new Rng(4),
    );
    const rounds: number[] = [];
    try {
      const data = await egsDagger(policy, layout, demos, {
        dags,
        rounds: 1,
        epochs: 1,
        rng: new Rng(5),
        onRound: (_r, info) => rounds.push(info.policyCores),
      });
      expect(data.steps.length).toBeGreaterThan(demos.steps.length);
      expect(data.returns.length).toBe(data.steps.length);
      for (const s of data.steps.slice(demos.steps.length)) expect(s.mask[s.action]).toBe(1);
      expect(rounds).toHaveLength(1);
      expect(rounds[0]).toBeGreaterThanOrEqual(1);
    } finally {
      policy.dispose();
    }
  });
});
