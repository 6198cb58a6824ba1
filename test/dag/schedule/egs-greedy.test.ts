import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { scheduleEgsGreedy } from '../../../src/dag/schedule/egs-greedy.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { arbDag } from '../../helpers/random-dag.js';

// The rule written plainly: a fresh maximum antichain and a copy of the graph state per trial.
function referenceEdges(dag: Dag, target: number, lookahead: number): [number, number][] {
  const state = new EdgeGenerationState(dag, dag.deadline!);
  let w = state.width();
  while (w.width > target) {
    const candidates: { i: number; j: number; slack: number }[] = [];
    for (const i of w.antichain)
      for (const j of w.antichain)
        if (state.isValid(i, j)) candidates.push({ i, j, slack: state.lst[j]! - state.eft[i]! });
    if (candidates.length === 0) break;
    candidates.sort((a, b) => b.slack - a.slack || a.i - b.i || a.j - b.j);
    const chosen =
      candidates.slice(0, lookahead).find((c) => {
        const trial = state.clone();
        trial.addEdge(c.i, c.j);
        return trial.width().width < w.width;
      }) ?? candidates[0]!;
    state.addEdge(chosen.i, chosen.j);
    w = state.width();
  }
  return state.added.map(([a, b]) => [a, b]);
}

describe('egs-greedy (warm matching)', () => {
  it('adds exactly the edges of the plain rule (fresh antichain, copied state per trial)', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 30, slack: [0, 0.5] }), fc.integer({ min: 1, max: 24 }), (dag, k) => {
        const ctx = createAnalysisContext(dag);
        const r = scheduleEgsGreedy(ctx, 1, { lookahead: k });
        const ids = dag.ids;
        expect(r.addedEdges).toEqual(referenceEdges(dag, 1, k).map(([a, b]) => [ids[a], ids[b]]));
        expect(checkSchedule(dag, r).violations).toEqual([]);
      }),
      { numRuns: 120, seed: 17 },
    );
  });
});
