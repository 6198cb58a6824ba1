/**
 * The graph actor-critic network (a small Graphormer-style transformer) as plain Float32
 * arithmetic: no TensorFlow, O(n²·d) per graph on the n real nodes only. It is the rollout path
 * of `GraphPolicy.act` and the inference runtime of a trained EGS policy; the TF.js twin in
 * `graph-policy.ts` computes the same function on padded batches for the loss.
 *
 * Network (d = hiddenDim, H heads of size d/H, relation channels K):
 *   x⁰ = features · W_embed + b
 *   per layer: x += Attn(LN₁(x)), with logit(i, j, h) = q_i^h·k_j^h / √(d/H) + Σ_k B[k, h]·rel_k(i, j)
 *              x += W₂ · relu(W₁ · LN₂(x))
 *   z = LN_final(x)
 *   policy logit(i → j) = C · tanh(q_i·k_j / √d) with q = z·W_q, k = z·W_k (plain q·k/√d when C = 0)
 *   value = w₂ · tanh(W₁ · mean_i z_i) + b
 * Relations are 0/1 with K ≤ 8 channels, so each pair's bias is a lookup by its channel code.
 *
 * Where WebAssembly SIMD is available, the encoder and the decoder projections run in
 * {@link GraphNetWasm}'s kernels, which compute the same operations in the same order in double
 * precision: the results are bit-identical to the JavaScript loops below, only faster.
 */
import { ArbiterError } from '../core/errors.js';
import { fastExp, fastTanh } from '../core/fast-math.js';
import { GraphNetWasm } from './graph-net-wasm.js';

/** Sizes of a graph network. */
export interface GraphNetDims {
  /** Features per node F. */
  nodeFeatureDim: number;
  /** Relation channels per ordered pair K. */
  relationDim: number;
  /** Embedding width d. */
  hiddenDim: number;
  /** Attention heads H (must divide d). */
  numHeads: number;
  /** Attention layers L. */
  numLayers: number;
  /** Hidden width of each layer's feed-forward block. */
  ffnDim: number;
  /** Hidden width of the value head. */
  valueHiddenDim: number;
  /** Policy logits are `logitClip · tanh(q·k/√d)`; 0 = no clipping. */
  logitClip: number;
}

/** One parameter: name and shape (row-major; kernels are `in × out` as TF dense layers). */
export interface GraphNetParam {
  /** Stable name (checkpoint key). */
  name: string;
  /** Shape. */
  shape: number[];
  /** Initialisation: orthogonal with this gain (2-D), or a constant fill (1-D and relation biases). */
  init: { kind: 'orthogonal'; gain: number } | { kind: 'fill'; value: number };
}

/** Epsilon of every layer norm. */
export const GRAPH_NET_LN_EPS = 1e-5;

/** The ordered parameter list of a network with `dims` (same order in TF and Float32). */
export function graphNetParams(dims: GraphNetDims): GraphNetParam[] {
  const {
    nodeFeatureDim: F,
    relationDim: K,
    hiddenDim: d,
    numHeads: H,
    ffnDim: f,
    valueHiddenDim: vh,
  } = dims;
  const p: GraphNetParam[] = [];
  const ortho = (name: string, rows: number, cols: number, gain: number): void => {
    p.push({ name, shape: [rows, cols], init: { kind: 'orthogonal', gain } });
  };
  const fill = (name: string, shape: number[], value: number): void => {
    p.push({ name, shape, init: { kind: 'fill', value } });
  };
  ortho('embed/kernel', F, d, 1);
  fill('embed/bias', [d], 0);
  for (let l = 0; l < dims.numLayers; l++) {
    const L = `layer${l}`;
    fill(`${L}/ln1/gamma`, [d], 1);
    fill(`${L}/ln1/beta`, [d], 0);
    for (const m of ['q', 'k', 'v', 'o']) {
      ortho(`${L}/attn/${m}/kernel`, d, d, 1);
      fill(`${L}/attn/${m}/bias`, [d], 0);
    }
    fill(`${L}/attn/relation_bias`, [K, H], 0);
    fill(`${L}/ln2/gamma`, [d], 1);
    fill(`${L}/ln2/beta`, [d], 0);
    ortho(`${L}/ffn/1/kernel`, d, f, Math.SQRT2);
    fill(`${L}/ffn/1/bias`, [f], 0);
    ortho(`${L}/ffn/2/kernel`, f, d, 1);
    fill(`${L}/ffn/2/bias`, [d], 0);
  }
  fill('final_ln/gamma', [d], 1);
  fill('final_ln/beta', [d], 0);
  // Small decoder gains: the initial policy is near uniform over the allowed edges.
  ortho('decoder/q/kernel', d, d, 0.1);
  fill('decoder/q/bias', [d], 0);
  ortho('decoder/k/kernel', d, d, 0.1);
  fill('decoder/k/bias', [d], 0);
  ortho('value/1/kernel', d, vh, Math.SQRT2);
  fill('value/1/bias', [vh], 0);
  ortho('value/2/kernel', vh, 1, 1);
  fill('value/2/bias', [1], 0);
  return p;
}

