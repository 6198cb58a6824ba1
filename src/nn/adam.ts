/**
 * Adam (Kingma & Ba, 2015) with PyTorch's formulation: bias-corrected moments and `eps` added
 * outside the square root. Its state (step count, first and second moments) is checkpointable.
 */
import { ArbiterError } from '../core/errors.js';
import type { Optimizer } from './optimizer.js';
import { tf } from './tf-backend.js';

/** Hyper-parameters of {@link Adam}. */
export interface AdamConfig {
  /** Exponential decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Exponential decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Added to the denominator. Default 1e-8 (PPO implementations use 1e-5). */
  eps?: number;
}

/** Adam over a fixed list of variables. */
export class Adam implements Optimizer {
  /** State prefix. */
  readonly name = 'adam';
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;

  constructor(
    readonly variables: readonly tf.Variable[],
    config: AdamConfig = {},
  ) {
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.eps = config.eps ?? 1e-8;
    this.m = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** Updates taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One Adam step at learning rate `lr`. */
  applyGradients(grads: readonly tf.Tensor[], lr: number): void {
    if (grads.length !== this.variables.length)
      throw new ArbiterError(
        'shape-mismatch',
        `Adam: ${grads.length} gradients for ${this.variables.length} variables`,
      );
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** this.t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.t);
    tf.tidy(() => {
      for (let i = 0; i < grads.length; i++) {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        this.variables[i]!.assign(tf.sub(this.variables[i]!, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }

  /** `adam/step`, `adam/m/i`, `adam/v/i`. */
  getState(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = { 'adam/step': Float32Array.of(this.t) };
    this.m.forEach((x, i) => (out[`adam/m/${i}`] = Float32Array.from(x.dataSync() as Float32Array)));
    this.v.forEach((x, i) => (out[`adam/v/${i}`] = Float32Array.from(x.dataSync() as Float32Array)));
    return out;
  }

  /** Restores {@link Adam.getState}; throws `checkpoint-corrupt` on missing or mis-sized moments. */
  setState(state: Record<string, Float32Array>): void {
    const step = state['adam/step'];
    if (!step) throw new ArbiterError('checkpoint-corrupt', "Adam.setState: missing 'adam/step'");
    const restore = (vars: tf.Variable[], key: string): void =>
      vars.forEach((x, i) => {
        const s = state[`adam/${key}/${i}`];
        if (!s || s.length !== x.size)
          throw new ArbiterError(
            'checkpoint-corrupt',
            `Adam.setState: missing or mis-sized 'adam/${key}/${i}'`,
          );
        tf.tidy(() => x.assign(tf.tensor(s, x.shape)));
      });
    restore(this.m, 'm');
    restore(this.v, 'v');
    this.t = step[0]!;
  }

  /** Frees the moment tensors. */
  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
