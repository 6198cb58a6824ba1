/**
 * The width W(G) of a DAG (the largest set of mutually unordered nodes) with both witnesses of
 * Dilworth's theorem: a maximum antichain and a minimum chain cover. W(G) cores always suffice
 * when L ≤ D, one chain per core.
 */
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

/**
 * {@link dagWidth} on a closure alone (the poset it describes), e.g. a graph being edited. Works on
 * the closure's bit rows directly: O(n) memory besides the closure (no adjacency lists, which
 * for a dense 10,000-node closure would hold 50 million entries).
 */
export function widthFromClosure(reach: BitMatrix): WidthResult {
  const n = reach.n;
  const g = closureNeighbors(reach);
  const { matchL, matchR, size } = maximumMatching(n, g);

  const chains = chainCover(matchL, matchR, n);

  // König: Z = vertices reachable by alternating paths from free left vertices.
  const zL = new Uint8Array(n);
  const zR = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let u = 0; u < n; u++) {
    if (matchL[u] !== -1) continue;
    zL[u] = 1;
    queue[tail++] = u;
  }
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    for (let c = g.next(u, 0); c >= 0; c = g.next(u, c + 1)) {
      const v = g.vertex(u, c);
      if (zR[v] || matchL[u] === v) continue;
      zR[v] = 1;
      const w = matchR[v]!;
      if (w !== -1 && !zL[w]) {
        zL[w] = 1;
        queue[tail++] = w;
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

/**
 * The right-side neighbours of each left vertex of a bipartite graph, walked by cursor:
 * `next(u, c)` is the first cursor ≥ c that holds a neighbour of u (−1: none left), `vertex(u, c)`
 * that neighbour. Lets one matching code serve adjacency lists and bit rows alike.
 */
interface Neighbors {
  next(u: number, cursor: number): number;
  vertex(u: number, cursor: number): number;
}

/** The closure's rows as {@link Neighbors}: the cursor is the right vertex itself. */
function closureNeighbors(reach: BitMatrix): Neighbors {
  const { data, words, n } = reach;
  return {
    next(u, from) {
      if (from >= n) return -1;
      const base = u * words;
      let k = from >>> 5;
      let x = data[base + k]! & (-1 << (from & 31));
      while (x === 0) {
        if (++k >= words) return -1;
        x = data[base + k]!;
      }
      return (k << 5) + (31 - Math.clz32(x & -x));
    },
    vertex: (_u, c) => c,
  };
}

/** Maximum bipartite matching (Hopcroft–Karp) on left/right vertex sets of equal size n. */
export function hopcroftKarp(
  n: number,
  adj: readonly ArrayLike<number>[],
): { matchL: Int32Array; matchR: Int32Array; size: number } {
  return maximumMatching(n, {
    next: (u, c) => (c < adj[u]!.length ? c : -1),
    vertex: (u, c) => adj[u]![c]!,
  });
}

/**
 * Hopcroft–Karp on {@link Neighbors}, neighbours tried in cursor order. The augmenting search runs
 * on an explicit stack: a path may be as long as n, far beyond the call stack.
 */
function maximumMatching(n: number, g: Neighbors): { matchL: Int32Array; matchR: Int32Array; size: number } {
  const matchL = new Int32Array(n).fill(-1);
  const matchR = new Int32Array(n).fill(-1);
  const dist = new Int32Array(n);
  const INF = 0x3fffffff;
  let size = 0;

  // Greedy start halves the phases on typical DAGs.
  for (let u = 0; u < n; u++) {
    for (let c = g.next(u, 0); c >= 0; c = g.next(u, c + 1)) {
      const v = g.vertex(u, c);
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
      for (let c = g.next(u, 0); c >= 0; c = g.next(u, c + 1)) {
        const w = matchR[g.vertex(u, c)]!;
        if (w === -1) found = true;
        else if (dist[w] === INF) {
          dist[w] = dist[u]! + 1;
          queue[tail++] = w;
        }
      }
    }
    return found;
  };
  // Per-phase cursor of each left vertex, so each edge is scanned once per phase.
  const next = new Int32Array(n);
  const stack = new Int32Array(n); // left vertices of the current search path (distinct: dist grows)
  const dfs = (root: number): boolean => {
    let depth = 0;
    stack[0] = root;
    next[root] = g.next(root, next[root]!);
    for (;;) {
      const u = stack[depth]!;
      const c = next[u]!;
      if (c < 0) {
        // Dead end: u cannot reach a free right vertex in this phase.
        dist[u] = INF;
        if (depth === 0) return false;
        depth--;
        const p = stack[depth]!;
        next[p] = g.next(p, next[p]! + 1);
        continue;
      }
      const w = matchR[g.vertex(u, c)]!;
      if (w === -1) {
        for (let d = depth; d >= 0; d--) {
          const x = stack[d]!;
          const v = g.vertex(x, next[x]!);
          matchL[x] = v;
          matchR[v] = x;
        }
        return true;
      }
      if (dist[w] === dist[u]! + 1 && next[w]! >= 0) {
        stack[++depth] = w;
        next[w] = g.next(w, next[w]!);
      } else next[u] = g.next(u, c + 1);
    }
  };
  while (bfs()) {
    next.fill(0);
    for (let u = 0; u < n; u++) if (matchL[u] === -1 && dfs(u)) size++;
  }
  return { matchL, matchR, size };
}
