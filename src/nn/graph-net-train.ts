/**
 * Training pass of the graph network (the function of `graph-net-f32.ts` and of the TF.js
 * `GraphPolicy.forwardTf`) on host Float32Arrays: a forward pass over a minibatch of padded graph
 * observations that keeps every activation, each graph on its own n real nodes (no padding), and
 * the backward pass of log π(a | s), the entropy and V(s) to every parameter. It is the fast
 * learner's replacement for TF.js gradients of the EGS policy, where one framework call per
 * operation on these small per-graph tensors costs far more than their arithmetic.
 *
 * The padded TF.js version masks the attention keys of padding nodes (weight exactly 0) and the
 * pairs outside the n × n block (probability exactly 0), so per graph it is the same function as
 * this one on n nodes. Exact Math.exp / Math.tanh throughout (the rollout path may approximate).
 * The matrix products (dense layers, attention per head, pair scores, and their gradients) run on
 * WebAssembly SIMD (`simd-matmul.ts`) where available, else on register-blocked JavaScript loops.
 * Buffers are kept per minibatch row and grown to the largest graph seen.
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
import { graphNetParams, layerNormRows, validateGraphNetDims, type GraphNetDims } from './graph-net-f32.js';
import { MASKED_LOGIT } from './masked-categorical.js';
import { SimdMatMul } from './simd-matmul.js';

/** What one attention layer of one graph keeps for the backward pass. */
interface LayerActivations {
  xhat1: Float32Array;
  rstd1: Float32Array;
  y1: Float32Array;
  /** Queries, keys and values split by head: index `(h·n + i)·dh + t`. */
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  /** Attention probabilities, index `(h·n + i)·n + j`. */
  p: Float32Array;
  /** Head outputs merged (n × d), the input of W_o. */
  att: Float32Array;
  xhat2: Float32Array;
  rstd2: Float32Array;
  y2: Float32Array;
  /** relu(LN₂(x) · W₁ + b₁), n × ffnDim. */
  hidden: Float32Array;
}

/** What one graph (one minibatch row) keeps for the backward pass; sized for `cap` nodes. */
interface GraphActivations {
  cap: number;
  n: number;
  feat: Float32Array;
  codes: Uint8Array;
  allowed: Uint8Array;
  layers: LayerActivations[];
  xhatF: Float32Array;
  rstdF: Float32Array;
  z: Float32Array;
  qd: Float32Array;
  kd: Float32Array;
  /** Policy logits of the allowed pairs, index `i·n + j`. */
  logits: Float32Array;
  /** Softmax probabilities over the allowed pairs (0 elsewhere). */
  prob: Float32Array;
  /** Action pair index `i·n + j`, and whether the mask allows it. */
  action: number;
  actionAllowed: boolean;
  lse: number;
  entropy: number;
}

/**
 * Where one attention layer's parameters are in the {@link graphNetParams} list: each entry is the
 * index of a dense layer's kernel (its bias follows) or of a layer norm's gamma (its beta follows).
 */
interface LayerParamIndex {
  ln1: number;
  q: number;
  k: number;
  v: number;
  o: number;
  relationBias: number;
  ln2: number;
  ffn1: number;
  ffn2: number;
}

/** Log-probabilities, entropies and values of the last {@link GraphNetTrainer.forward} (views). */
export interface GraphNetEvaluation {
  /** log π(a | s) per row. */
  logProb: Float32Array;
  /** Entropy of π(· | s) over the allowed pairs, per row. */
  entropy: Float32Array;
  /** V(s) per row. */
  values: Float32Array;
}

/**
 * Forward (keeping activations) and backward pass of the graph network over parameter and
 * gradient arrays given in {@link graphNetParams} order (row-major, kernels `in × out`). The
 * arrays are read and written in place: keep their identity (an optimizer updates them).
 */
