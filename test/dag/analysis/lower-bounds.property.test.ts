import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreLowerBound } from '../../../src/dag/analysis/core-lower-bound.js';
import {
  mCoreWindows,
  mCoreWindowsBound,
  windowProblem,
  type WindowProblem,
} from '../../../src/dag/analysis/m-core-windows.js';
import { timeGrid } from '../../../src/dag/analysis/time-grid.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { windowLoadBound } from '../../../src/dag/analysis/window-load-bound.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { bruteForceMinCores } from '../optimal/brute-force-min-cores.js';
import { arbSmallDagTask } from '../optimal/random-small-dag.js';

/** The window problem in grid units when the task has a grid (`integral`), else in task units. */
function problem(dag: Dag, D: number, useGrid: boolean): WindowProblem {
  return windowProblem(dag, D, useGrid ? timeGrid(dag, D) : undefined);
}

/** Found by search: ⌈vol/D⌉ = 2 and the window load bound is 2, but 2 cores cannot meet D = 9. */
function mCoreExample(): Dag {
  const wcet = [2, 3, 4, 2, 2, 2, 1];
  return buildDag({
    deadline: 9,
    nodes: wcet.map((c, id) => ({ id, wcet: c })),
    edges: [
      [0, 3],
      [0, 6],
      [1, 3],
      [1, 4],
      [2, 3],
      [2, 6],
      [3, 4],
      [3, 5],
      [3, 6],
    ],
  });
}

describe('lower bounds on cores', () => {
  it('m-core windows refute 2 cores where ⌈vol/D⌉ and the window load bound say 2', () => {
    const dag = mCoreExample();
    const basic = coreLowerBound(dag);
    expect(basic.lowerBound).toBe(2);
    expect(bruteForceMinCores(dag, 9)).toBe(3);
    const p = problem(dag, 9, true);
    // Sources (9 units of work) end no earlier than 4.5 → 5 on 2 cores, node 3 then runs [5, 7],
    // and the 5 units after it cannot finish by 9.
    const two = mCoreWindows(p, 2);
    expect(two.refutedBy).toBeDefined();
    expect(two.est[3]).toBe(5);
    expect(mCoreWindows(p, 3).refutedBy).toBeUndefined();
    expect(mCoreWindowsBound(p, basic.lowerBound, 4)).toMatchObject({ lowerBound: 3 });
  });

  it('the core profile refutes 2 cores where the window load bound says 2', () => {
    // 1 (C 4) surely runs in [1, 4), the chain 0 → 2 surely in [1, 2) and [3, 4): with 2 cores, node
    // 3 (C 2) finds no two free consecutive steps in [0, 5).
    const dag = buildDag({
      deadline: 5,
      nodes: [2, 4, 2, 2].map((c, id) => ({ id, wcet: c })),
      edges: [[0, 2]],
    });
    expect(coreLowerBound(dag).lowerBound).toBe(2);
    expect(bruteForceMinCores(dag, 5)).toBe(3);
    const p = problem(dag, 5, true);
    expect(mCoreWindows(p, 2).refutedBy).toBe('core-profile');
    expect(mCoreWindows(p, 3).refutedBy).toBeUndefined();
  });

  it('the window load bound names its window: three 4-unit sources before a 6-unit sink, D = 10', () => {
    const load = windowLoadBound([4, 4, 4, 6], [0, 0, 0, 4], [0, 0, 0, 4], 10);
    expect(load).toEqual({ bound: 3, window: [0, 4] });
    const dag = buildDag({
      deadline: 10,
      nodes: ['a', 'b', 'c', 's'].map((id, i) => ({ id, wcet: i < 3 ? 4 : 6 })),
      edges: [
        ['a', 's'],
        ['b', 's'],
        ['c', 's'],
      ],
    });
    expect(coreLowerBound(dag)).toMatchObject({ lowerBound: 3, by: 'window-load', volumeBound: 2 });
  });

  it('property (soundness): every bound ≤ the exhaustive-search optimum, on grid and float windows', () => {
    fc.assert(
      fc.property(arbSmallDagTask(7), fc.boolean(), (dag, useGrid) => {
        const D = dag.deadline!;
        const opt = bruteForceMinCores(dag, D);
        const t = computeTiming(dag, D);
        const basic = coreLowerBound(dag, D, t);
        expect(basic.volumeBound).toBeLessThanOrEqual(opt);
        expect(basic.loadBound).toBeLessThanOrEqual(opt);
        expect(windowLoadBound(dag.wcet, t.est, t.lst, D).bound).toBeLessThanOrEqual(opt);
        const p = problem(dag, D, useGrid);
        // A refutation of m covers every schedule on ≤ m cores, so m ≥ opt is never refuted.
        for (let m = opt; m <= opt + 1; m++) expect(mCoreWindows(p, m).refutedBy).toBeUndefined();
        expect(mCoreWindowsBound(p, basic.lowerBound, opt + 1).lowerBound).toBeLessThanOrEqual(opt);
        // The m-core windows never widen the plain ones.
        const w = mCoreWindows(p, opt);
        const scale = p.integral ? timeGrid(dag, D)!.scale : 1;
        for (let v = 0; v < dag.n; v++) expect(w.est[v]! / scale).toBeGreaterThanOrEqual(t.est[v]! - 1e-9);
      }),
      { numRuns: 150, seed: 16 },
    );
  });
});

describe('timeGrid', () => {
  it('finds the coarsest unit in which every WCET is whole, and floors D in it', () => {
    const dag = (wcet: number[]): Dag =>
      buildDag({ nodes: wcet.map((c, id) => ({ id, wcet: c })), edges: [] });
    expect(timeGrid(dag([2, 3]), 7.5)).toMatchObject({ scale: 1, deadline: 7 });
    expect(timeGrid(dag([0.5, 1.25]), 3)).toMatchObject({ scale: 4, deadline: 12 });
    // 0.1 + 0.2 is not 0.3 in binary; the grid (tenths) absorbs it.
    const g = timeGrid(dag([0.1, 0.2]), 0.1 + 0.2)!;
    expect(g.scale).toBe(10);
    expect(Array.from(g.wcet)).toEqual([1, 2]);
    expect(g.deadline).toBe(3);
    expect(timeGrid(dag([Math.PI]), 10)).toBeUndefined();
  });
});
