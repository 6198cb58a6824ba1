import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTiming, longestPath } from '../../../src/dag/analysis/timing.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

/** Longest node-weighted path by enumerating every path from every node. */
function bruteLongestPath(dag: Dag): number {
  const walk = (v: number): number => dag.wcet[v]! + Math.max(0, ...dag.succ[v]!.map(walk));
  return Math.max(...Array.from({ length: dag.n }, (_, v) => walk(v)));
}

describe('computeTiming', () => {
  it('vol 16, L 8 on the EGS example, windows by hand', () => {
    const t = computeTiming(egsExample());
    expect(t.volume).toBe(16);
    expect(t.criticalPath).toBe(8);
    expect([...t.est]).toEqual([0, 0, 0, 0, 5, 5, 8]);
    expect([...t.lst]).toEqual([0, 0, 3, 4, 5, 7, 8]);
  });

  it('L equals the brute-force longest path; EFT = EST + C; LST = LFT − C; EST ≤ LST when D ≥ L', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 12, slack: [0, 1] }), (dag) => {
        const t = computeTiming(dag);
        expect(t.criticalPath).toBe(bruteLongestPath(dag));
        for (let v = 0; v < dag.n; v++) {
          expect(t.eft[v]).toBe(t.est[v]! + dag.wcet[v]!);
          expect(t.lst[v]).toBe(t.lft[v]! - dag.wcet[v]!);
          expect(t.est[v]).toBeLessThanOrEqual(t.lst[v]!);
          for (const w of dag.succ[v]!) {
            expect(t.est[w]).toBeGreaterThanOrEqual(t.eft[v]!);
            expect(t.lft[v]).toBeLessThanOrEqual(t.lst[w]!);
          }
        }
        const path = longestPath(dag);
        expect(path.reduce((s, v) => s + dag.wcet[v]!, 0)).toBe(t.criticalPath);
        for (let k = 1; k < path.length; k++) expect(dag.succ[path[k - 1]!]).toContain(path[k]);
      }),
      { numRuns: 150 },
    );
  });
});
