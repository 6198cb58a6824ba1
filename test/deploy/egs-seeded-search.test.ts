import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../../src/dag/schedule/schedule-dag.js';
import { loadEgsPolicyModel } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { tightDeadline } from '../../src/experiments/egs-benchmark-sets.js';
import { randomGraphNet } from '../helpers/random-graph-net.js';
import { shapedDag } from '../../src/experiments/shaped-dag.js';
import { arbTightTask } from '../helpers/tight-task.js';

const arbTight = arbTightTask(24);

describe('EGS methods seeded with the best heuristic', () => {
  it('egs and egs-search are never worse than listsched, whatever the weights, and say what produced the answer', async () => {
    await fc.assert(
      fc.asyncProperty(arbTight, async ({ dag, D, seed }) => {
        const s = new EgsPolicyScheduler(randomGraphNet(seed));
        const list = await scheduleDag(dag, 'listsched', { deadline: D });
        const g = s.greedy(dag, { deadline: D });
        const b = s.search(dag, { deadline: D, beamWidth: 2, expand: 2, samples: 2, seed });
        for (const r of [g, b]) {
          expect(checkSchedule(dag, r).violations).toEqual([]);
          expect(r.feasible).toBe(true);
          expect(r.deadline).toBe(D);
          expect(r.cores).toBeLessThanOrEqual(list.cores);
        }
        expect(g.method).toBe('egs');
        expect(b.method).toBe('egs-search');
        if (g.cores < s.greedy(dag, { deadline: D, heuristicSeed: false }).cores)
          expect(g.note).toMatch(/answer from: .*seed/);
        expect(b.note).toMatch(
          /answer from: (policy|listsched|list-schedule|list portfolio|the task as given)/,
        );
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('seeded egs runs its episodes from the seed only, unless fromScratch; both are checked and ≤ listsched', async () => {
    // `fastEpisode(dag, options, rng, budget, from)`: `from` is the state an episode starts in.
    const proto = EgsPolicyScheduler.prototype as unknown as Record<
      'fastEpisode',
      (...a: unknown[]) => unknown
    >;
    const spy = vi.spyOn(proto, 'fastEpisode');
    try {
      await fc.assert(
        fc.asyncProperty(arbTight, fc.integer({ min: 1, max: 3 }), async ({ dag, D, seed }, samples) => {
          const s = new EgsPolicyScheduler(randomGraphNet(seed));
          const list = await scheduleDag(dag, 'listsched', { deadline: D });
          spy.mockClear();
          const now = s.sample(dag, samples, seed, { deadline: D });
          const starts = spy.mock.calls.map((c) => c[4]);
          expect(starts.every((from) => from !== undefined)).toBe(true);
          spy.mockClear();
          const before = s.sample(dag, samples, seed, { deadline: D, fromScratch: true });
          const fromG = spy.mock.calls.filter((c) => c[4] === undefined).length;
          // No episode at all only when nothing is to decide or the seed is at the lower bound.
          expect(fromG === samples || (starts.length === 0 && fromG === 0)).toBe(true);
          if (starts.length === 0) expect(now.note).toMatch(/at the lower bound|the task as given/);
          for (const r of [now, before]) {
            expect(checkSchedule(dag, r).violations).toEqual([]);
            expect(r.cores).toBeLessThanOrEqual(list.cores);
          }
        }),
        { numRuns: 25, seed: 12 },
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('the heuristic seed is an edge-generation answer on ≤ listsched cores, and the search time bounds egs-search', async () => {
    const s = new EgsPolicyScheduler(loadEgsPolicyModel());
    const dag = shapedDag('layered', 5, 60, 0);
    const D = tightDeadline(dag, 3);
    const seed = s.heuristicSeed(dag, D, 1);
    const list = await scheduleDag(dag, 'listsched', { deadline: D });
    expect(seed.result.cores).toBeLessThanOrEqual(list.cores);
    expect(seed.result.addedEdges.length).toBe(seed.state.added.length);
    expect(checkSchedule(dag, seed.result).violations).toEqual([]);
    const t0 = performance.now();
    const r = s.search(dag, { deadline: D, searchTimeS: 0.2, samples: 1000 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.cores).toBeLessThanOrEqual(list.cores);
    expect(checkSchedule(dag, r).violations).toEqual([]);
  });
});
