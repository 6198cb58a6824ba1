/**
 * Arbiter: deep reinforcement learning for real-time resource management.
 * Public API, layer by layer (SPEC §0). Every symbol carries its TSDoc at its declaration.
 */

// core
export { ArbiterError, ValidationError, DeadlineInfeasibleError, type InputLocation } from './core/errors.js';
export { Rng, type RngState } from './core/rng.js';
export { BinaryHeap } from './core/binary-heap.js';
export { writeFileAtomic, writeFileAtomicSync } from './core/atomic-write.js';
export { FileError, fileErrorFrom, describeSystemError, errnoOf } from './core/file-error.js';
export { makeDirs, makeDirsSync } from './core/make-dirs.js';
export {
  parseConfig,
  editDistance,
  closestKey,
  type ConfigSource,
  type ConfigShape,
} from './core/config-schema.js';

// core: the RL contracts (SPEC §5)
export {
  type Space,
  Discrete,
  Box,
  MultiDiscrete,
  DictSpace,
  GraphSpace,
  type GraphObservation,
  flatDim,
  flatten,
  flattenInto,
  isSpace,
  spaceToJson,
  spaceFromJson,
  type SpaceJson,
  type JsonBound,
} from './core/spaces.js';
export type { Env, EnvSpec, Info, ResetOptions, ResetResult, StepResult } from './core/env.js';
export {
  registerEnv,
  envRegistration,
  registeredEnvIds,
  validateEnvOptions,
  type EnvRegistration,
} from './core/registry.js';
export { makeEnv, type MakeEnvOptions } from './core/make-env.js';
export { checkEnv, type CheckEnvOptions } from './core/check-env.js';
export { Wrapper } from './core/wrappers/wrapper.js';
export { TimeLimit } from './core/wrappers/time-limit.js';
export {
  PadGraphObservation,
  paddedGraphLayout,
  unpackPaddedGraph,
  padGraphInto,
  type PaddedGraphLayout,
  type PaddedGraphView,
} from './core/wrappers/pad-graph-observation.js';
export { RunningMeanStd, type RunningMeanStdState } from './core/running-mean-std.js';
export {
  NormalizeObservation,
  type NormalizeObservationOptions,
  type NormalizeObservationState,
} from './core/wrappers/normalize-observation.js';
export {
  NormalizeReward,
  type NormalizeRewardOptions,
  type NormalizeRewardState,
} from './core/wrappers/normalize-reward.js';
export {
  RecordEpisodeStatistics,
  type EpisodeStatistics,
  type RecordEpisodeStatisticsOptions,
} from './core/wrappers/record-episode-statistics.js';
export {
  RecordEpisodes,
  type RecordedEpisode,
  type RecordEpisodesOptions,
} from './core/wrappers/record-episodes.js';
export type { VectorEnv, VectorResetResult, VectorStepResult } from './core/vector-env.js';
export {
  SyncVectorEnv,
  type SyncVectorEnvOptions,
  type SyncVectorEnvState,
} from './core/vector/sync-vector-env.js';
export { ActionLog, type ActionLogState } from './core/vector/action-log.js';
export {
  WorkerVectorEnv,
  type EnvFactorySpec,
  type WorkerVectorEnvOptions,
} from './core/vector/worker-vector-env.js';
export type {
  ParallelEnv,
  ParallelResetResult,
  ParallelStepResult,
} from './core/multi-agent/parallel-env.js';
export type {
  EventDrivenEnv,
  EventDrivenResetResult,
  EventDrivenStepResult,
  PendingDecision,
} from './core/multi-agent/event-driven-env.js';
export {
  checkParallelEnv,
  checkEventDrivenEnv,
  type CheckMultiAgentEnvOptions,
} from './core/multi-agent/check-parallel-env.js';
export type { MetricsSink } from './core/metrics-sink.js';

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
export { BitMatrix, popcount32 } from './dag/bit-matrix.js';

// dag: I/O
export { type DagFormat, DAG_FORMATS, isDagFormat, detectFormat } from './dag/io/dag-format.js';
export { parseJsonDag, formatJsonDag } from './dag/io/json-format.js';
export { parseStgDag, formatStgDag, isStgShaped } from './dag/io/stg-format.js';
export { parseDotDag, formatDotDag } from './dag/io/dot-format.js';
export { readDagFile, parseDag, type ReadDagFileOptions } from './dag/io/read-dag-file.js';
export { writeDagFile, formatDag } from './dag/io/write-dag-file.js';

