/**
 * The concurrent provider–consumer (CPC) model of Zhao, Dai, Bate, Burns and Chang, "DAG
 * scheduling and analysis on multiprocessor systems: exploitation of parallelism and
 * dependency", RTSS 2020 (scheduling method `zhao2020`).
 *
 * Notation (paper): λ the critical path; θ*_i the providers, maximal runs of λ in which every
 * node after the first has exactly one predecessor, the previous node of λ; θ_i the consumers of
 * θ*_i, the non-critical nodes that must finish before θ*_{i+1} can start (the non-critical
 * ancestors of the first node of θ*_{i+1} not already in θ_1 … θ_{i−1}); the last provider's
 * consumers are all non-critical nodes left over (on a single-sink DAG there are none; on a
 * multi-sink DAG they are the nodes that can still run after λ has finished).
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { longestPath } from '../analysis/timing.js';
import type { Dag } from '../dag-task.js';

/** A CPC decomposition of a DAG (or of an induced subgraph) along one of its longest paths. */
export interface ProviderConsumerModel {
  /** λ: the critical path used, node indices from its first to its last node. */
  criticalPath: number[];
  /** θ*_i: the providers, consecutive runs of λ in order; their concatenation is λ. */
  providers: number[][];
  /**
   * θ_i: the consumers of provider i (same length as `providers`), each in topological order;
   * pairwise disjoint, and together with λ they cover every node of the (sub)graph.
   */
  consumers: number[][];
}

/**
 * The CPC decomposition of the whole DAG along `longestPath(dag)` (the critical path every
 * other part of `zhao2020` uses). O(n + e) per provider.
 */
export function providersAndConsumers(ctx: AnalysisContext): ProviderConsumerModel {
  const members = new Uint8Array(ctx.dag.n).fill(1);
  return splitProvidersConsumers(ctx.dag, longestPath(ctx.dag), members);
}

/**
 * The CPC decomposition of the subgraph G[S] induced by `members` (S = nodes with a non-zero
 * entry) along a path λ of G[S] (the eligibility ordering applies it recursively to consumer
 * sets). Predecessors and ancestors are taken inside G[S].
 *
 * - Providers: λ[k+1] extends the current provider iff its only predecessor in G[S] is λ[k];
 *   otherwise λ[k+1] opens a new provider.
 * - Consumers: when λ[k+1] opens provider i+1, θ_i = the non-critical ancestors of λ[k+1] in
 *   G[S] not in an earlier consumer set; the last provider takes every node of S left over.
 */
export function splitProvidersConsumers(
  dag: Dag,
  lambda: readonly number[],
  members: Uint8Array,
): ProviderConsumerModel {
  const { n, pred, topoOrder } = dag;
  if (lambda.length === 0) throw new RangeError('splitProvidersConsumers: the path λ is empty');
  const onPath = new Uint8Array(n);
  for (const v of lambda) onPath[v] = 1;
  const assigned = new Uint8Array(n); // already in some θ_j
  const seen = new Int32Array(n).fill(-1); // DFS stamp per provider boundary
  const providers: number[][] = [];
  const consumers: number[][] = [];
  let provider: number[] = [lambda[0]!];

  // θ_i = unassigned non-critical ancestors of `first` in G[S], in topological order.
  const consumersBefore = (first: number, stamp: number): number[] => {
    const stack = [first];
    seen[first] = stamp;
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const u of pred[v]!) {
        if (members[u] === 0 || seen[u] === stamp) continue;
        seen[u] = stamp;
        stack.push(u);
      }
    }
    const theta: number[] = [];
    for (let k = 0; k < n; k++) {
      const v = topoOrder[k]!;
      if (seen[v] === stamp && v !== first && onPath[v] === 0 && assigned[v] === 0) {
        assigned[v] = 1;
        theta.push(v);
      }
    }
    return theta;
  };

  for (let k = 0; k + 1 < lambda.length; k++) {
    const next = lambda[k + 1]!;
    let predsInS = 0;
    let onlyPred = -1;
    for (const u of pred[next]!) {
      if (members[u] === 0) continue;
      predsInS++;
      onlyPred = u;
    }
    if (predsInS === 1 && onlyPred === lambda[k]) {
      provider.push(next);
      continue;
    }
    providers.push(provider);
    consumers.push(consumersBefore(next, providers.length));
    provider = [next];
  }
  providers.push(provider);
  const leftovers: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = topoOrder[k]!;
    if (members[v] !== 0 && onPath[v] === 0 && assigned[v] === 0) {
      assigned[v] = 1;
      leftovers.push(v);
    }
  }
  consumers.push(leftovers);
  return { criticalPath: [...lambda], providers, consumers };
}

/**
 * One longest path (weights on nodes) of the subgraph G[S] induced by `members`, from a source
 * of G[S] to a sink of G[S]; ties go to a sink, then to the smaller node index. Empty when S is empty. O(n + e).
 */
export function longestPathIn(dag: Dag, members: Uint8Array): number[] {
  const { n, wcet, pred, succ, topoOrder } = dag;
  const isSinkInS = (v: number): boolean => succ[v]!.every((w) => members[w] === 0);
  const est = new Float64Array(n);
  const eft = new Float64Array(n);
  let end = -1;
  for (let k = 0; k < n; k++) {
    const v = topoOrder[k]!;
    if (members[v] === 0) continue;
    let s = 0;
    for (const u of pred[v]!) if (members[u] !== 0 && eft[u]! > s) s = eft[u]!;
    est[v] = s;
    eft[v] = s + wcet[v]!;
    // Ties: prefer a sink of G[S] (so λ is maximal), then the smaller index.
    if (end < 0 || eft[v]! > eft[end]!) end = v;
    else if (eft[v] === eft[end]) {
      const a = isSinkInS(v);
      const b = isSinkInS(end);
      if ((a && !b) || (a === b && v < end)) end = v;
    }
  }
  if (end < 0) return [];
  const path = [end];
  for (let v = end; ;) {
    let best = -1;
    for (const u of pred[v]!) if (members[u] !== 0 && eft[u] === est[v] && (best < 0 || u < best)) best = u;
    if (best < 0) break;
    path.push(best);
    v = best;
  }
  return path.reverse();
}
