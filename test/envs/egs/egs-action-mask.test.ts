import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import { widthFromClosure } from '../../../src/dag/analysis/width.js';
import { buildDag, withEdges } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { timeLeq, withinDeadline } from '../../../src/dag/time-tolerance.js';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import { criticalNodes } from '../../../src/envs/egs/critical-nodes.js';
import {
  decodeEdgeAction,
  encodeEdgeAction,
  isEdgeActionAllowed,
  listEgsActions,
} from '../../../src/envs/egs/egs-action-mask.js';
import { EgsEnv } from '../../../src/envs/egs/egs-env.js';
import { arbSmallDagTask } from '../../dag/optimal/random-small-dag.js';
import { arbDag } from '../../helpers/random-dag.js';
import { brutePoset } from './brute-force-poset.js';

const MAX = 16;

/** Small tasks of both kinds: integer WCETs, and fractional ones with zero-WCET dummies. */
const arbTask: fc.Arbitrary<Dag> = fc.oneof(arbDag({ maxNodes: 12, slack: [0, 1] }), arbSmallDagTask(10));

/** The mask recomputed from scratch: DFS reachability, fresh windows, subset-enumerated criticality. */
function bruteMask(dag: Dag, added: [number, number][], D: number, criticalOnly: boolean): Uint8Array {
  const b = brutePoset(dag, added, D);
  const mask = new Uint8Array(MAX * MAX);
  for (let i = 0; i < b.n; i++)
    for (let j = 0; j < b.n; j++) {
      if (i === j || b.reach[i]![j] || b.reach[j]![i]) continue;
      if (!timeLeq(b.timing.eft[i]!, b.timing.lst[j]!, D)) continue;
      if (criticalOnly && !(b.critical[i] && b.critical[j])) continue;
      mask[i * MAX + j] = 1;
    }
  return mask;
}

/** Runs one episode with random masked actions, calling `visit` on every state before acting. */
function randomEpisode(
  env: EgsEnv,
  dag: Dag,
  seed: number,
  visit: (mask: Uint8Array, added: [number, number][]) => void,
): void {
  const rng = new Rng(seed);
  let r = env.reset({ options: { dag } });
  let mask = r.info.actionMask!;
  for (;;) {
    visit(mask, env.state.added);
    if (r.info['terminal'] === true) return;
    const s = env.step(env.actionSpace.sample(rng, mask));
    if (s.terminated || s.truncated) {
      visit(s.info.actionMask!, env.state.added);
      return;
    }
    mask = s.info.actionMask!;
    r = { obs: s.obs, info: s.info };
  }
}

