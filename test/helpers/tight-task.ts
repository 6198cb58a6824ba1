/** Random shaped DAG tasks at tight deadlines: D = the best list-schedule makespan on m cores. */
import fc from 'fast-check';
import type { Dag } from '../../src/dag/dag-task.js';
import { tightDeadline } from '../../src/experiments/egs-benchmark-sets.js';
import { DAG_SHAPES, shapedDag } from '../../src/experiments/shaped-dag.js';

/** A task of {@link arbTightTask}: the DAG, its tight deadline and the seed it was drawn with. */
export interface TightTask {
  dag: Dag;
  D: number;
  seed: number;
}

/** Shaped DAGs of 4…`maxNodes` nodes at D = `tightDeadline(dag, m)`, m in 1…4. */
export function arbTightTask(maxNodes: number): fc.Arbitrary<TightTask> {
  return fc
    .record({
      shape: fc.constantFrom(...DAG_SHAPES),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      n: fc.integer({ min: 4, max: maxNodes }),
      m: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ shape, seed, n, m }) => {
      const dag = shapedDag(shape, seed, n, 0);
      return { dag, D: tightDeadline(dag, m), seed };
    });
}
