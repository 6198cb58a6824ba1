/**
 * Convolutional network for image observations (`Box` of shape `[H, W, C]`): 'valid' 2-D
 * convolutions with ReLU, flattened, then an {@link Mlp} head (ReLU hidden layers, linear
 * output) — the Q-network of DQN on pixels (Mnih et al. 2015) and the shared trunk of a CNN
 * actor-critic. The observation arrives flat, row-major `[row][col][channel]` (NHWC, as the
 * pixel envs write it and as TensorFlow.js convolves it).
 *
 * As {@link Mlp}, two training paths share the weights: TensorFlow.js gradients on
 * {@link Cnn.variables}, or the host pass ({@link Cnn.forwardTrain}, {@link Cnn.backward}) on
 * {@link Cnn.hostParams}; whichever side changed last is the truth. Weights are initialised
 * orthogonally (gain √2 on the convolutions, each kernel seen as a (k·k·inC) × outC matrix).
 */
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { cnnConvShapes, type ConvLayerConfig } from './cnn-architecture.js';
import { conv2dBackward, conv2dForward, type Conv2dLayerF32, type Conv2dShape } from './conv2d-host.js';
import { pullChangedVariables, pushHostArrays } from './host-variable-sync.js';
import { Mlp } from './mlp.js';
import { orthogonalMatrix } from './orthogonal-init.js';
import { assertTfReady, tf, tfBackendName } from './tf-backend.js';

/** Shape and output of a {@link Cnn}. */
export interface CnnConfig {
  /** Input image `[rows, cols, channels]`. */
  inputShape: readonly [number, number, number];
  /** Convolution layers. */
  conv: readonly ConvLayerConfig[];
  /** Hidden fully connected widths after the flatten. */
  fc: readonly number[];
  /** Output width (actions, or the trunk's feature width). */
  outputDim: number;
  /** Orthogonal gain of the output layer. Default 1. */
  outputGain?: number;
}

/**
 * Throws `unsupported` naming `who` when TensorFlow.js runs on its wasm backend, which has no
 * Conv2D gradient kernels: a CNN then trains on the fast learner (the host passes) only.
 */
export function assertTfCanTrainCnn(who: string): void {
  if (tfBackendName() === 'wasm')
    throw new ArbiterError(
      'unsupported',
      `${who}: learner 'tfjs' cannot train a CNN on TF.js's wasm backend (it has no Conv2D gradients); use learner 'fast' (the default) or ARBITER_TF_BACKEND=cpu`,
    );
}

/** A CNN `[H, W, C] → outputDim` (see the module comment). Requires `await initTf()`. */
export class Cnn {
  /** The configuration it was built with. */
  readonly config: Required<CnnConfig>;
  /** Flat input length H·W·C. */
  readonly inputDim: number;
  /** The fully connected head (its input is the flattened last convolution). */
  readonly head: Mlp;
  private readonly shapes: Conv2dShape[];
  private readonly vars: tf.Variable[];
  private readonly host: Conv2dLayerF32[];
  private readonly hostIds: (object | undefined)[];
  private deviceStale = false;
  private grads: { weights: Float32Array; bias: Float32Array }[] | undefined;
  // Activations of each convolution (batch-sized, grown on demand): the training pass keeps its
  // own, so that a decision between forwardTrain and backward does not overwrite them.
  private acts: Float32Array[] = [];
  private dActs: Float32Array[] = [];
  private capacity = 0;
  private inferActs: Float32Array[] = [];
  private inferCapacity = 0;
  private lastX: Float32Array | undefined;
  private lastBatch = 0;
  private disposed = false;