export class GraphNetTrainer {
  /** Sizes of the network. */
  readonly dims: GraphNetDims;
  private readonly params: readonly Float32Array[];
  private readonly grads: readonly Float32Array[];
  private readonly index = new Map<string, number>();
  private readonly mm: MatMulKernels;
  // Parameter indices resolved once (no name lookups in the per-graph passes).
  private readonly layerIx: LayerParamIndex[];
  private readonly embedIx: number;
  private readonly finalLnIx: number;
  private readonly decoderQIx: number;
  private readonly decoderKIx: number;
  private readonly valueLayers: DenseLayerF32[];
  private readonly valueGrads: DenseLayerF32[];
  private valueCache: DenseTrainCache | undefined;
  private slots: GraphActivations[] = [];
  private batch = 0;
  private logProb = new Float32Array(0);
  private entropy = new Float32Array(0);
  private pooled = new Float32Array(0);
  private dPooled = new Float32Array(0);
  // Per layer: relation bias of each channel code (forward) and its gradient (backward).
  private readonly biasTables: Float64Array[];
  private readonly codeGrads: Float64Array[];
  // Shared scratch, sized for the largest graph seen.
  private cap = 0;
  private x = new Float32Array(0);
  private tmp = new Float32Array(0);
  private dx = new Float32Array(0);
  private dy = new Float32Array(0);
  private dq = new Float32Array(0);
  private dk = new Float32Array(0);
  private dv = new Float32Array(0);
  private dAtt = new Float32Array(0);
  private headsScratch = new Float32Array(0);
  private dAttH = new Float32Array(0);
  private dqH = new Float32Array(0);
  private dkH = new Float32Array(0);
  private dvH = new Float32Array(0);
  private dP = new Float32Array(0);
  private dHidden = new Float32Array(0);

