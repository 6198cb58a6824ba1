/**
 * What an actor-critic agent (REINFORCE, A2C, PPO) needs from a policy, independent of the
 * network inside: fast batched decisions for rollouts, state values for bootstrapping, and a
 * differentiable evaluation of stored actions for the loss. The MLP policy implements it on
 * flat observations; the EGS graph policy can implement it on graph observations (`Obs`).
 */
import type { Rng } from '../core/rng.js';
import type { tf } from './tf-backend.js';

/** Kind of action a policy produces. */
export type PolicyActionKind = 'discrete' | 'box';

/** Where {@link Policy.act} writes its results for a batch (preallocated by the caller). */
export interface ActOutput {
  /** Discrete: one action index per row (Int32Array[batch]). Box: row-major batch × actionDim (unclipped). */
  actions: Int32Array | Float32Array;
  /** log π(action | obs) per row. */
  logProbs: Float32Array;
  /** V(obs) per row. */
  values: Float32Array;
}

/** Differentiable outputs of {@link Policy.evaluateActions}, one entry per row. */
export interface PolicyEvaluation {
  /** log π(a | s) of the given actions. */
  logProb: tf.Tensor1D;
  /** Entropy of π(· | s) (over allowed actions when masked). */
  entropy: tf.Tensor1D;
  /** V(s). */
  values: tf.Tensor1D;
}

/**
 * A stochastic policy with a value function. `Obs` is the batch representation of observations:
 * a row-major Float32Array for flat observations.
 */
export interface Policy<Obs = Float32Array> {
  /** Discrete or Box actions. */
  readonly actionKind: PolicyActionKind;
  /** Number of actions (Discrete) or action dimension (Box). */
  readonly actionDim: number;
  /** Every trainable variable (for the optimizer and gradient clipping). */
  readonly variables: tf.Variable[];

  /**
   * Chooses actions for `batch` observations without TensorFlow (rollout path). `masks` is
   * batch × actionDim (1 = allowed) for Discrete actions. Draws from `rng` unless deterministic.
   */
  act(
    obs: Obs,
    batch: number,
    masks: Uint8Array | undefined,
    rng: Rng,
    deterministic: boolean,
    out: ActOutput,
  ): void;

  /** V(obs) for `batch` observations, written into `out` (allocated if absent), without TensorFlow. */
  value(obs: Obs, batch: number, out?: Float32Array): Float32Array;

  /**
   * Differentiable log-probabilities, entropies and values for stored `actions` (Int32Array for
   * Discrete, batch × actionDim Float32Array for Box), under masks as in {@link Policy.act}.
   * Call inside `tf.tidy` or a gradient function.
   */
  evaluateActions(
    obs: Obs,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
  ): PolicyEvaluation;

  /** Named copies of every weight (checkpoint tensors). */
  getWeights(): Record<string, Float32Array>;

  /** Restores weights from {@link Policy.getWeights}. */
  setWeights(weights: Record<string, Float32Array>): void;

  /** Frees the variables. */
  dispose(): void;
}

/** Host (Float32Array) outputs of {@link HostTrainablePolicy.evaluateActionsHost}, one entry per row. */
export interface PolicyEvaluationHost {
  /** log π(a | s) of the given actions. */
  logProb: Float32Array;
  /** Entropy of π(· | s) (over allowed actions when masked). */
  entropy: Float32Array;
  /** V(s). */
  values: Float32Array;
}

/**
 * A policy the fast learner can train without TensorFlow.js: the same function as
 * {@link Policy.evaluateActions} on host arrays, its backward pass, and its parameters as host
 * arrays (in {@link Policy.variables} order, so optimizer state keys match the TF.js path).
 */
export interface HostTrainablePolicy {
  /**
   * log-probabilities, entropies and values of stored actions for `batch` rows, keeping what
   * {@link HostTrainablePolicy.backwardHost} needs. The arrays are views valid until the next call.
   */
  evaluateActionsHost(
    obs: Float32Array,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
  ): PolicyEvaluationHost;
  /**
   * Given ∂L/∂logProb, ∂L/∂entropy and ∂L/∂value per row of the last evaluation, **writes**
   * ∂L/∂parameters into {@link HostTrainablePolicy.hostGrads}.
   */
  backwardHost(dLogProb: Float32Array, dEntropy: Float32Array, dValues: Float32Array): void;
  /** The parameter arrays (stable identity; an optimizer updates them in place). */
  hostParams(): Float32Array[];
  /** Gradient arrays matching {@link HostTrainablePolicy.hostParams}. */
  hostGrads(): Float32Array[];
  /** Declares the parameters changed in place (after an optimizer step). */
  markHostChanged(): void;
}

/** Whether `policy` can be trained on the host (see {@link HostTrainablePolicy}). */
export function isHostTrainable<P extends object>(policy: P): policy is P & HostTrainablePolicy {
  const p = policy as Partial<HostTrainablePolicy>;
  return typeof p.evaluateActionsHost === 'function' && typeof p.backwardHost === 'function';
}