  /** Builds the network and draws its initial weights from `rng`. */
  constructor(config: CnnConfig, rng: Rng) {
    assertTfReady('Cnn');
    this.config = {
      inputShape: [...config.inputShape] as [number, number, number],
      conv: config.conv.map((l) => ({ ...l, stride: l.stride ?? 1 })),
      fc: [...config.fc],
      outputDim: config.outputDim,
      outputGain: config.outputGain ?? 1,
    };
    this.inputDim = config.inputShape[0] * config.inputShape[1] * config.inputShape[2];
    this.shapes = cnnConvShapes(config.inputShape, config.conv);
    this.host = [];
    this.vars = [];
    for (const s of this.shapes) {
      const fanIn = s.kernel * s.kernel * s.inC;
      const weights = orthogonalMatrix(fanIn, s.outC, Math.SQRT2, rng);
      const bias = new Float32Array(s.outC);
      this.host.push({ ...s, weights, bias });
      this.vars.push(
        tf.tidy(() => tf.variable(tf.tensor4d(weights, [s.kernel, s.kernel, s.inC, s.outC]), true)),
      );
      this.vars.push(tf.tidy(() => tf.variable(tf.tensor1d(bias), true)));
    }
    this.hostIds = this.vars.map((v) => v.dataId);
    const last = this.shapes.at(-1)!;
    this.head = new Mlp(
      {
        inputDim: last.outH * last.outW * last.outC,
        hiddenSizes: [...config.fc],
        outputDim: config.outputDim,
        activation: 'relu',
        outputGain: this.config.outputGain,
      },
      rng,
    );
  }

  /** Geometry of each convolution, input side first. */
  get convShapes(): readonly Conv2dShape[] {
    return this.shapes;
  }

  /** Trainable variables: conv kernel 0, conv bias 0, …, then the head's (current weights). */
  get variables(): tf.Variable[] {
    this.syncDevice();
    return [...this.vars, ...this.head.variables];
  }

  /** The network on a batch `[batch, H·W·C]` → `[batch, outputDim]`, differentiable (call inside `tf.tidy`). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    this.assertLive();
    this.syncDevice();
    const [H, W, C] = this.config.inputShape;
    let h: tf.Tensor4D = tf.reshape(x, [-1, H, W, C]);
    this.shapes.forEach((s, l) => {
      const k = this.vars[2 * l] as tf.Variable<tf.Rank.R4>;
      const b = this.vars[2 * l + 1] as tf.Variable<tf.Rank.R1>;
      h = tf.fused.conv2d({ x: h, filter: k, strides: s.stride, pad: 'valid', bias: b, activation: 'relu' });
    });
    const last = this.shapes.at(-1)!;
    return this.head.apply(tf.reshape(h, [-1, last.outH * last.outW * last.outC]));
  }

  /**
   * The same function as {@link Cnn.apply} on `batch` rows of `x`, in Float32 arithmetic without
   * TensorFlow, into `out` when given. Allocates only when the batch grows. The head runs on the
   * training pass's kernel ({@link Mlp.forwardTrainKernel}): its wide first layer (flattened
   * features × units) dominated acting time on the JavaScript loops, which re-transpose it after
   * every gradient step.
   */
  forwardF32(x: Float32Array, batch: number, out?: Float32Array): Float32Array {
    const features = this.convPass(x, batch, false);
    return this.head.forwardTrainKernel(features, batch, out);
  }

  /** The host convolution layers (current weights; do not mutate). */
  convLayers(): readonly Conv2dLayerF32[] {
    this.syncHost();
    return this.host;
  }

  /** Copies of the weights in {@link Cnn.variables} order. */
  getWeights(): Float32Array[] {
    return this.hostParams().map((w) => Float32Array.from(w));
  }

  /** Replaces the weights (same order and sizes as {@link Cnn.getWeights}). */
  setWeights(weights: readonly Float32Array[]): void {
    this.assertLive();
    const n = this.vars.length;
    const total = n + this.head.variables.length;
    if (weights.length !== total)
      throw new ArbiterError(
        'shape-mismatch',
        `Cnn.setWeights: expected ${total} arrays, got ${weights.length}`,
      );
    this.deviceStale = false;
    this.vars.forEach((v, i) => {
      const w = weights[i]!;
      if (w.length !== v.size)
        throw new ArbiterError(
          'shape-mismatch',
          `Cnn.setWeights: array ${i} has ${w.length} values, variable has shape [${v.shape.join(', ')}]`,
        );
      tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
    });
    this.head.setWeights(weights.slice(n));
  }

  /** Makes this network's weights equal to `other`'s (same architecture), e.g. a target network. */
  copyFrom(other: Cnn): void {
    this.assertLive();
    if (JSON.stringify(other.config) !== JSON.stringify(this.config))
      throw new ArbiterError('shape-mismatch', 'Cnn.copyFrom: the networks have different architectures');
    const src = other.hostParams();
    this.hostParams().forEach((w, i) => w.set(src[i]!));
    this.markHostChanged();
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return this.vars.reduce((s, v) => s + v.size, 0) + this.head.numParams();
  }

