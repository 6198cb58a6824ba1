/**
 * Arbiter: deep reinforcement learning for real-time resource management.
 * Public API, layer by layer (SPEC §0).
 */

// core
export { ArbiterError, ValidationError, DeadlineInfeasibleError, type InputLocation } from './core/errors.js';
export { Rng, type RngState } from './core/rng.js';
export { BinaryHeap } from './core/binary-heap.js';

// dag: model
export {
  type NodeId,
  type DagNodeSpec,
  type DagTaskSpec,
  type Dag,
  describeNode,
  describeEdge,
} from './dag/dag-task.js';
export { buildDag, dagToSpec, withDeadline, withEdges, type BuildDagOptions } from './dag/build-dag.js';

// dag: analysis
export { computeTiming, criticalPathLength, volume, longestPath, type Timing } from './dag/analysis/timing.js';

// dag: scheduling
export type { MethodName, ScheduledNode, Guarantee, ScheduleResult } from './dag/schedule/schedule-result.js';
export { checkSchedule, type ScheduleCheck } from './dag/schedule/check-schedule.js';
export { listSchedule, type SimulatedSchedule } from './dag/schedule/list-scheduler.js';
export { BitMatrix, popcount32 } from './dag/bit-matrix.js';
export { transitiveClosure, transitiveReduction, comparable } from './dag/analysis/transitive-closure.js';
export { dagWidth, hopcroftKarp, type WidthResult } from './dag/analysis/width.js';
export { coreLowerBound, type CoreLowerBound } from './dag/analysis/core-lower-bound.js';
export { analyzeDag, type DagAnalysis } from './dag/analysis/analyze-dag.js';
