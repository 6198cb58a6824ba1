import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import { WidthDropProbe } from '../../../src/dag/edge-generation/width-drop-probe.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

describe('WidthDropProbe', () => {
  it('lowers(i, j) is true exactly when a copy of the state with i → j has a smaller width; antichain and width as widthFromClosure', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 36, slack: [0, 1] }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (dag, picks) => {
          const s = new EdgeGenerationState(dag, dag.deadline!);
          const probe = new WidthDropProbe();
          let width = probe.load(s);
          for (const p of [0, ...picks]) {
            const w = s.width();
            expect(width).toBe(w.width);
            expect(probe.antichain([3])).toEqual(w.antichain);
            const valid: [number, number][] = [];
            for (let i = 0; i < dag.n; i++)
              for (let j = 0; j < dag.n; j++) if (s.isValid(i, j)) valid.push([i, j]);
            if (valid.length === 0) break;
            for (const [i, j] of valid) {
              const trial = s.clone();
              trial.addEdge(i, j);
              expect(probe.lowers(i, j)).toBe(trial.width().width < w.width);
            }
            const [i, j] = valid[p % valid.length]!;
            s.addEdge(i, j);
            width = probe.load(s, true); // warm: the closure only grew
          }
        },
      ),
      { numRuns: 60, seed: 23 },
    );
  });

  it('a different state is loaded from scratch even with grown = true; probing before loading throws', () => {
    const probe = new WidthDropProbe();
    expect(() => probe.lowers(0, 1)).toThrow(/load a state first/);
    const dag = egsExample();
    const a = new EdgeGenerationState(dag, dag.deadline!);
    expect(probe.load(a)).toBe(3);
    // Grow a until its width drops; the matching then holds pairs a fresh state does not have.
    for (let i = 0; i < dag.n && probe.load(a, true) === 3; i++)
      for (let j = 0; j < dag.n; j++) if (a.isValid(i, j)) a.addEdge(i, j);
    expect(probe.load(a, true)).toBeLessThan(3);
    expect(probe.load(new EdgeGenerationState(dag, dag.deadline!), true)).toBe(3);
  });
});
