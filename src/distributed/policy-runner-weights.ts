/**
 * The learner's side of {@link RunnerWeights}: the current weights of its policy as runners take
 * them (this module loads the policy classes, hence TensorFlow.js; runners never import it).
 */
import { ArbiterError } from '../core/errors.js';
import { mlpPolicyArtifact } from '../deploy/extract-policy-artifact.js';
import { encodePolicyArtifact } from '../deploy/policy-artifact.js';
import { ActorCriticPolicy } from '../nn/actor-critic-policy.js';
import { GraphPolicy } from '../nn/graph-policy.js';
import type { Policy } from '../nn/policy.js';
import type { MlpRunnerWeights, RunnerWeights } from './env-runner-weights.js';

/**
 * The runner weights of `policy`. Env runners support the MLP actor-critic with separate actor
 * and critic networks (the default) and the graph policy; other policies throw `unsupported-model`.
 */
export function runnerWeightsOf(policy: Policy<Float32Array>): RunnerWeights {
  if (policy instanceof GraphPolicy)
    return {
      kind: 'graph',
      layout: { ...policy.layout },
      dims: { ...policy.dims },
      weights: policy.getWeights(),
    };
  if (!(policy instanceof ActorCriticPolicy) || policy.trunk !== undefined)
    throw new ArbiterError(
      'unsupported-model',
      'env runners support the MLP actor-critic policy without a shared trunk and the graph policy (not shareTrunk or CNN policies); train without --env-runners',
    );
  const weights: MlpRunnerWeights = {
    actor: encodePolicyArtifact(mlpPolicyArtifact(policy.actor)),
    critic: encodePolicyArtifact(mlpPolicyArtifact(policy.critic)),
  };
  if (policy.actionKind === 'box') weights.logStd = Float32Array.from(policy.getWeights().logStd!);
  return weights;
}
