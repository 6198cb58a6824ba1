import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag } from '../../../src/dag/build-dag.js';
import { chainMakespan, chainTimetable } from '../../../src/dag/optimal/chain-timetable.js';
import { shapedDag, DAG_SHAPES } from '../../../src/experiments/shaped-dag.js';

const dag = buildDag({
  nodes: [
    { id: 's', wcet: 0 },
    { id: 'a', wcet: 2 },
    { id: 'b', wcet: 3 },
    { id: 'c', wcet: 1 },
  ],
  edges: [
    ['s', 'a'],
    ['s', 'b'],
    ['a', 'c'],
  ],
});

describe('chainTimetable', () => {
  it('starts every node as soon as its DAG and core predecessors finish', () => {
    const t = chainTimetable(dag, [[2, 1, 3]])!; // b, a, c on one core
    expect(t.cores).toBe(1);
    expect(t.schedule.map((s) => [s.node, s.core, s.start, s.finish])).toEqual([
      ['s', 0, 0, 0],
      ['a', 0, 3, 5],
      ['b', 0, 0, 3],
      ['c', 0, 5, 6],
    ]);
    expect(t.makespan).toBe(6);
  });

  it('returns undefined when a core order contradicts the DAG, or a busy node is missing', () => {
    expect(chainTimetable(dag, [[3, 1], [2]])).toBeUndefined(); // c before its predecessor a
    expect(chainTimetable(dag, [[1, 3]])).toBeUndefined(); // b (wcet 3) on no core
    expect(chainTimetable(dag, [[1], [1, 2, 3]])).toBeUndefined(); // a twice
  });

  it('chainMakespan is the makespan of chainTimetable, undefined where it is (random core sequences)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DAG_SHAPES),
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (shape, seed, n, m, topological) => {
          const g = shapedDag(shape, seed, n, 0);
          // Nodes dealt to m cores in topological order (valid) or in reverse (mostly invalid).
          const order = topological ? [...g.topoOrder] : [...g.topoOrder].reverse();
          const chains: number[][] = Array.from({ length: m }, () => []);
          order.forEach((v, k) => chains[(k * 7 + seed) % m]!.push(v));
          const t = chainTimetable(g, chains);
          expect(chainMakespan(g, chains)).toBe(t?.makespan);
          if (topological) expect(t).toBeDefined();
        },
      ),
      { numRuns: 80, seed: 5 },
    );
  });
});