/** Checks the dimensions; throws `invalid-config` with the offending field. */
export function validateGraphNetDims(dims: GraphNetDims): void {
  for (const k of [
    'nodeFeatureDim',
    'relationDim',
    'hiddenDim',
    'numHeads',
    'numLayers',
    'ffnDim',
    'valueHiddenDim',
  ] as const) {
    const v = dims[k];
    if (!Number.isInteger(v) || v < (k === 'numLayers' ? 0 : 1))
      throw new ArbiterError('invalid-config', `graph network: ${k} must be a positive integer, got ${v}`);
  }
  // Each pair's channels are coded as the bits of one byte (GraphNetF32's relation bias lookup).
  if (dims.relationDim > 8)
    throw new ArbiterError(
      'invalid-config',
      `graph network: relationDim must be at most 8, got ${dims.relationDim}`,
    );
  if (dims.hiddenDim % dims.numHeads !== 0)
    throw new ArbiterError(
      'invalid-config',
      `graph network: numHeads (${dims.numHeads}) must divide hiddenDim (${dims.hiddenDim})`,
    );
  if (!(dims.logitClip >= 0))
    throw new ArbiterError('invalid-config', `graph network: logitClip must be ≥ 0, got ${dims.logitClip}`);
}

/**
 * y[r] = x[r] · W + b for `rows` rows, with the kernel given transposed (`WT`: outDim × inDim) so
 * that each output is one contiguous dot product; four accumulators let the JIT overlap them.
 */
function linear(
  x: Float32Array,
  rows: number,
  inDim: number,
  WT: Float32Array,
  b: Float32Array,
  outDim: number,
  y: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const xo = r * inDim;
    const yo = r * outDim;
    for (let j = 0; j < outDim; j++) {
      const wo = j * inDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < inDim; i += 4) {
        s0 += x[xo + i]! * WT[wo + i]!;
        s1 += x[xo + i + 1]! * WT[wo + i + 1]!;
        s2 += x[xo + i + 2]! * WT[wo + i + 2]!;
        s3 += x[xo + i + 3]! * WT[wo + i + 3]!;
      }
      for (; i < inDim; i++) s0 += x[xo + i]! * WT[wo + i]!;
      y[yo + j] = b[j]! + (s0 + s1 + s2 + s3);
    }
  }
}

/** The transpose of a row-major `rows × cols` matrix. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  return transposeInto(a, rows, cols, new Float32Array(rows * cols));
}

/** Writes the transpose of a row-major `rows × cols` matrix into `t` (same size) and returns it. */
function transposeInto(a: Float32Array, rows: number, cols: number, t: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c]!;
  return t;
}

/**
 * Layer norm of each row (width d) of x into y (ε = {@link GRAPH_NET_LN_EPS}). With `xhat` and
 * `rstd` it also keeps the normalized rows and each row's 1/σ (for a backward pass).
 */
