/**
 * Extraction of a standalone {@link FloatPolicyArtifact} from a trained algorithm: the decision
 * network only (the actor of a discrete PPO/A2C/REINFORCE policy, with its shared trunk when
 * there is one; the online Q-network of DQN) and the observation normalization the model
 * applies in `predict`. Kept apart from `policy-artifact.ts` so that reading and running an
 * artifact never imports TensorFlow.js.
 */
import { DQN } from '../agents/dqn.js';
import { OnPolicyAlgorithm, type OnPolicyConfig } from '../agents/on-policy-algorithm.js';
import { ArbiterError } from '../core/errors.js';
import { ActorCriticPolicy } from '../nn/actor-critic-policy.js';
import { Mlp } from '../nn/mlp.js';
import {
  POLICY_ARTIFACT_FORMAT,
  POLICY_ARTIFACT_VERSION,
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
    if (!(algo.qNet instanceof Mlp))
      throw new ArbiterError('unsupported-model', 'export: CNN Q-networks cannot be exported yet');
    return {
      format: POLICY_ARTIFACT_FORMAT,
      version: POLICY_ARTIFACT_VERSION,
      kind: 'mlp',
      inputDim: algo.obsDim,
      outputDim: algo.numActions,
      layers: mlpLayers(algo.qNet, 'linear'),
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
    const layers = [
      ...(policy.trunk ? mlpLayers(policy.trunk, policy.trunk.config.activation) : []),
      ...mlpLayers(policy.actor, 'linear'),
    ];
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
      version: POLICY_ARTIFACT_VERSION,
      kind: 'mlp',
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