// dag: generators
export { generateLayeredDag, type LayeredDagOptions } from './dag/generate/layered-dag.js';
export { generateForkJoinDag, type ForkJoinDagOptions } from './dag/generate/fork-join-dag.js';
export { deadlineBySlack, withSlackDeadline, type DeadlineBySlackOptions } from './dag/generate/deadline.js';
export {
  generateDag,
  generateDagSet,
  type DagKind,
  type GenerateDagOptions,
  type GenerateDagSetOptions,
} from './dag/generate/generate-dag.js';

// dag: analysis
export {
  computeTiming,
  criticalPathLength,
  volume,
  longestPath,
  type Timing,
} from './dag/analysis/timing.js';
export { transitiveClosure, transitiveReduction, comparable } from './dag/analysis/transitive-closure.js';
export {
  dagWidth,
  widthFromClosure,
  hopcroftKarp,
  chainCover,
  type WidthResult,
} from './dag/analysis/width.js';
export { ClosureMatching } from './dag/analysis/closure-matching.js';
export { coreLowerBound, type CoreLowerBound } from './dag/analysis/core-lower-bound.js';
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
} from './dag/time-tolerance.js';
export { createAnalysisContext, type AnalysisContext } from './dag/analysis/analysis-context.js';
export { analyzeDag, type DagAnalysis } from './dag/analysis/analyze-dag.js';

// dag: edge generation (the EGS state, shared by egs-greedy and the learned policy)
export { EdgeGenerationState } from './dag/edge-generation/edge-generation-state.js';
export { WidthDropProbe } from './dag/edge-generation/width-drop-probe.js';

// dag: scheduling
export type { MethodName, ScheduledNode, Guarantee, ScheduleResult } from './dag/schedule/schedule-result.js';
export { checkSchedule, type ScheduleCheck } from './dag/schedule/check-schedule.js';
export {
  staticOrderGuarantee,
  fixedPriorityGuarantee,
  timetableGuarantees,
  STATIC_ORDER_RULE,
  FIXED_PRIORITY_RULE,
  type DispatchRule,
  type DispatchGuarantee,
} from './dag/schedule/dispatch-guarantee.js';
export { listSchedule, type SimulatedSchedule } from './dag/schedule/list-scheduler.js';
export { ranksFromKeys } from './dag/schedule/priority-order.js';
export { chainSchedule } from './dag/schedule/chain-schedule.js';
export { grahamBound, scheduleGraham } from './dag/schedule/graham.js';
export { he2019, he2019Bound, he2019Priority } from './dag/schedule/he2019.js';
export { he2021, he2021Bound, he2021Priority } from './dag/schedule/he2021.js';
export {
  zhao2020,
  zhao2020Bound,
  zhao2020Priority,
  zhao2020Analysis,
  type Zhao2020Analysis,
  type Zhao2020Term,
} from './dag/schedule/zhao2020.js';
export { scheduleListSched, genericPriorities, type NamedPriority } from './dag/schedule/list-sched.js';
export { scheduleEgsGreedy, type EgsGreedyOptions } from './dag/schedule/egs-greedy.js';
export {
  SCHEDULE_METHODS,
  BOUND_METHODS,
  isScheduleMethod,
  scheduleDag,
  scheduleAllMethods,
  type ScheduleMethod,
  type ScheduleOptions,
} from './dag/schedule/schedule-dag.js';

// dag: exact optimum
export { scheduleOptimal, type OptimalOptions } from './dag/optimal/optimal-scheduler.js';
export { solveLp, type SolveLpOptions, type LpSolution, type LpStatus } from './dag/optimal/highs-solver.js';

// report
export { formatTable, formatNumber, type Align } from './report/table.js';
export { formatMarkdownTable } from './report/markdown-table.js';
export { renderGanttSvg, type GanttSvgOptions } from './report/gantt-svg.js';

