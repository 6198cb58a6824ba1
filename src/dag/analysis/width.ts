import type { BitMatrix } from '../bit-matrix.js';
import type { Dag } from '../dag-task.js';
import { transitiveClosure } from './transitive-closure.js';

/** Width of a DAG with a witness on each side of Dilworth's theorem. */
export interface WidthResult {
  /** `W(G)`: size of a maximum antichain = minimum number of chains covering G. */
  width: number;
  /** One maximum antichain (node indices, ascending): pairwise incomparable. */
  antichain: number[];
  /**
   * One minimum chain cover (node indices): every node in exactly one chain, consecutive nodes
   * comparable (connected by a path, not necessarily an edge), `chains.length === width`.
   */
  chains: number[][];
  /** Size of the maximum matching in the closure's bipartite split (`n − width`). */
  matching: number;
}

/**
 * Width by Fulkerson's reduction: `W = n − |M|` for a maximum matching M of the bipartite graph
 * with an edge (u_L, v_R) for every pair u → v of the transitive closure, found by Hopcroft–Karp
 * (O(e_c √n), e_c = closure size). The antichain comes from König's vertex cover, the chains from
 * the matching itself.
 */
export function dagWidth(dag: Dag, reach: BitMatrix = transitiveClosure(dag)): WidthResult {
  return widthFromClosure(reach);
}

/** {@link dagWidth} on a closure alone (the poset it describes), e.g. a graph being edited. */
export function widthFromClosure(reach: BitMatrix): WidthResult {
  const n = reach.n;
  const adj: Int32Array[] = [];
  for (let u = 0; u < n; u++) adj.push(Int32Array.from(reach.rowIndices(u)));
  const { matchL, matchR, size } = hopcroftKarp(n, adj);

  const chains = chainCover(matchL, matchR, n);

  // König: Z = vertices reachable by alternating paths from free left vertices.
  const zL = new Uint8Array(n);
  const zR = new Uint8Array(n);
  const queue: number[] = [];
  for (let u = 0; u < n; u++) {
    if (matchL[u] !== -1) continue;
    zL[u] = 1;
    queue.push(u);
  }
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (const v of adj[u]!) {
      if (zR[v] || matchL[u] === v) continue;
      zR[v] = 1;
      const w = matchR[v]!;
      if (w !== -1 && !zL[w]) {
        zL[w] = 1;
        queue.push(w);
      }
    }
  }
  const antichain: number[] = [];
  for (let v = 0; v < n; v++) if (zL[v] && !zR[v]) antichain.push(v);
  return { width: n - size, antichain, chains, matching: size };
}

/**
 * The minimum chain cover given by a maximum matching of a closure's bipartite split (nodes
 * 0 … n − 1): each chain starts at a node no one is matched to and follows the matched pairs.
 */
export function chainCover(matchL: ArrayLike<number>, matchR: ArrayLike<number>, n: number): number[][] {
  const chains: number[][] = [];
  for (let v = 0; v < n; v++) {
    if (matchR[v] !== -1) continue; // not a chain head
    const chain: number[] = [];
    for (let u = v; u !== -1; u = matchL[u]!) chain.push(u);
    chains.push(chain);
  }
  return chains;
}

/** Maximum bipartite matching (Hopcroft–Karp) on left/right vertex sets of equal size n. */
export function hopcroftKarp(
  n: number,
  adj: readonly ArrayLike<number>[],
): { matchL: Int32Array; matchR: Int32Array; size: number } {
  const matchL = new Int32Array(n).fill(-1);
  const matchR = new Int32Array(n).fill(-1);
  const dist = new Int32Array(n);
  const INF = 0x3fffffff;
  let size = 0;

  // Greedy start halves the phases on typical DAGs.
  for (let u = 0; u < n; u++) {
    const a = adj[u]!;
    for (let k = 0; k < a.length; k++) {
      const v = a[k]!;
      if (matchR[v] === -1) {
        matchL[u] = v;
        matchR[v] = u;
        size++;
        break;
      }
    }
  }

  const queue = new Int32Array(n);
  const bfs = (): boolean => {
    let head = 0;
    let tail = 0;
    for (let u = 0; u < n; u++) {
      if (matchL[u] === -1) {
        dist[u] = 0;
        queue[tail++] = u;
      } else dist[u] = INF;
    }
    let found = false;
    while (head < tail) {
      const u = queue[head++]!;
      const a = adj[u]!;
      for (let k = 0; k < a.length; k++) {
        const w = matchR[a[k]!]!;
        if (w === -1) found = true;
        else if (dist[w] === INF) {
          dist[w] = dist[u]! + 1;
          queue[tail++] = w;
        }
      }
    }
    return found;
  };
  const next = new Int32Array(n); // per-phase edge pointer so each edge is scanned once per phase
  const dfs = (u: number): boolean => {
    const a = adj[u]!;
    for (; next[u]! < a.length; next[u]!++) {
      const v = a[next[u]!]!;
      const w = matchR[v]!;
      if (w === -1 || (dist[w] === dist[u]! + 1 && dfs(w))) {
        matchL[u] = v;
        matchR[v] = u;
        return true;
      }
    }
    dist[u] = INF;
    return false;
  };
  while (bfs()) {
    next.fill(0);
    for (let u = 0; u < n; u++) if (matchL[u] === -1 && dfs(u)) size++;
  }
  return { matchL, matchR, size };
}
