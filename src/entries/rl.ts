/**
 * `arbiter/rl`: everything for training: the `arbiter/core` contracts and `arbiter/envs`
 * environments, networks on TensorFlow.js (with the TF-free forward passes used for
 * decisions), the agents (PPO, A2C, REINFORCE, DQN, tabular Q, behaviour cloning, the OD3
 * distiller) with their buffers, schedules, callbacks and checkpoints, and
 * `extractPolicyArtifact` from a trained agent.
 *
 * Loads TensorFlow.js.
 * @packageDocumentation
 */

export * from './core.js';
export * from './envs.js';

// networks on TensorFlow.js, and the TF-free forward pass used for decisions
export {
  initTf,
  tfBackendName,
  assertTfReady,
  type InitTfOptions,
  type TfBackendChoice,
} from '../nn/tf-backend.js';
export { Mlp, type MlpConfig } from '../nn/mlp.js';
export { Cnn, type CnnConfig } from '../nn/cnn.js';
// The CNN architectures themselves (CNN_LARGENET, cnnCost, …) are TF-free: in arbiter/deploy.
export { imageShape } from '../nn/cnn-architecture.js';
export type { FeedForwardNet } from '../nn/feed-forward-net.js';
export {
  conv2dForward,
  conv2dBackward,
  conv2dShape,
  conv2dMacs,
  createConv2dWorkspace,
  type Conv2dWorkspace,
  type Conv2dShape,
  type Conv2dLayerF32,
} from '../nn/conv2d-host.js';
export {
  denseForward,
  createDenseWorkspace,
  transposeInto,
  type DenseActivation,
  type DenseLayerF32,
  type DenseWorkspace,
} from '../nn/dense-forward.js';
export {
  WasmDenseNet,
  denseForwardWasm,
  wasmSimdAvailable,
  useWasmKernel,
  type DenseKernelChoice,
  type LayerActivation,
} from '../nn/dense-forward-wasm.js';
export { WasmMatVecNet, packMatVecLayer } from '../nn/dense-matvec-wasm.js';
export {
  sampleMaskedCategorical,
  maskedArgmax,
  maskedArgmaxOrNone,
  maskedLogProb,
  maskedEntropy,
  maskedLogSoftmax,
  logSumExpAmong,
  sampleCategoricalAmong,
  MASKED_LOGIT,
} from '../nn/masked-categorical.js';
export { sampleDiagGaussian, diagGaussianLogProb, diagGaussianEntropy } from '../nn/diag-gaussian.js';
export {
  ActorCriticPolicy,
  ACTOR_CRITIC_DEFAULTS,
  type ActorCriticConfig,
} from '../nn/actor-critic-policy.js';
export {
  isHostTrainable,
  type Policy,
  type ActOutput,
  type PolicyEvaluation,
  type PolicyActionKind,
  type HostTrainablePolicy,
  type PolicyEvaluationHost,
} from '../nn/policy.js';
export {
  createDenseTrainCache,
  denseForwardTrain,
  denseBackward,
  type DenseTrainCache,
} from '../nn/dense-backward.js';
export {
  WasmDenseTrainer,
  setTrainingKernel,
  trainingKernel,
  trainsOnWasm,
  WASM_TRAIN_MIN_MACS,
} from '../nn/dense-train-wasm.js';
export { AdamF32 } from '../nn/adam-f32.js';
export { RmsPropF32 } from '../nn/rmsprop-f32.js';
export type { HostOptimizer } from '../nn/host-optimizer.js';
export { zeroArrays, globalNorm, clipGlobalNorm, firstNonFiniteArray } from '../nn/host-params.js';
export { maskedCategoricalForward, maskedCategoricalBackward } from '../nn/masked-categorical-backward.js';
export { diagGaussianForward, diagGaussianBackward } from '../nn/diag-gaussian-backward.js';
export { GraphPolicy, GRAPH_POLICY_DEFAULTS, type GraphPolicyConfig } from '../nn/graph-policy.js';
export { GraphNetF32, type GraphInput, type GraphNetDims, type GraphNetKernel } from '../nn/graph-net-f32.js';
export { GraphActor } from '../nn/graph-actor.js';
export { GraphNetWasm } from '../nn/graph-net-wasm.js';
export { GraphNetTrainer, type GraphNetEvaluation } from '../nn/graph-net-train.js';
export { createGraphTrainKernels, type GraphTrainKernels } from '../nn/graph-train-kernels.js';
export { Adam, type AdamConfig } from '../nn/adam.js';
export { RmsProp, type RmsPropConfig } from '../nn/rmsprop.js';

