import fc from 'fast-check';
import { buildDag } from '../../src/dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../src/dag/dag-task.js';
import { computeTiming } from '../../src/dag/analysis/timing.js';

/** Options of {@link arbDag}. */
export interface ArbDagOptions {
  minNodes?: number;
  maxNodes?: number;
  maxWcet?: number;
  /** Slack factor range for D = L + s·(vol − L); none → no deadline. */
  slack?: [number, number];
}

/**
 * Random DAGs for property tests: edges only from lower to higher index (so acyclic), each with
 * a random probability, integer WCETs in 1..maxWcet, deadline from a random slack factor.
 */
export function arbDag(options: ArbDagOptions = {}): fc.Arbitrary<Dag> {
  const { minNodes = 1, maxNodes = 10, maxWcet = 10, slack } = options;
  return fc
    .integer({ min: minNodes, max: maxNodes })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        wcet: fc.array(fc.integer({ min: 1, max: maxWcet }), { minLength: n, maxLength: n }),
        density: fc.double({ min: 0, max: 0.7, noNaN: true }),
        coins: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: (n * (n - 1)) / 2,
          maxLength: (n * (n - 1)) / 2,
        }),
        s: fc.double({ min: slack?.[0] ?? 0, max: slack?.[1] ?? 1, noNaN: true }),
      }),
    )
    .map(({ n, wcet, density, coins, s }) => {
      const spec: DagTaskSpec = {
        name: 'prop',
        nodes: wcet.map((c, i) => ({ id: `v${i}`, wcet: c })),
        edges: [],
      };
      let k = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) if (coins[k++]! < density) spec.edges.push([`v${i}`, `v${j}`]);
      const dag = buildDag(spec);
      if (!slack) return dag;
      const t = computeTiming(dag);
      return buildDag({ ...spec, deadline: Math.ceil(t.criticalPath + s * (t.volume - t.criticalPath)) });
    });
}

/** The example DAG of the public EGS code (shared/data/egs-ex1.dot), inline: D = 8, vol 16, L 8, W 3. */
export function egsExample(): Dag {
  return buildDag({
    name: 'egs-ex1',
    deadline: 8,
    nodes: [0, 5, 4, 3, 3, 1, 0].map((c, i) => ({ id: i, wcet: c })),
    edges: [
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 4],
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 6],
      [5, 6],
    ],
  });
}

/** Reachability by plain DFS from every node (the brute-force reference for closures). */
export function bruteReach(dag: Dag): boolean[][] {
  const r = Array.from({ length: dag.n }, () => new Array<boolean>(dag.n).fill(false));
  for (let s = 0; s < dag.n; s++) {
    const stack = [...dag.succ[s]!];
    while (stack.length) {
      const v = stack.pop()!;
      if (r[s]![v]) continue;
      r[s]![v] = true;
      stack.push(...dag.succ[v]!);
    }
  }
  return r;
}
