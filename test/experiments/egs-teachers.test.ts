import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../../src/dag/schedule/schedule-dag.js';
import { egsAblationSets } from '../../src/experiments/egs-learn-ablation.js';
import { tightDeadline, tightEgsSets } from '../../src/experiments/egs-benchmark-sets.js';
import { collectTeacherDemonstrations, sampleTrainingDags } from '../../src/experiments/egs-imitation.js';
import { egsAblationTables, egsAblationTraining } from '../../src/report/egs-ablation-report.js';
import { DAG_SHAPES, shapedDag } from '../../src/experiments/shaped-dag.js';

describe('EGS teachers and tight deadlines', () => {
  it('at D = tightDeadline(dag, m), listsched needs at most m cores (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DAG_SHAPES),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 3, max: 30 }),
        fc.integer({ min: 1, max: 6 }),
        async (shape, seed, n, m) => {
          const dag = shapedDag(shape, seed, n, 0);
          const D = tightDeadline(dag, m);
          const r = await scheduleDag(dag, 'listsched', { deadline: D });
          expect(r.cores).toBeLessThanOrEqual(m);
          expect(checkSchedule(dag, r).ok).toBe(true);
        },
      ),
      { numRuns: 40, seed: 3 },
    );
  });

  it('best-teacher demonstrations are mask-legal and never need more cores than the egs-greedy expert on the same DAGs', async () => {
    const dags = sampleTrainingDags({ count: 12, nodes: [10, 24], tightCores: [2, 5], rng: new Rng(4) });
    // Tight: list scheduling meets each deadline on at most the largest m drawn.
    for (const d of dags) expect((await scheduleDag(d, 'listsched')).cores).toBeLessThanOrEqual(5);
    const greedy = await collectTeacherDemonstrations({ dags, teachers: ['egs-greedy'], rng: new Rng(9) });
    const best = await collectTeacherDemonstrations({ dags, rng: new Rng(9) });
    for (const s of best.steps) expect(s.mask[s.action]).toBe(1);
    expect(best.returns.length).toBe(best.steps.length);
    expect(best.dags).toBe(12);
    expect(best.expertCores).toBeLessThanOrEqual(greedy.expertCores);
    expect(greedy.wins).toEqual({ 'egs-greedy': 12 });
    expect(Object.values(best.wins).reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('the ablation sets are the declared held-out sets (with the STG graphs at their optimal makespans)', async () => {
    const sets = await egsAblationSets(2, 'examples/dag');
    expect(sets.map((s) => s.name)).toEqual([
      'tight-20-35-m2',
      'tight-20-35-m4',
      'tight-40-60-m2',
      'tight-40-60-m4',
      'stg-opt',
    ]);
    const stg = sets.at(-1)!;
    expect(stg.budget).toEqual([2, 2, 4, 4, 8, 8]);
    expect(stg.dags.map((d) => d.deadline)).toEqual([260, 267, 130, 134, 77, 81]);
    // Same seed, same sets: declared, not redrawn per run.
    expect(tightEgsSets({ count: 2 })[0]!.dags.map((d) => d.deadline)).toEqual(
      sets[0]!.dags.map((d) => d.deadline),
    );
  });

  it('the ablation report renders one row per variant and set and the training facts', () => {
    const md = egsAblationTables([
      { variant: 'listsched', set: 's', dags: 4, meanCores: 2.5, withinBudget: 3, msPerDag: 1.2, invalid: 0 },
      {
        variant: 'bc best teacher',
        set: 's',
        dags: 4,
        meanCores: 2.75,
        withinBudget: 2,
        msPerDag: 40,
        invalid: 0,
      },
    ]);
    expect(md).toContain('### s');
    expect(md).toContain('| listsched | 2.50 | 3/4 | 1 | 0 |');
    expect(md).toContain('| bc best teacher | 2.75 | 2/4 | 40 | 0 |');
    const t = egsAblationTraining({
      bc: { x: { states: 10, teacherCores: 2, wins: { listsched: 3 }, nll: 0.5, seconds: 2 } },
      dagger: [{ round: 1, policyCores: 3.25, states: 40, nll: 0.7, seconds: 1 }],
      ppo: { steps: 100, seconds: 1, lastReturn: 1.5 },
    });
    expect(t).toContain('DAgger round 1: greedy policy 3.25 mean cores');
    expect(t).toContain('| x | 10 | 2.00 | listsched 3 | 0.500 | 2 |');
    expect(t).toContain('100 steps');
    const runs = egsAblationTraining({
      bc: {},
      dagger: [{ round: 2, policyCores: 3, states: 4, nll: 0.1, seconds: 1, variant: 'dagger [v2]' }],
      ppo: { steps: 0, seconds: 0, lastReturn: NaN },
      ppoRuns: { 'ppo from scratch [v2]': { steps: 2048, seconds: 3, lastReturn: 2.25 } },
    });
    expect(runs).toContain('dagger [v2] round 2: greedy policy 3.00');
    expect(runs).toContain(
      'ppo from scratch [v2]: PPO, 2048 steps in 3 s, last mean episode return (width drop) 2.25.',
    );
  });
});