// agents: SB3-style learn / predict / save / load
export type { Algorithm, LearnOptions, PredictOptions } from '../agents/algorithm.js';
export { DeepAlgorithm, type DeepAlgorithmClass } from '../agents/deep-algorithm.js';
export {
  checkpointSpaces,
  actionSpaceLabel,
  standInEnv,
  type CheckpointSpaces,
} from '../agents/checkpoint-spaces.js';
export { PPO, PPO_DEFAULTS, PPO_SCHEMA, resolvePpoConfig, type PpoConfig } from '../agents/ppo.js';
export { A2C, A2C_DEFAULTS, A2C_SCHEMA, resolveA2cConfig, type A2cConfig } from '../agents/a2c.js';
export {
  REINFORCE,
  REINFORCE_DEFAULTS,
  REINFORCE_SCHEMA,
  resolveReinforceConfig,
  type ReinforceConfig,
} from '../agents/reinforce.js';
export {
  DQN,
  DQN_DEFAULTS,
  DQN_SCHEMA,
  resolveDqnConfig,
  tdLossGrad,
  type DqnConfig,
  type TdLossInput,
} from '../agents/dqn.js';
export { DQN_PAPER_TEACHER, DQN_PAPER_EDGE, DQN_PAPER_EVAL_EPSILON } from '../agents/dqn-paper-teacher.js';
export { TrainingDivergedError } from '../agents/base-algorithm.js';
export {
  OffPolicyCollector,
  EXPLORATION_SHAPE,
  type ExplorationConfig,
  type OffPolicyCollectorOptions,
  type TransitionSink,
} from '../agents/off-policy-collector.js';
export type {
  OnPolicyConfig,
  EnvInput,
  PolicyFactory,
  GradientStats,
  Learner,
  OnPolicyOptimizers,
  HostBatch,
  HostLossGrads,
  HostObjective,
} from '../agents/on-policy-algorithm.js';
export {
  skipActionDraws,
  type RolloutSource,
  type RolloutRequest,
  type CollectedRollout,
} from '../agents/rollout-source.js';
export { policyGradientLossHost, type PolicyGradientLossTerms } from '../agents/policy-gradient-loss.js';
export {
  qIteration,
  type FiniteMdp,
  type QIterationConfig,
  type QIterationResult,
} from '../agents/tabular/q-iteration.js';
export {
  QLearning,
  Q_LEARNING_SCHEMA,
  resolveQLearningConfig,
  type QLearningConfig,
} from '../agents/tabular/q-learning.js';
export { ALGORITHM_NAMES, isAlgorithmName, type AlgorithmName } from '../agents/algorithm-names.js';
export {
  createAlgorithm,
  loadAlgorithm,
  loadNewestCheckpoint,
  resolveAlgorithmConfig,
  type CountedAlgorithm,
  type SkippedCheckpoint,
} from '../agents/algorithm-registry.js';
export {
  EvalCallback,
  CheckpointCallback,
  type Callback,
  type TrainingContext,
  type EvalCallbackOptions,
  type CheckpointCallbackOptions,
  type EvalPoint,
} from '../agents/callbacks.js';
export {
  evaluatePolicy,
  type EvaluateOptions,
  type EvaluationResult,
  type PredictFn,
} from '../agents/evaluate-policy.js';
export { computeGae, computeDiscountedReturns, type GaeInput } from '../agents/gae.js';
export { RolloutBuffer, type RolloutBufferConfig } from '../agents/rollout-buffer.js';
export { ReplayBuffer, type ReplayBufferConfig, type ReplayBatch } from '../agents/replay-buffer.js';
export {
  linearSchedule,
  constantSchedule,
  makeSchedule,
  type Schedule,
  type ScheduleSpec,
} from '../agents/schedules.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  type Checkpoint,
  type CheckpointCounters,
} from '../agents/checkpoint.js';

// a trained agent's policy as a deployable artifact (see arbiter/deploy)
export { extractPolicyArtifact, cnnPolicyArtifact } from '../deploy/extract-policy-artifact.js';

// imitation and OD3 distillation
export {
  BehaviorCloning,
  BEHAVIOR_CLONING_DEFAULTS,
  type BehaviorCloningConfig,
  type BehaviorCloningMetrics,
} from '../agents/behavior-cloning.js';
export {
  Od3Distiller,
  OD3_DEFAULTS,
  resolveOd3Config,
  sharpenedSoftmax,
  distillationLossGrad,
  type Od3Config,
  type ResolvedOd3Config,
} from '../agents/od3/od3-distiller.js';
export { teacherFromAlgorithm, type DistillationTeacher } from '../agents/od3/distillation-teacher.js';
export { StateReplayMemory, type StateReplayMemoryState } from '../agents/od3/state-replay-memory.js';
