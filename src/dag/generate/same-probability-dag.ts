/**
 * The Kasahara-style "same probability" random DAG family (as in the Standard Task Graph set): the
 * nodes in a fixed order, and every pair i < j joined by an edge i → j with one probability p.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { DagNodeSpec, DagTaskSpec, NodeId } from '../dag-task.js';
import { checkKasaharaOptions } from './kasahara-options.js';

/** Options of {@link generateSameProbabilityDag}. */
export interface SameProbabilityDagOptions {
  /** Number of nodes (integer ≥ 1). */
  nodes: number;
  /**
   * Mean number of predecessors per node, E/n (≥ 0); sets `p = 2·meanPredecessors / (n − 1)`
   * (capped at 1), since a pair draw gives E = p·n(n − 1)/2. Default 3 (the STG samples have
   * 2.2 and 3.8). Ignored when `edgeProbability` is given.
   */
  meanPredecessors?: number;
  /** The pair probability p itself, in [0, 1] (overrides `meanPredecessors`). */
  edgeProbability?: number;
  /** Smallest WCET, an integer ≥ 1 (time units). Default 1. */
  wcetMin?: number;
  /** Largest WCET, an integer ≥ `wcetMin` (time units). Default 10. */
  wcetMax?: number;
  /** Task name. Default `same-probability-n{nodes}`. */
  name?: string;
}

/** The pair probability p of `options` (see {@link SameProbabilityDagOptions.meanPredecessors}). */
export function sameProbabilityEdgeProbability(options: SameProbabilityDagOptions): number {
  const { nodes, edgeProbability, meanPredecessors = 3 } = options;
  if (edgeProbability !== undefined) {
    if (!(edgeProbability >= 0 && edgeProbability <= 1))
      throw new ArbiterError('bad-option', `edgeProbability must be in [0, 1], got ${edgeProbability}`);
    return edgeProbability;
  }
  if (!(meanPredecessors >= 0 && Number.isFinite(meanPredecessors)))
    throw new ArbiterError(
      'bad-option',
      `meanPredecessors must be a finite number >= 0, got ${meanPredecessors}`,
    );
  return nodes <= 1 ? 0 : Math.min(1, (2 * meanPredecessors) / (nodes - 1));
}

/**
 * A random "same probability" DAG task (no deadline): nodes `v0 … v{n−1}` (the id order is a
 * topological order), each pair i < j an edge with probability p, WCETs integers drawn uniformly
 * from `[wcetMin, wcetMax]`. Several sources and sinks are allowed, as in the STG files without
 * their dummy entry and exit. The same options and Rng state give the same spec.
 */
export function generateSameProbabilityDag(options: SameProbabilityDagOptions, rng: Rng): DagTaskSpec {
  const { nodes, wcetMin = 1, wcetMax = 10 } = options;
  checkKasaharaOptions(nodes, wcetMin, wcetMax);
  const p = sameProbabilityEdgeProbability(options);
  const id = (i: number): NodeId => `v${i}`;
  const specNodes: DagNodeSpec[] = [];
  for (let i = 0; i < nodes; i++) specNodes.push({ id: id(i), wcet: rng.intBetween(wcetMin, wcetMax) });
  const edges: [NodeId, NodeId][] = [];
  for (let i = 0; i < nodes; i++)
    for (let j = i + 1; j < nodes; j++) if (rng.bernoulli(p)) edges.push([id(i), id(j)]);
  return { name: options.name ?? `same-probability-n${nodes}`, nodes: specNodes, edges };
}