// nn: networks on TensorFlow.js, and the TF-free forward pass used for decisions
export {
  initTf,
  tfBackendName,
  assertTfReady,
  type InitTfOptions,
  type TfBackendChoice,
} from './nn/tf-backend.js';
export { Mlp, type MlpConfig } from './nn/mlp.js';
export {
  denseForward,
  createDenseWorkspace,
  type DenseActivation,
  type DenseLayerF32,
  type DenseWorkspace,
} from './nn/dense-forward.js';
export {
  sampleMaskedCategorical,
  maskedArgmax,
  maskedArgmaxOrNone,
  maskedLogProb,
  maskedEntropy,
  maskedLogSoftmax,
  MASKED_LOGIT,
} from './nn/masked-categorical.js';
export { sampleDiagGaussian, diagGaussianLogProb, diagGaussianEntropy } from './nn/diag-gaussian.js';
export {
  ActorCriticPolicy,
  ACTOR_CRITIC_DEFAULTS,
  type ActorCriticConfig,
} from './nn/actor-critic-policy.js';
export type { Policy, ActOutput, PolicyEvaluation, PolicyActionKind } from './nn/policy.js';
export { GraphPolicy, GRAPH_POLICY_DEFAULTS, type GraphPolicyConfig } from './nn/graph-policy.js';
export { GraphNetF32, type GraphInput, type GraphNetDims } from './nn/graph-net-f32.js';
export { Adam, type AdamConfig } from './nn/adam.js';
export { RmsProp, type RmsPropConfig } from './nn/rmsprop.js';

// agents: SB3-style learn / predict / save / load
export type { Algorithm, LearnOptions, PredictOptions } from './agents/algorithm.js';
export { DeepAlgorithm, type DeepAlgorithmClass } from './agents/deep-algorithm.js';
export { PPO, PPO_DEFAULTS, PPO_SCHEMA, resolvePpoConfig, type PpoConfig } from './agents/ppo.js';
export { A2C, A2C_DEFAULTS, A2C_SCHEMA, resolveA2cConfig, type A2cConfig } from './agents/a2c.js';
export {
  REINFORCE,
  REINFORCE_DEFAULTS,
  REINFORCE_SCHEMA,
  resolveReinforceConfig,
  type ReinforceConfig,
} from './agents/reinforce.js';
export { DQN, DQN_DEFAULTS, DQN_SCHEMA, resolveDqnConfig, type DqnConfig } from './agents/dqn.js';
export {
  OffPolicyCollector,
  EXPLORATION_SHAPE,
  type ExplorationConfig,
  type OffPolicyCollectorOptions,
  type TransitionSink,
} from './agents/off-policy-collector.js';
export { TrainingDivergedError } from './agents/base-algorithm.js';
export type { OnPolicyConfig, EnvInput, PolicyFactory, GradientStats } from './agents/on-policy-algorithm.js';
export {
  qIteration,
  type FiniteMdp,
  type QIterationConfig,
  type QIterationResult,
} from './agents/tabular/q-iteration.js';
export {
  QLearning,
  Q_LEARNING_SCHEMA,
  resolveQLearningConfig,
  type QLearningConfig,
} from './agents/tabular/q-learning.js';
export { ALGORITHM_NAMES, isAlgorithmName, type AlgorithmName } from './agents/algorithm-names.js';
export {
  createAlgorithm,
  loadAlgorithm,
  loadNewestCheckpoint,
  resolveAlgorithmConfig,
  type CountedAlgorithm,
  type SkippedCheckpoint,
} from './agents/algorithm-registry.js';
export {
  EvalCallback,
  CheckpointCallback,
  type Callback,
  type TrainingContext,
  type EvalCallbackOptions,
  type CheckpointCallbackOptions,
  type EvalPoint,
} from './agents/callbacks.js';
export {
  evaluatePolicy,
  type EvaluateOptions,
  type EvaluationResult,
  type PredictFn,
} from './agents/evaluate-policy.js';
export { computeGae, computeDiscountedReturns, type GaeInput } from './agents/gae.js';
export { RolloutBuffer, type RolloutBufferConfig } from './agents/rollout-buffer.js';
export { ReplayBuffer, type ReplayBufferConfig, type ReplayBatch } from './agents/replay-buffer.js';
export {
  linearSchedule,
  constantSchedule,
  makeSchedule,
  type Schedule,
  type ScheduleSpec,
} from './agents/schedules.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  type Checkpoint,
  type CheckpointCounters,
} from './agents/checkpoint.js';

