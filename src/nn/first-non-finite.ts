/**
 * Finds the first variable holding NaN or ±Infinity, with one device read for all of them, so a
 * training loop can check its weights after every update at the cost of a scalar.
 */
import { tf } from './tf-backend.js';

/**
 * The index of the first variable with a non-finite entry, or undefined when all are finite.
 * One reduction per variable, read back together.
 */
export function firstNonFiniteVariable(variables: readonly tf.Variable[]): number | undefined {
  if (variables.length === 0) return undefined;
  const flags = tf.tidy(() =>
    tf.stack(variables.map((v) => tf.all(tf.isFinite(v.flatten())).toFloat())).dataSync(),
  );
  const i = flags.findIndex((f) => f !== 1);
  return i < 0 ? undefined : i;
}
