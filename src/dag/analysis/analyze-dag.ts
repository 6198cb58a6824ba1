/**
 * The full analysis of one DAG task behind `arbiter dag analyze`: vol, L, time windows, closure and
 * reduction, width with its witnesses and the core lower bound, ids as the user wrote them.
 */
import { DeadlineInfeasibleError } from '../../core/errors.js';
import type { Dag, NodeId } from '../dag-task.js';
import { coreLowerBound } from './core-lower-bound.js';
import { computeTiming, longestPath } from './timing.js';
import { transitiveClosure, transitiveReduction } from './transitive-closure.js';
import { dagWidth } from './width.js';
import { withinDeadline } from '../time-tolerance.js';

/** Everything `arbiter dag analyze` reports about one DAG task, ids as the user wrote them. */
export interface DagAnalysis {
  name: string;
  nodes: number;
  edges: number;
  /** Edges left after transitive reduction. */
  reducedEdges: number;
  /** `vol(G)`. */
  volume: number;
  /** `L(G)`. */
  criticalPath: number;
  /** One longest path. */
  criticalPathNodes: NodeId[];
  /** Deadline D used (the task's, the caller's, or L when none). */
  deadline: number;
  /** Whether D came from the task, the caller, or defaulted to L. */
  deadlineSource: 'task' | 'argument' | 'critical-path';
  /** `W(G)`. */
  width: number;
  /** Lower bound on cores for D (`coreLowerBound`). */
  lowerBound: number;
  /** One maximum antichain. */
  antichain: NodeId[];
  /** One minimum chain cover (W chains). */
  chains: NodeId[][];
  /** Trivially schedulable on this many cores: `W(G)`, since `L ≤ D` holds (one chain per core). */
  triviallySchedulableOn: number;
  /** Per-node time windows for D. */
  timing: { id: NodeId; wcet: number; est: number; eft: number; lst: number; lft: number }[];
}

/**
 * Full analysis of a DAG task: vol, L, time windows, closure/reduction, width with a maximum
 * antichain and minimum chain cover, core lower bound. Throws {@link DeadlineInfeasibleError}
 * when an explicit deadline is below L.
 */
export function analyzeDag(dag: Dag, deadline?: number): DagAnalysis {
  const base = computeTiming(dag);
  const D = deadline ?? dag.deadline ?? base.criticalPath;
  if (!withinDeadline(base.criticalPath, D))
    throw new DeadlineInfeasibleError(base.criticalPath, D, dag.name);
  const t = computeTiming(dag, D);
  const reach = transitiveClosure(dag);
  const w = dagWidth(dag, reach);
  const lb = coreLowerBound(dag, D, t);
  const id = (i: number): NodeId => dag.ids[i]!;
  return {
    name: dag.name,
    nodes: dag.n,
    edges: dag.edges.length,
    reducedEdges: transitiveReduction(dag, reach).length,
    volume: t.volume,
    criticalPath: t.criticalPath,
    criticalPathNodes: longestPath(dag).map(id),
    deadline: D,
    deadlineSource:
      deadline !== undefined ? 'argument' : dag.deadline !== undefined ? 'task' : 'critical-path',
    width: w.width,
    lowerBound: lb.lowerBound,
    antichain: w.antichain.map(id),
    chains: w.chains.map((c) => c.map(id)),
    triviallySchedulableOn: w.width,
    timing: Array.from({ length: dag.n }, (_, i) => ({
      id: id(i),
      wcet: dag.wcet[i]!,
      est: t.est[i]!,
      eft: t.eft[i]!,
      lst: t.lst[i]!,
      lft: t.lft[i]!,
    })),
  };
}
