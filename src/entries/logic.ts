/**
 * `arbiter/logic`: logical neural networks (LNN) and their probabilistic variant (PLNN):
 * truth bounds, knowledge bases, upward/downward inference, exact bounds by LP, trainable LNN
 * rule layers and rule extraction.
 *
 * Does not load TensorFlow.js (LNN rule layers train with their own gradients).
 * @packageDocumentation
 */

export {
  type TruthBounds,
  UNKNOWN,
  CONTRADICTION_TOLERANCE,
  clamp01,
  formatBounds,
} from '../logic/truth-bounds.js';
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
} from '../logic/logic-graph.js';
export type {
  BoundsSpec,
  OperatorSpec,
  PredicateSpec,
  KnowledgeBaseSpec,
} from '../logic/knowledge-base-spec.js';
export { knowledgeBaseSchema, parseKnowledgeBase, readKnowledgeBaseFile } from '../logic/knowledge-base.js';
export { buildLogicGraph, type BuildLogicGraphOptions } from '../logic/build-logic-graph.js';
export { knowledgeBase, KnowledgeBaseBuilder, type OperatorOptions } from '../logic/logic-builder.js';
export {
  infer,
  boundsOf,
  type InferenceOptions,
  type InferenceResult,
  type InferenceStep,
  type Contradiction,
} from '../logic/infer.js';
export { andJ, orJ, impliesJ } from '../logic/operators/frechet-j.js';
export { exactBoundsLp, type ExactBoundsLp } from '../logic/exact-bounds-lp.js';
export { LnnRuleLayer, type LnnRuleLayerConfig, type LnnRuleLayerJson } from '../logic/lnn-rule-layer.js';
export { supervisedLoss, contradictionLoss, logicalConstraintLoss } from '../logic/lnn-losses.js';
export {
  trainLnnRules,
  type LnnSample,
  type TrainLnnOptions,
  type TrainLnnResult,
} from '../logic/train-lnn-rules.js';
export {
  extractRule,
  formatRule,
  lnnNodeRule,
  RULE_WEIGHT_THRESHOLD,
  type ExtractedRule,
  type RuleLiteral,
} from '../logic/rule-text.js';
export {
  probabilitiesFromJoint,
  randomProbabilityModel,
  withTrueFacts,
  type RandomProbabilityModel,
  type RandomProbabilityModelOptions,
} from '../logic/random-probability-model.js';
