import { describe, expect, it } from 'vitest';
import { withSlackDeadline } from '../../src/dag/generate/deadline.js';
import { generateDag } from '../../src/dag/generate/generate-dag.js';
import { scheduleDag, SCHEDULE_METHODS } from '../../src/dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { loadEgsPolicyModel, resolveEgsModelPath } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { ALL_METHODS, scheduleEveryMethod, scheduleWithMethod } from '../../src/deploy/schedule-method.js';

const dag = withSlackDeadline(generateDag({ kind: 'layered', nodes: 14, seed: 5 }), 0.4);
const untimed = (r: ScheduleResult): Omit<ScheduleResult, 'timeMs'> => {
  const { timeMs: _t, ...rest } = r;
  return rest;
};

describe('every schedule method by name (the policy methods registered beside the DAG ones)', () => {
  it('ALL_METHODS: the DAG methods in their order with egs and egs-search right after egs-greedy', () => {
    expect(ALL_METHODS).toEqual([
      'graham',
      'he2019',
      'zhao2020',
      'he2021',
      'listsched',
      'egs-greedy',
      'egs',
      'egs-search',
      'optimal',
    ]);
    expect(ALL_METHODS.filter((m) => m !== 'egs' && m !== 'egs-search')).toEqual([...SCHEDULE_METHODS]);
  });

  it('runs each method as its own scheduler does, and `all` in ALL_METHODS order', async () => {
    const small = new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath(undefined, 'egs')));
    const large = new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath(undefined, 'egs-search')));
    // Default models are the shipped ones: small for egs, large for egs-search.
    expect(untimed(await scheduleWithMethod(dag, 'egs'))).toEqual(untimed(small.greedy(dag)));
    expect(untimed(await scheduleWithMethod(dag, 'egs-search', { samples: 2 }))).toEqual(
      untimed(large.search(dag, { samples: 2 })),
    );
    expect(untimed(await scheduleWithMethod(dag, 'egs', { samples: 3, seed: 4 }))).toEqual(
      untimed(small.sample(dag, 3, 4)),
    );
    const passed: unknown[] = [];
    const spying = new EgsPolicyScheduler(small.net);
    const sample = spying.sample.bind(spying);
    spying.sample = (d, k, seed, o) => (passed.push(o), sample(d, k, seed, o));
    await scheduleWithMethod(dag, 'egs', { fromScratch: true, schedulers: { egs: spying } });
    expect(passed).toEqual([expect.objectContaining({ fromScratch: true })]);
    const searched: unknown[] = [];
    const search = spying.search.bind(spying);
    spying.search = (d, o) => (searched.push(o), search(d, o));
    await scheduleWithMethod(dag, 'egs-search', { localSearch: false, schedulers: { 'egs-search': spying } });
    expect(searched).toEqual([expect.objectContaining({ localSearch: false })]);
    expect(untimed(await scheduleWithMethod(dag, 'listsched'))).toEqual(
      untimed(await scheduleDag(dag, 'listsched')),
    );
    const started: string[] = [];
    const every = await scheduleEveryMethod(dag, {
      timeLimitS: 5,
      samples: 2,
      schedulers: { egs: small, 'egs-search': large },
      onMethodStart: (m) => started.push(m),
    });
    expect(every.map((r) => r.method)).toEqual([...ALL_METHODS]);
    expect(started.sort()).toEqual([...ALL_METHODS].sort());
    expect(untimed(every[ALL_METHODS.indexOf('egs')]!)).toEqual(untimed(small.sample(dag, 2, 0)));
  });

  it('a policy method that fails declines in `all` (the others still answer) and throws alone', async () => {
    const options = { model: '/nonexistent/egs-model.json', timeLimitS: 1 };
    await expect(scheduleWithMethod(dag, 'egs', options)).rejects.toThrow(/egs-model\.json/);
    const every = await scheduleEveryMethod(dag, options);
    for (const m of ['egs', 'egs-search'] as const) {
      const r = every[ALL_METHODS.indexOf(m)]!;
      expect(r.method).toBe(m);
      expect(r.skipped).toBeDefined();
      expect(r.note).toMatch(/^failed: .*egs-model\.json/);
    }
    expect(every[ALL_METHODS.indexOf('graham')]!.feasible).toBe(true);
  });
});
