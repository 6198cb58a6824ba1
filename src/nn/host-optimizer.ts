/**
 * Optimizers of the fast learner: they update host Float32Array parameters in place with
 * host gradients. Their state keys are those of the TensorFlow.js optimizers of the same name
 * (`adam/step`, `adam/m/i`, …), so a checkpoint written on either path restores on the other.
 */

/** An optimizer bound to a fixed list of host parameter arrays. */
export interface HostOptimizer {
  /** Name used as the prefix of its state tensors, e.g. `"adam"`. */
  readonly name: string;
  /** The parameter arrays it updates in place, in gradient order. */
  readonly params: readonly Float32Array[];
  /** Updates every parameter with its gradient (`grads[i]` for `params[i]`) at learning rate `lr`. */
  applyGradients(grads: readonly Float32Array[], lr: number): void;
  /** Number of updates applied so far. */
  readonly steps: number;
  /** State as named Float32Arrays (keys prefixed by `name/`), for checkpoints. */
  getState(): Record<string, Float32Array>;
  /** Restores {@link HostOptimizer.getState}. */
  setState(state: Record<string, Float32Array>): void;
}
