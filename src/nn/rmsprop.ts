/**
 * RMSprop (Tieleman & Hinton) with PyTorch's formulation (`eps` outside the square root), the
 * optimizer of A2C in Stable-Baselines3 (α = 0.99, ε = 1e-5). Checkpointable state.
 */
import { ArbiterError } from '../core/errors.js';
import type { Optimizer } from './optimizer.js';
import { tf } from './tf-backend.js';

/** Hyper-parameters of {@link RmsProp}. */
export interface RmsPropConfig {
  /** Decay of the squared-gradient average. Default 0.99. */
  alpha?: number;
  /** Added to the denominator. Default 1e-5. */
  eps?: number;
}

/** RMSprop over a fixed list of variables. */
export class RmsProp implements Optimizer {
  /** State prefix. */
  readonly name = 'rmsprop';
  private readonly alpha: number;
  private readonly eps: number;
  private readonly sq: tf.Variable[];
  private t = 0;

  constructor(
    readonly variables: readonly tf.Variable[],
    config: RmsPropConfig = {},
  ) {
    this.alpha = config.alpha ?? 0.99;
    this.eps = config.eps ?? 1e-5;
    this.sq = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** Updates taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One RMSprop step at learning rate `lr`. */
  applyGradients(grads: readonly tf.Tensor[], lr: number): void {
    if (grads.length !== this.variables.length)
      throw new ArbiterError(
        'shape-mismatch',
        `RmsProp: ${grads.length} gradients for ${this.variables.length} variables`,
      );
    this.t++;
    const a = this.alpha;
    tf.tidy(() => {
      for (let i = 0; i < grads.length; i++) {
        const g = grads[i]!;
        const sq = tf.add(tf.mul(this.sq[i]!, a), tf.mul(tf.square(g), 1 - a));
        this.sq[i]!.assign(sq);
        const upd = tf.div(g, tf.add(tf.sqrt(sq), this.eps));
        this.variables[i]!.assign(tf.sub(this.variables[i]!, tf.mul(upd, lr)));
      }
    });
  }

  /** `rmsprop/step`, `rmsprop/sq/i`. */
  getState(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = { 'rmsprop/step': Float32Array.of(this.t) };
    this.sq.forEach((x, i) => (out[`rmsprop/sq/${i}`] = Float32Array.from(x.dataSync() as Float32Array)));
    return out;
  }

  /** Restores {@link RmsProp.getState}. */
  setState(state: Record<string, Float32Array>): void {
    const step = state['rmsprop/step'];
    if (!step) throw new ArbiterError('checkpoint-corrupt', "RmsProp.setState: missing 'rmsprop/step'");
    this.sq.forEach((x, i) => {
      const s = state[`rmsprop/sq/${i}`];
      if (!s || s.length !== x.size)
        throw new ArbiterError(
          'checkpoint-corrupt',
          `RmsProp.setState: missing or mis-sized 'rmsprop/sq/${i}'`,
        );
      tf.tidy(() => x.assign(tf.tensor(s, x.shape)));
    });
    this.t = step[0]!;
  }

  /** Frees the state tensors. */
  dispose(): void {
    for (const x of this.sq) x.dispose();
  }
}