// envs
export { CartPole, CARTPOLE_SPEC, CARTPOLE_PHYSICS } from './envs/cartpole.js';
export { GridWorld, GRIDWORLD_SPEC, GRID_ACTIONS, type GridWorldOptions } from './envs/gridworld.js';
export type { TabularModel, TabularTransition } from './envs/tabular-model.js';
export { JobsEnv, JOBS_SPEC, type JobsOptions } from './envs/jobs/jobs-env.js';
export {
  LOAD_PRESETS,
  DEFAULT_JOB_DISTRIBUTION,
  type LoadPreset,
  type JobDistribution,
} from './envs/jobs/job-arrivals.js';
export {
  fifoPolicy,
  sjfPolicy,
  randomPolicy,
  jobBaseline,
  type JobPolicy,
} from './envs/jobs/job-baselines.js';
export {
  evaluateJobPolicy,
  type EvaluateJobPolicyOptions,
  type JobPolicyEvaluation,
} from './envs/jobs/evaluate-job-policy.js';
export {
  EgsEnv,
  EGS_SPEC,
  type EgsEnvOptions,
  type EgsResetOptions,
  type EgsEpisodeInfo,
} from './envs/egs/egs-env.js';
export { encodeEdgeAction, decodeEdgeAction, writeEdgeActionMask } from './envs/egs/egs-action-mask.js';
export { egsLowerBound, type EgsLowerBound } from './envs/egs/egs-lower-bound.js';
export { criticalNodes, CriticalNodeTracker, type CriticalNodesResult } from './envs/egs/critical-nodes.js';
export { DagSampler, DEFAULT_DAG_SAMPLER_OPTIONS, type DagSamplerOptions } from './envs/egs/dag-sampler.js';
export {
  buildEgsObservation,
  writeEgsNodeFeatures,
  writeEgsRelationCodes,
  EGS_NODE_FEATURES,
  EGS_RELATIONS,
  EGS_NODE_FEATURE_DIM,
  EGS_RELATION_DIM,
} from './envs/egs/egs-observation.js';
export { registerBuiltinEnvs, BUILTIN_ENV_IDS } from './envs/register-envs.js';

// deploy: standalone policies for the place where decisions are made
export {
  type PolicyArtifact,
  type FloatPolicyArtifact,
  type Int8PolicyArtifact,
  validatePolicyArtifact,
  policyArtifactToJson,
  policyArtifactFromJson,
  encodePolicyArtifact,
  decodePolicyArtifact,
  readPolicyArtifactFile,
  artifactParamCount,
  assertArtifactFinite,
} from './deploy/policy-artifact.js';
export { extractPolicyArtifact } from './deploy/extract-policy-artifact.js';
export { createPolicyRuntime, type PolicyRuntime } from './deploy/inference-runtime.js';
export { quantizeInt8 } from './deploy/quantize-int8.js';
export { generatePolicyC, type GeneratedC } from './deploy/c-codegen.js';

// report: training logs and plots
export { CsvMetricsSink, type CsvMetricsSinkOptions } from './report/csv-metrics-sink.js';
export { JsonlMetricsSink, readMetricsJsonl, type MetricsRecord } from './report/jsonl-metrics-sink.js';
export { TensorBoardSink, type TensorBoardSinkOptions } from './report/tensorboard-event-writer.js';
export { MultiSink } from './report/multi-sink.js';
export {
  createRunDirectory,
  openRunDirectory,
  readRunConfig,
  runPaths,
  type RunDirectory,
  type RunPaths,
} from './report/run-directory.js';
export { renderLinePlotSvg, type LinePlotOptions, type LinePlotSeries } from './report/line-plot-svg.js';
export {
  writeLearningCurve,
  type LearningCurveOptions,
  type LearningCurveResult,
} from './report/learning-curve.js';
export { svgToPng, type SvgToPngOptions } from './report/svg-to-png.js';

// application: one training run as the CLI does it
export {
  trainRun,
  evaluateAlgorithm,
  type TrainRunConfig,
  type TrainRunOptions,
  type TrainRunResult,
} from './cli/train-run.js';

