import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import { dagWidth } from '../../../src/dag/analysis/width.js';
import { arbDag, bruteReach, egsExample } from '../../helpers/random-dag.js';

/** Largest antichain by enumerating every subset (n ≤ 12). */
function bruteMaxAntichain(reach: boolean[][], n: number): number {
  let best = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    const nodes: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) nodes.push(i);
    if (nodes.length <= best) continue;
    const ok = nodes.every((a) => nodes.every((b) => a === b || (!reach[a]![b] && !reach[b]![a])));
    if (ok) best = nodes.length;
  }
  return best;
}

describe('dagWidth', () => {
  it('the EGS example has width 3', () => {
    const w = dagWidth(egsExample());
    expect(w.width).toBe(3);
    expect(w.antichain).toHaveLength(3);
    expect(w.chains).toHaveLength(3);
  });

  it('width via Hopcroft–Karp equals the brute-force maximum antichain (n ≤ 12)', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 12 }), (dag) => {
        expect(dagWidth(dag).width).toBe(bruteMaxAntichain(bruteReach(dag), dag.n));
      }),
      { numRuns: 150 },
    );
  });

  it('returns a maximum antichain: pairwise incomparable, of size W', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 20 }), (dag) => {
        const reach = transitiveClosure(dag);
        const w = dagWidth(dag, reach);
        expect(w.antichain).toHaveLength(w.width);
        for (const a of w.antichain)
          for (const b of w.antichain) if (a !== b) expect(reach.has(a, b)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('returns a minimum chain cover: a partition into W chains of comparable consecutive nodes', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 20 }), (dag) => {
        const reach = transitiveClosure(dag);
        const w = dagWidth(dag, reach);
        expect(w.chains).toHaveLength(w.width);
        const seen = new Set<number>();
        for (const chain of w.chains) {
          expect(chain.length).toBeGreaterThan(0);
          for (let k = 0; k < chain.length; k++) {
            expect(seen.has(chain[k]!)).toBe(false);
            seen.add(chain[k]!);
            if (k > 0) expect(reach.has(chain[k - 1]!, chain[k]!)).toBe(true);
          }
        }
        expect(seen.size).toBe(dag.n);
        expect(w.matching).toBe(dag.n - w.width);
      }),
      { numRuns: 150 },
    );
  });
});
