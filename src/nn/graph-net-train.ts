/**
 * Training pass of the graph network (the function of `graph-net-f32.ts` and of the TF.js
 * `GraphPolicy.forwardTf`): a forward pass over a minibatch of padded graph observations that
 * keeps every activation, each graph on its own n real nodes (no padding), and the backward pass
 * of log π(a | s), the entropy and V(s) to every parameter. It is the fast learner's replacement
 * for TF.js gradients of the EGS policy, where one framework call per operation on these small
 * per-graph tensors costs far more than their arithmetic.
 *
 * The padded TF.js version masks the attention keys of padding nodes (weight exactly 0) and the
 * pairs outside the n × n block (probability exactly 0), so per graph it is the same function as
 * this one on n nodes.
 *
 * Layout: the nodes of every graph of the minibatch are stacked into one node matrix (Σ n rows,
 * no padding), so each dense layer is one matrix product over the whole minibatch, with Q, K and
 * V fused into one `d × 3d` product and the decoder's two into one `d × 2d`. Attention and the
 * pair scores run per graph on row ranges of that matrix (segment offsets), their n × n blocks
 * packed one after another. Weights (with the transposed copies the input gradients need),
 * activations and gradients live in one heap of `graph-train-kernels.ts` (WebAssembly memory
 * where SIMD is available), laid out once per minibatch shape and grown when a larger one comes:
 * a minibatch is a sequence of kernel calls on offsets. The host weight arrays are copied in at
 * each forward pass and the gradients out at each backward pass (a few thousand floats against
 * millions of multiply-adds). Every step runs on the kernels, the softmaxes with their polynomial
 * exp (within 2 Float32 steps of `Math.exp`), the logit clip with the dense kernel's tanh (within
 * 2 steps of `Math.tanh`), layer norms with Float32 sums: results agree with TF.js to Float32
 * rounding, not bit for bit.
 *
 * With target sets ({@link ActionSets}) the log-probability of a row is log Σ_{a∈T} π(a | s) and
 * its gradient to the logits q_T − p (q_T: π restricted to T, renormalized) instead of
 * onehot(a) − p; without them every step is the single-action pass, unchanged.
 */
