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
 * Buffers are kept per minibatch row and grown to the largest graph seen: no allocation once warm.
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
import {
  GRAPH_NET_LN_EPS,
  graphNetParams,
  validateGraphNetDims,
  type GraphNetDims,
} from './graph-net-f32.js';
import { MASKED_LOGIT } from './masked-categorical.js';

/** What one attention layer of one graph keeps for the backward pass. */
interface LayerActivations {
  xhat1: Float32Array;
  rstd1: Float32Array;
  y1: Float32Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  /** Attention probabilities, index `(h·n + i)·n + j`. */
  p: Float32Array;
  att: Float32Array;
  xhat2: Float32Array;
  rstd2: Float32Array;
  y2: Float32Array;
  ffn: DenseTrainCache;
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
  private readonly ffnLayers: DenseLayerF32[][];
  private readonly ffnGrads: DenseLayerF32[][];
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
  private dRow = new Float64Array(0);

  /**
   * @param dims - network sizes
   * @param params - one array per {@link graphNetParams} entry, in that order
   * @param grads - gradient arrays of the same sizes (written by {@link GraphNetTrainer.backward})
   */
  constructor(dims: GraphNetDims, params: readonly Float32Array[], grads: readonly Float32Array[]) {
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
    const { hiddenDim: d, ffnDim: f, valueHiddenDim: vh, numHeads: H, relationDim: K } = dims;
    const layer = (src: readonly Float32Array[], name: string, inDim: number, outDim: number) => ({
      kernel: src[this.at(`${name}/kernel`)]!,
      bias: src[this.at(`${name}/bias`)]!,
      inDim,
      outDim,
    });
    const ffn = (src: readonly Float32Array[], l: number): DenseLayerF32[] => [
      layer(src, `layer${l}/ffn/1`, d, f),
      layer(src, `layer${l}/ffn/2`, f, d),
    ];
    this.ffnLayers = Array.from({ length: dims.numLayers }, (_, l) => ffn(params, l));
    this.ffnGrads = Array.from({ length: dims.numLayers }, (_, l) => ffn(grads, l));
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
    for (let l = 0; l < this.dims.numLayers; l++) {
      const rb = this.params[this.at(`layer${l}/attn/relation_bias`)]!;
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
      const g = this.grads[this.at(`layer${l}/attn/relation_bias`)]!;
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
    const { hiddenDim: d, relationDim: K, nodeFeatureDim: F, logitClip: C } = this.dims;
    const n = s.n;
    const N = layout.maxNodes;
    const P = this.params;
    const w = (name: string): Float32Array => P[this.at(name)]!;
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
    linearForward(s.feat, n, F, w('embed/kernel'), w('embed/bias'), d, x);
    for (let l = 0; l < this.dims.numLayers; l++) {
      const L = `layer${l}`;
      const a = s.layers[l]!;
      layerNormForward(x, n, d, w(`${L}/ln1/gamma`), w(`${L}/ln1/beta`), a.xhat1, a.rstd1, a.y1);
      linearForward(a.y1, n, d, w(`${L}/attn/q/kernel`), w(`${L}/attn/q/bias`), d, a.q);
      linearForward(a.y1, n, d, w(`${L}/attn/k/kernel`), w(`${L}/attn/k/bias`), d, a.k);
      linearForward(a.y1, n, d, w(`${L}/attn/v/kernel`), w(`${L}/attn/v/bias`), d, a.v);
      this.attentionForward(a, n, s.codes, this.biasTables[l]!);
      linearForward(a.att, n, d, w(`${L}/attn/o/kernel`), w(`${L}/attn/o/bias`), d, this.tmp);
      for (let t = 0; t < n * d; t++) x[t] = x[t]! + this.tmp[t]!;
      layerNormForward(x, n, d, w(`${L}/ln2/gamma`), w(`${L}/ln2/beta`), a.xhat2, a.rstd2, a.y2);
      denseForwardTrain(this.ffnLayers[l]!, 'relu', a.y2, n, a.ffn);
      const f = a.ffn.outputs[1]!;
      for (let t = 0; t < n * d; t++) x[t] = x[t]! + f[t]!;
    }
    layerNormForward(x, n, d, w('final_ln/gamma'), w('final_ln/beta'), s.xhatF, s.rstdF, s.z);
    linearForward(s.z, n, d, w('decoder/q/kernel'), w('decoder/q/bias'), d, s.qd);
    linearForward(s.z, n, d, w('decoder/k/kernel'), w('decoder/k/bias'), d, s.kd);
    // Logits of the allowed pairs only: the others have probability 0 and no gradient.
    const scale = 1 / Math.sqrt(d);
    const { qd, kd, logits, prob, allowed } = s;
    let max = -Infinity;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const pi = i * n + j;
        if (!allowed[pi]) continue;
        let dot = 0;
        for (let t = 0; t < d; t++) dot += qd[i * d + t]! * kd[j * d + t]!;
        const sc = dot * scale;
        const lg = C > 0 ? C * Math.tanh(sc) : sc;
        logits[pi] = lg;
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
    const { q, k, v, p, att } = a;
    const row = this.dRow;
    for (let h = 0; h < H; h++) {
      const ho = h * dh;
      for (let i = 0; i < n; i++) {
        const qi = i * d + ho;
        let max = -Infinity;
        for (let j = 0; j < n; j++) {
          const kj = j * d + ho;
          let dot = 0;
          for (let t = 0; t < dh; t++) dot += q[qi + t]! * k[kj + t]!;
          const sc = dot * scale + table[codes[i * n + j]! * H + h]!;
          row[j] = sc;
          if (sc > max) max = sc;
        }
        let sum = 0;
        for (let j = 0; j < n; j++) {
          const e = Math.exp(row[j]! - max);
          row[j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        const po = (h * n + i) * n;
        for (let t = 0; t < dh; t++) att[qi + t] = 0;
        for (let j = 0; j < n; j++) {
          const pij = row[j]! * inv;
          p[po + j] = pij;
          const vj = j * d + ho;
          for (let t = 0; t < dh; t++) att[qi + t] = att[qi + t]! + pij * v[vj + t]!;
        }
      }
    }
  }

  private backwardGraph(s: GraphActivations, b: number, gLogProb: number, gEntropy: number): void {
    const { hiddenDim: d, numHeads: H, logitClip: C } = this.dims;
    const n = s.n;
    const G = this.grads;
    const P = this.params;
    const w = (name: string): Float32Array => P[this.at(name)]!;
    const g = (name: string): Float32Array => G[this.at(name)]!;
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
    dq.fill(0, 0, n * d);
    dk.fill(0, 0, n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const pi = i * n + j;
        if (!allowed[pi]) continue;
        const p = prob[pi]!;
        let gl = -gLogProb * p - gEntropy * p * (logits[pi]! - s.lse + s.entropy);
        if (pi === s.action) gl += gLogProb;
        if (C > 0) {
          const t = logits[pi]! / C;
          gl *= C * (1 - t * t);
        }
        const gs = gl * scale;
        if (gs === 0) continue;
        const qo = i * d;
        const ko = j * d;
        for (let t = 0; t < d; t++) {
          dq[qo + t] = dq[qo + t]! + gs * kd[ko + t]!;
          dk[ko + t] = dk[ko + t]! + gs * qd[qo + t]!;
        }
      }
    linearBackward(
      s.z,
      n,
      d,
      w('decoder/q/kernel'),
      d,
      dq,
      g('decoder/q/kernel'),
      g('decoder/q/bias'),
      dz,
      true,
    );
    linearBackward(
      s.z,
      n,
      d,
      w('decoder/k/kernel'),
      d,
      dk,
      g('decoder/k/kernel'),
      g('decoder/k/bias'),
      dz,
      true,
    );
    layerNormBackward(
      dz,
      n,
      d,
      w('final_ln/gamma'),
      s.xhatF,
      s.rstdF,
      g('final_ln/gamma'),
      g('final_ln/beta'),
      dx,
      false,
    );
    for (let l = this.dims.numLayers - 1; l >= 0; l--) {
      const L = `layer${l}`;
      const a = s.layers[l]!;
      // x_out = x_mid + FFN(LN₂(x_mid)).
      denseBackward(this.ffnLayers[l]!, 'relu', a.ffn, dx, this.ffnGrads[l]!, dy);
      layerNormBackward(
        dy,
        n,
        d,
        w(`${L}/ln2/gamma`),
        a.xhat2,
        a.rstd2,
        g(`${L}/ln2/gamma`),
        g(`${L}/ln2/beta`),
        dx,
        true,
      );
      // x_mid = x_in + Attn(LN₁(x_in)) · W_o + b_o.
      linearBackward(
        a.att,
        n,
        d,
        w(`${L}/attn/o/kernel`),
        d,
        dx,
        g(`${L}/attn/o/kernel`),
        g(`${L}/attn/o/bias`),
        this.dAtt,
        false,
      );
      this.attentionBackward(a, n, s.codes, this.codeGrads[l]!, H);
      linearBackward(
        a.y1,
        n,
        d,
        w(`${L}/attn/q/kernel`),
        d,
        dq,
        g(`${L}/attn/q/kernel`),
        g(`${L}/attn/q/bias`),
        dy,
        false,
      );
      linearBackward(
        a.y1,
        n,
        d,
        w(`${L}/attn/k/kernel`),
        d,
        dk,
        g(`${L}/attn/k/kernel`),
        g(`${L}/attn/k/bias`),
        dy,
        true,
      );
      linearBackward(
        a.y1,
        n,
        d,
        w(`${L}/attn/v/kernel`),
        d,
        dv,
        g(`${L}/attn/v/kernel`),
        g(`${L}/attn/v/bias`),
        dy,
        true,
      );
      layerNormBackward(
        dy,
        n,
        d,
        w(`${L}/ln1/gamma`),
        a.xhat1,
        a.rstd1,
        g(`${L}/ln1/gamma`),
        g(`${L}/ln1/beta`),
        dx,
        true,
      );
    }
    linearBackward(
      s.feat,
      n,
      this.dims.nodeFeatureDim,
      w('embed/kernel'),
      d,
      dx,
      g('embed/kernel'),
      g('embed/bias'),
      undefined,
      false,
    );
  }

  // ∂L/∂(q, k, v) of one layer (into dq, dk, dv) from ∂L/∂att (dAtt); relation-bias gradients per code.
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
    const { dq, dk, dv, dAtt } = this;
    const row = this.dRow;
    dq.fill(0, 0, n * d);
    dk.fill(0, 0, n * d);
    dv.fill(0, 0, n * d);
    for (let h = 0; h < H; h++) {
      const ho = h * dh;
      for (let i = 0; i < n; i++) {
        const io = i * d + ho;
        const po = (h * n + i) * n;
        // dP_ij = dAtt_i · v_j; dv_j += P_ij dAtt_i.
        let dot = 0;
        for (let j = 0; j < n; j++) {
          const jo = j * d + ho;
          const pij = p[po + j]!;
          let s = 0;
          for (let t = 0; t < dh; t++) {
            s += dAtt[io + t]! * v[jo + t]!;
            dv[jo + t] = dv[jo + t]! + pij * dAtt[io + t]!;
          }
          row[j] = s;
          dot += pij * s;
        }
        // Softmax: dlogit_ij = P_ij (dP_ij − Σ_j' P_ij' dP_ij').
        for (let j = 0; j < n; j++) {
          const gl = p[po + j]! * (row[j]! - dot);
          const ci = codes[i * n + j]! * H + h;
          codeGrad[ci] = codeGrad[ci]! + gl;
          const gs = gl * scale;
          const jo = j * d + ho;
          for (let t = 0; t < dh; t++) {
            dq[io + t] = dq[io + t]! + gs * k[jo + t]!;
            dk[jo + t] = dk[jo + t]! + gs * q[io + t]!;
          }
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
      this.dRow = new Float64Array(n);
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
        layers: this.ffnLayers.map((ffn) => ({
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
          ffn: createDenseTrainCache(ffn, cap),
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

/** y = x · W + b for `rows` rows (W row-major `inDim × outDim`). */
function linearForward(
  x: Float32Array,
  rows: number,
  inDim: number,
  W: Float32Array,
  bias: Float32Array,
  outDim: number,
  y: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const yo = r * outDim;
    for (let j = 0; j < outDim; j++) y[yo + j] = bias[j]!;
    for (let i = 0; i < inDim; i++) {
      const xi = x[r * inDim + i]!;
      if (xi === 0) continue;
      const wo = i * outDim;
      for (let j = 0; j < outDim; j++) y[yo + j] = y[yo + j]! + xi * W[wo + j]!;
    }
  }
}

/**
 * Backward of {@link linearForward} given dY: adds x^T·dY into gW and Σ dY into gB, and writes (or
 * with `accumulate` adds) dY·W^T into dX when given.
 */
function linearBackward(
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
    for (let i = 0; i < inDim; i++) {
      const xi = x[r * inDim + i]!;
      const wo = i * outDim;
      if (xi !== 0) for (let j = 0; j < outDim; j++) gW[wo + j] = gW[wo + j]! + xi * dY[yo + j]!;
      if (!dX) continue;
      let s = 0;
      for (let j = 0; j < outDim; j++) s += dY[yo + j]! * W[wo + j]!;
      const xo = r * inDim + i;
      dX[xo] = accumulate ? dX[xo]! + s : s;
    }
  }
}

/** Layer norm of each row of x (width d) into y, keeping the normalized rows and 1/σ. */
function layerNormForward(
  x: Float32Array,
  rows: number,
  d: number,
  gamma: Float32Array,
  beta: Float32Array,
  xhat: Float32Array,
  rstd: Float32Array,
  y: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[o + j]!;
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const t = x[o + j]! - mean;
      v += t * t;
    }
    const inv = 1 / Math.sqrt(v / d + GRAPH_NET_LN_EPS);
    rstd[r] = inv;
    for (let j = 0; j < d; j++) {
      const h = (x[o + j]! - mean) * inv;
      xhat[o + j] = h;
      y[o + j] = h * gamma[j]! + beta[j]!;
    }
  }
}

/**
 * Backward of {@link layerNormForward} given dY: adds into gGamma and gBeta, and writes (or with
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