// logic: LNN and PLNN (SPEC §8)
export {
  type TruthBounds,
  UNKNOWN,
  CONTRADICTION_TOLERANCE,
  clamp01,
  formatBounds,
} from './logic/truth-bounds.js';
export {
  type LogicMode,
  type OperatorKind,
  type NodeKind,
  type LogicNode,
  type LogicFact,
  type LogicGraph,
  OPERATOR_KINDS,
  OPERATOR_SYMBOL,
  nodeIndex,
  describeLogicNode,
} from './logic/logic-graph.js';
export {
  type BoundsSpec,
  type OperatorSpec,
  type PredicateSpec,
  type KnowledgeBaseSpec,
  knowledgeBaseSchema,
  parseKnowledgeBase,
  readKnowledgeBaseFile,
} from './logic/knowledge-base.js';
export { buildLogicGraph, type BuildLogicGraphOptions } from './logic/build-logic-graph.js';
export { knowledgeBase, KnowledgeBaseBuilder, type OperatorOptions } from './logic/logic-builder.js';
export {
  infer,
  boundsOf,
  type InferenceOptions,
  type InferenceResult,
  type InferenceStep,
  type Contradiction,
} from './logic/infer.js';
export { andJ, orJ, impliesJ } from './logic/operators/frechet-j.js';
export { exactBoundsLp, type ExactBoundsLp } from './logic/exact-bounds-lp.js';
export { LnnRuleLayer, type LnnRuleLayerConfig, type LnnRuleLayerJson } from './logic/lnn-rule-layer.js';
export { supervisedLoss, contradictionLoss, logicalConstraintLoss } from './logic/lnn-losses.js';
export {
  trainLnnRules,
  type LnnSample,
  type TrainLnnOptions,
  type TrainLnnResult,
} from './logic/train-lnn-rules.js';
export {
  extractRule,
  formatRule,
  lnnNodeRule,
  RULE_WEIGHT_THRESHOLD,
  type ExtractedRule,
  type RuleLiteral,
} from './logic/rule-text.js';
export {
  probabilitiesFromJoint,
  randomProbabilityModel,
  withTrueFacts,
  type RandomProbabilityModel,
  type RandomProbabilityModelOptions,
} from './logic/random-probability-model.js';
export { renderLogicGraphSvg, type LogicGraphSvgOptions } from './report/logic-graph-svg.js';

// EGS: imitation expert, behaviour cloning, the learned scheduler and its benchmark (SPEC §4)
export {
  egsExpertAction,
  egsExpertEpisode,
  type EgsExpertOptions,
  type EgsDemonstration,
  type EgsDemonstrationStep,
} from './envs/egs/egs-expert.js';
export {
  BehaviorCloning,
  BEHAVIOR_CLONING_DEFAULTS,
  type BehaviorCloningConfig,
  type BehaviorCloningMetrics,
} from './agents/behavior-cloning.js';
export {
  EGS_MODEL_FORMAT,
  LARGE_EGS_MODEL_PATH,
  SMALL_EGS_MODEL_PATH,
  defaultEgsModelPath,
  resolveEgsModelPath,
  parseEgsPolicyModel,
  loadEgsPolicyModel,
  egsPolicyModelToJson,
  type EgsPolicyModel,
} from './deploy/egs-policy-model.js';
export {
  EgsPolicyScheduler,
  type EgsDecodeOptions,
  type EgsSearchOptions,
} from './deploy/egs-policy-scheduler.js';
export {
  EGS_BENCHMARK_METHODS,
  heldOutEgsSets,
  runEgsBenchmark,
  summarizeEgsBenchmark,
  egsBenchmarkTables,
  egsBenchmarkText,
  egsAcceptanceSvg,
  type EgsBenchmarkSet,
  type EgsBenchmarkOptions,
  type EgsBenchmarkRow,
  type EgsBenchmarkSummary,
} from './report/egs-benchmark.js';

// OD3: budget → architecture, distillation (SPEC §6)
export {
  generatePolicyNet,
  measureMlpLatencyUs,
  mlpCost,
  type ResourceBudget,
  type MlpFamily,
  type PolicyNetChoice,
  type ArchitectureCost,
  type LatencyProbe,
  type PolicyNetGeneratorOptions,
} from './deploy/policy-net-generator.js';
export {
  Od3Distiller,
  OD3_DEFAULTS,
  resolveOd3Config,
  sharpenedSoftmax,
  type Od3Config,
  type ResolvedOd3Config,
} from './agents/od3-distiller.js';
export { teacherFromAlgorithm, type DistillationTeacher } from './agents/distillation-teacher.js';
export { StateReplayMemory, type StateReplayMemoryState } from './agents/state-replay-memory.js';
export {
  distillRun,
  type DistillRunOptions,
  type DistillRunResult,
  type DistillRunConfig,
} from './cli/distill-run.js';
export {
  generateGraphPolicyNet,
  graphPolicyCost,
  measureGraphPolicyLatencyUs,
  type GraphPolicyFamily,
  type GraphArchitectureCost,
  type GraphPolicyNetChoice,
} from './deploy/graph-policy-net-generator.js';

