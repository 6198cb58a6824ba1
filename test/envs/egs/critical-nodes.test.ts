import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import { widthFromClosure } from '../../../src/dag/analysis/width.js';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import { ClosureMatching } from '../../../src/dag/analysis/closure-matching.js';
import {
  PosetWidthTracker,
  criticalNodes,
  edgeKeepsLateralWidths,
} from '../../../src/envs/egs/critical-nodes.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';
import { brutePoset } from './brute-force-poset.js';

/** The valid edge number `p` (modulo their count) of the state, or undefined when none is left. */
function pickValidEdge(s: EdgeGenerationState, p: number): [number, number] | undefined {
  const valid: [number, number][] = [];
  for (let i = 0; i < s.dag.n; i++) for (let j = 0; j < s.dag.n; j++) if (s.isValid(i, j)) valid.push([i, j]);
  return valid.length === 0 ? undefined : valid[p % valid.length];
}

describe('critical nodes and lateral widths', () => {
  it('EGS example: W = 3, nodes 2, 3, 4 and 1 are critical, the dummies are not', () => {
    const r = criticalNodes(transitiveClosure(egsExample()));
    expect(r.width).toBe(3);
    // {1, 2, 3} and {2, 3, 4} are the maximum antichains; 5 sees only {4}, 0 and 6 see nothing.
    expect(Array.from(r.critical)).toEqual([0, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(r.lateralWidth)).toEqual([0, 2, 2, 2, 2, 1, 0]);
  });

  it('invariant: width, lateral widths and critical flags equal subset enumeration', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 12 }), (dag) => {
        const r = criticalNodes(transitiveClosure(dag));
        const b = brutePoset(dag, [], 1);
        expect(r.width).toBe(b.width);
        expect(Array.from(r.lateralWidth)).toEqual(b.lateral);
        expect(Array.from(r.critical, (c) => c === 1)).toEqual(b.critical);
      }),
      { numRuns: 150, seed: 41 },
    );
  });

  it('invariant: the warm-started tracker matches a fresh computation after random valid edges', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 40, slack: [0, 1] }),
        fc.array(fc.nat(), { maxLength: 25 }),
        (dag, picks) => {
          const s = new EdgeGenerationState(dag, dag.deadline!);
          const tracker = new PosetWidthTracker(64);
          tracker.reset(s.reach, s.ancestors);
          for (const p of picks) {
            const edge = pickValidEdge(s, p);
            if (!edge) break;
            const [i, j] = edge;
            s.addEdge(i, j);
            tracker.update(s.reach, s.ancestors);
          }
          const fresh = criticalNodes(s.reach, s.ancestors);
          const w = widthFromClosure(s.reach);
          expect(tracker.width).toBe(w.width);
          // König's antichain from the warm matching is the one Hopcroft–Karp's gives (the
          // alternating-reachable sets do not depend on the maximum matching).
          expect(tracker.antichain(s.reach, [7])).toEqual(w.antichain);
          expect(fresh.width).toBe(w.width);
          expect(tracker.result()).toEqual(fresh);
          // Every node of a maximum antichain is critical.
          for (const v of w.antichain) expect(tracker.critical[v]).toBe(1);
          // The chain cover: width chains, every node once, consecutive nodes comparable.
          const chains = tracker.chains();
          expect(chains).toHaveLength(w.width);
          expect(chains.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: dag.n }, (_, k) => k));
          for (const c of chains)
            for (let k = 1; k < c.length; k++) expect(s.reach.has(c[k - 1]!, c[k]!)).toBe(true);
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });

  it('invariant: an edge i → j leaves the lateral widths of the old descendants of i and ancestors of j as they were', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 40, slack: [0, 1] }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 25 }),
        (dag, picks) => {
          const s = new EdgeGenerationState(dag, dag.deadline!);
          const tracker = new PosetWidthTracker(64);
          tracker.reset(s.reach, s.ancestors);
          const keep = new Uint32Array(2);
          for (const p of picks) {
            const edge = pickValidEdge(s, p);
            if (!edge) break;
            const [i, j] = edge;
            const before = criticalNodes(s.reach, s.ancestors).lateralWidth;
            edgeKeepsLateralWidths(s.reach, s.ancestors, i, j, keep);
            s.addEdge(i, j);
            const after = criticalNodes(s.reach, s.ancestors);
            for (let v = 0; v < dag.n; v++)
              if (keep[v >>> 5]! & (1 << (v & 31))) expect(after.lateralWidth[v]).toBe(before[v]);
            // The tracker that skips them agrees with a fresh computation.
            tracker.update(s.reach, s.ancestors, keep);
            expect(tracker.result()).toEqual(after);
          }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('ClosureMatching: maximum on a subset, warm start from any matching, capacity check', () => {
    const reach = transitiveClosure(egsExample());
    const m = new ClosureMatching(7);
    expect(7 - m.maximize(reach)).toBe(3);
    const again = m.maximize(reach); // already maximum: nothing changes
    expect(again).toBe(4);
    const subset = new Uint32Array([0b0011110]); // nodes 1..4: 1 < 4, so width 3
    const sub = new ClosureMatching(7);
    sub.restrictFrom(m, 7, subset);
    expect(4 - sub.maximize(reach, subset)).toBe(3);
    for (let u = 0; u < 7; u++) {
      const v = sub.matchL[u]!;
      if (v >= 0) expect(subset[0]! & (1 << u) && subset[0]! & (1 << v) && reach.has(u, v)).toBeTruthy();
    }
    expect(() => new ClosureMatching(3).maximize(reach)).toThrow(RangeError);
  });
});
