/**
 * Parameters and gradients held as Float32Arrays on the host (the fast learner's side of a
 * network): zeroing, global-norm clipping with PyTorch's `clip_grad_norm_` rule, and the
 * finiteness check a training loop runs after every update. No TensorFlow call.
 */

/** Sets every entry of every array to 0. */
export function zeroArrays(arrays: readonly Float32Array[]): void {
  for (const a of arrays) a.fill(0);
}

/** The L2 norm of all entries of all arrays together (accumulated in double precision). */
export function globalNorm(arrays: readonly Float32Array[]): number {
  let s = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/**
 * Scales `grads` in place by `maxNorm / (norm + 1e-6)` when their global norm exceeds `maxNorm`
 * (the rule of `clipGradNorm`); returns the pre-clipping norm. `maxNorm = Infinity` never clips.
 */
export function clipGlobalNorm(grads: readonly Float32Array[], maxNorm: number): number {
  const norm = globalNorm(grads);
  if (!Number.isFinite(maxNorm)) return norm;
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  return norm;
}

/** The index of the first array with a NaN or ±Infinity entry, or undefined when all are finite. */
export function firstNonFiniteArray(arrays: readonly Float32Array[]): number | undefined {
  for (let k = 0; k < arrays.length; k++) {
    const a = arrays[k]!;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return k;
  }
  return undefined;
}
