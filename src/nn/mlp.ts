/**
 * Multi-layer perceptron on TensorFlow.js variables, with a twin Float32 forward pass for fast
 * per-step decisions. Weights are initialised orthogonally from a seeded {@link Rng}: gain √2 on
 * hidden layers, `outputGain` on the output layer, zero biases (the PPO implementation details
 * of Engstrom et al. / Huang et al.).
 */
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import {
  createDenseWorkspace,
  denseForward,
  type DenseActivation,
  type DenseLayerF32,
  type DenseWorkspace,
} from './dense-forward.js';
import { orthogonalMatrix } from './orthogonal-init.js';
import { assertTfReady, tf } from './tf-backend.js';

/** Shape and initialisation of an {@link Mlp}. */
export interface MlpConfig {
  /** Input width (flat observation length). */
  inputDim: number;
  /** Widths of the hidden layers, e.g. `[64, 64]`; may be empty (a linear map). */
  hiddenSizes: number[];
  /** Output width (number of logits, action dimension, or 1 for a value head). */
  outputDim: number;
  /** Hidden nonlinearity. Default `'tanh'`. */
  activation?: DenseActivation;
  /** Orthogonal-init gain of the output layer. Default 1 (use 0.01 for policy logits). */
  outputGain?: number;
}

/**
 * A dense network `inputDim → hiddenSizes… → outputDim` with linear output.
 * Requires `await initTf()` before construction.
 */
export class Mlp {
  /** The configuration it was built with (activation and gain filled in). */
  readonly config: Required<MlpConfig>;
  /** Trainable variables in layer order: kernel 0, bias 0, kernel 1, bias 1, … */
  readonly variables: tf.Variable[];

  private readonly dims: number[];
  // Host copies of the weights for forwardF32, refreshed when a variable's data changes.
  private readonly host: DenseLayerF32[];
  private readonly hostIds: (object | undefined)[];
  private work: DenseWorkspace | undefined;
  private workBatch = 0;
  private disposed = false;

  /** Builds the network and draws its initial weights from `rng`. */
  constructor(config: MlpConfig, rng: Rng) {
    assertTfReady('Mlp');
    const cfg: Required<MlpConfig> = {
      inputDim: config.inputDim,
      hiddenSizes: [...config.hiddenSizes],
      outputDim: config.outputDim,
      activation: config.activation ?? 'tanh',
      outputGain: config.outputGain ?? 1,
    };
    for (const [k, v] of [
      ['inputDim', cfg.inputDim],
      ['outputDim', cfg.outputDim],
      ...cfg.hiddenSizes.map((h, i) => [`hiddenSizes[${i}]`, h] as const),
    ] as const)
      if (!Number.isInteger(v) || v < 1)
        throw new ArbiterError('invalid-config', `Mlp: ${k} must be an integer ≥ 1, got ${v}`);
    if (cfg.activation !== 'tanh' && cfg.activation !== 'relu')
      throw new ArbiterError(
        'invalid-config',
        `Mlp: activation must be 'tanh' or 'relu', got '${String(cfg.activation)}'`,
      );
    this.config = cfg;
    this.dims = [cfg.inputDim, ...cfg.hiddenSizes, cfg.outputDim];
    this.host = [];
    this.variables = [];
    for (let l = 0; l + 1 < this.dims.length; l++) {
      const inDim = this.dims[l]!;
      const outDim = this.dims[l + 1]!;
      const gain = l + 2 === this.dims.length ? cfg.outputGain : Math.SQRT2;
      const kernel = orthogonalMatrix(inDim, outDim, gain, rng);
      const bias = new Float32Array(outDim);
      this.host.push({ kernel, bias, inDim, outDim });
      // tidy frees the initial tensors; variables are never tracked by it.
      this.variables.push(tf.tidy(() => tf.variable(tf.tensor2d(kernel, [inDim, outDim]), true)));
      this.variables.push(tf.tidy(() => tf.variable(tf.tensor1d(bias), true)));
    }
    this.hostIds = this.variables.map((v) => v.dataId);
  }