export function layerNormRows(
  x: Float32Array,
  rows: number,
  d: number,
  gamma: Float32Array,
  beta: Float32Array,
  y: Float32Array,
  xhat?: Float32Array,
  rstd?: Float32Array,
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
    if (xhat && rstd) {
      rstd[r] = inv;
      for (let j = 0; j < d; j++) {
        const h = (x[o + j]! - mean) * inv;
        xhat[o + j] = h;
        y[o + j] = h * gamma[j]! + beta[j]!;
      }
    } else for (let j = 0; j < d; j++) y[o + j] = (x[o + j]! - mean) * inv * gamma[j]! + beta[j]!;
  }
}

/**
 * A graph for {@link GraphNetF32}: n nodes, features n × F, and the relation channels of every
 * ordered pair, either as 0/1 numbers (`relations`, row stride `relStride`) or already coded
 * (`relationCodes`, n × n bytes: bit c set iff channel c is 1).
 */
export interface GraphInput {
  /** Node count n. */
  numNodes: number;
  /** Features, row-major with F per node (at least n rows). */
  nodeFeatures: Float32Array;
  /** Relations, index `(i·relStride + j)·K + k`, each 0 or 1 (unless `relationCodes` is given). */
  relations?: ArrayLike<number>;
  /** Columns of the relation matrix: n for a raw GraphObservation, maxNodes for a padded one. */
  relStride?: number;
  /** The relations coded per pair, index `i·n + j` (used instead of `relations` when given). */
  relationCodes?: Uint8Array;
}

/** Which kernels a {@link GraphNetF32} runs: WebAssembly SIMD where available (`auto`), or JavaScript. */
export type GraphNetKernel = 'auto' | 'js';

/**
 * Float32 forward pass of the graph network over named weights (see the file comment). Reuses its
 * scratch buffers: allocation-free once it has seen the largest graph.
 */
export class GraphNetF32 {
  /** Sizes of the network. */
  readonly dims: GraphNetDims;
  /** The WebAssembly kernels in use, or undefined on the JavaScript loops (same results). */
  private readonly wasm: GraphNetWasm | undefined;
  private w: Record<string, Float32Array>;
  private readonly params: GraphNetParam[];
  private cap = 0;
  private x = new Float32Array(0);
  private y = new Float32Array(0);
  private q = new Float32Array(0);
  private k = new Float32Array(0);
  private v = new Float32Array(0);
  private att = new Float32Array(0);
  private ff = new Float32Array(0);
  private scores = new Float64Array(0);
  private acc = new Float64Array(0);
  private codes = new Uint8Array(0);
  // Compacted rows of a partial encode's last layer (see encode's `rows`).
  private xr = new Float32Array(0);
  private yr = new Float32Array(0);
  private qr = new Float32Array(0);
  private attr = new Float32Array(0);
  private ffr = new Float32Array(0);
  private codesR = new Uint8Array(0);
  private encodedRow = new Uint8Array(0);
  private rowList = new Int32Array(0);
  private rowCount = 0;
  private encodedAll = true;
  private readonly biasTable: Float32Array;
  private readonly decoderScale: number;
  private readonly pooled: Float32Array;
  private readonly vh: Float32Array;
  private readonly vout = new Float32Array(1);

  /**
   * @param weights - one array per {@link graphNetParams} entry, by name
   * @param kernel - `auto` (default): WebAssembly SIMD where available (unless `ARBITER_KERNEL=js`);
   *   `js`: the JavaScript loops
   */
  constructor(dims: GraphNetDims, weights: Record<string, Float32Array>, kernel: GraphNetKernel = 'auto') {
    validateGraphNetDims(dims);
    this.dims = { ...dims };
    this.params = graphNetParams(dims);
    this.wasm = kernel === 'auto' ? GraphNetWasm.create(this.dims, GRAPH_NET_LN_EPS) : undefined;
    this.w = {};
    this.setWeights(weights);
    this.pooled = new Float32Array(dims.hiddenDim);
    this.vh = new Float32Array(dims.valueHiddenDim);
    this.biasTable = new Float32Array((1 << dims.relationDim) * dims.numHeads);
    this.decoderScale = 1 / Math.sqrt(dims.hiddenDim);
  }