  /**
   * @param dims - network sizes
   * @param params - one array per {@link graphNetParams} entry, in that order
   * @param grads - gradient arrays of the same sizes (written by {@link GraphNetTrainer.backward})
   * @param options - `simd: false` keeps the matrix products in JavaScript (default: WebAssembly
   *   SIMD where available)
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
    const simd = options.simd === false ? undefined : SimdMatMul.create();
    this.mm = simd ? simdKernels(simd) : JS_KERNELS;
    this.embedIx = this.at('embed/kernel');
    this.finalLnIx = this.at('final_ln/gamma');
    this.decoderQIx = this.at('decoder/q/kernel');
    this.decoderKIx = this.at('decoder/k/kernel');
    this.layerIx = Array.from({ length: dims.numLayers }, (_, l) => ({
      ln1: this.at(`layer${l}/ln1/gamma`),
      q: this.at(`layer${l}/attn/q/kernel`),
      k: this.at(`layer${l}/attn/k/kernel`),
      v: this.at(`layer${l}/attn/v/kernel`),
      o: this.at(`layer${l}/attn/o/kernel`),
      relationBias: this.at(`layer${l}/attn/relation_bias`),
      ln2: this.at(`layer${l}/ln2/gamma`),
      ffn1: this.at(`layer${l}/ffn/1/kernel`),
      ffn2: this.at(`layer${l}/ffn/2/kernel`),
    }));
    const { hiddenDim: d, valueHiddenDim: vh, numHeads: H, relationDim: K } = dims;
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
    this.biasTables = Array.from({ length: dims.numLayers }, () => new Float64Array((1 << K) * H));
    this.codeGrads = Array.from({ length: dims.numLayers }, () => new Float64Array((1 << K) * H));
  }

  /**
   * Forward pass of `batch` padded graph observations (`layout`), keeping what
   * {@link GraphNetTrainer.backward} needs. `actions[b] = i·maxNodes + j` with i, j below the row's
   * node count; `masks` (batch × maxNodes², 1 = allowed) restricted to the real pairs. `obs` may
   * change after the call. Returns views valid until the next call.
   */
  forward(
    obs: Float32Array,
    batch: number,
    layout: PaddedGraphLayout,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
  ): GraphNetEvaluation {
    const { hiddenDim: d, numHeads: H, relationDim: K } = this.dims;
    const N = layout.maxNodes;
    if (layout.nodeFeatureDim !== this.dims.nodeFeatureDim || layout.relationDim !== K)
      throw new ArbiterError(
        'shape-mismatch',
        'graph network trainer: the layout does not match the network',
      );
    this.ensureBatch(batch);
    this.batch = 0; // until every row is through (a rejected row leaves nothing to differentiate)
    for (let l = 0; l < this.dims.numLayers; l++) {
      const rb = this.params[this.layerIx[l]!.relationBias]!;
      const table = this.biasTables[l]!;
      for (let c = 0; c < 1 << K; c++)
        for (let h = 0; h < H; h++) {
          let s = 0;
          for (let r = 0; r < K; r++) if (c & (1 << r)) s += rb[r * H + h]!;
          table[c * H + h] = s;
        }
    }
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
      const s = this.slot(b, n);
      this.forwardGraph(s, obs, o, layout, masks, b * N * N, i * n + j);
      this.logProb[b] = (s.actionAllowed ? s.logits[s.action]! : MASKED_LOGIT) - s.lse;
      this.entropy[b] = s.entropy;
      const z = s.z;
      const po = b * d;
      for (let t = 0; t < d; t++) this.pooled[po + t] = 0;
      for (let r = 0; r < n; r++)
        for (let t = 0; t < d; t++) this.pooled[po + t] = this.pooled[po + t]! + z[r * d + t]!;
      for (let t = 0; t < d; t++) this.pooled[po + t] = this.pooled[po + t]! / n;
    }
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
    for (const g of this.grads) g.fill(0);
    for (const c of this.codeGrads) c.fill(0);
    const { numHeads: H, relationDim: K } = this.dims;
    denseBackward(this.valueLayers, 'tanh', this.valueCache!, dValues, this.valueGrads, this.dPooled);
    for (let b = 0; b < batch; b++) this.backwardGraph(this.slots[b]!, b, dLogProb[b]!, dEntropy[b]!);
    for (let l = 0; l < this.dims.numLayers; l++) {
      const g = this.grads[this.layerIx[l]!.relationBias]!;
      const cg = this.codeGrads[l]!;
      for (let c = 1; c < 1 << K; c++)
        for (let r = 0; r < K; r++)
          if (c & (1 << r)) for (let h = 0; h < H; h++) g[r * H + h] = g[r * H + h]! + cg[c * H + h]!;
    }
  }

  private forwardGraph(
    s: GraphActivations,
    obs: Float32Array,
    o: number,
    layout: PaddedGraphLayout,
    masks: Uint8Array | undefined,
    maskOffset: number,
    action: number,
  ): void {
    const {
      hiddenDim: d,
      numHeads: H,
      relationDim: K,
      nodeFeatureDim: F,
      ffnDim: f,
      logitClip: C,
    } = this.dims;
    const n = s.n;
    const N = layout.maxNodes;
    const P = this.params;
    for (let t = 0; t < n * F; t++) s.feat[t] = obs[o + 1 + t]!;
    let allowedCount = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const ro = o + layout.relationsOffset + (i * N + j) * K;
        let c = 0;
        for (let r = 0; r < K; r++) {
          const x = obs[ro + r]!;
          if (x === 1) c |= 1 << r;
          else if (x !== 0)
            throw new ArbiterError(
              'shape-mismatch',
              `graph network trainer: relation (${i}, ${j}) channel ${r} is ${x}, expected 0 or 1`,
            );
        }
        s.codes[i * n + j] = c;
        const ok = masks === undefined || masks[maskOffset + i * N + j] !== 0 ? 1 : 0;
        s.allowed[i * n + j] = ok;
        allowedCount += ok;
      }
    if (allowedCount === 0)
      throw new ArbiterError(
        'empty-mask',
        'graph network trainer: the action mask allows no pair of the graph',
      );
    s.action = action;
    s.actionAllowed = s.allowed[action] === 1;
    const x = this.x;
    this.linear(s.feat, n, F, this.embedIx, d, x);
    for (let l = 0; l < this.dims.numLayers; l++) {
      const li = this.layerIx[l]!;
      const a = s.layers[l]!;
      layerNormRows(x, n, d, P[li.ln1]!, P[li.ln1 + 1]!, a.y1, a.xhat1, a.rstd1);
      const tmp = this.tmp;
      this.linear(a.y1, n, d, li.q, d, tmp);
      splitHeads(tmp, n, d, H, a.q);
      this.linear(a.y1, n, d, li.k, d, tmp);
      splitHeads(tmp, n, d, H, a.k);
      this.linear(a.y1, n, d, li.v, d, tmp);
      splitHeads(tmp, n, d, H, a.v);
      this.attentionForward(a, n, s.codes, this.biasTables[l]!);
      this.linear(a.att, n, d, li.o, d, tmp);
      for (let t = 0; t < n * d; t++) x[t] = x[t]! + tmp[t]!;
      layerNormRows(x, n, d, P[li.ln2]!, P[li.ln2 + 1]!, a.y2, a.xhat2, a.rstd2);
      const hidden = a.hidden;
      this.linear(a.y2, n, d, li.ffn1, f, hidden);
      for (let t = 0; t < n * f; t++) if (hidden[t]! < 0) hidden[t] = 0;
      this.linear(hidden, n, f, li.ffn2, d, tmp);
      for (let t = 0; t < n * d; t++) x[t] = x[t]! + tmp[t]!;
    }
    layerNormRows(x, n, d, P[this.finalLnIx]!, P[this.finalLnIx + 1]!, s.z, s.xhatF, s.rstdF);
    this.linear(s.z, n, d, this.decoderQIx, d, s.qd);
    this.linear(s.z, n, d, this.decoderKIx, d, s.kd);
    // Every q_i·k_j in one product; only the allowed pairs count (the others have probability 0
    // and no gradient).
    const scale = 1 / Math.sqrt(d);
    const { qd, kd, logits, prob, allowed } = s;
    this.mm.transBAdd(qd, 0, kd, 0, logits, 0, n, d, n, true);
    let max = -Infinity;
    for (let pi = 0; pi < n * n; pi++) {
      if (!allowed[pi]) continue;
      const sc = logits[pi]! * scale;
      logits[pi] = C > 0 ? C * Math.tanh(sc) : sc;
      if (logits[pi]! > max) max = logits[pi]!;
    }
    let sum = 0;
    for (let pi = 0; pi < n * n; pi++) if (allowed[pi]) sum += Math.exp(logits[pi]! - max);
    const lse = max + Math.log(sum);
    let ent = 0;
    for (let pi = 0; pi < n * n; pi++) {
      if (!allowed[pi]) {
        prob[pi] = 0;
        continue;
      }
      const lp = logits[pi]! - lse;
      const p = Math.exp(lp);
      prob[pi] = p;
      ent -= p * lp;
    }
    s.lse = lse;
    s.entropy = ent;
  }

  // Multi-head attention of one layer: probabilities into a.p, head outputs merged into a.att.
  private attentionForward(a: LayerActivations, n: number, codes: Uint8Array, table: Float64Array): void {
    const { hiddenDim: d, numHeads: H } = this.dims;
    const dh = d / H;
    const scale = 1 / Math.sqrt(dh);
    const { q, k, v, p } = a;
    const out = this.headsScratch;
    for (let h = 0; h < H; h++) {
      const ho = h * n * dh;
      const po = h * n * n;
      this.mm.transBAdd(q, ho, k, ho, p, po, n, dh, n, true);
      for (let i = 0; i < n; i++) {
        const ro = po + i * n;
        const co = i * n;
        let max = -Infinity;
        for (let j = 0; j < n; j++) {
          const sc = p[ro + j]! * scale + table[codes[co + j]! * H + h]!;
          p[ro + j] = sc;
          if (sc > max) max = sc;
        }
        let sum = 0;
        for (let j = 0; j < n; j++) {
          const e = Math.exp(p[ro + j]! - max);
          p[ro + j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = 0; j < n; j++) p[ro + j] = p[ro + j]! * inv;
      }
      this.mm.add(p, po, v, ho, out, ho, n, n, dh, true);
    }
    mergeHeads(out, n, d, H, a.att);
  }

  private backwardGraph(s: GraphActivations, b: number, gLogProb: number, gEntropy: number): void {
    const { hiddenDim: d, numHeads: H, ffnDim: f, logitClip: C } = this.dims;
    const n = s.n;
    const { dx, dy, dq, dk, dv } = this;
    // ∂L/∂z: the mean pooling's share, then the pair decoder's.
    const dz = dy;
    for (let t = 0; t < d; t++) {
      const gp = this.dPooled[b * d + t]! / n;
      for (let r = 0; r < n; r++) dz[r * d + t] = gp;
    }
    const { qd, kd, logits, prob, allowed } = s;
    // d logπ(a)/d logit_j = [j = a] − p_j; dH/d logit_j = −p_j (log p_j + H).
    const scale = 1 / Math.sqrt(d);
    const dS = this.dP;
    for (let pi = 0; pi < n * n; pi++) {
      if (!allowed[pi]) {
        dS[pi] = 0;
        continue;
      }
      const p = prob[pi]!;
      let gl = -gLogProb * p - gEntropy * p * (logits[pi]! - s.lse + s.entropy);
      if (pi === s.action) gl += gLogProb;
      if (C > 0) {
        const t = logits[pi]! / C;
        gl *= C * (1 - t * t);
      }
      dS[pi] = gl * scale;
    }
    // dq_i = Σ_j dS_ij k_j; dk_j = Σ_i dS_ij q_i.
    this.mm.add(dS, 0, kd, 0, dq, 0, n, n, d, true);
    this.mm.transAAdd(dS, 0, qd, 0, dk, 0, n, n, d, true);
    this.linearBack(s.z, n, d, this.decoderQIx, d, dq, dz, true);
    this.linearBack(s.z, n, d, this.decoderKIx, d, dk, dz, true);
    this.layerNormBack(dz, n, this.finalLnIx, s.xhatF, s.rstdF, dx, false);
    for (let l = this.dims.numLayers - 1; l >= 0; l--) {
      const li = this.layerIx[l]!;
      const a = s.layers[l]!;
      // x_out = x_mid + FFN(LN₂(x_mid)).
      const dH = this.dHidden;
      this.linearBack(a.hidden, n, f, li.ffn2, d, dx, dH, false);
      for (let t = 0; t < n * f; t++) if (a.hidden[t]! <= 0) dH[t] = 0;
      this.linearBack(a.y2, n, d, li.ffn1, f, dH, dy, false);
      this.layerNormBack(dy, n, li.ln2, a.xhat2, a.rstd2, dx, true);
      // x_mid = x_in + Attn(LN₁(x_in)) · W_o + b_o.
      this.linearBack(a.att, n, d, li.o, d, dx, this.dAtt, false);
      this.attentionBackward(a, n, s.codes, this.codeGrads[l]!, H);
      this.linearBack(a.y1, n, d, li.q, d, dq, dy, false);
      this.linearBack(a.y1, n, d, li.k, d, dk, dy, true);
      this.linearBack(a.y1, n, d, li.v, d, dv, dy, true);
      this.layerNormBack(dy, n, li.ln1, a.xhat1, a.rstd1, dx, true);
    }
    this.linearBack(s.feat, n, this.dims.nodeFeatureDim, this.embedIx, d, dx, undefined, false);
  }

  // ∂L/∂(q, k, v) of one layer (into dq, dk, dv, n × d) from ∂L/∂att (dAtt); relation-bias
  // gradients per channel code into codeGrad.
  private attentionBackward(
    a: LayerActivations,
    n: number,
    codes: Uint8Array,
    codeGrad: Float64Array,
    H: number,
  ): void {
    const d = this.dims.hiddenDim;
    const dh = d / H;
    const scale = 1 / Math.sqrt(dh);
    const { q, k, v, p } = a;
    const { dAttH, dqH, dkH, dvH, dP } = this;
    splitHeads(this.dAtt, n, d, H, dAttH);
    for (let h = 0; h < H; h++) {
      const ho = h * n * dh;
      const po = h * n * n;
      // dP_ij = dAtt_i · v_j; dv_j += Σ_i P_ij dAtt_i.
      this.mm.transBAdd(dAttH, ho, v, ho, dP, 0, n, dh, n, true);
      this.mm.transAAdd(p, po, dAttH, ho, dvH, ho, n, n, dh, true);
      // Softmax: dlogit_ij = P_ij (dP_ij − Σ_j' P_ij' dP_ij'), then through q_i·k_j·scale.
      for (let i = 0; i < n; i++) {
        const ro = po + i * n;
        const io = i * n;
        let dot = 0;
        for (let j = 0; j < n; j++) dot += p[ro + j]! * dP[io + j]!;
        for (let j = 0; j < n; j++) {
          const gl = p[ro + j]! * (dP[io + j]! - dot);
          const ci = codes[io + j]! * H + h;
          codeGrad[ci] = codeGrad[ci]! + gl;
          dP[io + j] = gl * scale;
        }
      }
      this.mm.add(dP, 0, k, ho, dqH, ho, n, n, dh, true);
      this.mm.transAAdd(dP, 0, q, ho, dkH, ho, n, n, dh, true);
    }
    mergeHeads(dqH, n, d, H, this.dq);
    mergeHeads(dkH, n, d, H, this.dk);
    mergeHeads(dvH, n, d, H, this.dv);
  }

  // linearForward of the dense layer whose kernel is parameter `p` (its bias is p + 1).
  private linear(
    x: Float32Array,
    rows: number,
    inDim: number,
    p: number,
    outDim: number,
    y: Float32Array,
  ): void {
    linearForward(this.mm, x, rows, inDim, this.params[p]!, this.params[p + 1]!, outDim, y);
  }

  // linearBackward of the dense layer whose kernel is parameter `p`, into its gradients.
  private linearBack(
    x: Float32Array,
    rows: number,
    inDim: number,
    p: number,
    outDim: number,
    dY: Float32Array,
    dX: Float32Array | undefined,
    accumulate: boolean,
  ): void {
    const G = this.grads;
    linearBackward(this.mm, x, rows, inDim, this.params[p]!, outDim, dY, G[p]!, G[p + 1]!, dX, accumulate);
  }

  // layerNormBackward of the layer norm whose gamma is parameter `p` (beta is p + 1), width d.
  private layerNormBack(
    dY: Float32Array,
    rows: number,
    p: number,
    xhat: Float32Array,
    rstd: Float32Array,
    dX: Float32Array,
    accumulate: boolean,
  ): void {
    const G = this.grads;
    const d = this.dims.hiddenDim;
    layerNormBackward(dY, rows, d, this.params[p]!, xhat, rstd, G[p]!, G[p + 1]!, dX, accumulate);
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
    }
    if (!this.valueCache || this.valueCache.capacity < batch)
      this.valueCache = createDenseTrainCache(this.valueLayers, batch);
  }

  // Row b's activations sized for n nodes (grown when needed), and the shared scratch.
  private slot(b: number, n: number): GraphActivations {
    const { hiddenDim: d, numHeads: H, nodeFeatureDim: F } = this.dims;
    if (n > this.cap) {
      this.cap = n;
      this.x = new Float32Array(n * d);
      this.tmp = new Float32Array(n * d);
      this.dx = new Float32Array(n * d);
      this.dy = new Float32Array(n * d);
      this.dq = new Float32Array(n * d);
      this.dk = new Float32Array(n * d);
      this.dv = new Float32Array(n * d);
      this.dAtt = new Float32Array(n * d);
      this.headsScratch = new Float32Array(n * d);
      this.dAttH = new Float32Array(n * d);
      this.dqH = new Float32Array(n * d);
      this.dkH = new Float32Array(n * d);
      this.dvH = new Float32Array(n * d);
      this.dP = new Float32Array(n * n);
      this.dHidden = new Float32Array(n * this.dims.ffnDim);
    }
    let s = this.slots[b];
    if (!s || s.cap < n) {
      const cap = n;
      const nd = (): Float32Array => new Float32Array(cap * d);
      s = {
        cap,
        n,
        feat: new Float32Array(cap * F),
        codes: new Uint8Array(cap * cap),
        allowed: new Uint8Array(cap * cap),
        layers: Array.from({ length: this.dims.numLayers }, () => ({
          xhat1: nd(),
          rstd1: new Float32Array(cap),
          y1: nd(),
          q: nd(),
          k: nd(),
          v: nd(),
          p: new Float32Array(H * cap * cap),
          att: nd(),
          xhat2: nd(),
          rstd2: new Float32Array(cap),
          y2: nd(),
          hidden: new Float32Array(cap * this.dims.ffnDim),
        })),
        xhatF: nd(),
        rstdF: new Float32Array(cap),
        z: nd(),
        qd: nd(),
        kd: nd(),
        logits: new Float32Array(cap * cap),
        prob: new Float32Array(cap * cap),
        action: 0,
        actionAllowed: false,
        lse: 0,
        entropy: 0,
      };
      this.slots[b] = s;
    }
    s.n = n;
    return s;
  }
}

