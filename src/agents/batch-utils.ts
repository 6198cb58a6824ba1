/**
 * Small numeric helpers on typed arrays shared by the policy-gradient algorithms: minibatch
 * shuffling, advantage standardization, explained variance.
 */
import type { Rng } from '../core/rng.js';

/** In-place Fisher–Yates shuffle of an index array with the seeded RNG. */
export function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** In-place `(x − mean) / (std + 1e-8)` with the unbiased std (as `torch.std`). */
export function standardize(x: Float32Array): void {
  const n = x.length;
  if (n === 0) return;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  for (let i = 0; i < n; i++) x[i] = (x[i]! - mean) / (std + 1e-8);
}

/** `1 − Var(returns − values) / Var(returns)`: how much of the return variance the critic explains. */
export function explainedVariance(values: Float32Array, returns: Float32Array): number {
  const n = returns.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += returns[i]!;
    md += returns[i]! - values[i]!;
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (returns[i]! - my) ** 2;
    vd += (returns[i]! - values[i]! - md) ** 2;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}