// envs: heterogeneous SoC power sharing (SPEC §7)
export {
  HsocEnv,
  HSOC_SPEC,
  HSOC_OBS_DIM,
  type HsocEnvOptions,
  type HsocEpisodeMetrics,
} from './envs/hsoc/hsoc-env.js';
export {
  HsocSimulator,
  longestPaths,
  TASK_WAITING,
  TASK_READY,
  TASK_RESERVED,
  TASK_RUNNING,
  TASK_DONE,
  type HsocJob,
  type HsocJobKind,
  type HsocAssignmentPlan,
  type HsocSimulatorOptions,
  type HsocEvent,
} from './envs/hsoc/hsoc-simulator.js';
export {
  DEFAULT_SPEEDS,
  DEFAULT_PES,
  ENVELOPE_TOKENS,
  HSOC_TASK_TYPES,
  HSOC_LOADS,
  HSOC_LOAD_PRESETS,
  peNames,
  peSpeed,
  availablePes,
  isHsocLoad,
  hsocLoadPreset,
  type PeType,
  type HsocTaskType,
  type HsocLoad,
  type HsocLoadPreset,
} from './envs/hsoc/hsoc-platform.js';
export {
  HSOC_WORKLOADS,
  fiveTaskDagSpec,
  autonomousVehicleDagSpec,
  hsocWorkloadDag,
  isHsocWorkload,
  otherDag,
  OTHER_DAG_MEAN_VOLUME,
  type HsocWorkload,
} from './envs/hsoc/hsoc-workloads.js';
export { hsocArrivalRates, type HsocArrivalRates } from './envs/hsoc/hsoc-arrival-rates.js';
export {
  TOKEN_BINS,
  UNIFORM_REQUEST,
  SLACK_WIDTH,
  REFERENCE_SPEED,
  binTokens,
  slackOf,
  computeShares,
  agentView,
  type HsocAgentView,
  type UnplacedSpeed,
} from './envs/hsoc/hsoc-agent-view.js';
export { balancedTokenFractions } from './envs/hsoc/needed-tokens.js';
export { HsocSingleAgentEnv } from './envs/hsoc/hsoc-single-agent-env.js';
export { runHsocEpisode, type HsocPolicy } from './envs/hsoc/policies/hsoc-policy.js';
export { UniformPolicy, uniformBin } from './envs/hsoc/policies/uniform-policy.js';
export { NeedPolicy, needBin } from './envs/hsoc/policies/need-policy.js';
export {
  runIdealStatic,
  flooredNeedPolicy,
  IDEAL_SPLIT_FLOORS,
  IDEAL_TASK_BINS,
  type IdealStaticMetrics,
} from './envs/hsoc/policies/ideal-static.js';
export {
  LnnRulePolicy,
  HSOC_PREDICATES,
  HSOC_HEADS,
  headOfBin,
  predicateTruths,
  fairShareOf,
  setBinPredicates,
} from './envs/hsoc/policies/lnn-rule-policy.js';
export {
  trainLnnRulePolicy,
  type TrainLnnRulePolicyOptions,
  type TrainLnnRulePolicyResult,
} from './envs/hsoc/policies/train-lnn-rule-policy.js';
export {
  selectLnnRulePolicy,
  type SelectLnnRulePolicyOptions,
  type SelectLnnRulePolicyResult,
  type LnnRuleCandidate,
} from './envs/hsoc/policies/select-lnn-rule-policy.js';
export { DynamicRulePolicy, type LoadBelief } from './envs/hsoc/policies/dynamic-rule-policy.js';
export {
  runHsocBenchmark,
  trainPpoBaseline,
  hsocBenchmarkMarkdown,
  hsocAcceptance,
  hsocBarChartSpec,
  tCritical95,
  renderHsocBarChartSvg,
  type HsocBenchmarkOptions,
  type HsocBenchmarkRow,
  type HsocBenchmarkResult,
} from './report/hsoc-benchmark.js';
export {
  collectEgsDemonstrations,
  cloneEgsExpert,
  type EgsDemonstrations,
  type CollectEgsDemonstrationsOptions,
  type CloneEgsExpertOptions,
} from './cli/egs-imitation.js';