describe('EGS action mask', () => {
  it('encodes i → j as i · maxNodes + j and back', () => {
    expect(encodeEdgeAction(3, 5, 64)).toBe(197);
    expect(decodeEdgeAction(197, 64)).toEqual([3, 5]);
    expect(decodeEdgeAction(63, 64)).toEqual([0, 63]);
  });

  for (const criticalOnly of [true, false]) {
    it(`invariant (criticalOnly ${criticalOnly}): the mask equals a brute-force recomputation at every step`, () => {
      fc.assert(
        fc.property(arbTask, fc.nat(), (dag, seed) => {
          const env = new EgsEnv({ maxNodes: MAX, criticalOnly });
          randomEpisode(env, dag, seed, (mask, added) => {
            expect(Array.from(mask)).toEqual(Array.from(bruteMask(dag, added, dag.deadline!, criticalOnly)));
            expect(Array.from(env.actionMasks())).toEqual(Array.from(mask));
          });
        }),
        { numRuns: 80, seed: criticalOnly ? 7 : 8 },
      );
    });
  }

  it('invariant: every masked-in action keeps the graph acyclic and L ≤ D', () => {
    fc.assert(
      fc.property(arbTask, fc.nat(), fc.boolean(), (dag, seed, criticalOnly) => {
        const D = dag.deadline!;
        const env = new EgsEnv({ maxNodes: MAX, criticalOnly });
        randomEpisode(env, dag, seed, (mask, added) => {
          for (let a = 0; a < mask.length; a++) {
            if (!mask[a]) continue;
            // withEdges validates the graph and throws on a cycle.
            const g = withEdges(dag, [...added, decodeEdgeAction(a, MAX)]);
            expect(withinDeadline(computeTiming(g, D).criticalPath, D)).toBe(true);
          }
        });
      }),
      { numRuns: 60, seed: 9 },
    );
  });

  it('SPEC §4 caveat: an edge between two non-critical nodes can lower W (the mask still finds a drop)', () => {
    // The only maximum antichain is {1, 2, 4, 5} (W = 4); 0 and 3 are not critical, yet 3 → 0
    // puts 1, 2 below 4, 5 and leaves W = 2.
    const dag = buildDag({
      deadline: 100,
      nodes: Array.from({ length: 8 }, (_, i) => ({ id: i, wcet: 1 })),
      edges: [
        [0, 4],
        [0, 5],
        [0, 7],
        [1, 3],
        [2, 3],
        [2, 7],
        [3, 6],
        [4, 6],
        [5, 7],
        [6, 7],
      ],
    });
    const env = new EgsEnv({ maxNodes: MAX });
    env.reset({ options: { dag } });
    expect(env.width).toBe(4);
    expect(Array.from(env.criticalNodes())).toEqual([0, 1, 1, 0, 1, 1, 0, 0]);
    expect(env.actionMasks()[3 * MAX + 0]).toBe(0);
    expect(widthFromClosure(transitiveClosure(withEdges(dag, [[3, 0]]))).width).toBe(2);
    // A critical pair below / above it (1 ≤ 3, 0 ≤ 4) lowers W as well.
    expect(env.step(1 * MAX + 4).reward).toBeGreaterThan(0);
  });

  it('invariant: whenever a valid edge lowers W, an edge the criticalOnly mask allows lowers W too', () => {
    let reducible = 0;
    fc.assert(
      fc.property(arbTask, fc.nat(), (dag, seed) => {
        const env = new EgsEnv({ maxNodes: MAX, criticalOnly: true });
        randomEpisode(env, dag, seed, (mask) => {
          const s = env.state;
          const n = dag.n;
          const w = widthFromClosure(s.reach).width;
          const drops = (i: number, j: number): boolean => {
            const t = s.clone();
            t.addEdge(i, j);
            return widthFromClosure(t.reach).width < w;
          };
          let any = false;
          for (let i = 0; i < n && !any; i++)
            for (let j = 0; j < n && !any; j++) any = s.isValid(i, j) && drops(i, j);
          if (!any) return;
          reducible++;
          let found = false;
          for (let a = 0; a < mask.length && !found; a++)
            found = mask[a] === 1 && drops(...decodeEdgeAction(a, MAX));
          expect(found).toBe(true);
        });
      }),
      { numRuns: 200, seed: 10 },
    );
    expect(reducible).toBeGreaterThan(120);
  });

  it('invariant: criticalOnly keeps the smallest reachable width (exhaustive search, ≤ 6 nodes)', () => {
    /** Smallest width reachable from `s` by allowed edges, memoized on the closure. */
    const best = (s: EdgeGenerationState, criticalOnly: boolean, memo: Map<string, number>): number => {
      const key = s.reach.data.join(',');
      const known = memo.get(key);
      if (known !== undefined) return known;
      const c = criticalNodes(s.reach, s.ancestors);
      let b = c.width;
      for (let i = 0; i < s.dag.n; i++)
        for (let j = 0; j < s.dag.n; j++) {
          if (!isEdgeActionAllowed(s, i, j, criticalOnly ? c.critical : undefined)) continue;
          const t = s.clone();
          t.addEdge(i, j);
          b = Math.min(b, best(t, criticalOnly, memo));
        }
      memo.set(key, b);
      return b;
    };
    fc.assert(
      fc.property(fc.oneof(arbDag({ maxNodes: 6, slack: [0, 1] }), arbSmallDagTask(6)), (dag) => {
        const s = new EdgeGenerationState(dag, dag.deadline!);
        expect(best(s, true, new Map())).toBe(best(s, false, new Map()));
      }),
      { numRuns: 100, seed: 12 },
    );
  });

  it('invariant: listEgsActions is the allowed set in ascending order, the antichain first when it has an edge', () => {
    fc.assert(
      fc.property(arbTask, (dag) => {
        const s = new EdgeGenerationState(dag, dag.deadline!);
        const c = criticalNodes(s.reach, s.ancestors);
        const pairs = (ok: (i: number, j: number) => boolean): number[] => {
          const out: number[] = [];
          for (let i = 0; i < dag.n; i++) for (let j = 0; j < dag.n; j++) if (ok(i, j)) out.push(i * MAX + j);
          return out;
        };
        const critical = pairs((i, j) => isEdgeActionAllowed(s, i, j, c.critical));
        expect(listEgsActions(s, MAX, [], c.critical)).toEqual(critical);
        expect(listEgsActions(s, MAX, [7], undefined)).toEqual(pairs((i, j) => isEdgeActionAllowed(s, i, j)));
        const anti = s.width().antichain;
        const inAnti = pairs((i, j) => anti.includes(i) && anti.includes(j) && isEdgeActionAllowed(s, i, j));
        expect(listEgsActions(s, MAX, [], c.critical, [...anti].reverse())).toEqual(
          inAnti.length > 0 ? inAnti : critical,
        );
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});
