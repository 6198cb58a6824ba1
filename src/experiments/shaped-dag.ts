/**
 * Seeded random DAG tasks of several shapes for the soundness tests and `bench/soundness-bench.ts`:
 * one (shape, seed, n, slack) fixes the task, so any counterexample replays from those alone.
 */
import { buildDag } from '../dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../dag/dag-task.js';
import { withSlackDeadline } from '../dag/generate/deadline.js';
import { generateDag } from '../dag/generate/generate-dag.js';
import { seededRandom } from './execution-time-simulator.js';

/** The DAG shapes of the soundness checks. */
export const DAG_SHAPES = ['layered', 'fork-join', 'sparse', 'chains'] as const;

/** One of {@link DAG_SHAPES}. */
export type DagShape = (typeof DAG_SHAPES)[number];

/**
 * A task of the given shape with about `n` nodes and deadline `D = ⌈L + slack·(vol − L)⌉`:
 * `layered` / `fork-join` from `generateDag`; `sparse`: edges i → j (i < j) with probability
 * ~2/n; `chains`: a few chains and diamonds joined at random plus independent nodes, with long
 * and short WCETs mixed (the shape of the zhao2020 counterexample of issue 13).
 */
export function shapedDag(shape: DagShape, seed: number, n: number, slack: number): Dag {
  if (shape === 'layered' || shape === 'fork-join')
    return generateDag({ kind: shape, nodes: n, seed, slack, wcetMin: 1, wcetMax: 20 });
  const rand = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const spec: DagTaskSpec = { name: `${shape}-n${n}-s${seed}`, nodes: [], edges: [] };
  const add = (wcet: number): number => {
    spec.nodes.push({ id: `v${spec.nodes.length}`, wcet });
    return spec.nodes.length - 1;
  };
  const edge = (u: number, v: number): void => void spec.edges.push([`v${u}`, `v${v}`]);
  if (shape === 'sparse') {
    for (let i = 0; i < n; i++) add(int(1, 20));
    const p = Math.min(0.5, 2 / Math.max(1, n));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < p) edge(i, j);
  } else {
    // Strands: chains of short nodes ending in a long one (a long node whose earliest start
    // under WCETs is late but comes early when its short ancestors run short) and diamonds.
    const short = (): number => int(1, 4);
    const long = (): number => int(8, 30);
    const tails: number[] = [];
    const join = (head: number): void => {
      if (tails.length > 0 && rand() < 0.15) edge(tails[int(0, tails.length - 1)]!, head);
    };
    while (spec.nodes.length < n) {
      const kind = rand();
      if (kind < 0.45) {
        const length = Math.min(int(2, 5), n - spec.nodes.length);
        const head = add(length === 1 || rand() < 0.3 ? long() : short());
        let prev = head;
        for (let k = 1; k < length; k++) {
          const v = add(k === length - 1 && rand() < 0.7 ? long() : short());
          edge(prev, v);
          prev = v;
        }
        join(head);
        tails.push(prev);
      } else if (kind < 0.8 && n - spec.nodes.length >= 4) {
        const p = add(short());
        const a = add(rand() < 0.5 ? long() : short());
        const b = add(short() + int(0, 8));
        const j = add(rand() < 0.6 ? long() : short());
        edge(p, a);
        edge(p, b);
        edge(a, j);
        edge(b, j);
        join(p);
        tails.push(j);
      } else tails.push(add(rand() < 0.5 ? long() : short())); // an independent node
    }
  }
  return withSlackDeadline(buildDag(spec), slack);
}

/** The issue-13 counterexample: zhao2020 claimed R = 49 ≤ D = 50 on 2 cores; a1, a2 at 1 give 52. */
export function zhaoEstBlockerDag(): Dag {
  return buildDag({
    name: 'zhao2020-est-blocker',
    deadline: 50,
    nodes: [
      { id: 'c2', wcet: 30 },
      { id: 'p', wcet: 5 },
      { id: 'h', wcet: 9 },
      { id: 'v', wcet: 8 },
      { id: 'a1', wcet: 2 },
      { id: 'a2', wcet: 2 },
      { id: 'a3', wcet: 2 },
      { id: 'u', wcet: 15 },
    ],
    edges: [
      ['p', 'h'],
      ['h', 'c2'],
      ['p', 'v'],
      ['v', 'c2'],
      ['a1', 'a2'],
      ['a2', 'a3'],
      ['a3', 'u'],
    ],
  });
}
