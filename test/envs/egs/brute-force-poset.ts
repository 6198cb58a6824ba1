import { computeTiming, type Timing } from '../../../src/dag/analysis/timing.js';
import { withEdges } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { bruteReach } from '../../helpers/random-dag.js';

/** Brute-force view of a DAG plus added edges: reachability by DFS, windows by a fresh pass. */
export interface BrutePoset {
  n: number;
  /** `reach[i][j]`: j reachable from i (i ≠ j). */
  reach: boolean[][];
  timing: Timing;
  /** Width by enumerating every subset. */
  width: number;
  /** Lateral width by node: largest antichain among the nodes incomparable with it. */
  lateral: number[];
  /** Whether the node lies in some maximum antichain. */
  critical: boolean[];
}

/** Antichain sizes over all subsets of at most 16 nodes (the test oracle of width and criticality). */
export function brutePoset(
  dag: Dag,
  added: readonly (readonly [number, number])[],
  deadline: number,
): BrutePoset {
  const g = withEdges(dag, added);
  const n = g.n;
  if (n > 16) throw new Error('brutePoset: at most 16 nodes');
  const reach = bruteReach(g);
  const comparable = (a: number, b: number): boolean => reach[a]![b]! || reach[b]![a]!;
  // isAnti[mask] by DP: mask is an antichain iff mask minus its lowest node is one and that node
  // is incomparable with the rest.
  const isAnti = new Uint8Array(1 << n);
  const size = new Uint8Array(1 << n);
  isAnti[0] = 1;
  for (let m = 1; m < 1 << n; m++) {
    const low = 31 - Math.clz32(m & -m);
    const rest = m & (m - 1);
    size[m] = size[rest]! + 1;
    if (!isAnti[rest]) continue;
    let ok = true;
    for (let v = 0; v < n && ok; v++) if (rest & (1 << v) && comparable(low, v)) ok = false;
    isAnti[m] = ok ? 1 : 0;
  }
  let width = 0;
  for (let m = 0; m < 1 << n; m++) if (isAnti[m] && size[m]! > width) width = size[m]!;
  const lateral: number[] = [];
  const critical: boolean[] = [];
  for (let v = 0; v < n; v++) {
    let inc = 0;
    for (let u = 0; u < n; u++) if (u !== v && !comparable(u, v)) inc |= 1 << u;
    let best = 0;
    // Every subset of the incomparable set.
    for (let m = inc; ; m = (m - 1) & inc) {
      if (isAnti[m] && size[m]! > best) best = size[m]!;
      if (m === 0) break;
    }
    lateral.push(best);
    let crit = false;
    for (let m = 0; m < 1 << n && !crit; m++) if (m & (1 << v) && isAnti[m] && size[m] === width) crit = true;
    critical.push(crit);
  }
  return { n, reach, timing: computeTiming(g, deadline), width, lateral, critical };
}
