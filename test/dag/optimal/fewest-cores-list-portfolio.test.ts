import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { coreLowerBound } from '../../../src/dag/analysis/core-lower-bound.js';
import { withDeadline } from '../../../src/dag/build-dag.js';
import { fewestCoresListPortfolio } from '../../../src/dag/optimal/fewest-cores-list-portfolio.js';
import { incumbentAsEdgeGeneration } from '../../../src/dag/optimal/list-schedule-incumbent.js';
import { makespanListSchedule } from '../../../src/dag/optimal/makespan-list-schedule.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../../../src/dag/schedule/schedule-dag.js';
import { shapedDag, DAG_SHAPES } from '../../../src/experiments/shaped-dag.js';
import { PORTFOLIO_BEATS_LISTSCHED } from '../../helpers/portfolio-dag.js';

describe('fewestCoresListPortfolio', () => {
  it('finds 2 cores where listsched needs 3, as a checked edge-generation answer', async () => {
    const dag = PORTFOLIO_BEATS_LISTSCHED;
    const list = await scheduleDag(dag, 'listsched');
    expect(list.cores).toBe(3);
    const ctx = createAnalysisContext(dag, 29);
    const found = fewestCoresListPortfolio(ctx, 1, list.cores);
    expect(found?.cores).toBe(2);
    expect(found!.makespan).toBeLessThanOrEqual(29);
    const r = incumbentAsEdgeGeneration(dag, ctx.reach, found!, 'listsched', 1, 29);
    expect(r.feasible).toBe(true);
    expect(checkSchedule(dag, r).violations).toEqual([]);
    // Without random rounds only the fixed orders run, and none meets D on 2 cores.
    expect(fewestCoresListPortfolio(ctx, 1, list.cores, { rounds: 0 })).toBeUndefined();
  });

  it('answers below `upper` and at least the lower bound, meets D, and is the same for the same seed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DAG_SHAPES),
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 4, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        (shape, seed, n, m) => {
          const g = shapedDag(shape, seed, n, 0);
          const D = makespanListSchedule(createAnalysisContext(g), m, { rounds: 20, seed }).makespan;
          const dag = withDeadline(g, D);
          const ctx = createAnalysisContext(dag, D);
          const lb = coreLowerBound(dag, D).lowerBound;
          const upper = n + 1;
          const a = fewestCoresListPortfolio(ctx, lb, upper, { seed, rounds: 20 });
          const b = fewestCoresListPortfolio(ctx, lb, upper, { seed, rounds: 20 });
          expect(a).toBeDefined(); // the same seed replays D's m-core schedule
          expect(a!.cores).toBeLessThanOrEqual(m);
          expect(a!.cores).toBeGreaterThanOrEqual(lb);
          expect(a!.makespan).toBeLessThanOrEqual(D + 1e-9);
          expect(b!.chains).toEqual(a!.chains);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
