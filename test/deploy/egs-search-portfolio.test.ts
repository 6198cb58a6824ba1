import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../src/dag/analysis/analysis-context.js';
import { withDeadline } from '../../src/dag/build-dag.js';
import { makespanListSchedule } from '../../src/dag/optimal/makespan-list-schedule.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../../src/dag/schedule/schedule-dag.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { DAG_SHAPES, shapedDag } from '../../src/experiments/shaped-dag.js';
import { randomGraphNet } from '../helpers/random-graph-net.js';
import { PORTFOLIO_BEATS_LISTSCHED } from '../helpers/portfolio-dag.js';

describe('egs-search seeded with the list portfolio', () => {
  it('answers on fewer cores than listsched and the list seed where a perturbed order meets D', async () => {
    const dag = PORTFOLIO_BEATS_LISTSCHED;
    const s = new EgsPolicyScheduler(randomGraphNet(3));
    const list = await scheduleDag(dag, 'listsched');
    const r = s.search(dag, { samples: 2 });
    expect(list.cores).toBe(3);
    // The seed before the portfolio (listsched and the list-schedule incumbent) needs 3 as well.
    expect(s.heuristicSeed(dag, 29, 2).result.cores).toBe(3);
    expect(r.cores).toBe(2);
    expect(r.feasible).toBe(true);
    expect(checkSchedule(dag, r).violations).toEqual([]);
    expect(r.note).toMatch(/answer from: list portfolio/);
  });

  it('is never worse than listsched and its timetable passes the checker (random DAGs, random weights)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DAG_SHAPES),
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 4, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        async (shape, seed, n, m) => {
          const g = shapedDag(shape, seed, n, 0);
          // The tightest deadline the portfolio knows on m cores (often below listsched's reach).
          const D = makespanListSchedule(createAnalysisContext(g), m, { rounds: 20 }).makespan;
          const dag = withDeadline(g, D);
          const list = await scheduleDag(dag, 'listsched');
          const r = new EgsPolicyScheduler(randomGraphNet(seed)).search(dag, {
            beamWidth: 2,
            expand: 2,
            samples: 2,
            seed,
            searchTimeS: 0.05,
          });
          expect(r.feasible).toBe(true);
          expect(checkSchedule(dag, r).violations).toEqual([]);
          expect(r.cores).toBeLessThanOrEqual(list.cores);
        },
      ),
      { numRuns: 40, seed: 16 },
    );
  });
});
