import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import { withEdges } from '../../../src/dag/build-dag.js';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

describe('EdgeGenerationState', () => {
  it('adding 2 -> 3 to the EGS example brings W from 3 to 2 and keeps L ≤ 8', () => {
    const s = new EdgeGenerationState(egsExample(), 8);
    expect(s.width().width).toBe(3);
    expect(s.isValid(2, 3)).toBe(true);
    expect(s.isValid(1, 2)).toBe(false); // EFT(1) = 5 > LST(2) = 3
    expect(s.isValid(5, 0)).toBe(false); // would close a cycle
    expect(s.isValid(0, 5)).toBe(false); // already implied
    s.addEdge(2, 3);
    expect(s.width().width).toBe(2);
    expect(s.criticalPath).toBeLessThanOrEqual(8);
    expect(() => s.addEdge(3, 2)).toThrow();
  });

  it('incremental closure and windows equal a from-scratch rebuild after random valid edges', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 40, slack: [0, 1] }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (dag, picks) => {
          const D = dag.deadline!;
          const s = new EdgeGenerationState(dag, D);
          for (const p of picks) {
            const valid: [number, number][] = [];
            for (let i = 0; i < dag.n; i++)
              for (let j = 0; j < dag.n; j++) if (s.isValid(i, j)) valid.push([i, j]);
            if (valid.length === 0) break;
            const [i, j] = valid[p % valid.length]!;
            s.addEdge(i, j);
          }
          const rebuilt = withEdges(dag, s.added);
          const reach = transitiveClosure(rebuilt);
          expect(Array.from(s.reach.data)).toEqual(Array.from(reach.data));
          expect(Array.from(s.ancestors.data)).toEqual(Array.from(reach.transpose().data));
          const t = computeTiming(rebuilt, D);
          expect(Array.from(s.est)).toEqual(Array.from(t.est));
          expect(Array.from(s.lst)).toEqual(Array.from(t.lst));
          expect(t.criticalPath).toBeLessThanOrEqual(D); // the mask keeps L ≤ D
        },
      ),
      { numRuns: 60 },
    );
  });

  it('clone() is independent of the original', () => {
    const s = new EdgeGenerationState(egsExample(), 8);
    const c = s.clone();
    c.addEdge(2, 3);
    expect(s.added).toEqual([]);
    expect(s.width().width).toBe(3);
    expect(c.width().width).toBe(2);
  });
});
