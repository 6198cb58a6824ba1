/**
 * Optimizers of the fast learner: they update host Float32Array parameters in place with
 * host gradients. Their state keys are those of the TensorFlow.js optimizers of the same name
 * (`adam/step`, `adam/m/i`, …), so a checkpoint written on either path restores on the other.
 */
import { ArbiterError } from '../core/errors.js';

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

/** Throws `shape-mismatch` (naming `who`) unless `grads` match `params` one to one in length. */
export function assertGradientShapes(
  who: string,
  grads: readonly Float32Array[],
  params: readonly Float32Array[],
): void {
  if (grads.length !== params.length)
    throw new ArbiterError('shape-mismatch', `${who}: ${grads.length} gradients for ${params.length} arrays`);
  for (let k = 0; k < grads.length; k++)
    if (grads[k]!.length !== params[k]!.length)
      throw new ArbiterError(
        'shape-mismatch',
        `${who}: gradient ${k} has ${grads[k]!.length} values, parameter ${params[k]!.length}`,
      );
}

/**
 * Copies `state[`${prefix}/${i}`]` into each of `arrays` and returns `state[`${step}`][0]`;
 * throws `checkpoint-corrupt` (naming `who` and the key) on a missing or mis-sized entry.
 */
export function restoreOptimizerArrays(
  who: string,
  state: Record<string, Float32Array>,
  step: string,
  groups: readonly [prefix: string, arrays: readonly Float32Array[]][],
): number {
  const s = state[step];
  if (!s) throw new ArbiterError('checkpoint-corrupt', `${who}.setState: missing '${step}'`);
  for (const [prefix, arrays] of groups)
    arrays.forEach((x, i) => {
      const v = state[`${prefix}/${i}`];
      if (!v || v.length !== x.length)
        throw new ArbiterError(
          'checkpoint-corrupt',
          `${who}.setState: missing or mis-sized '${prefix}/${i}'`,
        );
      x.set(v);
    });
  return s[0]!;
}