/**
 * A product into C from A at `aOff`, B at `bOff`, C at `cOff` (see {@link MatMulKernels}): added
 * to C, or with `overwrite` replacing it.
 */
type Product = (
  A: Float32Array,
  aOff: number,
  B: Float32Array,
  bOff: number,
  C: Float32Array,
  cOff: number,
  m: number,
  k: number,
  p: number,
  overwrite: boolean,
) => void;

/**
 * The three products of the passes, all accumulating into C: `add` (C += A·B), `transAAdd`
 * (C (k × p) += Aᵀ·B for A m × k, weight gradients) and `transBAdd` (C (m × p) += A·Bᵀ for B
 * p × k, input gradients).
 */
interface MatMulKernels {
  add: Product;
  transAAdd: Product;
  transBAdd: Product;
}

/** The kernels on WebAssembly SIMD (transposed operands read by strides). */
function simdKernels(simd: SimdMatMul): MatMulKernels {
  return {
    add: (A, aOff, B, bOff, C, cOff, m, k, p, overwrite) =>
      simd.matMulAdd(A, aOff, false, B, bOff, false, C, cOff, m, k, p, overwrite),
    transAAdd: (A, aOff, B, bOff, C, cOff, m, k, p, overwrite) =>
      simd.matMulAdd(A, aOff, true, B, bOff, false, C, cOff, k, m, p, overwrite),
    transBAdd: (A, aOff, B, bOff, C, cOff, m, k, q, overwrite) =>
      simd.matMulAdd(A, aOff, false, B, bOff, true, C, cOff, m, k, q, overwrite),
  };
}

