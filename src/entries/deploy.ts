/**
 * `arbiter/deploy`: standalone policies for the place where decisions are made: policy
 * artifacts (float and int8), the dependency-free inference runtime (a WebAssembly SIMD dense
 * kernel shipped inside the package, with a JavaScript fallback), C code generation, the
 * learned EGS scheduler (`EgsPolicyScheduler` and its model files), and the OD3 budget →
 * architecture generators (MLP, graph policy, CNN).
 *
 * Does not load TensorFlow.js. Extracting an artifact from a trained agent
 * (`extractPolicyArtifact`) needs the agent, so it is in `arbiter/rl`.
 * @packageDocumentation
 */

// policy artifacts, the runtime, C export
export {
  type PolicyArtifact,
  type FloatPolicyArtifact,
  type Int8PolicyArtifact,
  type ConvArtifactGeometry,
  type FloatConvArtifactLayer,
  type Int8ConvArtifactLayer,
  POLICY_ARTIFACT_VERSION,
  POLICY_ARTIFACT_CNN_VERSION,
  isInt8Artifact,
  convOutputShape,
  validatePolicyArtifact,
  policyArtifactToJson,
  policyArtifactFromJson,
  encodePolicyArtifact,
  decodePolicyArtifact,
  readPolicyArtifactFile,
  artifactParamCount,
  assertArtifactFinite,
} from '../deploy/policy-artifact.js';
export {
  createPolicyRuntime,
  type PolicyRuntime,
  type PolicyRuntimeOptions,
} from '../deploy/inference-runtime.js';
export { wasmSimdAvailable, type DenseKernelChoice } from '../nn/dense-forward-wasm.js';
export { quantizeInt8 } from '../deploy/quantize-int8.js';
export { generatePolicyC, type GeneratedC } from '../deploy/c-codegen.js';
export {
  writePolicyExport,
  EXPORT_FORMATS,
  type ExportFormat,
  type WrittenExportFile,
} from '../deploy/write-policy-export.js';

// the learned EGS scheduler
export {
  EGS_MODEL_FORMAT,
  EGS_MODEL_FORMAT_V1,
  egsModelFeatures,
  LARGE_EGS_MODEL_PATH,
  SMALL_EGS_MODEL_PATH,
  defaultEgsModelPath,
  resolveEgsModelPath,
  parseEgsPolicyModel,
  loadEgsPolicyModel,
  egsPolicyModelToJson,
  type EgsPolicyModel,
} from '../deploy/egs-policy-model.js';
export {
  EgsPolicyScheduler,
  DEFAULT_EGS_SEARCH_TIME_S,
  type HeuristicSeed,
  type EgsDecodeOptions,
  type EgsSearchOptions,
} from '../deploy/egs-policy-scheduler.js';
export {
  replayEgsPolicy,
  type EgsReplay,
  type EgsReplayCandidate,
  type EgsReplayOptions,
  type EgsReplayStep,
} from '../deploy/egs-replay.js';
export {
  ALL_METHODS,
  POLICY_METHODS,
  isAnyScheduleMethod,
  isPolicyMethod,
  scheduleWithMethod,
  scheduleEveryMethod,
  type AnyScheduleMethod,
  type PolicyMethod,
  type MethodOptions,
} from '../deploy/schedule-method.js';

// OD3: resource budget → policy-network architecture
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
} from '../deploy/policy-net-generator.js';
export {
  generateCnnPolicyNet,
  measureCnnLatencyUs,
  randomCnnArtifact,
  scaleCnn,
  cnnBytes,
  type CnnFamily,
  type CnnArchitectureCost,
  type CnnPolicyNetChoice,
  type CnnLatencyProbe,
  type CnnPolicyNetGeneratorOptions,
} from '../deploy/cnn-policy-net-generator.js';
export {
  CNN_LARGENET,
  CNN_SMALLNET,
  CNN_NET_SCHEMA,
  cnnCost,
  cnnConvShapes,
  type CnnNetConfig,
  type ConvLayerConfig,
} from '../nn/cnn-architecture.js';
export {
  generateGraphPolicyNet,
  graphPolicyCost,
  measureGraphPolicyLatencyUs,
  type GraphPolicyFamily,
  type GraphArchitectureCost,
  type GraphPolicyNetChoice,
} from '../deploy/graph-policy-net-generator.js';
