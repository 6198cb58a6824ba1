/**
 * What a value network (DQN's Q-network) needs from a feed-forward net, whichever the family:
 * the MLP on flat observations (`Mlp`) and the CNN on images (`Cnn`) both provide it, on the
 * TensorFlow.js side and on the fast learner's host arrays.
 */
import type { tf } from './tf-backend.js';

/** A network `x → y` with both training paths (see `Mlp` for the contract of each method). */
export interface FeedForwardNet {
  /** Trainable variables (current weights). */
  readonly variables: tf.Variable[];
  /** Differentiable forward on `[batch, inputDim]` (inside `tf.tidy`). */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Float32 forward of `batch` rows without TensorFlow, into `out` when given. */
  forwardF32(x: Float32Array, batch: number, out?: Float32Array): Float32Array;
  /** Host training forward (a view valid until the next call). */
  forwardTrain(x: Float32Array, batch: number): Float32Array;
  /** Adds ∂L/∂weights of the last {@link FeedForwardNet.forwardTrain} into {@link FeedForwardNet.hostGrads}. */
  backward(dOut: Float32Array): void;
  /** Host weight arrays in variable order (stable identity). */
  hostParams(): Float32Array[];
  /** Gradient arrays matching {@link FeedForwardNet.hostParams}. */
  hostGrads(): Float32Array[];
  /** Declares the host weights changed in place. */
  markHostChanged(): void;
  /** Copies of the weights in variable order. */
  getWeights(): Float32Array[];
  /** Replaces the weights. */
  setWeights(weights: readonly Float32Array[]): void;
  /** Makes this network's weights equal to `other`'s (same family and architecture). */
  copyFrom(other: FeedForwardNet): void;
  /** Number of scalar parameters. */
  numParams(): number;
  /** Frees the variables. */
  dispose(): void;
}