/**
 * C (m × p) += A (m × k) · B (k × p), row-major B and C; A's entry (r, t) is at
 * `aOff + r·aRow + t·aCol` (aRow = k, aCol = 1 for a row-major A; 1 and m for its transpose).
 * Blocks of 2 rows × 4 columns keep 8 sums in registers (why: the plain axpy loop stores to C on
 * every multiply-add).
 */
function matMulAdd(
  A: Float32Array,
  aOff: number,
  aRow: number,
  aCol: number,
  B: Float32Array,
  bOff: number,
  C: Float32Array,
  cOff: number,
  m: number,
  k: number,
  p: number,
): void {
  const p4 = p - (p % 4);
  for (let r = 0; r < m; r += 2) {
    const two = r + 1 < m;
    const a0 = aOff + r * aRow;
    const a1 = two ? a0 + aRow : a0;
    const c0 = cOff + r * p;
    const c1 = c0 + p;
    for (let j = 0; j < p4; j += 4) {
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let t = 0, at = 0, bo = bOff + j; t < k; t++, at += aCol, bo += p) {
        const x0 = A[a0 + at]!;
        const x1 = A[a1 + at]!;
        const b0 = B[bo]!;
        const b1 = B[bo + 1]!;
        const b2 = B[bo + 2]!;
        const b3 = B[bo + 3]!;
        s00 += x0 * b0;
        s01 += x0 * b1;
        s02 += x0 * b2;
        s03 += x0 * b3;
        s10 += x1 * b0;
        s11 += x1 * b1;
        s12 += x1 * b2;
        s13 += x1 * b3;
      }
      add4(C, c0 + j, s00, s01, s02, s03);
      if (two) add4(C, c1 + j, s10, s11, s12, s13);
    }
    for (let j = p4; j < p; j++) {
      let s0 = 0;
      let s1 = 0;
      for (let t = 0, at = 0, bo = bOff + j; t < k; t++, at += aCol, bo += p) {
        s0 += A[a0 + at]! * B[bo]!;
        s1 += A[a1 + at]! * B[bo]!;
      }
      C[c0 + j] = C[c0 + j]! + s0;
      if (two) C[c1 + j] = C[c1 + j]! + s1;
    }
  }
}

