/**
 * `arbiter/envs`: the built-in environments and their baseline policies: CartPole, GridWorld,
 * job scheduling (`JobsEnv`), edge generation for DAG scheduling (`EgsEnv`, its expert), and
 * heterogeneous-SoC power sharing (`HsocEnv`, rule policies and LNN rule training);
 * the pixel game `PixelPong` (image observations for CNN policies); `registerBuiltinEnvs` makes them available to `makeEnv`.
 *
 * Does not load TensorFlow.js. The env contracts themselves are in `arbiter/core`.
 * @packageDocumentation
 */

// CartPole, GridWorld, jobs, EGS
export { CartPole, CARTPOLE_SPEC, CARTPOLE_PHYSICS } from '../envs/cartpole.js';
export { GridWorld, GRIDWORLD_SPEC, GRID_ACTIONS, type GridWorldOptions } from '../envs/gridworld.js';
export type { TabularModel, TabularTransition } from '../envs/tabular-model.js';
export { JobsEnv, JOBS_SPEC, type JobsOptions, type JobsImageChannels } from '../envs/jobs/jobs-env.js';
export {
  PixelPong,
  PIXEL_PONG_SPEC,
  PIXEL_PONG_ACTIONS,
  PIXEL_PONG_CHANNELS,
  type PixelPongOptions,
  type PixelPongState,
} from '../envs/pixel-pong.js';
export {
  LOAD_PRESETS,
  DEFAULT_JOB_DISTRIBUTION,
  type LoadPreset,
  type JobDistribution,
} from '../envs/jobs/job-arrivals.js';
export {
  fifoPolicy,
  sjfPolicy,
  randomPolicy,
  jobBaseline,
  type JobPolicy,
} from '../envs/jobs/job-baselines.js';
export {
  evaluateJobPolicy,
  type EvaluateJobPolicyOptions,
  type JobPolicyEvaluation,
} from '../envs/jobs/evaluate-job-policy.js';
export {
  EgsEnv,
  EGS_SPEC,
  EGS_MAX_NODES,
  type EgsEnvOptions,
  type EgsResetOptions,
  type EgsEpisodeInfo,
  type EgsInfo,
  egsEpisodeEnded,
} from '../envs/egs/egs-env.js';
export {
  encodeEdgeAction,
  decodeEdgeAction,
  writeEdgeActionMask,
  listEgsActions,
} from '../envs/egs/egs-action-mask.js';
export { egsScheduleResult } from '../envs/egs/egs-schedule-result.js';
export { egsLowerBound, type EgsLowerBound } from '../envs/egs/egs-lower-bound.js';
export { criticalNodes, PosetWidthTracker, type CriticalNodesResult } from '../envs/egs/critical-nodes.js';
export { DagSampler, DEFAULT_DAG_SAMPLER_OPTIONS, type DagSamplerOptions } from '../envs/egs/dag-sampler.js';
export {
  buildEgsObservation,
  egsObservationParts,
  writeEgsNodeFeatures,
  writeEgsRelationCodes,
  EGS_NODE_FEATURES,
  EGS_RELATIONS,
  EGS_NODE_FEATURE_DIM,
  EGS_RELATION_DIM,
  EGS_NODE_FEATURES_V2,
  EGS_FEATURE_SETS,
  egsNodeFeatureDim,
  egsFeatureSetOfDim,
  antichainFlags,
  type EgsFeatureSet,
  type EgsObservationParts,
} from '../envs/egs/egs-observation.js';
export {
  bestListTimetable,
  listHintOf,
  bestOfListTimetables,
  listTimetables,
  egsListHint,
  emptyListHint,
  type EgsListHint,
} from '../envs/egs/egs-list-hint.js';
export { registerBuiltinEnvs, BUILTIN_ENV_IDS } from '../envs/register-envs.js';
export {
  egsExpertAction,
  egsExpertEpisode,
  type EgsExpertOptions,
  type EgsDemonstration,
  type EgsDemonstrationStep,
} from '../envs/egs/egs-expert.js';
export {
  timetableChains,
  timetableTarget,
  timetableAsEgsResult,
  timetableTeacherEpisode,
  type TimetableTeacherOptions,
} from '../envs/egs/timetable-teacher.js';
export {
  EGS_TEACHERS,
  DEFAULT_EGS_TEACHERS,
  bestTeacherEpisode,
  type EgsTeacher,
  type BestTeacherOptions,
  type TeacherDemonstration,
} from '../envs/egs/egs-best-teacher.js';

