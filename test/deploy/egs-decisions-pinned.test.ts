/**
 * Pins the decisions of the EGS policy methods (cores, added-edge count and a hash of the edge
 * sequence) on a few sampled DAGs with a frozen copy of the small policy (as shipped when this test
 * was written), so that a speed-up which changes a choice fails here. The shipped models may be
 * retrained; this copy is not.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { withDeadline } from '../../src/dag/build-dag.js';
import type { Dag } from '../../src/dag/dag-task.js';
import { withSlackDeadline } from '../../src/dag/generate/deadline.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { loadEgsPolicyModel } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { DagSampler } from '../../src/envs/egs/dag-sampler.js';
import { tightDeadline } from '../../src/experiments/egs-benchmark-sets.js';
import { replayEgsPolicy } from '../../src/deploy/egs-replay.js';
import { RANDOM_NET_DIMS, randomGraphNet } from '../helpers/random-graph-net.js';

const MODEL = path.join(import.meta.dirname, 'fixtures', 'egs-pinned-small-policy.json');

// Cores, edge count and an FNV-1a hash of the added edges in order.
function summary(r: ScheduleResult): string {
  let h = 0x811c9dc5;
  for (const [a, b] of r.addedEdges)
    for (const c of `${String(a)}>${String(b)};`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `${r.cores}/${r.addedEdges.length}/${h.toString(16)}`;
}

function dags(nodes: number, count: number, seed: number): Dag[] {
  const rng = new Rng(seed);
  const sampler = new DagSampler({ nodes: [nodes, nodes], slack: [0, 0] });
  return Array.from({ length: count }, (_, k) => {
    const dag = sampler.sample(rng);
    // Alternately tight (best list-schedule makespan on 4 cores) and slack.
    return k % 2 === 0 ? withDeadline(dag, tightDeadline(dag, 4)) : withSlackDeadline(dag, 0.3);
  });
}

describe('EGS policy decisions (pinned)', () => {
  const scheduler = new EgsPolicyScheduler(loadEgsPolicyModel(MODEL));
  const run = (dag: Dag): string[] => {
    const rs = [
      scheduler.greedy(dag, { heuristicSeed: false, timeBudgetS: 600 }),
      scheduler.greedy(dag, { timeBudgetS: 600 }),
      scheduler.sample(dag, 3, 7, { heuristicSeed: false, timeBudgetS: 600 }),
      scheduler.search(dag, { samples: 2, beamWidth: 2, expand: 2, searchTimeS: 600, timeBudgetS: 600 }),
      scheduler.search(dag, { samples: 2, beamWidth: 2, expand: 2, searchTimeS: 600, heuristicSeed: false }),
    ];
    for (const r of rs) expect(checkSchedule(dag, r).violations).toEqual([]);
    return rs.map(summary);
  };

  it('30- and 60-node DAGs, tight and slack: greedy, seeded, sampled and search answers', () => {
    const got = [...dags(30, 2, 11), ...dags(60, 2, 12)].map(run);
    expect(got).toEqual([
      ['5/45/b1617e03', '4/13/d2228b4', '5/18/354a1142', '4/13/d2228b4', '5/12/858272b3'],
      ['2/44/370b82b1', '2/22/87745582', '2/44/370b82b1', '2/22/87745582', '2/36/b2300fd5'],
      ['5/127/c9e0a15e', '4/39/f3110e4f', '5/127/c9e0a15e', '4/39/f3110e4f', '5/65/f8bbaf68'],
      ['3/103/5945f08c', '3/50/3d29f79', '3/76/b5e8fb87', '3/50/3d29f79', '3/107/f27fd993'],
    ]);
  });

  it('a 100-node DAG: greedy (unseeded and seeded)', () => {
    const [dag] = dags(100, 1, 13);
    const got = [
      scheduler.greedy(dag!, { heuristicSeed: false, timeBudgetS: 600 }),
      scheduler.greedy(dag!, { timeBudgetS: 600 }),
    ].map(summary);
    expect(got).toEqual(['5/795/683565bb', '4/89/e44017c6']);
  });

  it('a v1 network (random weights, shaped as the large policy): greedy, through the env, search and replay', () => {
    const net = randomGraphNet(5, {
      ...RANDOM_NET_DIMS,
      hiddenDim: 32,
      numHeads: 4,
      numLayers: 2,
      ffnDim: 64,
    });
    const v1 = new EgsPolicyScheduler(net);
    const got = dags(40, 2, 14).map((dag) => {
      const replay = replayEgsPolicy(dag, v1);
      return [
        v1.greedy(dag, { heuristicSeed: false, timeBudgetS: 600 }),
        v1.greedy(dag, { heuristicSeed: false, viaEnv: true, timeBudgetS: 600 }),
        v1.search(dag, { samples: 2, beamWidth: 2, expand: 2, searchTimeS: 600, timeBudgetS: 600 }),
        replay.result,
      ].map(summary);
    });
    expect(got).toEqual([
      ['5/67/b912294c', '5/67/b912294c', '4/31/6aa20703', '5/67/b912294c'],
      ['3/28/3ee4d63c', '3/28/3ee4d63c', '2/25/e177df48', '3/28/3ee4d63c'],
    ]);
  });
});