  /** Whether the WebAssembly kernels run this network (results are the same either way). */
  get usesWasm(): boolean {
    return this.wasm !== undefined;
  }

  /**
   * Replaces the weights (checked against the parameter shapes; kernels are kept transposed, and
   * copied into the WebAssembly memory when it runs them: call this again after changing them).
   */
  setWeights(weights: Record<string, Float32Array>): void {
    const next: Record<string, Float32Array> = {};
    for (const p of this.params) {
      const a = weights[p.name];
      const size = p.shape.reduce((s, x) => s * x, 1);
      if (!a || a.length !== size)
        throw new ArbiterError(
          'shape-mismatch',
          `graph network: weight '${p.name}' is missing or has ${a?.length ?? 0} values, expected ${size}`,
        );
      if (p.shape.length === 2 && p.name.endsWith('/kernel')) {
        // Reuse this network's own transposed copy (the fast learner refreshes it every step).
        const own = this.w[p.name];
        next[p.name] = own
          ? transposeInto(a, p.shape[0]!, p.shape[1]!, own)
          : transpose(a, p.shape[0]!, p.shape[1]!);
      } else next[p.name] = a;
    }
    this.w = next;
    this.wasm?.setWeights(weights);
  }

  /** Replaces one weight (same size; used to resync from TF variables). */
  setWeight(name: string, a: Float32Array): void {
    const p = this.params.find((q) => q.name === name);
    if (!p) throw new ArbiterError('shape-mismatch', `graph network: no weight named '${name}'`);
    this.w[name] =
      p.shape.length === 2 && name.endsWith('/kernel') ? transpose(a, p.shape[0]!, p.shape[1]!) : a;
    if (this.wasm) {
      // The module packs kernels from their row-major layout: hand it every weight untransposed.
      const all: Record<string, Float32Array> = {};
      for (const q of this.params)
        all[q.name] =
          q.shape.length === 2 && q.name.endsWith('/kernel')
            ? transpose(this.w[q.name]!, q.shape[1]!, q.shape[0]!)
            : this.w[q.name]!;
      this.wasm.setWeights(all);
    }
  }

  /**
   * Encodes the graph: writes the final node embeddings (n × d) into an internal buffer and
   * returns it (valid until the next call).
   *
   * With `rows` (its first `count` entries: distinct node indices), the last layer is computed for
   * those rows only: a row's attention output, feed-forward block and norms depend on its own row
   * and on every row's keys and values, which the earlier layers and the last layer's key/value
   * projections still compute for all n nodes, so the listed rows get exactly the embeddings of a
   * full pass, with O(count·n) attention instead of O(n²). Why: a decision scores only its allowed
   * edges, whose endpoints are a few nodes of one antichain. After such a call the other rows are
   * stale: {@link GraphNetF32.pairLogitsAt} accepts only pairs of listed rows, and
   * {@link GraphNetF32.pairLogits} and {@link GraphNetF32.value} refuse until a full encode.
   */
  encode(g: GraphInput, rows?: Int32Array, count = rows?.length ?? 0): Float32Array {
    const { hiddenDim: d, nodeFeatureDim: F } = this.dims;
    const n = g.numNodes;
    this.ensure(n);
    const codes = this.relationCodes(g);
    const partial = rows !== undefined && this.dims.numLayers > 0;
    if (partial) this.markRows(n, rows, count);
    else this.encodedAll = true;
    if (this.wasm) {
      this.wasm.encode(n, g.nodeFeatures, codes, this.y, partial ? rows : undefined, count);
      return this.y;
    }
    const w = this.w;
    const { x, y, q, k, v, att, ff } = this;
    linear(g.nodeFeatures, n, F, w['embed/kernel']!, w['embed/bias']!, d, x);
    const layers = this.dims.numLayers;
    for (let l = 0; l < layers; l++) {
      const L = `layer${l}`;
      layerNormRows(x, n, d, w[`${L}/ln1/gamma`]!, w[`${L}/ln1/beta`]!, y);
      linear(y, n, d, w[`${L}/attn/k/kernel`]!, w[`${L}/attn/k/bias`]!, d, k);
      linear(y, n, d, w[`${L}/attn/v/kernel`]!, w[`${L}/attn/v/bias`]!, d, v);
      this.relationTable(w[`${L}/attn/relation_bias`]!);
      if (partial && l === layers - 1) {
        this.lastLayerRows(L, n, codes, rows, count);
        return y;
      }
      linear(y, n, d, w[`${L}/attn/q/kernel`]!, w[`${L}/attn/q/bias`]!, d, q);
      this.attention(n, n, q, codes, att);
      this.residualBlock(L, n, att, x, y, ff);
    }
    layerNormRows(x, n, d, w['final_ln/gamma']!, w['final_ln/beta']!, y);
    return y;
  }