// heterogeneous SoC power sharing
export { HsocEnv, HSOC_SPEC, type HsocEnvOptions, type HsocEpisodeMetrics } from '../envs/hsoc/hsoc-env.js';
export {
  HSOC_OBS,
  HSOC_OBS_DIM,
  HSOC_OBS_FIELDS,
  HSOC_OBS_PE_TYPES,
  writeHsocObservation,
  type HsocObsField,
  type HsocObsFieldName,
} from '../envs/hsoc/hsoc-observation.js';
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
  type HsocTraceJob,
  type HsocContentionModel,
  type HsocEvent,
} from '../envs/hsoc/hsoc-simulator.js';
export {
  DEFAULT_SPEEDS,
  DEFAULT_PES,
  ENVELOPE_TOKENS,
  HSOC_TASK_TYPES,
  HSOC_LOADS,
  HSOC_LOAD_PRESETS,
  PE_TYPES,
  STOMP_PES,
  isPeType,
  peMix,
  peNames,
  peSpeed,
  availablePes,
  isHsocLoad,
  hsocLoadPreset,
  type PeType,
  type HsocTaskType,
  type HsocLoad,
  type HsocLoadPreset,
} from '../envs/hsoc/hsoc-platform.js';
export {
  HSOC_WORKLOADS,
  fiveTaskDagSpec,
  autonomousVehicleDagSpec,
  hsocWorkloadDag,
  isHsocWorkload,
  otherDag,
  OTHER_DAG_MEAN_VOLUME,
  type HsocWorkload,
} from '../envs/hsoc/hsoc-workloads.js';
export { hsocArrivalRates, type HsocArrivalRates } from '../envs/hsoc/hsoc-arrival-rates.js';
export {
  HSOC_PER_TYPE_LOAD_PRESETS,
  perTypeArrivalRates,
  type HsocLoadCalibration,
  type HsocPerTypeArrivalRates,
  type HsocPerTypeLoadInputs,
  type HsocTypeUtilization,
} from '../envs/hsoc/hsoc-per-type-load.js';
export {
  bestCaseTimes,
  hsocLowerBound,
  isolatedCompletionBound,
  powerSharedPathBound,
  srptMeanFlowTime,
  type HsocBestCaseTimes,
  type HsocLowerBound,
} from '../envs/hsoc/hsoc-lower-bound.js';
export {
  readTaskProfiles,
  taskSpeedMatrix,
  subDeadlineRatios,
  type HsocTaskProfile,
} from '../envs/hsoc/hsoc-task-profile.js';
export {
  HSOC_PROFILED_WORKLOADS,
  isHsocProfiledWorkload,
  profiledFiveTaskDagSpec,
  profiledAvDagSpec,
  hsocProfiledWorkloadDag,
  type HsocProfiledWorkload,
} from '../envs/hsoc/hsoc-profiled-workloads.js';
export {
  HsocPowerModel,
  STOMP_DVFS,
  STOMP_TOKEN_BUDGET,
  STOMP_REQUEST_STEP,
  type HsocDvfs,
  type HsocPowerModelOptions,
} from '../envs/hsoc/hsoc-power-model.js';
export {
  parseStompComputationCsv,
  parseStompGraphml,
  parseStompTrace,
  stompDagSpec,
  type StompComputationRow,
  type StompGraph,
  type StompArrival,
} from '../envs/hsoc/stomp-format.js';
export {
  HSOC_WORKLOAD_FORMAT,
  STOMP_SERVER_COLUMNS,
  importStompWorkload,
  parseHsocWorkloadFile,
  stompTraceDagTypes,
  type HsocWorkloadFileSpec,
  type HsocWorkloadFileJob,
  type HsocWorkloadTrace,
  type StompInputs,
  type NamedText,
} from '../envs/hsoc/hsoc-workload-file.js';
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
  type HsocTokenNeed,
  type UnplacedSpeed,
} from '../envs/hsoc/hsoc-agent-view.js';
export { balancedTokenFractions } from '../envs/hsoc/balanced-token-fractions.js';
export { HsocSingleAgentEnv } from '../envs/hsoc/hsoc-single-agent-env.js';
export { runHsocEpisode, type HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
export { UniformPolicy, uniformBin } from '../envs/hsoc/policies/uniform-policy.js';
export { NeedPolicy, needBin } from '../envs/hsoc/policies/need-policy.js';
export { SlackPeakPolicy } from '../envs/hsoc/policies/slack-peak-policy.js';
export { SLACK_LEVELS, subDeadlineSlack, slackPeakLevel } from '../envs/hsoc/sub-deadline-slack.js';
export {
  runIdealStatic,
  flooredNeedPolicy,
  IDEAL_SPLIT_FLOORS,
  IDEAL_TASK_BINS,
  type IdealStaticMetrics,
} from '../envs/hsoc/policies/ideal-static.js';
export {
  LnnRulePolicy,
  HSOC_PREDICATES,
  HSOC_HEADS,
  headOfBin,
  predicateTruths,
  fairShareOf,
  setBinPredicates,
} from '../envs/hsoc/policies/lnn-rule-policy.js';
export {
  trainLnnRulePolicy,
  type TrainLnnRulePolicyOptions,
  type TrainLnnRulePolicyResult,
  type LnnTrainingProgress,
} from '../agents/lnn-rule-reinforce.js';
export {
  selectLnnRulePolicy,
  type SelectLnnRulePolicyOptions,
  type SelectLnnRulePolicyResult,
  type LnnRuleCandidate,
} from '../agents/select-lnn-rule-policy.js';
export {
  DynamicRulePolicy,
  trueLightLoad,
  type LoadBelief,
} from '../envs/hsoc/policies/dynamic-rule-policy.js';
