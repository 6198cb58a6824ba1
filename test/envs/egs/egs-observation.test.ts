import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { EgsEnv } from '../../../src/envs/egs/egs-env.js';
import {
  EGS_NODE_FEATURE_DIM,
  EGS_NODE_FEATURES,
  EGS_RELATION_DIM,
  EGS_RELATIONS,
  addEdgeToRelationCodes,
  writeEgsRelationCodes,
} from '../../../src/envs/egs/egs-observation.js';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import { arbSmallDagTask } from '../../dag/optimal/random-small-dag.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';
import { brutePoset } from './brute-force-poset.js';

const MAX = 16;

describe('EGS observation', () => {
  it('layout: 6 node features and 4 relation channels, named', () => {
    expect(EGS_NODE_FEATURE_DIM).toBe(6);
    expect(EGS_RELATION_DIM).toBe(4);
    expect(EGS_NODE_FEATURES).toEqual(['wcet', 'eft', 'lst', 'lateralWidth', 'critical', 'widthGap']);
    expect(EGS_RELATIONS).toEqual(['edge', 'reaches', 'reachedBy', 'incomparable']);
  });

  it('EGS example: features of node 1 and the relations of 0 → 1, 0 → 4 and 2 → 3', () => {
    const env = new EgsEnv({ maxNodes: MAX });
    const { obs } = env.reset({ options: { dag: egsExample() } });
    expect(obs.numNodes).toBe(7);
    const f = Array.from(obs.nodeFeatures.subarray(6, 12));
    // C = 5, EFT = 5, LST = 0, lateral {2, 3} → 2/7, critical, (W 3 − LB 2) / 7.
    expect(f).toEqual([5 / 8, 5 / 8, 0, 2 / 7, 1, 1 / 7].map(Math.fround));
    const rel = (i: number, j: number): number[] =>
      Array.from(obs.relations.subarray((i * 7 + j) * 4, (i * 7 + j) * 4 + 4));
    expect(rel(0, 1)).toEqual([1, 1, 0, 0]); // edge of the reduction
    expect(rel(0, 4)).toEqual([0, 1, 0, 0]); // implied by 0 → 1 → 4
    expect(rel(4, 0)).toEqual([0, 0, 1, 0]);
    expect(rel(2, 3)).toEqual([0, 0, 0, 1]);
    expect(rel(3, 3)).toEqual([0, 0, 0, 0]);
  });

  it('invariant: features and relations equal a brute-force recomputation along random episodes', () => {
    fc.assert(
      fc.property(
        fc.oneof(arbDag({ maxNodes: 12, slack: [0, 1] }), arbSmallDagTask(10)),
        fc.nat(),
        (dag, seed) => {
          const env = new EgsEnv({ maxNodes: MAX, criticalOnly: seed % 2 === 0 });
          const rng = new Rng(seed);
          const r = env.reset({ options: { dag } });
          let obs = r.obs;
          let mask = r.info.actionMask!;
          let done = r.info['terminal'] === true;
          const D = dag.deadline!;
          for (;;) {
            const b = brutePoset(dag, env.state.added, D);
            const n = dag.n;
            for (let v = 0; v < n; v++) {
              const f = obs.nodeFeatures.subarray(v * 6, v * 6 + 6);
              expect(f[0]).toBeCloseTo(dag.wcet[v]! / D, 6);
              expect(f[1]).toBeCloseTo(b.timing.eft[v]! / D, 6);
              expect(f[2]).toBeCloseTo(b.timing.lst[v]! / D, 6);
              expect(f[3]).toBeCloseTo(b.lateral[v]! / n, 6);
              expect(f[4]).toBe(b.critical[v] ? 1 : 0);
              expect(f[5]).toBeCloseTo((b.width - env.lowerBound) / n, 6);
            }
            for (let i = 0; i < n; i++)
              for (let j = 0; j < n; j++) {
                const o = (i * n + j) * 4;
                const ij = b.reach[i]![j]!;
                const ji = b.reach[j]![i]!;
                let reduced = ij;
                for (let w = 0; w < n && reduced; w++) if (b.reach[i]![w] && b.reach[w]![j]) reduced = false;
                expect([...obs.relations.subarray(o, o + 4)]).toEqual([
                  reduced ? 1 : 0,
                  ij ? 1 : 0,
                  ji ? 1 : 0,
                  i !== j && !ij && !ji ? 1 : 0,
                ]);
              }
            if (done) return;
            const s = env.step(env.actionSpace.sample(rng, mask));
            // Fresh arrays every step.
            expect(s.obs.relations).not.toBe(obs.relations);
            expect(s.obs.nodeFeatures).not.toBe(obs.nodeFeatures);
            obs = s.obs;
            mask = s.info.actionMask!;
            done = s.terminated || s.truncated;
          }
        },
      ),
      { numRuns: 60, seed: 21 },
    );
  });

  it('relation codes after added edges (written, or kept edge by edge): the reduction, reach and incomparability by definition', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 2, maxNodes: 40, slack: [0.5, 1] }), fc.integer(), (dag, seed) => {
        const state = new EdgeGenerationState(dag, dag.deadline!);
        const rng = new Rng(seed);
        const n = dag.n;
        // Also kept edge by edge from the task's own codes (addEdgeToRelationCodes).
        const kept = new Uint8Array(n * n);
        writeEgsRelationCodes(state, kept);
        for (let t = 0; t < n; t++) {
          const i = rng.int(n);
          const j = rng.int(n);
          if (!state.isValid(i, j)) continue;
          addEdgeToRelationCodes(state, i, j, kept);
          state.addEdge(i, j);
        }
        const codes = new Uint8Array(n * n);
        writeEgsRelationCodes(state, codes);
        expect(kept).toEqual(codes);
        const r = (a: number, b: number): boolean => state.reach.has(a, b);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let covered = false;
            for (let w = 0; w < n && !covered; w++) covered = r(i, w) && r(w, j);
            const edge = r(i, j) && !covered;
            const inc = i !== j && !r(i, j) && !r(j, i);
            const want = (edge ? 1 : 0) | (r(i, j) ? 2 : 0) | (r(j, i) ? 4 : 0) | (inc ? 8 : 0);
            expect(codes[i * n + j]).toBe(want);
          }
      }),
      { numRuns: 60 },
    );
  });
});