  /** Host weight arrays in {@link Cnn.variables} order, stable in identity (see {@link Mlp.hostParams}). */
  hostParams(): Float32Array[] {
    this.assertLive();
    this.syncHost();
    return [...this.host.flatMap((l) => [l.weights, l.bias]), ...this.head.hostParams()];
  }

  /** Gradient arrays matching {@link Cnn.hostParams}, filled by {@link Cnn.backward}. */
  hostGrads(): Float32Array[] {
    this.grads ??= this.host.map((l) => ({
      weights: new Float32Array(l.weights.length),
      bias: new Float32Array(l.bias.length),
    }));
    return [...this.grads.flatMap((g) => [g.weights, g.bias]), ...this.head.hostGrads()];
  }

  /** Declares that the host weights were changed in place; the variables follow on next use. */
  markHostChanged(): void {
    this.deviceStale = true;
    this.head.markHostChanged();
  }

  /**
   * Training forward pass on the host (see {@link Mlp.forwardTrain}): `batch` rows of `x` →
   * batch × outputDim outputs, a view valid until the next call; `x` must stay unchanged until
   * {@link Cnn.backward}.
   */
  forwardTrain(x: Float32Array, batch: number): Float32Array {
    const features = this.convPass(x, batch, true);
    this.lastX = x;
    this.lastBatch = batch;
    return this.head.forwardTrain(features, batch);
  }

  /**
   * Backward pass of the last {@link Cnn.forwardTrain}: **adds** ∂L/∂weights into
   * {@link Cnn.hostGrads} given `dOut` = ∂L/∂output (zero them for a fresh gradient).
   */
  backward(dOut: Float32Array): void {
    const x = this.lastX;
    if (!x) throw new ArbiterError('invalid-state', 'Cnn.backward: call forwardTrain first');
    const batch = this.lastBatch;
    const grads = this.hostGrads();
    const L = this.host.length;
    this.head.backward(dOut, this.dActs[L - 1]);
    for (let l = L - 1; l >= 0; l--)
      conv2dBackward(
        this.host[l]!,
        l === 0 ? x : this.acts[l - 1]!,
        this.acts[l]!,
        this.dActs[l]!,
        batch,
        true,
        grads[2 * l]!,
        grads[2 * l + 1]!,
        l === 0 ? undefined : this.dActs[l - 1],
      );
  }

  /** Frees the TensorFlow variables; the network is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.vars) v.dispose();
    this.head.dispose();
  }

  /** The convolutions on the host; returns the flattened features (a reused buffer). */
  private convPass(x: Float32Array, batch: number, train: boolean): Float32Array {
    this.assertLive();
    if (x.length < batch * this.inputDim)
      throw new ArbiterError(
        'invalid-input',
        `Cnn: x has ${x.length} values, need ${batch} × ${this.inputDim}`,
      );
    this.syncHost();
    const sized = (): Float32Array[] =>
      this.shapes.map((s) => new Float32Array(batch * s.outH * s.outW * s.outC));
    if (train && this.capacity < batch) {
      this.acts = sized();
      this.dActs = sized();
      this.capacity = batch;
    } else if (!train && this.inferCapacity < batch) {
      this.inferActs = sized();
      this.inferCapacity = batch;
    }
    const acts = train ? this.acts : this.inferActs;
    let input = x;
    this.host.forEach((layer, l) => {
      conv2dForward(layer, input, batch, acts[l]!, true);
      input = acts[l]!;
    });
    return input;
  }

  private syncHost(): void {
    if (!this.deviceStale) pullChangedVariables(this.vars, this.hostIds, (i) => this.hostArray(i));
  }

  private syncDevice(): void {
    if (!this.deviceStale || this.disposed) return;
    this.deviceStale = false;
    pushHostArrays(this.vars, this.hostIds, (i) => this.hostArray(i));
  }

  /** The host array of convolution variable i (kernel 0, bias 0, kernel 1, …). */
  private hostArray(i: number): Float32Array {
    const layer = this.host[i >> 1]!;
    return i % 2 === 0 ? layer.weights : layer.bias;
  }

  private assertLive(): void {
    if (this.disposed) throw new ArbiterError('disposed', 'Cnn: the network was disposed');
  }
}
