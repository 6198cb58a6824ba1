/**
 * RMSprop on host Float32Arrays, the same update as {@link RmsProp} (PyTorch's formulation,
 * `eps` outside the square root) and the same state keys, so checkpoints move between paths.
 */
import { ArbiterError } from '../core/errors.js';
import type { HostOptimizer } from './host-optimizer.js';
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
    if (grads.length !== this.params.length)
      throw new ArbiterError(
        'shape-mismatch',
        `RmsPropF32: ${grads.length} gradients for ${this.params.length} arrays`,
      );
    this.t++;
    const a = this.alpha;
    const eps = this.eps;
    for (let k = 0; k < grads.length; k++) {
      const g = grads[k]!;
      const p = this.params[k]!;
      const sq = this.sq[k]!;
      if (g.length !== p.length)
        throw new ArbiterError(
          'shape-mismatch',
          `RmsPropF32: gradient ${k} has ${g.length} values, parameter ${p.length}`,
        );
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
    const step = state['rmsprop/step'];
    if (!step) throw new ArbiterError('checkpoint-corrupt', "RmsPropF32.setState: missing 'rmsprop/step'");
    this.sq.forEach((x, i) => {
      const s = state[`rmsprop/sq/${i}`];
      if (!s || s.length !== x.length)
        throw new ArbiterError(
          'checkpoint-corrupt',
          `RmsPropF32.setState: missing or mis-sized 'rmsprop/sq/${i}'`,
        );
      x.set(s);
    });
    this.t = step[0]!;
  }
}
