/**
 * The `v2` EGS features: the first six columns are the `v1` observation, the others follow their
 * definitions along random episodes (EST/slack/levels from the windows, the flagged nodes form a
 * maximum antichain, the list hint's core neighbours are "open" exactly while incomparable).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { EgsEnv, egsEpisodeEnded } from '../../../src/envs/egs/egs-env.js';
import {
  bestListTimetable,
  bestOfListTimetables,
  egsListHint,
  listHintOf,
  listTimetables,
} from '../../../src/envs/egs/egs-list-hint.js';
import { widthFromClosure } from '../../../src/dag/analysis/width.js';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import {
  EGS_NODE_FEATURES_V2,
  egsFeatureSetOfDim,
  egsNodeFeatureDim,
} from '../../../src/envs/egs/egs-observation.js';
import { arbDag } from '../../helpers/random-dag.js';

const MAX = 14;

describe('EGS observation v2', () => {
  it('layout: the six v1 features, then eight more, named; dims map back to sets', () => {
    expect(EGS_NODE_FEATURES_V2.slice(6).join(' ')).toBe(
      'est slack tLevel bLevel inAntichain listStart listNextOpen listPrevOpen',
    );
    expect(egsNodeFeatureDim('v1')).toBe(6);
    expect(egsNodeFeatureDim('v2')).toBe(14);
    expect(egsFeatureSetOfDim(14)).toBe('v2');
    expect(egsFeatureSetOfDim(6)).toBe('v1');
    expect(egsFeatureSetOfDim(7)).toBeUndefined();
    expect(new EgsEnv({ maxNodes: 8, features: 'v2' }).observationSpace.nodeFeatureDim).toBe(14);
    expect(() => new EgsEnv({ features: 'v3' as 'v1' })).toThrow();
  });

  it('the list hint orders each core of the best list schedule by start time', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 1, maxNodes: MAX, slack: [0, 0.3] }), (dag) => {
        const t = bestListTimetable(dag, dag.deadline!);
        expect(t?.feasible).toBe(true);
        expect(checkSchedule(dag, t!).ok).toBe(true);
        const hint = listHintOf(dag, t);
        const core = new Map(t!.schedule.map((s) => [dag.indexOf.get(String(s.node))!, s.core]));
        let links = 0;
        for (let v = 0; v < dag.n; v++) {
          const w = hint.coreNext[v]!;
          if (w < 0) continue;
          links++;
          expect(hint.corePrev[w]).toBe(v);
          expect(core.get(w)).toBe(core.get(v));
          expect(hint.start[w]!).toBeGreaterThanOrEqual(hint.start[v]!);
        }
        // One chain per used core: n − cores links.
        expect(links).toBe(dag.n - new Set(core.values()).size);
      }),
      { numRuns: 80 },
    );
  });

  it('a known width (what the scheduler passes) gives the same hint; a hint source replaces the default', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 2, maxNodes: MAX, slack: [0, 0.3] }), (dag) => {
        const D = dag.deadline!;
        const W = widthFromClosure(transitiveClosure(dag)).width;
        const a = egsListHint(dag, D);
        const b = listHintOf(dag, bestOfListTimetables(listTimetables(dag, D, W)));
        expect(Array.from(b.start)).toEqual(Array.from(a.start));
        expect(Array.from(b.coreNext)).toEqual(Array.from(a.coreNext));
        const env = new EgsEnv({ maxNodes: MAX, features: 'v2' });
        let asked = 0;
        env.useListHints((d, deadline) => {
          asked++;
          return egsListHint(d, deadline);
        });
        env.reset({ options: { dag } });
        env.reset({ options: { dag } });
        // Asked once: the same task again reuses its hint.
        expect(asked).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  it('along random episodes: v1 columns unchanged, the rest as defined', () => {
    fc.assert(
      fc.property(
        arbDag({ minNodes: 2, maxNodes: MAX, slack: [0, 0.4] }),
        fc.integer({ min: 0, max: 1e6 }),
        (dag, seed) => {
          const e1 = new EgsEnv({ maxNodes: MAX });
          const e2 = new EgsEnv({ maxNodes: MAX, features: 'v2' });
          let r1 = e1.reset({ options: { dag } });
          let r2 = e2.reset({ options: { dag } });
          const hint = listHintOf(dag, bestListTimetable(dag, dag.deadline!));
          expect(Array.from(e2.listHint!.coreNext)).toEqual(Array.from(hint.coreNext));
          const rng = new Rng(seed);
          for (;;) {
            const n = dag.n;
            const f1 = r1.obs.nodeFeatures;
            const f2 = r2.obs.nodeFeatures;
            expect(f2.length).toBe(n * 14);
            const st = e2.state;
            const D = st.deadline;
            const L = st.criticalPath;
            const flagged: number[] = [];
            for (let v = 0; v < n; v++) {
              expect(Array.from(f2.subarray(v * 14, v * 14 + 6))).toEqual(
                Array.from(f1.subarray(v * 6, v * 6 + 6)),
              );
              const x = Array.from(f2.subarray(v * 14 + 6, v * 14 + 14));
              const inc = (u: number): number =>
                u >= 0 && !st.reach.has(u, v) && !st.reach.has(v, u) ? 1 : 0;
              const want = [
                st.est[v]! / D,
                Math.max(0, st.lst[v]! - st.est[v]!) / D,
                st.est[v]! / L,
                (D - st.lst[v]!) / L,
                x[4]!,
                hint.start[v]! / D,
                inc(hint.coreNext[v]!),
                inc(hint.corePrev[v]!),
              ].map(Math.fround);
              expect(x).toEqual(want);
              if (x[4] === 1) flagged.push(v);
            }
            // The flagged nodes: pairwise incomparable, as many as the width.
            expect(flagged.length).toBe(e2.width);
            for (const a of flagged)
              for (const b of flagged) if (a !== b) expect(st.reach.has(a, b)).toBe(false);
            const mask = e1.actionMasks();
            expect(Array.from(e2.actionMasks())).toEqual(Array.from(mask));
            const allowed: number[] = [];
            mask.forEach((m, a) => m && allowed.push(a));
            if (allowed.length === 0 || egsEpisodeEnded(r1.info)) break;
            const a = allowed[rng.int(allowed.length)]!;
            const s1 = e1.step(a);
            const s2 = e2.step(a);
            expect(s2.reward).toBe(s1.reward);
            r1 = s1;
            r2 = s2;
            if (s1.terminated || s1.truncated) break;
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
