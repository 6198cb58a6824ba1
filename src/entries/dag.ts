/**
 * `arbiter/dag`: DAG tasks on multicores: the DAG model, reading and writing JSON/STG/DOT,
 * generators, analysis (timing, width, core lower bounds), edge generation, every schedule
 * method with its analytic bound, the schedule checker, and the exact MILP optimum (HiGHS WASM,
 * loaded by the first optimal solve).
 *
 * Does not load TensorFlow.js.
 * @packageDocumentation
 */

// model
export {
  type NodeId,
  type DagNodeSpec,
  type DagTaskSpec,
  type Dag,
  describeNode,
  describeEdge,
} from '../dag/dag-task.js';
export { buildDag, dagToSpec, withDeadline, withEdges, type BuildDagOptions } from '../dag/build-dag.js';
export { BitMatrix, popcount32, MAX_BIT_MATRIX_NODES } from '../dag/bit-matrix.js';

// I/O
export { type DagFormat, DAG_FORMATS, isDagFormat, detectFormat } from '../dag/io/dag-format.js';
export { parseJsonDag, formatJsonDag } from '../dag/io/json-format.js';
export { parseStgDag, formatStgDag, isStgShaped } from '../dag/io/stg-format.js';
export { parseDotDag, formatDotDag } from '../dag/io/dot-format.js';
export { readDagFile, parseDag, type ReadDagFileOptions } from '../dag/io/read-dag-file.js';
export { writeDagFile, formatDag } from '../dag/io/write-dag-file.js';

// generators
export { generateLayeredDag, type LayeredDagOptions } from '../dag/generate/layered-dag.js';
export { generateForkJoinDag, type ForkJoinDagOptions } from '../dag/generate/fork-join-dag.js';
export {
  generateSameProbabilityDag,
  sameProbabilityEdgeProbability,
  type SameProbabilityDagOptions,
} from '../dag/generate/same-probability-dag.js';
export {
  generateSamePredecessorsDag,
  type SamePredecessorsDagOptions,
} from '../dag/generate/same-predecessors-dag.js';
export { deadlineBySlack, withSlackDeadline, type DeadlineBySlackOptions } from '../dag/generate/deadline.js';
export {
  generateDag,
  generateDagSet,
  type DagKind,
  type GenerateDagOptions,
  type GenerateDagSetOptions,
} from '../dag/generate/generate-dag.js';

// analysis
export {
  computeTiming,
  criticalPathLength,
  volume,
  longestPath,
  type Timing,
} from '../dag/analysis/timing.js';
export { transitiveClosure, transitiveReduction, comparable } from '../dag/analysis/transitive-closure.js';
export {
  dagWidth,
  widthFromClosure,
  hopcroftKarp,
  chainCover,
  type WidthResult,
} from '../dag/analysis/width.js';
export { ClosureMatching } from '../dag/analysis/closure-matching.js';
export {
  coreLowerBound,
  type CoreLowerBound,
  type LowerBoundName,
} from '../dag/analysis/core-lower-bound.js';
export { windowLoadBound, type WindowLoad } from '../dag/analysis/window-load-bound.js';
export {
  mCoreWindows,
  mCoreWindowsBound,
  timetablePropagation,
  windowProblem,
  type MCoreWindows,
  type MCoreWindowsBound,
  type WindowProblem,
} from '../dag/analysis/m-core-windows.js';
export { timeGrid, MAX_GRID_SCALE, type TimeGrid } from '../dag/analysis/time-grid.js';
export {
  TIME_EPS,
  timeLeq,
  timeLt,
  timeEq,
  withinDeadline,
  ceilTolerant,
  LOWER_BOUND_MARGIN,
  ceilLowerBound,
  MAX_TIME,
} from '../dag/time-tolerance.js';
export { createAnalysisContext, type AnalysisContext } from '../dag/analysis/analysis-context.js';
export { analyzeDag, type DagAnalysis } from '../dag/analysis/analyze-dag.js';

// edge generation (the EGS state, shared by egs-greedy and the learned policy)
export { EdgeGenerationState } from '../dag/edge-generation/edge-generation-state.js';
export { WidthDropProbe } from '../dag/edge-generation/width-drop-probe.js';

// scheduling
export type {
  MethodName,
  ScheduledNode,
  Guarantee,
  ScheduleResult,
} from '../dag/schedule/schedule-result.js';
export { checkSchedule, type ScheduleCheck } from '../dag/schedule/check-schedule.js';
export {
  staticOrderGuarantee,
  fixedPriorityGuarantee,
  timetableGuarantees,
  STATIC_ORDER_RULE,
  FIXED_PRIORITY_RULE,
  type DispatchRule,
  type DispatchGuarantee,
} from '../dag/schedule/dispatch-guarantee.js';
export { listSchedule, type SimulatedSchedule } from '../dag/schedule/list-scheduler.js';
export { ranksFromKeys } from '../dag/schedule/priority-order.js';
export { chainSchedule } from '../dag/schedule/chain-schedule.js';
export { grahamBound, scheduleGraham } from '../dag/schedule/graham.js';
export { he2019, he2019Bound, he2019Priority } from '../dag/schedule/he2019.js';
export { he2021, he2021Bound, he2021Priority } from '../dag/schedule/he2021.js';
export {
  zhao2020,
  zhao2020Bound,
  zhao2020Priority,
  zhao2020Analysis,
  type Zhao2020Analysis,
  type Zhao2020Term,
} from '../dag/schedule/zhao2020.js';
export {
  scheduleListSched,
  genericPriorities,
  type NamedPriority,
} from '../dag/schedule/min-cores-list-schedule.js';
export { scheduleEgsGreedy, type EgsGreedyOptions } from '../dag/schedule/egs-greedy.js';
export {
  SCHEDULE_METHODS,
  BOUND_METHODS,
  isScheduleMethod,
  scheduleDag,
  scheduleAllMethods,
  type ScheduleMethod,
  type ScheduleOptions,
} from '../dag/schedule/schedule-dag.js';
export { TimeBudget, DEFAULT_TIME_BUDGET_S } from '../dag/schedule/time-budget.js';
export { declinedResult } from '../dag/schedule/declined-result.js';

// exact optimum
export { scheduleOptimal, type OptimalOptions } from '../dag/optimal/optimal-scheduler.js';
export {
  countMilpPairs,
  MILP_SECONDS_PER_PAIR,
  MILP_BYTES_PER_PAIR,
  MILP_MEMORY_LIMIT_BYTES,
} from '../dag/optimal/min-cores-milp.js';
export {
  buildTimeIndexedMilp,
  chainsFromStarts,
  dominancePairs,
  startsFromSolution,
  timeIndexedSize,
  type TimeIndexedMilp,
  type TimeIndexedMilpOptions,
} from '../dag/optimal/time-indexed-milp.js';
export { solveLp, type SolveLpOptions, type LpSolution, type LpStatus } from '../dag/optimal/highs-solver.js';
export { chainTimetable, chainMakespan, type ChainTimetable } from '../dag/optimal/chain-timetable.js';
export {
  chainLocalSearch,
  type ChainLocalSearchOptions,
  type ChainLocalSearchResult,
} from '../dag/optimal/chain-local-search.js';
