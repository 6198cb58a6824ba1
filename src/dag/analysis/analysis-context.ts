/**
 * The analyses most schedulers need (time windows for D, reachability and its transpose), computed
 * once per DAG and deadline and passed around instead of being recomputed by each method.
 */
import type { BitMatrix } from '../bit-matrix.js';
import type { Dag } from '../dag-task.js';
import { computeTiming, type Timing } from './timing.js';
import { transitiveClosure } from './transitive-closure.js';

/** Analyses most schedulers need, computed once per DAG and deadline. */
export interface AnalysisContext {
  dag: Dag;
  /** Time windows for the deadline in use (`timing.deadline` is D). */
  timing: Timing;
  /** Descendants: bit (u, v) set iff u reaches v. */
  reach: BitMatrix;
  /** Ancestors: bit (v, u) set iff u reaches v (the transpose of `reach`). */
  ancestors: BitMatrix;
}

/** Builds the {@link AnalysisContext} for a DAG and deadline (task deadline, else L). */
export function createAnalysisContext(dag: Dag, deadline?: number): AnalysisContext {
  const timing = computeTiming(dag, deadline);
  const reach = transitiveClosure(dag);
  return { dag, timing, reach, ancestors: reach.transpose() };
}
