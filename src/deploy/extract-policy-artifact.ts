/**
 * Extraction of a standalone {@link FloatPolicyArtifact} from a trained algorithm: the decision
 * network only (the actor of a discrete PPO/A2C/REINFORCE policy, with its shared trunk — MLP or
 * CNN — when there is one; the online Q-network of DQN, MLP or CNN) and the observation normalization the model
 * applies in `predict`. Kept apart from `policy-artifact.ts` so that reading and running an
 * artifact never imports TensorFlow.js.
 */
import { DQN } from '../agents/dqn.js';
import { OnPolicyAlgorithm, type OnPolicyConfig } from '../agents/on-policy-algorithm.js';
import { ArbiterError } from '../core/errors.js';
import { ActorCriticPolicy } from '../nn/actor-critic-policy.js';
import { Cnn } from '../nn/cnn.js';
import { Mlp } from '../nn/mlp.js';
import {
  POLICY_ARTIFACT_CNN_VERSION,
  POLICY_ARTIFACT_FORMAT,
  POLICY_ARTIFACT_VERSION,
  type FloatConvArtifactLayer,
  type ArtifactActivation,
  type ArtifactNormalization,
  type FloatArtifactLayer,
  type FloatPolicyArtifact,
} from './policy-artifact.js';

/**
 * Layers of `mlp` with `hidden` after each layer but the last, and `lastActivation` after the
 * last (`'linear'` for an output layer; the hidden nonlinearity for a shared trunk).
 */
function mlpLayers(mlp: Mlp, lastActivation: ArtifactActivation): FloatArtifactLayer[] {
  const dense = mlp.denseLayers();
  return dense.map((l, i) => ({
    inputDim: l.inDim,
    outputDim: l.outDim,
    activation: i === dense.length - 1 ? lastActivation : mlp.config.activation,
    weights: Float32Array.from(l.kernel),
    bias: Float32Array.from(l.bias),
  }));
}

/** The convolutions of `cnn` (ReLU after each) and its dense head with `lastActivation` after the last layer. */
function cnnParts(
  cnn: Cnn,
  lastActivation: ArtifactActivation,
): Pick<FloatPolicyArtifact, 'inputShape' | 'conv' | 'layers'> {
  const conv: FloatConvArtifactLayer[] = cnn.convLayers().map((l) => ({
    inputShape: [l.inH, l.inW, l.inC],
    filters: l.outC,
    kernel: l.kernel,
    stride: l.stride,
    activation: 'relu',
    weights: Float32Array.from(l.weights),
    bias: Float32Array.from(l.bias),
  }));
  return {
    inputShape: [...cnn.config.inputShape],
    conv,
    layers: mlpLayers(cnn.head, lastActivation),
  };
}

/** The network part of an artifact: an MLP's dense layers, or a CNN's (kind and version follow). */
function netParts(
  net: Mlp | Cnn,
  lastActivation: ArtifactActivation,
): Pick<FloatPolicyArtifact, 'kind' | 'version' | 'inputShape' | 'conv' | 'layers'> {
  return net instanceof Cnn
    ? { kind: 'cnn', version: POLICY_ARTIFACT_CNN_VERSION, ...cnnParts(net, lastActivation) }
    : { kind: 'mlp', version: POLICY_ARTIFACT_VERSION, layers: mlpLayers(net, lastActivation) };
}

/**
 * A standalone CNN (linear output) as a Float32 argmax artifact, as {@link mlpPolicyArtifact}.
 */
export function cnnPolicyArtifact(cnn: Cnn): FloatPolicyArtifact {
  return {
    format: POLICY_ARTIFACT_FORMAT,
    ...netParts(cnn, 'linear'),
    inputDim: cnn.inputDim,
    outputDim: cnn.config.outputDim,
    actionSpace: { kind: 'discrete', n: cnn.config.outputDim, start: 0 },
    decision: 'argmax',
  };
}

/**
 * A standalone MLP (linear output) as a Float32 argmax artifact over `mlp.config.outputDim`
 * discrete actions starting at 0: for benchmarks and tests of networks outside an algorithm.
 */
