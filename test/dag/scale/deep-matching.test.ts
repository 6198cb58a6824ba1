import { describe, expect, it } from 'vitest';
import { ClosureMatching } from '../../../src/dag/analysis/closure-matching.js';
import { hopcroftKarp, widthFromClosure } from '../../../src/dag/analysis/width.js';
import { BitMatrix, MAX_BIT_MATRIX_NODES } from '../../../src/dag/bit-matrix.js';

/**
 * A bipartite graph (as bit rows) whose maximum matching needs one augmenting path through every
 * vertex: left u < n − 1 is adjacent to right u and u + 1, the last left only to right 0. Tried in
 * ascending order, u takes right u, so the last left vertex displaces all the others in turn; a
 * recursive search goes n frames deep (the stack overflow of issue 13 at n ≈ 10,000).
 */
function zigzag(n: number): BitMatrix {
  const m = new BitMatrix(n);
  for (let u = 0; u < n - 1; u++) {
    m.set(u, u);
    m.set(u, u + 1);
  }
  m.set(n - 1, 0);
  return m;
}

describe('matchings on graphs of 10,000+ nodes (explicit stacks, no recursion)', () => {
  it('ClosureMatching finds the perfect matching through an augmenting path of length n = 12,000', () => {
    const n = 12_000;
    const g = zigzag(n);
    const m = new ClosureMatching(n);
    expect(m.maximize(g)).toBe(n);
    for (let u = 0; u < n; u++) expect(g.has(u, m.matchL[u]!)).toBe(true);
    expect(new Set(m.matchL).size).toBe(n);
  });

  it('Hopcroft–Karp (adjacency lists and bit rows) does the same at n = 12,000', () => {
    const n = 12_000;
    const g = zigzag(n);
    const adj = Array.from({ length: n }, (_, u) => Int32Array.from(g.rowIndices(u)));
    expect(hopcroftKarp(n, adj).size).toBe(n);
    expect(widthFromClosure(g).matching).toBe(n);
  });

  it('the width of a 10,000-node chain is 1 with one chain of all nodes', () => {
    const n = 10_000;
    const reach = new BitMatrix(n);
    for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) reach.set(u, v);
    const w = widthFromClosure(reach);
    expect(w.width).toBe(1);
    expect(w.chains[0]!.length).toBe(n);
  });
});

describe('bit matrices are sized up front', () => {
  it('refuses a node count past MAX_BIT_MATRIX_NODES with the memory it would need, before allocating', () => {
    expect(() => new BitMatrix(MAX_BIT_MATRIX_NODES + 1)).toThrow(
      /a DAG of 50,001 nodes needs reachability matrices of n² bits = 298 MiB each, several at once; at most 50,000 nodes are supported/,
    );
  });
});
