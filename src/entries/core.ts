/**
 * `arbiter/core`: the foundation every other entry builds on: errors, the seeded RNG, atomic
 * file writes, strict config parsing, and the RL contracts (spaces, `Env`, the env registry,
 * `makeEnv`, `checkEnv`, wrappers, vector and multi-agent envs).
 *
 * Does not load TensorFlow.js.
 * @packageDocumentation
 */

// errors, RNG, files, config
export {
  ArbiterError,
  ValidationError,
  DeadlineInfeasibleError,
  type InputLocation,
} from '../core/errors.js';
export { Rng, type RngState } from '../core/rng.js';
export { BinaryHeap } from '../core/binary-heap.js';
export { maskedArgmax, maskedArgmaxOrNone, argmaxAmong } from '../core/masked-argmax.js';
export { writeFileAtomic, writeFileAtomicSync } from '../core/atomic-write.js';
export { FileError, fileErrorFrom, describeSystemError, errnoOf } from '../core/file-error.js';
export { makeDirs, makeDirsSync } from '../core/make-dirs.js';
export {
  parseConfig,
  editDistance,
  closestKey,
  type ConfigSource,
  type ConfigShape,
} from '../core/config-schema.js';

// the RL contracts: spaces, envs, registry, wrappers, vector and multi-agent envs
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
} from '../core/spaces.js';
export { clipToBox } from '../core/clip-to-box.js';
export type { Env, EnvSpec, Info, ResetOptions, ResetResult, StepResult } from '../core/env.js';
export { SpacesOnlyEnv } from '../core/spaces-only-env.js';
export {
  registerEnv,
  envRegistration,
  registeredEnvIds,
  validateEnvOptions,
  type EnvRegistration,
} from '../core/registry.js';
export { makeEnv, type MakeEnvOptions } from '../core/make-env.js';
export { checkEnv, type CheckEnvOptions } from '../core/check-env.js';
export { Wrapper } from '../core/wrappers/wrapper.js';
export { TimeLimit } from '../core/wrappers/time-limit.js';
export {
  PadGraphObservation,
  paddedGraphLayout,
  unpackPaddedGraph,
  padGraphInto,
  type PaddedGraphLayout,
  type PaddedGraphView,
} from '../core/wrappers/pad-graph-observation.js';
export { RunningMeanStd, type RunningMeanStdState } from '../core/running-mean-std.js';
export {
  mean,
  sampleStd,
  populationStd,
  percentDifferences,
  pairedDifference,
  tCritical95,
  type PairedDifference,
} from '../core/statistics.js';
export { isPlateau, plateauImprovement, type PlateauRule } from '../core/learning-plateau.js';
export { stepsToReach, type CurvePoint } from '../core/steps-to-target.js';
export {
  NormalizeObservation,
  type NormalizeObservationOptions,
  type NormalizeObservationState,
} from '../core/wrappers/normalize-observation.js';
export {
  NormalizeReward,
  type NormalizeRewardOptions,
  type NormalizeRewardState,
} from '../core/wrappers/normalize-reward.js';
export {
  RecordEpisodeStatistics,
  type EpisodeStatistics,
  type RecordEpisodeStatisticsOptions,
} from '../core/wrappers/record-episode-statistics.js';
export {
  RecordEpisodes,
  type RecordedEpisode,
  type RecordEpisodesOptions,
} from '../core/wrappers/record-episodes.js';
export type { VectorEnv, VectorResetResult, VectorStepResult } from '../core/vector-env.js';
export {
  SyncVectorEnv,
  type SyncVectorEnvOptions,
  type SyncVectorEnvState,
} from '../core/vector/sync-vector-env.js';
export { ActionLog, type ActionLogState } from '../core/vector/action-log.js';
export {
  WorkerVectorEnv,
  type EnvFactorySpec,
  type WorkerVectorEnvOptions,
} from '../core/vector/worker-vector-env.js';
export type {
  ParallelEnv,
  ParallelResetResult,
  ParallelStepResult,
} from '../core/multi-agent/parallel-env.js';
export type {
  EventDrivenEnv,
  EventDrivenResetResult,
  EventDrivenStepResult,
  PendingDecision,
} from '../core/multi-agent/event-driven-env.js';
export {
  checkParallelEnv,
  checkEventDrivenEnv,
  type CheckMultiAgentEnvOptions,
} from '../core/multi-agent/check-parallel-env.js';
export type { MetricsSink } from '../core/metrics-sink.js';
