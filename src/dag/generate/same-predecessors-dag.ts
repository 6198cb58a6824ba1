/**
 * The Kasahara-style "same predecessors" random DAG family (as in the Standard Task Graph set): the
 * nodes in a fixed order, each drawing its number of predecessors around one mean and then that
 * many distinct predecessors among the earlier nodes.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { DagNodeSpec, DagTaskSpec, NodeId } from '../dag-task.js';
import { checkKasaharaOptions } from './kasahara-options.js';

/** Options of {@link generateSamePredecessorsDag}. */
export interface SamePredecessorsDagOptions {
  /** Number of nodes (integer ≥ 1). */
  nodes: number;
  /**
   * Mean number of predecessors (≥ 0): node j draws k uniformly from the integers of
   * `[0, 2·meanPredecessors]` (capped at j, the number of earlier nodes). Default 3 (the STG
   * samples have 2.2 and 3.8 per node).
   */
  meanPredecessors?: number;
  /** Smallest WCET, an integer ≥ 1 (time units). Default 1. */
  wcetMin?: number;
  /** Largest WCET, an integer ≥ `wcetMin` (time units). Default 10. */
  wcetMax?: number;
  /** Task name. Default `same-predecessors-n{nodes}`. */
  name?: string;
}

/**
 * A random "same predecessors" DAG task (no deadline): nodes `v0 … v{n−1}` (the id order is a
 * topological order); node j gets k ~ U{0 … ⌊2·mean⌋} (at most j) distinct predecessors drawn
 * uniformly among `v0 … v{j−1}`; WCETs integers drawn uniformly from `[wcetMin, wcetMax]`. The same
 * options and Rng state give the same spec.
 */
export function generateSamePredecessorsDag(options: SamePredecessorsDagOptions, rng: Rng): DagTaskSpec {
  const { nodes, meanPredecessors = 3, wcetMin = 1, wcetMax = 10 } = options;
  checkKasaharaOptions(nodes, wcetMin, wcetMax);
  if (!(meanPredecessors >= 0 && Number.isFinite(meanPredecessors)))
    throw new ArbiterError(
      'bad-option',
      `meanPredecessors must be a finite number >= 0, got ${meanPredecessors}`,
    );
  const maxK = Math.floor(2 * meanPredecessors);
  const id = (i: number): NodeId => `v${i}`;
  const specNodes: DagNodeSpec[] = [];
  for (let i = 0; i < nodes; i++) specNodes.push({ id: id(i), wcet: rng.intBetween(wcetMin, wcetMax) });
  const edges: [NodeId, NodeId][] = [];
  const earlier: number[] = [];
  for (let j = 0; j < nodes; j++) {
    const k = Math.min(rng.intBetween(0, maxK), j);
    // A partial Fisher–Yates shuffle of 0 … j−1 picks k distinct predecessors.
    for (let t = 0; t < k; t++) {
      const s = t + rng.int(j - t);
      const tmp = earlier[t]!;
      earlier[t] = earlier[s]!;
      earlier[s] = tmp;
    }
    const preds = earlier.slice(0, k).sort((a, b) => a - b);
    for (const i of preds) edges.push([id(i), id(j)]);
    earlier.push(j);
  }
  return { name: options.name ?? `same-predecessors-n${nodes}`, nodes: specNodes, edges };
}