/**
 * C (m × q) += A (m × k) · Bᵀ for B (q × k), row-major. Every entry is a dot product of two
 * contiguous rows (input gradients dY · Wᵀ), 2 × 2 at a time.
 */
function matMulTransBAdd(
  A: Float32Array,
  aOff: number,
  B: Float32Array,
  bOff: number,
  C: Float32Array,
  cOff: number,
  m: number,
  k: number,
  q: number,
): void {
  for (let r = 0; r < m; r += 2) {
    const two = r + 1 < m;
    const a0 = aOff + r * k;
    const a1 = two ? a0 + k : a0;
    const c0 = cOff + r * q;
    const c1 = c0 + q;
    for (let i = 0; i < q; i += 2) {
      const twoB = i + 1 < q;
      const b0 = bOff + i * k;
      const b1 = twoB ? b0 + k : b0;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let t = 0; t < k; t++) {
        const x0 = A[a0 + t]!;
        const x1 = A[a1 + t]!;
        const y0 = B[b0 + t]!;
        const y1 = B[b1 + t]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      C[c0 + i] = C[c0 + i]! + s00;
      if (twoB) C[c0 + i + 1] = C[c0 + i + 1]! + s01;
      if (!two) continue;
      C[c1 + i] = C[c1 + i]! + s10;
      if (twoB) C[c1 + i + 1] = C[c1 + i + 1]! + s11;
    }
  }
}

