import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mCoreWindows, windowProblem } from '../../../src/dag/analysis/m-core-windows.js';
import { timeGrid } from '../../../src/dag/analysis/time-grid.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { chainTimetable } from '../../../src/dag/optimal/chain-timetable.js';
import { solveLp } from '../../../src/dag/optimal/highs-solver.js';
import {
  buildTimeIndexedMilp,
  chainsFromStarts,
  dominancePairs,
  startsFromSolution,
} from '../../../src/dag/optimal/time-indexed-milp.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { timetableGuarantees } from '../../../src/dag/schedule/dispatch-guarantee.js';
import { withinDeadline } from '../../../src/dag/time-tolerance.js';
import { bruteForceMinCores } from './brute-force-min-cores.js';
import { arbDag } from '../../helpers/random-dag.js';

/** Solves the time-indexed model for at most `maxCores` cores with the m-core windows of that count. */
async function solveWithin(dag: Dag, maxCores: number, ordered: boolean) {
  const D = dag.deadline!;
  const grid = timeGrid(dag, D)!;
  const windows = mCoreWindows(windowProblem(dag, D, grid), maxCores);
  if (windows.refutedBy !== undefined) return { status: 'refuted' as const };
  const milp = buildTimeIndexedMilp(dag, {
    wcet: grid.wcet,
    est: windows.est,
    lst: windows.lst,
    deadline: grid.deadline,
    minCores: 1,
    maxCores,
    ...(ordered && { ordered: dominancePairs(dag, grid.wcet) }),
  });
  const sol = await solveLp(milp.lp, { mipRelGap: 0, mipAbsGap: 0.999, timeLimitS: 20 });
  if (!sol.hasSolution) return { status: sol.status };
  const chains = chainsFromStarts(grid.wcet, startsFromSolution(dag, milp, sol.values));
  return { status: sol.status, objective: sol.objective, table: chainTimetable(dag, chains) };
}

describe('time-indexed MILP', () => {
  it('property (exact): on random DAGs of ≤ 7 nodes (integer WCETs) it finds the exhaustive optimum with dominance ordering, and nothing below it', async () => {
    await fc.assert(
      fc.asyncProperty(arbDag({ maxNodes: 7, maxWcet: 5, slack: [0, 0.6] }), async (dag) => {
        const D = dag.deadline!;
        const opt = bruteForceMinCores(dag, D);
        const at = await solveWithin(dag, opt, true);
        expect(at.status).toBe('optimal');
        expect(at.objective).toBe(opt);
        const table = at.table!;
        expect(table.cores).toBeLessThanOrEqual(opt);
        expect(withinDeadline(table.makespan, D)).toBe(true);
        const result = {
          method: 'optimal' as const,
          cores: table.cores,
          feasible: true,
          deadline: D,
          makespan: table.makespan,
          schedule: table.schedule,
          addedEdges: [],
          lowerBound: 1,
          timeMs: 0,
          guarantee: 'exact' as const,
          guarantees: timetableGuarantees(true, table.cores, table.makespan),
        };
        expect(checkSchedule(dag, result).violations).toEqual([]);
        if (opt > 1)
          expect(['refuted', 'infeasible']).toContain((await solveWithin(dag, opt - 1, true)).status);
      }),
      { numRuns: 50, seed: 1616 },
    );
  });

  it('dominance pairs: twins ordered by index, and u before v when pred(u) ⊆ pred(v), succ(v) ⊆ succ(u)', () => {
    // a, b twins (same WCET, both after s, both before t); c like them but also before d.
    const wcet: Record<string, number> = { s: 1, a: 2, b: 2, c: 2, t: 1, d: 1 };
    const dag = buildDag({
      nodes: Object.entries(wcet).map(([id, c]) => ({ id, wcet: c })),
      edges: 'sa sb sc at bt ct cd'.split(' ').map((e) => [e[0]!, e[1]!] as [string, string]),
    });
    const ix = (id: string): number => dag.indexOf.get(id)!;
    const pairs = dominancePairs(dag, dag.wcet).map(([u, v]) => `${dag.ids[u]}<${dag.ids[v]}`);
    // s, d and t (WCET 1) are ordered too: s has no predecessors, d's are among t's, both end.
    expect(pairs.sort()).toEqual(['a<b', 'c<a', 'c<b', 'd<t', 's<d', 's<t']);
    expect(ix('a')).toBeLessThan(ix('b'));
  });

  it('chainsFromStarts puts overlapping nodes on different cores and reuses a freed core', () => {
    // Intervals [0,2), [1,3), [2,4): two cores suffice.
    expect(chainsFromStarts([2, 2, 2], [0, 1, 2])).toEqual([[0, 2], [1]]);
  });
});
