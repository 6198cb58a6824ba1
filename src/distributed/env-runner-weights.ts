/**
 * The weights an env runner acts with, as data: the actor and the critic of an MLP
 * {@link ActorCriticPolicy} each as a Float32 policy artifact in its binary encoding (the format
 * `arbiter export` writes), plus the Gaussian log-std for Box actions; or a `GraphPolicy`'s
 * layout, sizes and named Float32 weights (its `getWeights`). TF-free (runner threads and queue
 * workers load it); the learner side, `runnerWeightsOf`, is in `policy-runner-weights.ts`. Both round-trip Float32 weights
 * exactly, so the runner's forward pass (the learner's own kernels) gives the learner's logits
 * and values bit for bit.
 */
import { ArbiterError } from '../core/errors.js';
import { decodePolicyArtifact, isInt8Artifact } from '../deploy/policy-artifact.js';
import type { DenseActivation, DenseLayerF32 } from '../nn/dense-forward.js';
import type { PaddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import type { GraphNetDims } from '../nn/graph-net-f32.js';

/** What a runner receives each iteration (structured-cloneable). */
export type RunnerWeights = MlpRunnerWeights | GraphRunnerWeights;

/** The MLP actor-critic's runner weights (base64 for a queue job). */
export interface MlpRunnerWeights {
  /** Absent or `mlp`. */
  kind?: 'mlp';
  /** The actor (observation → logits or Gaussian means), binary policy artifact. */
  actor: Uint8Array;
  /** The critic (observation → V), binary policy artifact. */
  critic: Uint8Array;
  /** Box actions: log σ per action dimension; absent for Discrete. */
  logStd?: Float32Array;
}

/** A graph policy's runner weights (base64 per weight for a queue job). */
export interface GraphRunnerWeights {
  /** Always `graph`. */
  kind: 'graph';
  /** The padded observation layout. */
  layout: PaddedGraphLayout;
  /** Network sizes. */
  dims: GraphNetDims;
  /** Every weight by `graphNetParams` name (copies; row-major as in the policy). */
  weights: Record<string, Float32Array>;
}

/** A decoded dense network: its layers and the hidden nonlinearity. */
export interface RunnerNet {
  /** Layers in order (kernels row-major inDim × outDim). */
  layers: DenseLayerF32[];
  /** Hidden nonlinearity (the last layer is linear). */
  activation: DenseActivation;
}

/** Decodes one network of {@link RunnerWeights} (`what` names it in errors). */
export function decodeRunnerNet(bytes: Uint8Array, what: string): RunnerNet {
  const artifact = decodePolicyArtifact(bytes, what);
  if (isInt8Artifact(artifact) || artifact.kind !== 'mlp')
    throw new ArbiterError(
      'invalid-input',
      `${what}: env runners take Float32 MLP artifacts, got ${artifact.kind}`,
    );
  const layers = artifact.layers;
  const hidden = layers.slice(0, -1).map((l) => l.activation);
  const activation = hidden[0] ?? 'tanh';
  if (
    activation === 'linear' ||
    hidden.some((a) => a !== activation) ||
    layers.at(-1)!.activation !== 'linear'
  )
    throw new ArbiterError(
      'invalid-input',
      `${what}: expected one hidden nonlinearity (tanh or relu) and a linear output layer`,
    );
  return {
    activation,
    layers: layers.map((l) => ({ kernel: l.weights, bias: l.bias, inDim: l.inputDim, outDim: l.outputDim })),
  };
}