  // x += att · W_o + b_o, then x += W₂ · relu(W₁ · LN₂(x)) on `rows` rows (y and ff: scratch).
  private residualBlock(
    L: string,
    rows: number,
    att: Float32Array,
    x: Float32Array,
    y: Float32Array,
    ff: Float32Array,
  ): void {
    const { hiddenDim: d, ffnDim: f } = this.dims;
    const w = this.w;
    linear(att, rows, d, w[`${L}/attn/o/kernel`]!, w[`${L}/attn/o/bias`]!, d, y);
    for (let t = 0; t < rows * d; t++) x[t] = x[t]! + y[t]!;
    layerNormRows(x, rows, d, w[`${L}/ln2/gamma`]!, w[`${L}/ln2/beta`]!, y);
    linear(y, rows, d, w[`${L}/ffn/1/kernel`]!, w[`${L}/ffn/1/bias`]!, f, ff);
    for (let t = 0; t < rows * f; t++) if (ff[t]! < 0) ff[t] = 0;
    linear(ff, rows, f, w[`${L}/ffn/2/kernel`]!, w[`${L}/ffn/2/bias`]!, d, y);
    for (let t = 0; t < rows * d; t++) x[t] = x[t]! + y[t]!;
  }

  // The last layer on the listed rows, compacted (their x and LN₁ rows, queries and codes rows),
  // then its final norm scattered back into their rows of y; kept compacted in yr for the decoder.
  private lastLayerRows(L: string, n: number, codes: Uint8Array, rows: Int32Array, count: number): void {
    const d = this.dims.hiddenDim;
    const w = this.w;
    const { x, y, xr, yr, qr, attr, ffr, codesR } = this;
    for (let p = 0; p < count; p++) {
      const r = rows[p]!;
      for (let t = 0; t < d; t++) {
        xr[p * d + t] = x[r * d + t]!;
        yr[p * d + t] = y[r * d + t]!;
      }
      codesR.set(codes.subarray(r * n, r * n + n), p * n);
    }
    linear(yr, count, d, w[`${L}/attn/q/kernel`]!, w[`${L}/attn/q/bias`]!, d, qr);
    this.attention(count, n, qr, codesR, attr);
    this.residualBlock(L, count, attr, xr, yr, ffr);
    layerNormRows(xr, count, d, w['final_ln/gamma']!, w['final_ln/beta']!, yr);
    for (let p = 0; p < count; p++) {
      const r = rows[p]!;
      for (let t = 0; t < d; t++) y[r * d + t] = yr[p * d + t]!;
    }
  }