/** The kernels in plain JavaScript (where WebAssembly SIMD is missing). */
const JS_KERNELS: MatMulKernels = {
  add: (A, aOff, B, bOff, C, cOff, m, k, p, overwrite) => {
    if (overwrite) C.fill(0, cOff, cOff + m * p);
    matMulAdd(A, aOff, k, 1, B, bOff, C, cOff, m, k, p);
  },
  transAAdd: (A, aOff, B, bOff, C, cOff, m, k, p, overwrite) => {
    if (overwrite) C.fill(0, cOff, cOff + k * p);
    matMulAdd(A, aOff, 1, k, B, bOff, C, cOff, k, m, p);
  },
  transBAdd: (A, aOff, B, bOff, C, cOff, m, k, q, overwrite) => {
    if (overwrite) C.fill(0, cOff, cOff + m * q);
    matMulTransBAdd(A, aOff, B, bOff, C, cOff, m, k, q);
  },
};

/** C[o … o+3] += (s0, s1, s2, s3). */
function add4(C: Float32Array, o: number, s0: number, s1: number, s2: number, s3: number): void {
  C[o] = C[o]! + s0;
  C[o + 1] = C[o + 1]! + s1;
  C[o + 2] = C[o + 2]! + s2;
  C[o + 3] = C[o + 3]! + s3;
}