import { ArbiterError } from '../core/errors.js';
import type { PaddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import {
  createDenseTrainCache,
  denseBackward,
  denseForwardTrain,
  type DenseTrainCache,
} from './dense-backward.js';
import type { DenseLayerF32 } from './dense-forward.js';
import { graphNetParams, validateGraphNetDims, type GraphNetDims } from './graph-net-f32.js';
import { trainingKernel } from './dense-train-wasm.js';
import { createGraphTrainKernels, HEAP_SLACK, type GraphTrainKernels } from './graph-train-kernels.js';
import { MASKED_LOGIT } from './masked-categorical.js';
import { checkActionSets, type ActionSets } from './action-sets.js';

/** Log-probabilities, entropies and values of the last {@link GraphNetTrainer.forward} (views). */
export interface GraphNetEvaluation {
  /** log π(a | s) per row. */
  logProb: Float32Array;
  /** Entropy of π(· | s) over the allowed pairs, per row. */
  entropy: Float32Array;
  /** V(s) per row. */
  values: Float32Array;
}

/** Heap offsets of one attention layer's weights (gradients: the same fields, transposes unused). */
interface LayerSlots {
  ln1g: number;
  ln1b: number;
  /** [W_q | W_k | W_v], d × 3d. */
  wqkv: number;
  bqkv: number;
  wqkvT: number;
  wo: number;
  bo: number;
  woT: number;
  ln2g: number;
  ln2b: number;
  w1: number;
  b1: number;
  w1T: number;
  w2: number;
  b2: number;
  w2T: number;
  /** Relation bias, K × H. */
  rb: number;
}

/** Heap offsets of every weight. */
interface WeightSlots {
  embW: number;
  embB: number;
  layers: LayerSlots[];
  lnFg: number;
  lnFb: number;
  /** [W_q | W_k] of the pair decoder, d × 2d. */
  wdec: number;
  bdec: number;
  wdecT: number;
}

/** Heap offsets of one layer's activations. */
interface LayerActs {
  xhat1: number;
  rstd1: number;
  y1: number;
  qkv: number;
  /** K block of qkv transposed, d × R. */
  kT: number;
  /** Attention probabilities: head h of graph b at `p + h·Q + q_b`, n × n. */
  p: number;
  att: number;
  xhat2: number;
  rstd2: number;
  y2: number;
  hid: number;
}

/** Heap offsets of a minibatch's activations and backward scratch, for R node rows and Q pairs. */
interface ActSlots {
  feat: number;
  /** One graph's padded relation rows as read (maxNodes² × K floats). */
  raw: number;
  /** Relation planes: channel r of graph b at `rel + r·Q + q_b`, n × n of 0/1. */
  rel: number;
  x: number;
  layers: LayerActs[];
  xhatF: number;
  rstdF: number;
  z: number;
  /** [q | k] of the pair decoder, R × 2d. */
  qk: number;
  /** Decoder keys transposed, d × R. */
  kdT: number;
  logits: number;
  prob: number;
  /** The action masks as 0/1 floats, like the logits. */
  mask: number;
  /** The decoder softmax's scalars (max, Σ e, Σ p·l). */
  stats: number;
  dx: number;
  dy: number;
  dqkv: number;
  datt: number;
  dh: number;
  /** Attention score gradients (H × Q), also the decoder's (Q). */
  g: number;
  vT: number;
  dqk: number;
  end: number;
}

/** Node rows per weight-gradient product: the operands' rows stay in the first-level cache. */
const WEIGHT_GRAD_CHUNK = 64;

/**
 * Forward (keeping activations) and backward pass of the graph network over parameter and
 * gradient arrays given in {@link graphNetParams} order (row-major, kernels `in × out`). The
 * arrays are read and written in place: keep their identity (an optimizer updates them).
 */
export class GraphNetTrainer {
  /** Sizes of the network. */
  readonly dims: GraphNetDims;
  /** Whether the kernels are the WebAssembly SIMD ones (else JavaScript loops). */
  readonly simd: boolean;
  private readonly params: readonly Float32Array[];
  private readonly grads: readonly Float32Array[];
  private readonly index = new Map<string, number>();
  private readonly kern: GraphTrainKernels;
  private readonly w: WeightSlots;
  private readonly gw: WeightSlots;
  private readonly gradStart: number;
  private readonly gradEnd: number;
  /** A heap float holding 1 (the bias gradients are 1ᵀ · dY). */
  private readonly one: number;
  private readonly paramEnd: number;
  private act: ActSlots | undefined;
  private capR = 0;
  private capQ = 0;
  private rawFloats = 0;
  private readonly valueLayers: DenseLayerF32[];
  private readonly valueGrads: DenseLayerF32[];
  private valueCache: DenseTrainCache | undefined;
  private batch = 0;
  private R = 0;
  private Q = 0;
  // Per graph: node count, first node row, first pair, the action's pair, and its softmax terms.
  private nodes = new Int32Array(0);
  private nodeOff = new Int32Array(1);
  private pairOff = new Int32Array(1);
  private action = new Int32Array(0);
  private actionAllowed = new Uint8Array(0);
  private lse = new Float64Array(0);
  private ent = new Float64Array(0);
  private allowed = new Uint8Array(0);
  private logProb = new Float32Array(0);
  // Target sets of the last forward pass (undefined: single actions): per row its local pairs
  // (i·n + j) at setIdx[setOff[b] .. setOff[b + 1]), and log Σ_T exp(logit) over the allowed ones.
  private sets = false;
  private setOff = new Int32Array(1);
  private setIdx = new Int32Array(0);
  private setLse = new Float64Array(0);
  private entropy = new Float32Array(0);
  private pooled = new Float32Array(0);
  private dPooled = new Float32Array(0);
  // Copies between the host arrays and the heap, resolved once: weights as they are, matrices
  // side by side (Q/K/V, the decoder's q/k), the transposed kernels, and the gradients back.
  private readonly plainIn: { src: Float32Array; at: number }[] = [];
  private readonly plainOut: { dst: Float32Array; at: number }[] = [];
  private readonly fusedIn: { at: number; rows: number; cols: number; parts: Float32Array[] }[] = [];
  private readonly fusedOut: { at: number; rows: number; cols: number; parts: Float32Array[] }[] = [];
  private readonly transposes: { src: number; dst: number; rows: number; cols: number }[] = [];
  private readonly rbGrads: Float32Array[] = [];

  /**
   * @param dims - network sizes
   * @param params - one array per {@link graphNetParams} entry, in that order
   * @param grads - gradient arrays of the same sizes (written by {@link GraphNetTrainer.backward})
   * @param options - `simd: false` runs the JavaScript kernels, `true` WebAssembly SIMD where
   *   available (default: the process-wide training kernel, `setTrainingKernel` /
   *   `ARBITER_KERNEL`: JavaScript under `js`, else WebAssembly SIMD where available)
   */
  constructor(
    dims: GraphNetDims,
    params: readonly Float32Array[],
    grads: readonly Float32Array[],
    options: { simd?: boolean } = {},
  ) {
    validateGraphNetDims(dims);
    this.dims = { ...dims };
    const list = graphNetParams(dims);
    if (params.length !== list.length || grads.length !== list.length)
      throw new ArbiterError(
        'shape-mismatch',
        `graph network trainer: ${params.length} parameters and ${grads.length} gradients for ${list.length} weights`,
      );
    list.forEach((p, i) => {
      const size = p.shape.reduce((s, x) => s * x, 1);
      if (params[i]!.length !== size || grads[i]!.length !== size)
        throw new ArbiterError('shape-mismatch', `graph network trainer: '${p.name}' needs ${size} values`);
      this.index.set(p.name, i);
    });
    this.params = params;
    this.grads = grads;
    this.kern = createGraphTrainKernels(options.simd ?? trainingKernel() !== 'js');
    this.simd = this.kern.simd;
    let top = 16; // offset 0 means "none" to the kernels
    const alloc = (n: number): number => {
      const at = top;
      top = (top + n + HEAP_SLACK + 3) & ~3;
      return at;
    };
    const { hiddenDim: d, nodeFeatureDim: F, relationDim: K, numHeads: H, ffnDim: f } = dims;
    const slots = (transposes: boolean): WeightSlots => {
      const t = (n: number): number => (transposes ? alloc(n) : 0);
      return {
        embW: alloc(F * d),
        embB: alloc(d),
        layers: Array.from({ length: dims.numLayers }, () => ({
          ln1g: alloc(d),
          ln1b: alloc(d),
          wqkv: alloc(3 * d * d),
          bqkv: alloc(3 * d),
          wqkvT: t(3 * d * d),
          wo: alloc(d * d),
          bo: alloc(d),
          woT: t(d * d),
          ln2g: alloc(d),
          ln2b: alloc(d),
          w1: alloc(d * f),
          b1: alloc(f),
          w1T: t(d * f),
          w2: alloc(f * d),
          b2: alloc(d),
          w2T: t(f * d),
          rb: alloc(K * H),
        })),
        lnFg: alloc(d),
        lnFb: alloc(d),
        wdec: alloc(2 * d * d),
        bdec: alloc(2 * d),
        wdecT: t(2 * d * d),
      };
    };
    this.one = alloc(1);
    this.w = slots(true);
    this.gradStart = top;
    this.gw = slots(false);
    this.gradEnd = top;
    this.paramEnd = top;
    this.kern.reserve(top);
    this.kern.heap[this.one] = 1;
    const { valueHiddenDim: vh } = dims;
    const layer = (src: readonly Float32Array[], name: string, inDim: number, outDim: number) => ({
      kernel: src[this.at(`${name}/kernel`)]!,
      bias: src[this.at(`${name}/bias`)]!,
      inDim,
      outDim,
    });
    const value = (src: readonly Float32Array[]): DenseLayerF32[] => [
      layer(src, 'value/1', d, vh),
      layer(src, 'value/2', vh, 1),
    ];
    this.valueLayers = value(params);
    this.valueGrads = value(grads);
    this.planCopies();
  }

  // Fills the copy plans of loadWeights / storeGrads.
  private planCopies(): void {
    const { hiddenDim: d, ffnDim: f } = this.dims;
    const plain = (name: string, w: number, g: number): void => {
      this.plainIn.push({ src: this.params[this.at(name)]!, at: w });
      this.plainOut.push({ dst: this.grads[this.at(name)]!, at: g });
    };
    const fused = (names: string[], w: number, g: number): void => {
      const rows = d;
      const cols = d;
      this.fusedIn.push({ at: w, rows, cols, parts: names.map((n) => this.params[this.at(n)]!) });
      this.fusedOut.push({ at: g, rows, cols, parts: names.map((n) => this.grads[this.at(n)]!) });
    };
    const W = this.w;
    const G = this.gw;
    plain('embed/kernel', W.embW, G.embW);
    plain('embed/bias', W.embB, G.embB);
    for (let l = 0; l < this.dims.numLayers; l++) {
      const L = W.layers[l]!;
      const GL = G.layers[l]!;
      const pre = `layer${l}`;
      plain(`${pre}/ln1/gamma`, L.ln1g, GL.ln1g);
      plain(`${pre}/ln1/beta`, L.ln1b, GL.ln1b);
      fused([`${pre}/attn/q/kernel`, `${pre}/attn/k/kernel`, `${pre}/attn/v/kernel`], L.wqkv, GL.wqkv);
      plain(`${pre}/attn/q/bias`, L.bqkv, GL.bqkv);
      plain(`${pre}/attn/k/bias`, L.bqkv + d, GL.bqkv + d);
      plain(`${pre}/attn/v/bias`, L.bqkv + 2 * d, GL.bqkv + 2 * d);
      plain(`${pre}/attn/o/kernel`, L.wo, GL.wo);
      plain(`${pre}/attn/o/bias`, L.bo, GL.bo);
      plain(`${pre}/ln2/gamma`, L.ln2g, GL.ln2g);
      plain(`${pre}/ln2/beta`, L.ln2b, GL.ln2b);
      plain(`${pre}/ffn/1/kernel`, L.w1, GL.w1);
      plain(`${pre}/ffn/1/bias`, L.b1, GL.b1);
      plain(`${pre}/ffn/2/kernel`, L.w2, GL.w2);
      plain(`${pre}/ffn/2/bias`, L.b2, GL.b2);
      this.plainIn.push({ src: this.params[this.at(`${pre}/attn/relation_bias`)]!, at: L.rb });
      this.rbGrads.push(this.grads[this.at(`${pre}/attn/relation_bias`)]!);
      this.transposes.push(
        { src: L.wqkv, dst: L.wqkvT, rows: d, cols: 3 * d },
        { src: L.wo, dst: L.woT, rows: d, cols: d },
        { src: L.w1, dst: L.w1T, rows: d, cols: f },
        { src: L.w2, dst: L.w2T, rows: f, cols: d },
      );
    }
    plain('final_ln/gamma', W.lnFg, G.lnFg);
    plain('final_ln/beta', W.lnFb, G.lnFb);
    fused(['decoder/q/kernel', 'decoder/k/kernel'], W.wdec, G.wdec);
    plain('decoder/q/bias', W.bdec, G.bdec);
    plain('decoder/k/bias', W.bdec + d, G.bdec + d);
    this.transposes.push({ src: W.wdec, dst: W.wdecT, rows: d, cols: 2 * d });
  }

  /**
   * Forward pass of `batch` padded graph observations (`layout`), keeping what
   * {@link GraphNetTrainer.backward} needs. `actions[b] = i·maxNodes + j` with i, j below the row's
   * node count; `masks` (batch × maxNodes², 1 = allowed) restricted to the real pairs. `obs` may
   * change after the call. With `sets`, each row's `logProb` is log Σ_{a∈T} π(a | s) over its
   * target set (members outside the row's nodes are refused, disallowed ones count 0).
   * Returns views valid until the next call.
   */
  forward(
    obs: Float32Array,
    batch: number,
    layout: PaddedGraphLayout,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    sets?: ActionSets,
  ): GraphNetEvaluation {
    const { hiddenDim: d, numHeads: H, relationDim: K, nodeFeatureDim: F, ffnDim: f } = this.dims;
    const N = layout.maxNodes;
    if (layout.nodeFeatureDim !== F || layout.relationDim !== K)
      throw new ArbiterError(
        'shape-mismatch',
        'graph network trainer: the layout does not match the network',
      );
    this.batch = 0; // until every row is through (a rejected row leaves nothing to differentiate)
    this.ensureBatch(batch);
    // Segment offsets; the node counts and actions are checked before anything is written.
    let R = 0;
    let Q = 0;
    for (let b = 0; b < batch; b++) {
      const o = b * layout.size;
      const n = obs[o]!;
      if (!Number.isInteger(n) || n < 1 || n > N)
        throw new ArbiterError('invalid-input', `graph network trainer: row ${b} has node count ${n}`);
      const a = actions[b]!;
      const i = Math.floor(a / N);
      const j = a - i * N;
      if (!Number.isInteger(a) || i >= n || j >= n || i < 0)
        throw new ArbiterError(
          'invalid-action',
          `graph network trainer: action ${a} of row ${b} is outside its ${n} nodes`,
        );
      this.nodes[b] = n;
      this.action[b] = i * n + j;
      this.nodeOff[b] = R;
      this.pairOff[b] = Q;
      R += n;
      Q += n * n;
    }
    this.nodeOff[batch] = R;
    this.pairOff[batch] = Q;
    this.sets = sets !== undefined;
    if (sets) this.loadSets(sets, batch, N);
    this.ensureShape(R, Q, N * N * K);
    this.R = R;
    this.Q = Q;
    const A = this.act!;
    this.loadWeights();
    for (let b = 0; b < batch; b++) this.readGraph(obs, b, layout, masks);
    const bad = this.kern.check01(A.rel, K * Q);
    if (bad >= 0) this.rejectRelation(bad);
    const k = this.kern;
    const W = this.w;
    k.mm(A.feat, W.embW, A.x, R, F, d, F, 1, d, d, 0, 0, W.embB, 1, false);
    for (let l = 0; l < this.dims.numLayers; l++) {
      const L = W.layers[l]!;
      const a = A.layers[l]!;
      k.layerNorm(A.x, L.ln1g, L.ln1b, a.y1, a.xhat1, a.rstd1, R, d);
      k.mm(a.y1, L.wqkv, a.qkv, R, d, 3 * d, d, 1, 3 * d, 3 * d, 0, 0, L.bqkv, 1, false);
      k.transpose(a.qkv + d, a.kT, R, d, 3 * d, R);
      // Relation bias of every pair and head (H × Q, in the backward scratch): rbᵀ · planes.
      k.mm(L.rb, A.rel, A.g, H, K, Q, 1, H, Q, Q, 0, 0, 0, 1, false);
      this.attentionForward(L, a, batch);
      k.mm(a.att, L.wo, A.x, R, d, d, d, 1, d, d, A.x, d, L.bo, 1, false);
      k.layerNorm(A.x, L.ln2g, L.ln2b, a.y2, a.xhat2, a.rstd2, R, d);
      k.mm(a.y2, L.w1, a.hid, R, d, f, d, 1, f, f, 0, 0, L.b1, 1, true);
      k.mm(a.hid, L.w2, A.x, R, f, d, f, 1, d, d, A.x, d, L.b2, 1, false);
    }
    k.layerNorm(A.x, W.lnFg, W.lnFb, A.z, A.xhatF, A.rstdF, R, d);
    k.mm(A.z, W.wdec, A.qk, R, d, 2 * d, d, 1, 2 * d, 2 * d, 0, 0, W.bdec, 1, false);
    k.transpose(A.qk + d, A.kdT, R, d, 2 * d, R);
    for (let b = 0; b < batch; b++) this.pairLogits(b);
    for (let b = 0; b < batch; b++) this.poolGraph(b);
    this.batch = batch;
    const values = denseForwardTrain(this.valueLayers, 'tanh', this.pooled, batch, this.valueCache!);
    return {
      logProb: this.logProb.subarray(0, batch),
      entropy: this.entropy.subarray(0, batch),
      values,
    };
  }

  /**
   * Backward pass of the last {@link GraphNetTrainer.forward}: given ∂L/∂logProb, ∂L/∂entropy and
   * ∂L/∂value per row, **writes** ∂L/∂parameters into the gradient arrays.
   */
  backward(dLogProb: Float32Array, dEntropy: Float32Array, dValues: Float32Array): void {
    const batch = this.batch;
    if (batch === 0) throw new ArbiterError('invalid-state', 'graph network trainer: call forward first');
    if (dLogProb.length < batch || dEntropy.length < batch || dValues.length < batch)
      throw new ArbiterError('shape-mismatch', `graph network trainer: the gradients need ${batch} rows`);
    const { hiddenDim: d, numHeads: H, relationDim: K, nodeFeatureDim: F, ffnDim: f } = this.dims;
    const k = this.kern;
    const A = this.act!;
    const W = this.w;
    const G = this.gw;
    const R = this.R;
    const Q = this.Q;
    k.heap.fill(0, this.gradStart, this.gradEnd);
    for (const g of this.valueGrads) {
      g.kernel.fill(0);
      g.bias.fill(0);
    }
    denseBackward(this.valueLayers, 'tanh', this.valueCache!, dValues, this.valueGrads, this.dPooled);
    for (let b = 0; b < batch; b++) this.pairBackward(b, dLogProb[b]!, dEntropy[b]!);
    this.weightGrad(A.z, d, A.dqk, 2 * d, G.wdec, G.bdec);
    k.mm(A.dqk, W.wdecT, A.dy, R, 2 * d, d, 2 * d, 1, d, d, A.dy, d, 0, 1, false);
    k.layerNormBack(A.dy, W.lnFg, A.xhatF, A.rstdF, G.lnFg, G.lnFb, A.dx, R, d, false);
    for (let l = this.dims.numLayers - 1; l >= 0; l--) {
      const L = W.layers[l]!;
      const GL = G.layers[l]!;
      const a = A.layers[l]!;
      // x_out = x_mid + FFN(LN₂(x_mid)).
      this.weightGrad(a.hid, f, A.dx, d, GL.w2, GL.b2);
      k.mm(A.dx, L.w2T, A.dh, R, d, f, d, 1, f, f, 0, 0, 0, 1, false);
      k.reluBack(A.dh, a.hid, R * f);
      this.weightGrad(a.y2, d, A.dh, f, GL.w1, GL.b1);
      k.mm(A.dh, L.w1T, A.dy, R, f, d, f, 1, d, d, 0, 0, 0, 1, false);
      k.layerNormBack(A.dy, L.ln2g, a.xhat2, a.rstd2, GL.ln2g, GL.ln2b, A.dx, R, d, true);
      // x_mid = x_in + Attn(LN₁(x_in)) · W_o + b_o.
      this.weightGrad(a.att, d, A.dx, d, GL.wo, GL.bo);
      k.mm(A.dx, L.woT, A.datt, R, d, d, d, 1, d, d, 0, 0, 0, 1, false);
      k.transpose(a.qkv + 2 * d, A.vT, R, d, 3 * d, R);
      this.attentionBackward(a, batch);
      // Relation bias: Σ over every pair of its channel (0/1) times the score gradient.
      const grb = this.rbGrads[l]!;
      for (let r = 0; r < K; r++)
        for (let hh = 0; hh < H; hh++) grb[r * H + hh] = k.dot(A.rel + r * Q, A.g + hh * Q, Q);
      this.weightGrad(a.y1, d, A.dqkv, 3 * d, GL.wqkv, GL.bqkv);
      k.mm(A.dqkv, L.wqkvT, A.dy, R, 3 * d, d, 3 * d, 1, d, d, 0, 0, 0, 1, false);
      k.layerNormBack(A.dy, L.ln1g, a.xhat1, a.rstd1, GL.ln1g, GL.ln1b, A.dx, R, d, true);
    }
    this.weightGrad(A.feat, F, A.dx, d, G.embW, G.embB);
    this.storeGrads();
  }

  // ∂L/∂z of graph b's rows: the mean pooling's share, then the pair decoder's into ∂[q | k].
  private pairBackward(b: number, gLogProb: number, gEntropy: number): void {
    const { hiddenDim: d, logitClip: C } = this.dims;
    const k = this.kern;
    const A = this.act!;
    const heap = k.heap;
    const scaleD = 1 / Math.sqrt(d);
    const n = this.nodes[b]!;
    const r0 = this.nodeOff[b]!;
    const q0 = this.pairOff[b]!;
    for (let r = 0; r < n; r++) {
      const zo = A.dy + (r0 + r) * d;
      for (let t = 0; t < d; t++) heap[zo + t] = this.dPooled[b * d + t]! / n;
    }
    // d logπ(a)/d logit_j = [j = a] − p_j; dH/d logit_j = −p_j (log p_j + H).
    const act = q0 + this.action[b]!;
    const shift = this.ent[b]! - this.lse[b]!;
    k.pairSoftmaxBack(A.prob + q0, A.logits + q0, A.g + q0, n * n, gLogProb, gEntropy, shift, C);
    const addAt = (at: number, w: number): void => {
      const t = C > 0 ? heap[A.logits + at]! / C : 0;
      heap[A.g + at] = heap[A.g + at]! + gLogProb * w * (C > 0 ? C * (1 - t * t) : 1);
    };
    if (!this.sets) {
      if (this.allowed[act]) addAt(act, 1);
    } else if (this.setLse[b]! > -Infinity) {
      // d log Σ_T π / d logit_j = q_j − p_j, q_j = exp(logit_j − lse_T) on the allowed j ∈ T.
      for (let s = this.setOff[b]!; s < this.setOff[b + 1]!; s++) {
        const at = q0 + this.setIdx[s]!;
        if (this.allowed[at]) addAt(at, Math.exp(heap[A.logits + at]! - this.setLse[b]!));
      }
    }
    const S = A.g + q0;
    const qo = A.qk + r0 * 2 * d;
    const dqo = A.dqk + r0 * 2 * d;
    k.mm(S, qo + d, dqo, n, n, d, n, 1, 2 * d, 2 * d, 0, 0, 0, scaleD, false);
    k.mm(S, qo, dqo + d, n, n, d, 1, n, 2 * d, 2 * d, 0, 0, 0, scaleD, false);
  }

  // ∂L/∂[q | k | v] of one layer's attention from ∂L/∂att (in datt), every graph and head.
  private attentionBackward(a: LayerActs, batch: number): void {
    const { hiddenDim: d, numHeads: H } = this.dims;
    const dh = d / H;
    const scale = 1 / Math.sqrt(dh);
    const k = this.kern;
    const A = this.act!;
    const R = this.R;
    const Q = this.Q;
    for (let b = 0; b < batch; b++) {
      const n = this.nodes[b]!;
      const r0 = this.nodeOff[b]!;
      const q0 = this.pairOff[b]!;
      for (let hh = 0; hh < H; hh++) {
        const P = a.p + hh * Q + q0;
        const S = A.g + hh * Q + q0;
        const dO = A.datt + r0 * d + hh * dh;
        const qOff = a.qkv + r0 * 3 * d + hh * dh;
        const dqOff = A.dqkv + r0 * 3 * d + hh * dh;
        // dP_ij = dO_i · v_j; dv_j = Σ_i P_ij dO_i.
        k.mm(dO, A.vT + hh * dh * R + r0, S, n, dh, n, d, 1, R, n, 0, 0, 0, 1, false);
        k.mm(P, dO, dqOff + 2 * d, n, n, dh, 1, n, d, 3 * d, 0, 0, 0, 1, false);
        // Softmax: dlogit_ij = P_ij (dP_ij − Σ_j' P_ij' dP_ij'), then through q_i·k_j·scale.
        k.softmaxBack(P, S, n, n);
        k.mm(S, qOff + d, dqOff, n, n, dh, n, 1, 3 * d, 3 * d, 0, 0, 0, scale, false);
        k.mm(S, qOff, dqOff + d, n, n, dh, 1, n, 3 * d, 3 * d, 0, 0, 0, scale, false);
      }
    }
  }

  // Every graph's attention of one layer (scores with the relation bias, softmax, P·V per head).
  private attentionForward(L: LayerSlots, a: LayerActs, batch: number): void {
    const { hiddenDim: d, numHeads: H } = this.dims;
    const dh = d / H;
    const k = this.kern;
    const A = this.act!;
    const R = this.R;
    const Q = this.Q;
    const scale = 1 / Math.sqrt(dh);
    for (let b = 0; b < batch; b++) {
      const n = this.nodes[b]!;
      const r0 = this.nodeOff[b]!;
      const q0 = this.pairOff[b]!;
      for (let hh = 0; hh < H; hh++) {
        const S = a.p + hh * Q + q0;
        const qOff = a.qkv + r0 * 3 * d + hh * dh;
        k.mm(
          qOff,
          a.kT + hh * dh * R + r0,
          S,
          n,
          dh,
          n,
          3 * d,
          1,
          R,
          n,
          A.g + hh * Q + q0,
          n,
          0,
          scale,
          false,
        );
        k.softmaxRows(S, n, n);
        k.mm(S, qOff + 2 * d, a.att + r0 * d + hh * dh, n, n, dh, n, 1, 3 * d, d, 0, 0, 0, 1, false);
      }
    }
  }

  // Row b's features into the node matrix, its relations (channels interleaved: one contiguous
  // copy per row, planes by a transpose afterwards) and its mask restricted to the n × n block.
  private readGraph(
    obs: Float32Array,
    b: number,
    layout: PaddedGraphLayout,
    masks: Uint8Array | undefined,
  ): void {
    const { relationDim: K, nodeFeatureDim: F } = this.dims;
    const N = layout.maxNodes;
    const A = this.act!;
    const h = this.kern.heap;
    const allowed = this.allowed;
    const o = b * layout.size;
    const n = this.nodes[b]!;
    const q0 = this.pairOff[b]!;
    const fo = A.feat + this.nodeOff[b]! * F;
    for (let t = 0, e = n * F; t < e; t++) h[fo + t] = obs[o + 1 + t]!;
    let allowedCount = 0;
    // The graph's padded rows (n × N pairs × K, contiguous) in one copy, then its planes.
    const ro = o + layout.relationsOffset;
    h.set(obs.subarray(ro, ro + n * N * K), A.raw);
    this.kern.relPlanes(A.raw, A.rel + q0, n, N, K, this.Q);
    for (let i = 0; i < n; i++) {
      const mo = b * N * N + i * N;
      const ao = q0 + i * n;
      if (masks === undefined) {
        allowed.fill(1, ao, ao + n);
        h.fill(1, A.mask + ao, A.mask + ao + n);
        allowedCount += n;
      } else
        for (let j = 0; j < n; j++) {
          const ok = masks[mo + j] !== 0 ? 1 : 0;
          allowed[ao + j] = ok;
          h[A.mask + ao + j] = ok;
          allowedCount += ok;
        }
    }
    if (allowedCount === 0)
      throw new ArbiterError(
        'empty-mask',
        'graph network trainer: the action mask allows no pair of the graph',
      );
    this.actionAllowed[b] = allowed[q0 + this.action[b]!]!;
  }

  // Graph b's pair scores q_i·k_j/√d, then their masked softmax.
  private pairLogits(b: number): void {
    const d = this.dims.hiddenDim;
    const k = this.kern;
    const A = this.act!;
    const R = this.R;
    const scaleD = 1 / Math.sqrt(d);
    const n = this.nodes[b]!;
    const r0 = this.nodeOff[b]!;
    k.mm(
      A.qk + r0 * 2 * d,
      A.kdT + r0,
      A.logits + this.pairOff[b]!,
      n,
      d,
      n,
      2 * d,
      1,
      R,
      n,
      0,
      0,
      0,
      scaleD,
      false,
    );
    this.pairSoftmax(b);
  }

  // Mean of graph b's node embeddings (the value head's input), and its log π(a | s) and entropy.
  private poolGraph(b: number): void {
    const d = this.dims.hiddenDim;
    const A = this.act!;
    const heap = this.kern.heap;
    const n = this.nodes[b]!;
    const zo = A.z + this.nodeOff[b]! * d;
    const po = b * d;
    for (let t = 0; t < d; t++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += heap[zo + r * d + t]!;
      this.pooled[po + t] = s / n;
    }
    let lp: number;
    if (this.sets) {
      const lseT = this.setLogSumExp(b);
      this.setLse[b] = lseT;
      lp = lseT > -Infinity ? lseT - this.lse[b]! : MASKED_LOGIT - this.lse[b]!;
    } else
      lp = this.actionAllowed[b]
        ? heap[A.logits + this.pairOff[b]! + this.action[b]!]! - this.lse[b]!
        : MASKED_LOGIT - this.lse[b]!;
    this.logProb[b] = lp;
    this.entropy[b] = this.ent[b]!;
  }

  // The target sets as local pairs of each row (checked against the row's node count).
  private loadSets(sets: ActionSets, batch: number, N: number): void {
    checkActionSets(sets, batch, 'graph network trainer');
    const total = sets.offsets[batch]!;
    if (this.setIdx.length < total) this.setIdx = new Int32Array(Math.ceil(total * 1.25));
    if (this.setOff.length < batch + 1) this.setOff = new Int32Array(batch + 1);
    if (this.setLse.length < batch) this.setLse = new Float64Array(batch);
    for (let b = 0; b <= batch; b++) this.setOff[b] = sets.offsets[b]!;
    for (let b = 0; b < batch; b++) {
      const n = this.nodes[b]!;
      for (let s = sets.offsets[b]!; s < sets.offsets[b + 1]!; s++) {
        const a = sets.actions[s]!;
        const i = Math.floor(a / N);
        const j = a - i * N;
        if (i < 0 || i >= n || j >= n)
          throw new ArbiterError(
            'invalid-action',
            `graph network trainer: target ${a} of row ${b} is outside its ${n} nodes`,
          );
        this.setIdx[s] = i * n + j;
      }
    }
  }

  // log Σ exp(clipped logit) over the allowed members of row b's target set (−∞ when none).
  private setLogSumExp(b: number): number {
    const heap = this.kern.heap;
    const base = this.act!.logits + this.pairOff[b]!;
    const q0 = this.pairOff[b]!;
    let max = -Infinity;
    for (let s = this.setOff[b]!; s < this.setOff[b + 1]!; s++) {
      const p = this.setIdx[s]!;
      if (this.allowed[q0 + p] && heap[base + p]! > max) max = heap[base + p]!;
    }
    if (max === -Infinity) return max;
    let sum = 0;
    for (let s = this.setOff[b]!; s < this.setOff[b + 1]!; s++) {
      const p = this.setIdx[s]!;
      if (this.allowed[q0 + p]) sum += Math.exp(heap[base + p]! - max);
    }
    return max + Math.log(sum);
  }

  // Throws for the relation value at plane index `at` (neither 0 nor 1), naming its pair.
  private rejectRelation(at: number): never {
    const Q = this.Q;
    const r = Math.floor(at / Q);
    const pi = at - r * Q;
    let b = 0;
    while (this.pairOff[b + 1]! <= pi) b++;
    const n = this.nodes[b]!;
    const i = Math.floor((pi - this.pairOff[b]!) / n);
    const j = pi - this.pairOff[b]! - i * n;
    const x = this.kern.heap[this.act!.rel + at];
    throw new ArbiterError(
      'shape-mismatch',
      `graph network trainer: relation (${i}, ${j}) channel ${r} of row ${b} is ${x}, expected 0 or 1`,
    );
  }

  // Masked log-softmax of graph b's pair logits (clipped C·tanh), its entropy and probabilities.
  private pairSoftmax(b: number): void {
    const k = this.kern;
    const A = this.act!;
    const n = this.nodes[b]!;
    const q0 = this.pairOff[b]!;
    k.pairSoftmax(A.logits + q0, A.mask + q0, A.prob + q0, n * n, this.dims.logitClip, A.stats);
    const sum = k.heap[A.stats + 1]!;
    const lse = k.heap[A.stats]! + Math.log(sum);
    k.pairNormalize(A.prob + q0, A.logits + q0, n * n, 1 / sum, A.stats + 2);
    this.lse[b] = lse;
    // −Σ p·(l − lse) with Σ p = 1.
    this.ent[b] = lse - k.heap[A.stats + 2]!;
  }

  // gW += xᵀ · dY and gB += 1ᵀ · dY over the R node rows, in chunks of rows.
  private weightGrad(x: number, inDim: number, dY: number, outDim: number, gW: number, gB: number): void {
    const k = this.kern;
    const R = this.R;
    for (let t0 = 0; t0 < R; t0 += WEIGHT_GRAD_CHUNK) {
      const rows = Math.min(WEIGHT_GRAD_CHUNK, R - t0);
      k.mm(
        x + t0 * inDim,
        dY + t0 * outDim,
        gW,
        inDim,
        rows,
        outDim,
        1,
        inDim,
        outDim,
        outDim,
        gW,
        outDim,
        0,
        1,
        false,
      );
    }
    k.mm(this.one, dY, gB, 1, R, outDim, 0, 0, outDim, outDim, gB, outDim, 0, 1, false);
  }

  // The host weights into the heap (see the copy plans).
  private loadWeights(): void {
    const k = this.kern;
    const h = k.heap;
    for (const { src, at } of this.plainIn) h.set(src, at);
    for (const { at, rows, cols, parts } of this.fusedIn) {
      const width = parts.length * cols;
      for (let i = 0; i < parts.length; i++) {
        const m = parts[i]!;
        for (let r = 0; r < rows; r++) {
          const o = at + r * width + i * cols;
          for (let c = 0; c < cols; c++) h[o + c] = m[r * cols + c]!;
        }
      }
    }
    for (const t of this.transposes) k.transpose(t.src, t.dst, t.rows, t.cols, t.cols, t.rows);
  }

  // The heap gradients into the host gradient arrays (the relation biases are written directly).
  private storeGrads(): void {
    const h = this.kern.heap;
    for (const { dst, at } of this.plainOut) for (let i = 0; i < dst.length; i++) dst[i] = h[at + i]!;
    for (const { at, rows, cols, parts } of this.fusedOut) {
      const width = parts.length * cols;
      for (let i = 0; i < parts.length; i++) {
        const m = parts[i]!;
        for (let r = 0; r < rows; r++) {
          const o = at + r * width + i * cols;
          for (let c = 0; c < cols; c++) m[r * cols + c] = h[o + c]!;
        }
      }
    }
  }

  private at(name: string): number {
    const i = this.index.get(name);
    if (i === undefined)
      throw new ArbiterError('shape-mismatch', `graph network trainer: no weight named '${name}'`);
    return i;
  }

  private ensureBatch(batch: number): void {
    const d = this.dims.hiddenDim;
    if (this.logProb.length < batch) {
      this.logProb = new Float32Array(batch);
      this.entropy = new Float32Array(batch);
      this.pooled = new Float32Array(batch * d);
      this.dPooled = new Float32Array(batch * d);
      this.nodes = new Int32Array(batch);
      this.nodeOff = new Int32Array(batch + 1);
      this.pairOff = new Int32Array(batch + 1);
      this.action = new Int32Array(batch);
      this.actionAllowed = new Uint8Array(batch);
      this.lse = new Float64Array(batch);
      this.ent = new Float64Array(batch);
    }
    if (!this.valueCache || this.valueCache.capacity < batch)
      this.valueCache = createDenseTrainCache(this.valueLayers, batch);
  }

  // Lays out the activations for R node rows and Q pairs (grown by a quarter beyond the need).
  private ensureShape(R: number, Q: number, raw: number): void {
    if (this.act && R <= this.capR && Q <= this.capQ && raw <= this.rawFloats) return;
    this.rawFloats = Math.max(raw, this.rawFloats);
    const capR = Math.max(R, Math.ceil(this.capR * 1.25));
    const capQ = Math.max(Q, Math.ceil(this.capQ * 1.25));
    const { hiddenDim: d, numHeads: H, relationDim: K, nodeFeatureDim: F, ffnDim: f } = this.dims;
    let top = this.paramEnd;
    const alloc = (n: number): number => {
      const at = top;
      top = (top + n + HEAP_SLACK + 3) & ~3;
      return at;
    };
    const Rd = capR * d;
    this.act = {
      feat: alloc(capR * F),
      raw: alloc(this.rawFloats),
      rel: alloc(K * capQ),
      x: alloc(Rd),
      layers: Array.from({ length: this.dims.numLayers }, () => ({
        xhat1: alloc(Rd),
        rstd1: alloc(capR),
        y1: alloc(Rd),
        qkv: alloc(3 * Rd),
        kT: alloc(Rd),
        p: alloc(H * capQ),
        att: alloc(Rd),
        xhat2: alloc(Rd),
        rstd2: alloc(capR),
        y2: alloc(Rd),
        hid: alloc(capR * f),
      })),
      xhatF: alloc(Rd),
      rstdF: alloc(capR),
      z: alloc(Rd),
      qk: alloc(2 * Rd),
      kdT: alloc(Rd),
      logits: alloc(capQ),
      prob: alloc(capQ),
      mask: alloc(capQ),
      stats: alloc(4),
      dx: alloc(Rd),
      dy: alloc(Rd),
      dqkv: alloc(3 * Rd),
      datt: alloc(Rd),
      dh: alloc(capR * f),
      g: alloc(Math.max(H, 1) * capQ),
      vT: alloc(Rd),
      dqk: alloc(2 * Rd),
      end: top,
    };
    this.kern.reserve(top);
    this.capR = capR;
    this.capQ = capQ;
    this.allowed = new Uint8Array(capQ);
  }
}