  // Marks the rows of a partial encode (for pairLogitsAt's check) and keeps their list.
  private markRows(n: number, rows: Int32Array, count: number): void {
    const mark = this.encodedRow;
    if (this.encodedAll) mark.fill(0, 0, n);
    else for (let p = 0; p < this.rowCount; p++) mark[this.rowList[p]!] = 0;
    if (count > n || rows.length < count)
      throw new ArbiterError('invalid-option', `graph network: ${count} rows asked of ${n} nodes`);
    for (let p = 0; p < count; p++) {
      const r = rows[p]!;
      if (!(r >= 0 && r < n) || mark[r])
        throw new ArbiterError('invalid-option', `graph network: row ${r} is out of range or repeated`);
      mark[r] = 1;
    }
    this.rowList.set(rows.subarray(0, count));
    this.rowCount = count;
    this.encodedAll = false;
  }

  private refusePartial(what: string): void {
    if (!this.encodedAll)
      throw new ArbiterError(
        'invalid-option',
        `graph network: ${what} needs every row, but the last encode computed some rows only`,
      );
  }

  /**
   * Policy logits of every ordered pair of the last {@link GraphNetF32.encode}d graph (n nodes):
   * logit(i → j) is written at `out[outOffset + i·outStride + j]`; nothing else is touched.
   */
  pairLogits(n: number, out: Float32Array, outStride: number, outOffset = 0): void {
    this.refusePartial('pairLogits');
    this.decoderProjections(n);
    for (let i = 0; i < n; i++) {
      const oo = outOffset + i * outStride;
      for (let j = 0; j < n; j++) out[oo + j] = this.pairLogit(i, j);
    }
  }

  /**
   * Policy logits of the listed pairs only (action `a = i·stride + j`, i, j < n) of the last
   * {@link GraphNetF32.encode}d graph, written at `out[a]`: a decision needs only its allowed
   * edges, usually a small fraction of the n² pairs. Same values as {@link GraphNetF32.pairLogits}.
   */
  pairLogitsAt(n: number, actions: readonly number[], stride: number, out: Float32Array): void {
    this.decoderProjections(n);
    if (this.encodedAll) {
      for (const a of actions) out[a] = this.pairLogit(Math.floor(a / stride), a % stride);
      return;
    }
    const mark = this.encodedRow;
    for (const a of actions) {
      const i = Math.floor(a / stride);
      const j = a % stride;
      if (!mark[i] || !mark[j])
        throw new ArbiterError(
          'invalid-option',
          `graph network: pair (${i}, ${j}) has a row the last (partial) encode did not compute`,
        );
      out[a] = this.pairLogit(i, j);
    }
  }

  // Decoder queries and keys of the encoded nodes (into q, k; of the listed rows after a partial
  // encode, at their own rows).
  private decoderProjections(n: number): void {
    if (this.wasm) return this.wasm.decoder(n, this.q, this.k);
    const d = this.dims.hiddenDim;
    const w = this.w;
    if (!this.encodedAll) {
      const count = this.rowCount;
      const { yr, qr, attr, q, k } = this;
      linear(yr, count, d, w['decoder/q/kernel']!, w['decoder/q/bias']!, d, qr);
      linear(yr, count, d, w['decoder/k/kernel']!, w['decoder/k/bias']!, d, attr);
      for (let p = 0; p < count; p++) {
        const o = this.rowList[p]! * d;
        for (let t = 0; t < d; t++) {
          q[o + t] = qr[p * d + t]!;
          k[o + t] = attr[p * d + t]!;
        }
      }
      return;
    }
    linear(this.y, n, d, w['decoder/q/kernel']!, w['decoder/q/bias']!, d, this.q);
    linear(this.y, n, d, w['decoder/k/kernel']!, w['decoder/k/bias']!, d, this.k);
  }

  // logit(i → j) = C·tanh(q_i·k_j/√d), or the plain scaled product when C = 0.
  private pairLogit(i: number, j: number): number {
    const d = this.dims.hiddenDim;
    const { q, k } = this;
    const qi = i * d;
    const kj = j * d;
    let s0 = 0;
    let s1 = 0;
    let t = 0;
    for (; t + 1 < d; t += 2) {
      s0 += q[qi + t]! * k[kj + t]!;
      s1 += q[qi + t + 1]! * k[kj + t + 1]!;
    }
    if (t < d) s0 += q[qi + t]! * k[kj + t]!;
    const s = (s0 + s1) * this.decoderScale;
    const C = this.dims.logitClip;
    return C > 0 ? C * fastTanh(s) : s;
  }

