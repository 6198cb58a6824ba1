import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDagFile } from '../../src/dag/io/read-dag-file.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { loadEgsPolicyModel, SMALL_EGS_MODEL_PATH } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { replayEgsPolicy } from '../../src/deploy/egs-replay.js';
import { arbDag } from '../helpers/random-dag.js';

const scheduler = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));

describe('replayEgsPolicy', () => {
  it('replays the greedy episode of the shipped policy: same edges and final width as method egs', async () => {
    const dag = await readDagFile('examples/dag/stg-50-rand0007.stg');
    const replay = replayEgsPolicy(dag, scheduler, { deadline: 300 });
    const greedy = scheduler.greedy(dag, { deadline: 300 });
    expect(replay.steps.length).toBeGreaterThan(0);
    expect(replay.finalWidth).toBe(greedy.cores);
    expect(replay.steps.map((s) => [s.edge.from, s.edge.to])).toEqual(greedy.addedEdges);
    expect(replay.result.cores).toBe(replay.finalWidth);
  });

  it('property: widths never rise, drops add up, the added edge is the likeliest allowed one', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 3, maxNodes: 12, slack: [0.1, 0.5] }), (dag) => {
        const replay = replayEgsPolicy(dag, scheduler, { topK: 3 });
        expect(checkSchedule(dag, replay.result).ok).toBe(true);
        let width = replay.initialWidth;
        for (const s of replay.steps) {
          expect(s.widthBefore).toBe(width);
          expect(s.widthAfter).toBeLessThanOrEqual(s.widthBefore);
          expect(s.top[0]).toEqual(s.edge);
          expect(s.top.length).toBe(Math.min(3, s.allowed));
          const mass = s.top.reduce((t, c) => t + c.probability, 0);
          expect(mass).toBeLessThanOrEqual(1 + 1e-6);
          expect(s.edge.probability).toBeGreaterThan(0);
          width = s.widthAfter;
        }
        expect(width).toBe(replay.finalWidth);
        expect(replay.finalWidth).toBe(scheduler.greedy(dag, { viaEnv: true }).cores);
      }),
      { numRuns: 30 },
    );
  });
});
