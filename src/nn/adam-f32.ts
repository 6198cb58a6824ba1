/**
 * Adam on host Float32Arrays, the same update as {@link Adam} (PyTorch's formulation:
 * bias-corrected moments, `eps` outside the square root) and the same state keys, so its
 * checkpoints and the TensorFlow.js optimizer's are interchangeable.
 */
import type { AdamConfig } from './adam.js';
import { assertGradientShapes, restoreOptimizerArrays, type HostOptimizer } from './host-optimizer.js';

/** Adam over a fixed list of host parameter arrays. */
export class AdamF32 implements HostOptimizer {
  /** State prefix (the same as the TensorFlow.js {@link Adam}). */
  readonly name = 'adam';
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  constructor(
    readonly params: readonly Float32Array[],
    config: AdamConfig = {},
  ) {
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.eps = config.eps ?? 1e-8;
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** Updates taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One Adam step at learning rate `lr`. */
  applyGradients(grads: readonly Float32Array[], lr: number): void {
    assertGradientShapes('AdamF32', grads, this.params);
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.eps;
    const stepSize = lr / (1 - b1 ** this.t);
    const invBc2 = 1 / Math.sqrt(1 - b2 ** this.t);
    for (let k = 0; k < grads.length; k++) {
      const g = grads[k]!;
      const p = this.params[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        // Rounded to Float32 where the TF.js optimizer stores them, so both keep the same state.
        const mi = (m[i] = b1 * m[i]! + (1 - b1) * gi);
        const vi = (v[i] = b2 * v[i]! + (1 - b2) * gi * gi);
        p[i] = p[i]! - (stepSize * mi) / (Math.sqrt(vi) * invBc2 + eps);
      }
    }
  }

  /** `adam/step`, `adam/m/i`, `adam/v/i` (the keys of the TensorFlow.js {@link Adam}). */
  getState(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = { 'adam/step': Float32Array.of(this.t) };
    this.m.forEach((x, i) => (out[`adam/m/${i}`] = Float32Array.from(x)));
    this.v.forEach((x, i) => (out[`adam/v/${i}`] = Float32Array.from(x)));
    return out;
  }

  /** Restores {@link AdamF32.getState}; throws `checkpoint-corrupt` on missing or mis-sized moments. */
  setState(state: Record<string, Float32Array>): void {
    this.t = restoreOptimizerArrays('AdamF32', state, 'adam/step', [
      ['adam/m', this.m],
      ['adam/v', this.v],
    ]);
  }
}
