/**
 * Gradient-descent optimizers on TensorFlow.js variables, written here (not tf.train's) so that
 * their whole state (moments, step count) is explicit, checkpointable as named Float32Arrays,
 * and the learning rate can change every step (schedules), with PyTorch's update formulas.
 */
import type { tf } from './tf-backend.js';

/** An optimizer bound to a fixed list of variables. */
export interface Optimizer {
  /** Name used as the prefix of its state tensors, e.g. `"adam"`. */
  readonly name: string;
  /** The variables it updates, in gradient order. */
  readonly variables: readonly tf.Variable[];
  /** Updates every variable with its gradient (`grads[i]` for `variables[i]`) at learning rate `lr`. */
  applyGradients(grads: readonly tf.Tensor[], lr: number): void;
  /** Number of updates applied so far. */
  readonly steps: number;
  /** State as named Float32Arrays (keys prefixed by `name/`), for checkpoints. */
  getState(): Record<string, Float32Array>;
  /** Restores {@link Optimizer.getState}. */
  setState(state: Record<string, Float32Array>): void;
  /** Frees the state tensors (not the variables). */
  dispose(): void;
}