  /** V of the last {@link GraphNetF32.encode}d graph (n nodes). */
  value(n: number): number {
    this.refusePartial('value');
    const { hiddenDim: d, valueHiddenDim: vhDim } = this.dims;
    const z = this.y;
    const pooled = this.pooled;
    pooled.fill(0);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) pooled[t] = pooled[t]! + z[i * d + t]!;
    for (let t = 0; t < d; t++) pooled[t] = pooled[t]! / n;
    linear(pooled, 1, d, this.w['value/1/kernel']!, this.w['value/1/bias']!, vhDim, this.vh);
    for (let t = 0; t < vhDim; t++) this.vh[t] = Math.tanh(this.vh[t]!);
    linear(this.vh, 1, vhDim, this.w['value/2/kernel']!, this.w['value/2/bias']!, 1, this.vout);
    return this.vout[0]!;
  }

  /**
   * Multi-head attention of the current layer: the `nq` query rows of `q` (codes rows of stride n
   * in `codes`) against the n rows of k, v (relation bias looked up by each pair's code in
   * `biasTable`) into the `nq` rows of `att`. Per head, two queries a and b at a time (why:
   * each key and value read serves both; measured 7–10% faster per EGS decision): their
   * logits against every key (q·k/√dh + bias), then the exponentials of the stable softmax
   * weighting the values in the same pass, normalized at the end. For odd nq the last query is
   * paired with itself. Each query's arithmetic is its own: a row's result is the same whichever
   * rows are asked with it.
   */
  private attention(nq: number, n: number, q: Float32Array, codes: Uint8Array, att: Float32Array): void {
    const { hiddenDim: d, numHeads: H } = this.dims;
    const dh = d / H;
    const scale = 1 / Math.sqrt(dh);
    const { k, v, scores, acc, biasTable: tb } = this;
    for (let h = 0; h < H; h++) {
      const ho = h * dh;
      for (let a = 0; a < nq; a += 2) {
        const b = a + 1 < nq ? a + 1 : a;
        const qa = a * d + ho;
        const qb = b * d + ho;
        const ca = a * n;
        const cb = b * n;
        let ma = -Infinity;
        let mb = -Infinity;
        for (let j = 0; j < n; j++) {
          const kj = j * d + ho;
          let sa = 0;
          let sb = 0;
          for (let t = 0; t < dh; t++) {
            const kt = k[kj + t]!;
            sa += q[qa + t]! * kt;
            sb += q[qb + t]! * kt;
          }
          sa = sa * scale + tb[codes[ca + j]! * H + h]!;
          sb = sb * scale + tb[codes[cb + j]! * H + h]!;
          scores[j] = sa;
          scores[n + j] = sb;
          if (sa > ma) ma = sa;
          if (sb > mb) mb = sb;
        }
        let suma = 0;
        let sumb = 0;
        acc.fill(0, 0, 2 * dh);
        for (let j = 0; j < n; j++) {
          const ea = fastExp(scores[j]! - ma);
          const eb = fastExp(scores[n + j]! - mb);
          suma += ea;
          sumb += eb;
          const vj = j * d + ho;
          for (let t = 0; t < dh; t++) {
            const vt = v[vj + t]!;
            acc[t] = acc[t]! + ea * vt;
            acc[dh + t] = acc[dh + t]! + eb * vt;
          }
        }
        const ia = 1 / suma;
        const ib = 1 / sumb;
        for (let t = 0; t < dh; t++) {
          att[qa + t] = acc[t]! * ia;
          att[qb + t] = acc[dh + t]! * ib;
        }
      }
    }
  }

  /**
   * The pair codes of g (bit c of `codes[i·n + j]` set iff channel c of (i, j) is 1): g's own, or
   * coded here from its 0/1 relations (anything else is rejected).
   */
  private relationCodes(g: GraphInput): Uint8Array {
    const n = g.numNodes;
    if (g.relationCodes) {
      if (g.relationCodes.length < n * n)
        throw new ArbiterError(
          'shape-mismatch',
          `graph network: relationCodes has ${g.relationCodes.length} entries, expected ${n * n}`,
        );
      return g.relationCodes;
    }
    const K = this.dims.relationDim;
    const rel = g.relations;
    const stride = g.relStride ?? n;
    if (!rel)
      throw new ArbiterError(
        'shape-mismatch',
        'graph network: the graph has neither relations nor relationCodes',
      );
    const codes = this.codes;
    if (K === 4) {
      // The EGS layout: four channels per pair, checked and coded without an inner loop.
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const ro = (i * stride + j) * 4;
          const r0 = rel[ro]!;
          const r1 = rel[ro + 1]!;
          const r2 = rel[ro + 2]!;
          const r3 = rel[ro + 3]!;
          if (
            (r0 !== 0 && r0 !== 1) ||
            (r1 !== 0 && r1 !== 1) ||
            (r2 !== 0 && r2 !== 1) ||
            (r3 !== 0 && r3 !== 1)
          )
            return this.relationCodesChecked(rel, n, stride, K);
          codes[i * n + j] = r0 + 2 * r1 + 4 * r2 + 8 * r3;
        }
      return codes;
    }
    return this.relationCodesChecked(rel, n, stride, K);
  }

  // The pair codes of 0/1 relations with any K; throws `shape-mismatch` at the first other value.
  private relationCodesChecked(rel: ArrayLike<number>, n: number, stride: number, K: number): Uint8Array {
    const codes = this.codes;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const ro = (i * stride + j) * K;
        let c = 0;
        for (let b = 0; b < K; b++) {
          const r = rel[ro + b]!;
          if (r === 1) c |= 1 << b;
          else if (r !== 0)
            throw new ArbiterError(
              'shape-mismatch',
              `graph network: relation (${i}, ${j}) channel ${b} is ${r}, expected 0 or 1`,
            );
        }
        codes[i * n + j] = c;
      }
    return codes;
  }

  // biasTable[c·H + h] = Σ_k B[k, h] over the channels k set in code c: the relation bias of any
  // pair with code c, summed in channel order and rounded to Float32 after each term (as the
  // Float32 accumulation of Σ_k B[k, h]·rel_k would be).
  private relationTable(rb: Float32Array): void {
    const { numHeads: H, relationDim: K } = this.dims;
    const table = this.biasTable;
    for (let c = 0; c < 1 << K; c++)
      for (let h = 0; h < H; h++) {
        let s = 0;
        for (let b = 0; b < K; b++) if (c & (1 << b)) s = Math.fround(s + rb[b * H + h]!);
        table[c * H + h] = s;
      }
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const { hiddenDim: d, ffnDim: f } = this.dims;
    this.cap = n;
    this.x = new Float32Array(n * d);
    this.y = new Float32Array(n * d);
    this.q = new Float32Array(n * d);
    this.k = new Float32Array(n * d);
    this.v = new Float32Array(n * d);
    this.att = new Float32Array(n * d);
    this.ff = new Float32Array(n * f);
    this.scores = new Float64Array(2 * n);
    this.codes = new Uint8Array(n * n);
    this.acc = new Float64Array(2 * d);
    this.xr = new Float32Array(n * d);
    this.yr = new Float32Array(n * d);
    this.qr = new Float32Array(n * d);
    this.attr = new Float32Array(n * d);
    this.ffr = new Float32Array(n * f);
    this.codesR = new Uint8Array(n * n);
    this.encodedRow = new Uint8Array(n);
    this.rowList = new Int32Array(n);
    this.encodedAll = true;
  }
}
