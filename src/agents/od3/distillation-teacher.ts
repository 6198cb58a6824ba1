/**
 * A trained model seen as a distillation teacher: its raw decision outputs (DQN Q-values, or the
 * actor logits of PPO/A2C/REINFORCE) on raw observations, computed on the Float32 path without
 * TensorFlow calls, plus its size.
 */
import { ArbiterError } from '../../core/errors.js';
import { ActorCriticPolicy } from '../../nn/actor-critic-policy.js';
import { Cnn } from '../../nn/cnn.js';
import { Mlp } from '../../nn/mlp.js';
import { DQN } from '../dqn.js';
import { OnPolicyAlgorithm, type OnPolicyConfig } from '../on-policy-algorithm.js';

/** What a teacher gives the distiller. */
export interface DistillationTeacher {
  /** Algorithm name of the teacher (`dqn`, `ppo`, …). */
  readonly algo: string;
  /** What the outputs are. */
  readonly outputs: 'q-values' | 'logits';
  /** Flat observation length. */
  readonly obsDim: number;
  /** Number of discrete actions. */
  readonly numActions: number;
  /** Parameters of the decision network (what a deployment would ship). */
  readonly decisionParams: number;
  /** Parameters of every trained network (Q-net, or actor + critic). */
  readonly totalParams: number;
  /** Hidden widths of the decision network. */
  readonly hiddenSizes: readonly number[];
  /**
   * Raw outputs for `batch` raw observations (row-major `batch × obsDim`) into `out`
   * (`batch × numActions`); the teacher's own observation normalization is applied.
   */
  forward(obs: Float32Array, batch: number, out: Float32Array): void;
}

/**
 * Wraps a trained DQN (MLP or CNN Q-network), or an on-policy algorithm with an MLP actor-critic policy on a Discrete
 * action space. Throws `unsupported-model` otherwise.
 */
export function teacherFromAlgorithm(model: unknown): DistillationTeacher {
  if (model instanceof DQN) {
    const qNet = model.qNet;
    return {
      algo: 'dqn',
      outputs: 'q-values',
      obsDim: model.obsDim,
      numActions: model.numActions,
      decisionParams: qNet.numParams(),
      totalParams: qNet.numParams(),
      hiddenSizes: hiddenSizesOf(qNet),
      forward: (obs, batch, out) => void qNet.forwardF32(obs, batch, out),
    };
  }
  if (model instanceof OnPolicyAlgorithm) {
    const algo = model as OnPolicyAlgorithm<OnPolicyConfig>;
    const policy = algo.policy;
    if (
      !(policy instanceof ActorCriticPolicy) ||
      policy.actionKind !== 'discrete' ||
      policy.trunk instanceof Cnn
    )
      throw new ArbiterError(
        'unsupported-model',
        'distillation teacher: only MLP actor-critic policies with Discrete actions can teach',
      );
    const obsDim = policy.obsDim;
    const n = policy.actionDim;
    let scratch = new Float32Array(0);
    const hidden = policy.trunk
      ? [...policy.trunk.config.hiddenSizes, policy.trunk.config.outputDim]
      : [...policy.actor.config.hiddenSizes];
    return {
      algo: algo.algoName.toLowerCase(),
      outputs: 'logits',
      obsDim,
      numActions: n,
      decisionParams: policy.actor.numParams() + (policy.trunk?.numParams() ?? 0),
      totalParams: policy.numParams(),
      hiddenSizes: hidden,
      forward: (obs, batch, out) => {
        if (scratch.length < batch * obsDim) scratch = new Float32Array(batch * obsDim);
        algo.normalizer.normalizeObs(obs, batch, scratch, false);
        out.set(policy.forwardActorF32(scratch, batch).subarray(0, batch * n));
      },
    };
  }
  throw new ArbiterError(
    'unsupported-model',
    'distillation teacher: give a DQN or a PPO/A2C/REINFORCE model with an MLP policy',
  );
}

/** Hidden widths of a Q-network: an MLP's hidden layers, a CNN's fully connected ones. */
function hiddenSizesOf(net: unknown): number[] {
  if (net instanceof Mlp) return [...net.config.hiddenSizes];
  if (net instanceof Cnn) return [...net.config.fc];
  return [];
}
