import { describe, expect, it } from 'vitest';
import { buildDag } from '../../../src/dag/build-dag.js';
import { chainTimetable } from '../../../src/dag/optimal/chain-timetable.js';

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
});