/** y = x · W + b for `rows` rows (W row-major `inDim × outDim`). */
function linearForward(
  mm: MatMulKernels,
  x: Float32Array,
  rows: number,
  inDim: number,
  W: Float32Array,
  bias: Float32Array,
  outDim: number,
  y: Float32Array,
): void {
  for (let r = 0; r < rows; r++) y.set(bias, r * outDim);
  mm.add(x, 0, W, 0, y, 0, rows, inDim, outDim, false);
}

/**
 * Backward of {@link linearForward} given dY: adds xᵀ·dY into gW and Σ dY into gB, and writes (or
 * with `accumulate` adds) dY·Wᵀ into dX when given.
 */
function linearBackward(
  mm: MatMulKernels,
  x: Float32Array,
  rows: number,
  inDim: number,
  W: Float32Array,
  outDim: number,
  dY: Float32Array,
  gW: Float32Array,
  gB: Float32Array,
  dX: Float32Array | undefined,
  accumulate: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const yo = r * outDim;
    for (let j = 0; j < outDim; j++) gB[j] = gB[j]! + dY[yo + j]!;
  }
  mm.transAAdd(x, 0, dY, 0, gW, 0, rows, inDim, outDim, false);
  if (!dX) return;
  mm.transBAdd(dY, 0, W, 0, dX, 0, rows, outDim, inDim, !accumulate);
}

/** Rows n × d (heads side by side) into head-major H × n × (d/H). */
function splitHeads(src: Float32Array, n: number, d: number, H: number, dst: Float32Array): void {
  const dh = d / H;
  for (let h = 0; h < H; h++)
    for (let i = 0; i < n; i++) {
      const so = i * d + h * dh;
      const o = (h * n + i) * dh;
      for (let t = 0; t < dh; t++) dst[o + t] = src[so + t]!;
    }
}

/** Head-major H × n × (d/H) back into rows n × d. */
function mergeHeads(src: Float32Array, n: number, d: number, H: number, dst: Float32Array): void {
  const dh = d / H;
  for (let h = 0; h < H; h++)
    for (let i = 0; i < n; i++) {
      const o = i * d + h * dh;
      const so = (h * n + i) * dh;
      for (let t = 0; t < dh; t++) dst[o + t] = src[so + t]!;
    }
}

/**
 * Backward of {@link layerNormRows} given dY: adds into gGamma and gBeta, and writes (or with
 * `accumulate` adds) dX = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) with dx̂ = dY ⊙ γ.
 */
function layerNormBackward(
  dY: Float32Array,
  rows: number,
  d: number,
  gamma: Float32Array,
  xhat: Float32Array,
  rstd: Float32Array,
  gGamma: Float32Array,
  gBeta: Float32Array,
  dX: Float32Array,
  accumulate: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < d; j++) {
      const dy = dY[o + j]!;
      const h = xhat[o + j]!;
      gGamma[j] = gGamma[j]! + dy * h;
      gBeta[j] = gBeta[j]! + dy;
      const dh = dy * gamma[j]!;
      m1 += dh;
      m2 += dh * h;
    }
    m1 /= d;
    m2 /= d;
    const inv = rstd[r]!;
    for (let j = 0; j < d; j++) {
      const g = inv * (dY[o + j]! * gamma[j]! - m1 - xhat[o + j]! * m2);
      dX[o + j] = accumulate ? dX[o + j]! + g : g;
    }
  }
}
