/**
 * Multi-layer perceptron on TensorFlow.js variables, with a twin Float32 forward pass for fast
 * per-step decisions. Weights are initialised orthogonally from a seeded {@link Rng}: gain √2 on
 * hidden layers, `outputGain` on the output layer, zero biases (the PPO implementation details
 * of Engstrom et al. / Huang et al.).
 *
 * Two training paths share the weights: TensorFlow.js gradients on {@link Mlp.variables}, or the
 * fast learner's host pass ({@link Mlp.forwardTrain}, {@link Mlp.backward}) whose optimizer
 * updates {@link Mlp.hostParams} in place and then calls {@link Mlp.markHostChanged}. Whichever
 * side changed last is the truth: the other side is refreshed when it is next read.
 */
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import {
  createDenseTrainCache,
  denseBackward,
  denseForwardTrain,
  type DenseTrainCache,
} from './dense-backward.js';
import {
  createDenseWorkspace,
  denseForward,
  transposeInto,
  type DenseActivation,
  type DenseLayerF32,
  type DenseWorkspace,
} from './dense-forward.js';
import { pullChangedVariables, pushHostArrays } from './host-variable-sync.js';
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
  private readonly vars: tf.Variable[];
  private readonly dims: number[];
  // Host copies of the weights for forwardF32 and the fast learner. Their arrays never change
  // identity (optimizers hold them); they are refreshed when a variable's data changes.
  private readonly host: DenseLayerF32[];
  private readonly hostIds: (object | undefined)[];
  // Transposed kernels for forwardF32, refreshed when the host weights have changed.
  private readonly hostT: Float32Array[];
  private hostTStale = true;
  // True when the fast learner changed the host weights and the variables are behind.
  private deviceStale = false;
  private grads: DenseLayerF32[] | undefined;
  private trainCache: DenseTrainCache | undefined;
  // The training kernel's state of forwardTrainKernel (apart from forwardTrain's, which backward reads).
  private inferCache: DenseTrainCache | undefined;
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
    this.vars = [];
    for (let l = 0; l + 1 < this.dims.length; l++) {
      const inDim = this.dims[l]!;
      const outDim = this.dims[l + 1]!;
      const gain = l + 2 === this.dims.length ? cfg.outputGain : Math.SQRT2;
      const kernel = orthogonalMatrix(inDim, outDim, gain, rng);
      const bias = new Float32Array(outDim);
      this.host.push({ kernel, bias, inDim, outDim });
      // tidy frees the initial tensors; variables are never tracked by it.
      this.vars.push(tf.tidy(() => tf.variable(tf.tensor2d(kernel, [inDim, outDim]), true)));
      this.vars.push(tf.tidy(() => tf.variable(tf.tensor1d(bias), true)));
    }
    this.hostIds = this.vars.map((v) => v.dataId);
    this.hostT = this.host.map((l) => new Float32Array(l.kernel.length));
  }

  /** Trainable variables in layer order: kernel 0, bias 0, kernel 1, bias 1, … (current weights). */
  get variables(): tf.Variable[] {
    this.syncDevice();
    return this.vars;
  }

  /**
   * The network on a batch `[batch, inputDim]` → `[batch, outputDim]`, differentiable. Creates
   * intermediate tensors: call it inside `tf.tidy` or a gradient function.
   */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    this.assertLive();
    let h: tf.Tensor2D = x;
    const vars = this.variables;
    const n = vars.length / 2;
    for (let l = 0; l < n; l++) {
      const w = vars[2 * l] as tf.Variable<tf.Rank.R2>;
      const b = vars[2 * l + 1] as tf.Variable<tf.Rank.R1>;
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
    if (this.hostTStale) {
      for (let l = 0; l < this.host.length; l++) {
        const { kernel, inDim, outDim } = this.host[l]!;
        transposeInto(kernel, inDim, outDim, this.hostT[l]!);
      }
      this.hostTStale = false;
    }
    return denseForward(this.host, this.config.activation, x, batch, out, this.work, this.hostT);
  }

  /**
   * {@link Mlp.forwardF32}'s function on the training pass's kernel ({@link Mlp.forwardTrain}'s
   * arithmetic: WebAssembly SIMD on row-major weights for all but tiny networks), without touching
   * the state {@link Mlp.backward} reads. For wide layers whose weights change every few calls (a
   * learner's acting network): forwardF32 re-transposes its kernels after every weight change and
   * runs JavaScript loops. Writes into `out` when given.
   */
  forwardTrainKernel(x: Float32Array, batch: number, out?: Float32Array): Float32Array {
    this.assertLive();
    this.syncHost();
    if (!this.inferCache || this.inferCache.capacity < batch)
      this.inferCache = createDenseTrainCache(this.host, batch);
    const y = denseForwardTrain(this.host, this.config.activation, x, batch, this.inferCache);
    const n = batch * this.config.outputDim;
    const result = out ?? new Float32Array(n);
    result.set(y.subarray(0, n));
    return result;
  }

  /** The host-side layers used by {@link Mlp.forwardF32} (current weights; do not mutate). */
  denseLayers(): readonly DenseLayerF32[] {
    this.syncHost();
    return this.host;
  }

  /** Copies of the weights in {@link Mlp.variables} order. */
  getWeights(): Float32Array[] {
    this.assertLive();
    return this.hostParams().map((w) => Float32Array.from(w));
  }

  /** Replaces the weights (same order and sizes as {@link Mlp.getWeights}). */
  setWeights(weights: readonly Float32Array[]): void {
    this.assertLive();
    if (weights.length !== this.vars.length)
      throw new ArbiterError(
        'shape-mismatch',
        `Mlp.setWeights: expected ${this.vars.length} arrays, got ${weights.length}`,
      );
    this.deviceStale = false;
    this.vars.forEach((v, i) => {
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
    const src = other.hostParams();
    this.hostParams().forEach((w, i) => w.set(src[i]!));
    this.markHostChanged();
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return this.vars.reduce((s, v) => s + v.size, 0);
  }

  /**
   * The host weight arrays in {@link Mlp.variables} order (kernel 0, bias 0, …), current and
   * stable in identity: the fast learner's optimizer updates them in place, then calls
   * {@link Mlp.markHostChanged}.
   */
  hostParams(): Float32Array[] {
    this.assertLive();
    this.syncHost();
    return this.host.flatMap((l) => [l.kernel, l.bias]);
  }

  /** Gradient arrays matching {@link Mlp.hostParams}, filled by {@link Mlp.backward}. */
  hostGrads(): Float32Array[] {
    return this.gradLayers().flatMap((l) => [l.kernel, l.bias]);
  }

  /** Declares that the host weights were changed in place; the variables follow on next use. */
  markHostChanged(): void {
    this.deviceStale = true;
    this.hostTStale = true;
  }

  /**
   * Training forward pass on the host: `batch` rows of `x` → batch × outputDim outputs (a view
   * valid until the next call), keeping what {@link Mlp.backward} needs. `x` must stay unchanged
   * until then.
   */
  forwardTrain(x: Float32Array, batch: number): Float32Array {
    this.assertLive();
    this.syncHost();
    if (!this.trainCache || this.trainCache.capacity < batch)
      this.trainCache = createDenseTrainCache(this.host, batch);
    return denseForwardTrain(this.host, this.config.activation, x, batch, this.trainCache);
  }

  /**
   * Backward pass of the last {@link Mlp.forwardTrain}: adds ∂L/∂weights into
   * {@link Mlp.hostGrads} (zero them for a fresh gradient) given `dOut` = ∂L/∂output, and writes
   * ∂L/∂x into `dInput` when given.
   */
  backward(dOut: Float32Array, dInput?: Float32Array): void {
    if (!this.trainCache || this.trainCache.batch === 0)
      throw new ArbiterError('invalid-state', 'Mlp.backward: call forwardTrain first');
    denseBackward(this.host, this.config.activation, this.trainCache, dOut, this.gradLayers(), dInput);
  }

  /** Frees the TensorFlow variables; the network is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.vars) v.dispose();
  }

  private gradLayers(): DenseLayerF32[] {
    return (this.grads ??= this.host.map((l) => ({
      kernel: new Float32Array(l.kernel.length),
      bias: new Float32Array(l.bias.length),
      inDim: l.inDim,
      outDim: l.outDim,
    })));
  }

  private syncHost(): void {
    if (this.deviceStale) return;
    if (pullChangedVariables(this.vars, this.hostIds, (i) => this.hostArray(i))) this.hostTStale = true;
  }

  private syncDevice(): void {
    if (!this.deviceStale || this.disposed) return;
    this.deviceStale = false;
    pushHostArrays(this.vars, this.hostIds, (i) => this.hostArray(i));
  }

  /** The host array of variable i (kernel 0, bias 0, kernel 1, …). */
  private hostArray(i: number): Float32Array {
    const layer = this.host[i >> 1]!;
    return i % 2 === 0 ? layer.kernel : layer.bias;
  }

  private assertLive(): void {
    if (this.disposed) throw new ArbiterError('disposed', 'Mlp: the network was disposed');
  }
}
