import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { scheduleDag } from '../../src/dag/schedule/schedule-dag.js';
import { egsPolicyModelToJson, parseEgsPolicyModel } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { EgsEnv } from '../../src/envs/egs/egs-env.js';
import { ReplanningTeacher } from '../../src/envs/egs/timetable-teacher.js';
import { labelPolicyStates, listPlan } from '../../src/experiments/egs-dagger.js';
import { runEgsExpertIteration } from '../../src/experiments/egs-expert-iteration.js';
import { sampleTrainingDags, type EgsDemonstrations } from '../../src/experiments/egs-imitation.js';
import { randomGraphNet } from '../helpers/random-graph-net.js';

describe('EGS expert iteration', () => {
  it('relabelling towards a target: with β = 1 the labelled episode reaches the target’s cores, every label legal', () => {
    const dags = sampleTrainingDags({ count: 4, nodes: [10, 16], tightCores: [2, 4], rng: new Rng(7) });
    const env = new EgsEnv({ maxNodes: 16 });
    const net = randomGraphNet(3);
    for (const dag of dags) {
      const target = listPlan(dag, dag.deadline!);
      const data: EgsDemonstrations = { steps: [], returns: [], expertCores: 0, dags: 0 };
      const teacher = (): ReplanningTeacher =>
        new ReplanningTeacher((dagT, D) => (dagT === env.state.dag ? target : listPlan(dagT, D)));
      const cores = labelPolicyStates(net, env, [dag], teacher, data, {
        beta: 1,
        stepsPerNode: 3,
        rng: new Rng(1),
      });
      expect(cores).toBeLessThanOrEqual(target.cores);
      expect(data.returns.length).toBe(data.steps.length);
      for (const s of data.steps) expect(s.mask[s.action]).toBe(1);
    }
  });

  it('rounds of search and cloning: targets never worse than listsched, checked validation, loadable models (tiny, seeded)', async () => {
    const { rounds, models, validation } = await runEgsExpertIteration({
      rounds: 1,
      curriculum: [
        [8, 12],
        [8, 14],
      ],
      dagsPerRound: 3,
      tightCores: [2, 3],
      searchTimeS: 0.05,
      optimalMaxNodes: 0,
      bcEpochs: 1,
      epochs: 1,
      validationDags: 2,
      policy: { hiddenDim: 8, numHeads: 2, numLayers: 1 },
      seed: 3,
    });
    expect(rounds.map((r) => r.round)).toEqual([0, 1]);
    expect(models).toHaveLength(2);
    expect(validation.dags).toHaveLength(2);
    for (const r of rounds) {
      expect(r.targetCores).toBeLessThanOrEqual(r.listschedCores);
      expect(Object.values(r.wins).reduce((a, b) => a + b, 0)).toBe(3);
      expect(r.validation.invalid).toBe(0);
      expect(r.validation.seededWithin).toBe(2); // seeded with the list schedule: never worse
      expect(Number.isFinite(r.validation.alone)).toBe(true);
    }
    expect(rounds[0]!.wins['search']).toBeUndefined();
    expect(Number.isNaN(rounds[0]!.policyCores)).toBe(true);
    expect(rounds[1]!.policyCores).toBeGreaterThanOrEqual(1);
    expect(rounds[1]!.states).toBeGreaterThan(rounds[0]!.states);
    const back = parseEgsPolicyModel(JSON.parse(egsPolicyModelToJson(models[1]!)), 'round-1.json');
    expect(back.features).toBe('v2');
    expect(back.meta['round']).toBe(1);
    const dag = validation.dags[0]!;
    const r = new EgsPolicyScheduler(back).search(dag, { searchTimeS: 0.05 });
    expect(r.cores).toBeLessThanOrEqual((await scheduleDag(dag, 'listsched')).cores);
  });
});
