/**
 * RMSprop on host Float32Arrays, the same update as {@link RmsProp} (PyTorch's formulation,
 * `eps` outside the square root) and the same state keys, so checkpoints move between paths.
 */
import { assertGradientShapes, restoreOptimizerArrays, type HostOptimizer } from './host-optimizer.js';
import type { RmsPropConfig } from './rmsprop.js';

/** RMSprop over a fixed list of host parameter arrays. */
export class RmsPropF32 implements HostOptimizer {
  /** State prefix (the same as the TensorFlow.js {@link RmsProp}). */
  readonly name = 'rmsprop';
  private readonly alpha: number;
  private readonly eps: number;
  private readonly sq: Float32Array[];
  private t = 0;

  constructor(
    readonly params: readonly Float32Array[],
    config: RmsPropConfig = {},
  ) {
    this.alpha = config.alpha ?? 0.99;
    this.eps = config.eps ?? 1e-5;
    this.sq = params.map((p) => new Float32Array(p.length));
  }

  /** Updates taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One RMSprop step at learning rate `lr`. */
  applyGradients(grads: readonly Float32Array[], lr: number): void {
    assertGradientShapes('RmsPropF32', grads, this.params);
    this.t++;
    const a = this.alpha;
    const eps = this.eps;
    for (let k = 0; k < grads.length; k++) {
      const g = grads[k]!;
      const p = this.params[k]!;
      const sq = this.sq[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const s = (sq[i] = a * sq[i]! + (1 - a) * gi * gi);
        p[i] = p[i]! - (lr * gi) / (Math.sqrt(s) + eps);
      }
    }
  }

  /** `rmsprop/step`, `rmsprop/sq/i` (the keys of the TensorFlow.js {@link RmsProp}). */
  getState(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = { 'rmsprop/step': Float32Array.of(this.t) };
    this.sq.forEach((x, i) => (out[`rmsprop/sq/${i}`] = Float32Array.from(x)));
    return out;
  }

  /** Restores {@link RmsPropF32.getState}; throws `checkpoint-corrupt` on missing or mis-sized state. */
  setState(state: Record<string, Float32Array>): void {
    this.t = restoreOptimizerArrays('RmsPropF32', state, 'rmsprop/step', [['rmsprop/sq', this.sq]]);
  }
}