  /**
   * The network on a batch `[batch, inputDim]` → `[batch, outputDim]`, differentiable. Creates
   * intermediate tensors: call it inside `tf.tidy` or a gradient function.
   */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    this.assertLive();
    let h: tf.Tensor2D = x;
    const n = this.variables.length / 2;
    for (let l = 0; l < n; l++) {
      const w = this.variables[2 * l] as tf.Variable<tf.Rank.R2>;
      const b = this.variables[2 * l + 1] as tf.Variable<tf.Rank.R1>;
      const last = l === n - 1;
      if (last || this.config.activation === 'relu') {
        h = tf.fused.matMul({ a: h, b: w, bias: b, activation: last ? 'linear' : 'relu' }) as tf.Tensor2D;
      } else {
        h = tf.tanh(tf.add(tf.matMul(h, w), b)) as tf.Tensor2D;
      }
    }
    return h;
  }

  /**
   * The same function as {@link Mlp.apply} on `batch` row-major rows of `x`, in plain
   * Float32 arithmetic (no TensorFlow call): for one decision per environment step. Writes into
   * `out` when given (length ≥ batch × outputDim). Agrees with `apply` to ~1e-6.
   */
  forwardF32(x: Float32Array, batch: number, out?: Float32Array): Float32Array {
    this.assertLive();
    if (x.length < batch * this.config.inputDim)
      throw new ArbiterError(
        'invalid-input',
        `Mlp.forwardF32: x has ${x.length} values, need ${batch} × ${this.config.inputDim}`,
      );
    this.syncHost();
    if (!this.work || this.workBatch < batch) {
      this.work = createDenseWorkspace(this.host, batch);
      this.workBatch = batch;
    }
    return denseForward(this.host, this.config.activation, x, batch, out, this.work);
  }

  /** The host-side layers used by {@link Mlp.forwardF32} (current weights; do not mutate). */
  denseLayers(): readonly DenseLayerF32[] {
    this.syncHost();
    return this.host;
  }

  /** Copies of the weights in {@link Mlp.variables} order. */
  getWeights(): Float32Array[] {
    this.assertLive();
    return this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  /** Replaces the weights (same order and sizes as {@link Mlp.getWeights}). */
  setWeights(weights: readonly Float32Array[]): void {
    this.assertLive();
    if (weights.length !== this.variables.length)
      throw new ArbiterError(
        'shape-mismatch',
        `Mlp.setWeights: expected ${this.variables.length} arrays, got ${weights.length}`,
      );
    this.variables.forEach((v, i) => {
      const w = weights[i]!;
      if (w.length !== v.size)
        throw new ArbiterError(
          'shape-mismatch',
          `Mlp.setWeights: array ${i} has ${w.length} values, variable has shape [${v.shape.join(', ')}]`,
        );
      tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
    });
  }

  /** Makes this network's weights equal to `other`'s (same architecture), e.g. a target network. */
  copyFrom(other: Mlp): void {
    this.assertLive();
    if (other.dims.join(',') !== this.dims.join(','))
      throw new ArbiterError(
        'shape-mismatch',
        `Mlp.copyFrom: layer sizes ${other.dims.join('×')} differ from ${this.dims.join('×')}`,
      );
    this.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.clone(other.variables[i]!))));
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /** Frees the TensorFlow variables; the network is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables) v.dispose();
  }

  private syncHost(): void {
    // Optimizers and assign() replace a variable's dataId, so identity tells when to re-download.
    for (let i = 0; i < this.variables.length; i++) {
      const v = this.variables[i]!;
      if (v.dataId === this.hostIds[i]) continue;
      const data = Float32Array.from(v.dataSync() as Float32Array);
      const layer = this.host[i >> 1]!;
      if (i % 2 === 0) layer.kernel = data;
      else layer.bias = data;
      this.hostIds[i] = v.dataId;
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new ArbiterError('disposed', 'Mlp: the network was disposed');
  }
}
