/**
 * Pins the EGS policy decisions on `generateDag` DAGs of the four kinds (same-probability,
 * same-predecessors, layered, fork-join; WCET 1–10) at tight deadlines (the best list-schedule
 * makespan on m = 2, 4, 8 cores): cores, added-edge count and a hash of the edge sequence of the
 * greedy episode (unseeded and seeded), sampled episodes, refresh, lookahead, search, a two-layer
 * network on both kernels and a 300-node DAG. The expected values were computed with the code
 * before the speed work of bench/results/egs-speed.md (incremental lateral widths, the last layer
 * on the scored rows only); a speed-up that changes any choice fails here. The frozen policy copy
 * of egs-decisions-pinned.test.ts is used, so a retrained shipped model does not move them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { withDeadline } from '../../src/dag/build-dag.js';
import type { Dag } from '../../src/dag/dag-task.js';
import { generateDag, type DagKind } from '../../src/dag/generate/generate-dag.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { loadEgsPolicyModel } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { tightDeadline } from '../../src/experiments/egs-benchmark-sets.js';
import { GraphNetF32, graphNetParams, type GraphNetDims } from '../../src/nn/graph-net-f32.js';

const MODEL = path.join(import.meta.dirname, 'fixtures', 'egs-pinned-small-policy.json');
const KINDS: DagKind[] = ['same-probability', 'same-predecessors', 'layered', 'fork-join'];
const LONG = { timeBudgetS: 600 };

// Cores, edge count and an FNV-1a hash of the added edges in order.
function summary(r: ScheduleResult): string {
  let h = 0x811c9dc5;
  for (const [a, b] of r.addedEdges)
    for (const c of `${String(a)}>${String(b)};`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `${r.cores}/${r.addedEdges.length}/${h.toString(16)}`;
}

function dag(kind: DagKind, nodes: number, seed: number, m: number): Dag {
  const d = generateDag({ kind, nodes, seed, wcetMin: 1, wcetMax: 10 });
  return withDeadline(d, tightDeadline(d, m));
}

function checked(d: Dag, r: ScheduleResult): string {
  expect(checkSchedule(d, r).violations).toEqual([]);
  return summary(r);
}

describe('EGS policy decisions on generated DAGs of every kind (pinned before the speed work)', () => {
  const s = new EgsPolicyScheduler(loadEgsPolicyModel(MODEL));

  it('100 nodes: greedy unseeded (m = 4, 2) and seeded (m = 4, 2, 8)', { timeout: 120_000 }, () => {
    const got = KINDS.map((kind, k) => {
      const [d4, d2, d8] = [4, 2, 8].map((m) => dag(kind, 100, 2000 + k, m)) as [Dag, Dag, Dag];
      return [
        checked(d4, s.greedy(d4, { heuristicSeed: false, ...LONG })),
        checked(d2, s.greedy(d2, { heuristicSeed: false, ...LONG })),
        checked(d4, s.greedy(d4, LONG)),
        checked(d2, s.greedy(d2, LONG)),
        checked(d8, s.greedy(d8, LONG)),
      ];
    });
    expect(got).toEqual([
      ['5/636/f91fe2', '3/553/930ca160', '4/85/50fb397b', '2/94/5b989819', '8/63/781a6c56'],
      ['5/695/427dd21d', '3/513/dd69d4e9', '4/78/6dc09e91', '2/84/374e5bae', '7/63/197d95a7'],
      ['5/343/8bb91cae', '3/343/611253c3', '4/77/fdef0b89', '2/94/95b93703', '8/57/8b31f98f'],
      ['5/773/65018f62', '3/695/aeb56c4b', '4/90/ce91687c', '2/94/6800eabb', '8/80/17b06dcd'],
    ]);
  });

  it(
    '60 nodes: sampled episodes, refresh 3, lookahead 3, search seeded and unseeded',
    { timeout: 60_000 },
    () => {
      const d = dag('layered', 60, 2100, 4);
      const got = [
        s.sample(d, 3, 5, { heuristicSeed: false, ...LONG }),
        s.greedy(d, { heuristicSeed: false, refresh: 3, ...LONG }),
        s.greedy(d, { heuristicSeed: false, lookahead: 3, ...LONG }),
        s.search(d, { samples: 2, beamWidth: 2, expand: 2, searchTimeS: 600, ...LONG }),
        s.search(d, { samples: 2, beamWidth: 2, expand: 2, searchTimeS: 600, heuristicSeed: false, ...LONG }),
      ].map((r) => checked(d, r));
      expect(got).toEqual([
        '5/109/aff3628e',
        '5/153/d730fc74',
        '5/99/dfd2d6f1',
        '4/32/43303db6',
        '5/82/39b3a498',
      ]);
    },
  );

  it(
    'a two-layer random v2 network, WebAssembly and JavaScript kernels: fast path, env path, seeded',
    { timeout: 60_000 },
    () => {
      const dims: GraphNetDims = {
        nodeFeatureDim: 14,
        relationDim: 4,
        hiddenDim: 16,
        numHeads: 4,
        numLayers: 2,
        ffnDim: 32,
        valueHiddenDim: 8,
        logitClip: 10,
      };
      const rng = new Rng(77);
      const w: Record<string, Float32Array> = {};
      for (const p of graphNetParams(dims))
        w[p.name] = Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1));
      for (const kernel of ['auto', 'js'] as const) {
        const r = new EgsPolicyScheduler(new GraphNetF32(dims, w, kernel));
        const d = dag('fork-join', 70, 2200, 4);
        const e = dag('same-predecessors', 50, 2201, 2);
        expect([
          checked(d, r.greedy(d, { heuristicSeed: false, ...LONG })),
          checked(e, r.greedy(e, { heuristicSeed: false, ...LONG })),
          checked(e, r.greedy(e, { heuristicSeed: false, viaEnv: true, ...LONG })),
          checked(e, r.greedy(e, LONG)),
        ]).toEqual(['7/198/280415be', '3/107/e38d7e2c', '3/107/e38d7e2c', '2/28/d9ecbc57']);
      }
    },
  );

  it('300 nodes: greedy unseeded (m = 4) and seeded (m = 8)', { timeout: 120_000 }, () => {
    const d4 = dag('same-probability', 300, 2300, 4);
    const d8 = dag('same-probability', 300, 2300, 8);
    expect([
      checked(d4, s.greedy(d4, { heuristicSeed: false, ...LONG })),
      checked(d8, s.greedy(d8, LONG)),
    ]).toEqual(['5/3390/43aef9ee', '8/282/3e5bf352']);
  });
});