export function mlpPolicyArtifact(mlp: Mlp): FloatPolicyArtifact {
  return {
    format: POLICY_ARTIFACT_FORMAT,
    version: POLICY_ARTIFACT_VERSION,
    kind: 'mlp',
    inputDim: mlp.config.inputDim,
    outputDim: mlp.config.outputDim,
    layers: mlpLayers(mlp, 'linear'),
    actionSpace: { kind: 'discrete', n: mlp.config.outputDim, start: 0 },
    decision: 'argmax',
  };
}

/**
 * The decision network of a trained algorithm as a Float32 artifact. Supports DQN and the
 * on-policy algorithms with an MLP {@link ActorCriticPolicy} on a Discrete action space; throws
 * `unsupported-model` otherwise (tabular agents, Box actions, graph policies).
 */
export function extractPolicyArtifact(algo: unknown): FloatPolicyArtifact {
  if (algo instanceof DQN) {
    const space = algo.env.actionSpace;
    if (space.kind !== 'discrete')
      throw new ArbiterError('unsupported-model', 'export: DQN without a Discrete action space');
    const qNet = algo.qNet;
    if (!(qNet instanceof Mlp || qNet instanceof Cnn))
      throw new ArbiterError('unsupported-model', 'export: the Q-network is neither an MLP nor a CNN');
    return {
      format: POLICY_ARTIFACT_FORMAT,
      ...netParts(qNet, 'linear'),
      inputDim: algo.obsDim,
      outputDim: algo.numActions,
      actionSpace: { kind: 'discrete', n: space.n, start: space.start },
      decision: 'argmax',
      source: { algo: 'dqn', outputs: 'q-values', timesteps: algo.counters.numTimesteps },
    };
  }
  if (algo instanceof OnPolicyAlgorithm) {
    const onPolicy = algo as OnPolicyAlgorithm<OnPolicyConfig>;
    const policy = onPolicy.policy;
    if (!(policy instanceof ActorCriticPolicy))
      throw new ArbiterError(
        'unsupported-model',
        'export: only MLP actor-critic policies can be exported (not graph policies)',
      );
    const space = onPolicy.envs.singleActionSpace;
    if (policy.actionKind !== 'discrete' || space.kind !== 'discrete')
      throw new ArbiterError(
        'unsupported-model',
        'export: only Discrete action spaces can be exported (argmax decision)',
      );
    // A shared trunk's last layer is followed by the hidden nonlinearity (ActorCriticPolicy.trunkTensor).
    const trunk = policy.trunk;
    const trunkParts = trunk
      ? netParts(trunk, trunk instanceof Cnn ? 'relu' : trunk.config.activation)
      : undefined;
    const layers = [...(trunkParts?.layers ?? []), ...mlpLayers(policy.actor, 'linear')];
    const rms = onPolicy.normalizer.obsRms;
    const opts = onPolicy.normalizer.options;
    const normalization: ArtifactNormalization | undefined = rms
      ? {
          mean: Array.from(rms.mean),
          var: Array.from(rms.var),
          clip: opts.clipObs ?? 10,
          epsilon: opts.epsilon ?? 1e-8,
        }
      : undefined;
    return {
      format: POLICY_ARTIFACT_FORMAT,
      version: trunkParts?.version ?? POLICY_ARTIFACT_VERSION,
      kind: trunkParts?.kind ?? 'mlp',
      ...(trunkParts?.conv && { inputShape: trunkParts.inputShape!, conv: trunkParts.conv }),
      inputDim: policy.obsDim,
      outputDim: policy.actionDim,
      layers,
      ...(normalization && { normalization }),
      actionSpace: { kind: 'discrete', n: space.n, start: space.start },
      decision: 'argmax',
      source: {
        algo: onPolicy.algoName.toLowerCase(),
        outputs: 'logits',
        timesteps: onPolicy.counters.numTimesteps,
      },
    };
  }
  throw new ArbiterError(
    'unsupported-model',
    'export: only DQN and MLP PPO/A2C/REINFORCE policies on Discrete actions can be exported',
  );
}
