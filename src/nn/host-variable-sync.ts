/**
 * The two directions of keeping host Float32Array copies of TensorFlow.js variables in step, for
 * networks trained on either side (`Mlp`, `Cnn`): download what a TF.js update changed, upload
 * what the fast learner changed in place.
 */
import { tf } from './tf-backend.js';

/**
 * Copies into `host(i)` every variable whose data changed since the last sync (`ids[i]` is the
 * `dataId` last copied; optimizers and `assign` replace it, so identity tells). Returns whether
 * any changed.
 */
export function pullChangedVariables(
  vars: readonly tf.Variable[],
  ids: (object | undefined)[],
  host: (i: number) => Float32Array,
): boolean {
  let changed = false;
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i]!;
    if (v.dataId === ids[i]) continue;
    host(i).set(v.dataSync() as Float32Array);
    ids[i] = v.dataId;
    changed = true;
  }
  return changed;
}

/** Assigns every `host(i)` to its variable and records the new `dataId`s in `ids`. */
export function pushHostArrays(
  vars: readonly tf.Variable[],
  ids: (object | undefined)[],
  host: (i: number) => Float32Array,
): void {
  vars.forEach((v, i) => {
    const w = host(i);
    tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
    ids[i] = v.dataId;
  });
}
