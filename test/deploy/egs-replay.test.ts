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
  it('replays the greedy episode of the shipped policy: same edges and final width as its unseeded greedy decoding', async () => {
    const dag = await readDagFile('examples/dag/stg-50-rand0007.stg');
    const replay = replayEgsPolicy(dag, scheduler, { deadline: 300 });
    // The policy's own episode: greedy decoding without the list-schedule seed (on by default).
    const greedy = scheduler.greedy(dag, { deadline: 300, heuristicSeed: false });
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
        expect(replay.finalWidth).toBe(scheduler.greedy(dag, { viaEnv: true, heuristicSeed: false }).cores);
      }),
      { numRuns: 30 },
    );
  });

  it('property: with masks, each step lists its allowed edges, the taken one among them and never again after', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 3, maxNodes: 12, slack: [0.1, 0.5] }), (dag) => {
        const replay = replayEgsPolicy(dag, scheduler, { masks: true });
        const index = new Map(dag.ids.map((id, i) => [id, i]));
        const taken: number[] = [];
        for (const s of replay.steps) {
          const mask = s.mask!;
          expect(mask).toHaveLength(s.allowed);
          expect([...mask].sort((a, b) => a - b)).toEqual(mask);
          for (const a of mask) expect(Math.floor(a / dag.n)).not.toBe(a % dag.n); // no self-loop
          const edge = index.get(s.edge.from)! * dag.n + index.get(s.edge.to)!;
          expect(mask).toContain(edge);
          for (const t of taken) expect(mask).not.toContain(t); // an added edge is in G' now
          taken.push(edge);
        }
        expect(replayEgsPolicy(dag, scheduler).steps.every((s) => s.mask === undefined)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
