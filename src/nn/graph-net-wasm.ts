/**
 * The graph network's encoder and decoder projections on WebAssembly SIMD, for the rollout path of
 * {@link GraphNetF32}: its linear layers and attention run in the kernels of
 * `scripts/graph-net-wasm.ts` (prebuilt into `graph-net-wasm-bytes.ts`), layer norms, residuals and
 * ReLU included. The kernels compute in f64x2 with the exact operation
 * order of the JavaScript loops, and every value is stored as a double holding its Float32
 * rounding, so the outputs are bit-identical to the JavaScript path: a rollout does not depend on
 * whether the engine has SIMD. Where WebAssembly SIMD is missing (or `ARBITER_KERNEL=js` forces
 * the fallback), {@link GraphNetWasm.create} returns undefined and {@link GraphNetF32} keeps its JavaScript loops.
 */
import { decodeBase64 } from './decode-base64.js';
import { useWasmKernel } from './dense-forward-wasm.js';
import { GRAPH_NET_WASM_BASE64 } from './graph-net-wasm-bytes.js';
import type { GraphNetDims } from './graph-net-f32.js';

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
/** attention(q, k, v, att, codes, table, scratch, n, d, heads, scale, queries). */
type AttentionKernel = (
  q: number,
  k: number,
  v: number,
  att: number,
  codes: number,
  table: number,
  scratch: number,
  n: number,
  d: number,
  heads: number,
  scale: number,
  queries: number,
) => void;

interface Kernels {
  memory: WasmMemory;
  linear(
    x: number,
    w: number,
    b: number,
    y: number,
    rows: number,
    inDim: number,
    outDim: number,
    mode: number,
  ): void;
  layerNorm(x: number, gamma: number, beta: number, y: number, rows: number, d: number, eps: number): void;
  attention: AttentionKernel;
  /** The same function for one head size, `attention<dh>` (registers instead of scratch). */
  [fixed: `attention${number}`]: AttentionKernel | undefined;
}
/** One linear layer in the module's memory: packed kernel and bias (byte offsets). */
interface LinearAt {
  w: number;
  b: number;
  inDim: number;
  outDim: number;
}

let compiled: object | undefined;

// linear's output modes (scripts/graph-net-wasm.ts): plain, ReLU, added into y.
const PLAIN = 0;
const RELU = 1;
const ADD = 2;

const PAGE = 65536;
const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * One graph network's weights and activations in its own WebAssembly memory (see the file
 * comment). Weights are copied in by {@link GraphNetWasm.setWeights}; activation buffers grow with
 * the largest graph seen.
 */
export class GraphNetWasm {
  private readonly k: Kernels;
  private readonly attention: AttentionKernel;
  private f64: Float64Array;
  private u8: Uint8Array;
  private readonly dims: GraphNetDims;
  private readonly eps: number;
  private readonly lin: Record<string, LinearAt> = {};
  private readonly tables: number[] = [];
  private readonly weightsEnd: number;
  private cap = 0;
  // Byte offsets of the activation buffers (valid for `cap` nodes).
  private feat = 0;
  private x = 0;
  private y = 0;
  private q = 0;
  private kk = 0;
  private v = 0;
  private att = 0;
  private ff = 0;
  private scratch = 0;
  private codes = 0;
  // The last layer's rows when only some are asked (encode's `rows`): r × d / r × f, compacted.
  private xr = 0;
  private yr = 0;
  private qr = 0;
  private attr = 0;
  private ffr = 0;
  // Rows of the last partial encode (compacted order), or count −1 after a full one.
  private rowList = new Int32Array(0);
  private rowCount = -1;
  private readonly lnAt: Record<string, { gamma: number; beta: number }> = {};

  private constructor(kernels: Kernels, dims: GraphNetDims, eps: number) {
    this.k = kernels;
    this.attention = kernels[`attention${dims.hiddenDim / dims.numHeads}`] ?? kernels.attention;
    this.dims = dims;
    this.eps = eps;
    const { nodeFeatureDim: F, hiddenDim: d, ffnDim: f, relationDim: K, numHeads: H } = dims;
    let at = 0;
    const linear = (name: string, inDim: number, outDim: number): void => {
      const w = at;
      at = align16(at + inDim * outDim * 8);
      const b = at;
      at = align16(at + outDim * 8);
      this.lin[name] = { w, b, inDim, outDim };
    };
    linear('embed', F, d);
    for (let l = 0; l < dims.numLayers; l++) {
      for (const m of ['q', 'k', 'v', 'o']) linear(`layer${l}/attn/${m}`, d, d);
      linear(`layer${l}/ffn/1`, d, f);
      linear(`layer${l}/ffn/2`, f, d);
      this.tables.push(at);
      at = align16(at + (1 << K) * H * 8);
    }
    linear('decoder/q', d, d);
    linear('decoder/k', d, d);
    const norm = (name: string): void => {
      this.lnAt[name] = { gamma: at, beta: align16(at + d * 8) };
      at = align16(this.lnAt[name].beta + d * 8);
    };
    for (let l = 0; l < dims.numLayers; l++) for (const m of ['ln1', 'ln2']) norm(`layer${l}/${m}`);
    norm('final_ln');
    this.weightsEnd = at;
    this.f64 = new Float64Array(kernels.memory.buffer);
    this.u8 = new Uint8Array(kernels.memory.buffer);
    this.reserve(at);
  }

  /**
   * A kernel instance for a network of `dims`, or undefined where WebAssembly SIMD is missing,
   * `ARBITER_KERNEL` is `js`, or the sizes do not fit the kernels (hidden and feed-forward widths
   * must be even). `lnEps` is the layer norms' ε.
   */
  static create(dims: GraphNetDims, lnEps: number): GraphNetWasm | undefined {
    if (dims.hiddenDim % 2 !== 0 || dims.ffnDim % 2 !== 0 || !useWasmKernel('auto')) return undefined;
    try {
      const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
      compiled ??= new api.Module(decodeBase64(GRAPH_NET_WASM_BASE64));
      return new GraphNetWasm(new api.Instance(compiled, {}).exports as Kernels, dims, lnEps);
    } catch {
      return undefined;
    }
  }

  /**
   * Copies the weights in (row-major `in × out` kernels as TF dense layers, by
   * `graphNetParams` name).
   */
  setWeights(w: Record<string, Float32Array>): void {
    const h = this.f64;
    for (const [name, at] of Object.entries(this.lin)) {
      const W = w[`${name}/kernel`]!;
      const B = w[`${name}/bias`]!;
      const { inDim, outDim } = at;
      // Pair p of output columns, input i: W[i, 2p], W[i, 2p + 1] side by side.
      let o = at.w >>> 3;
      for (let p = 0; p < outDim; p += 2)
        for (let i = 0; i < inDim; i++) {
          h[o++] = W[i * outDim + p]!;
          h[o++] = W[i * outDim + p + 1]!;
        }
      h.set(B, at.b >>> 3);
    }
    const { numHeads: H, relationDim: K } = this.dims;
    for (let l = 0; l < this.dims.numLayers; l++) {
      // table[c·H + h] = Σ_k B[k, h] over the channels set in code c, rounded as Float32 sums.
      const rb = w[`layer${l}/attn/relation_bias`]!;
      const t0 = this.tables[l]! >>> 3;
      for (let c = 0; c < 1 << K; c++)
        for (let hh = 0; hh < H; hh++) {
          let s = 0;
          for (let b = 0; b < K; b++) if (c & (1 << b)) s = Math.fround(s + rb[b * H + hh]!);
          h[t0 + c * H + hh] = s;
        }
    }
    for (const [name, at] of Object.entries(this.lnAt)) {
      h.set(w[`${name}/gamma`]!, at.gamma >>> 3);
      h.set(w[`${name}/beta`]!, at.beta >>> 3);
    }
  }

  /**
   * Encodes a graph of n nodes (features n × F, pair codes n × n) and writes the final node
   * embeddings (n × d, Float32) into `z`. With `rows` (the first `count` entries, distinct node
   * indices), the last layer runs on those rows only: every row's attention, feed-forward block and
   * norm depend on its own row and on the keys and values of all rows, so the listed rows get the
   * same embeddings as a full pass, at O(count·n) instead of O(n²) attention; the other rows of `z`
   * are left as they were, and {@link GraphNetWasm.decoder} then projects the listed rows only.
   */
  encode(
    n: number,
    features: Float32Array,
    codes: Uint8Array,
    z: Float32Array,
    rows?: Int32Array,
    count = 0,
  ): void {
    const { nodeFeatureDim: F, hiddenDim: d, numHeads: H } = this.dims;
    this.ensure(n);
    const h = this.f64;
    const feat = this.feat >>> 3;
    for (let t = 0; t < n * F; t++) h[feat + t] = features[t]!;
    const layers = this.dims.numLayers;
    const partial = rows !== undefined && layers > 0;
    // A partial pass reads the codes of the listed rows only (copied below, compacted).
    if (!partial || layers > 1) this.u8.set(codes.subarray(0, n * n), this.codes);
    this.linear('embed', this.feat, this.x, n, PLAIN);
    const scale = 1 / Math.sqrt(d / H);
    for (let l = 0; l < layers; l++) {
      const L = `layer${l}`;
      this.layerNorm(`${L}/ln1`, this.x, this.y, n);
      this.linear(`${L}/attn/k`, this.y, this.kk, n, PLAIN);
      this.linear(`${L}/attn/v`, this.y, this.v, n, PLAIN);
      if (partial && l === layers - 1) {
        this.lastLayerRows(L, l, n, codes, rows, count, scale);
        break;
      }
      this.linear(`${L}/attn/q`, this.y, this.q, n, PLAIN);
      this.attention(
        this.q,
        this.kk,
        this.v,
        this.att,
        this.codes,
        this.tables[l]!,
        this.scratch,
        n,
        d,
        H,
        scale,
        n,
      );
      // x = fround(x + fround(att · W_o + b_o)), as the JavaScript loops' projection then sum.
      this.linear(`${L}/attn/o`, this.att, this.x, n, ADD);
      this.layerNorm(`${L}/ln2`, this.x, this.y, n);
      this.linear(`${L}/ffn/1`, this.y, this.ff, n, RELU);
      this.linear(`${L}/ffn/2`, this.ff, this.x, n, ADD);
    }
    if (partial) {
      const Y = this.yr >>> 3;
      for (let p = 0; p < count; p++) {
        const zo = rows[p]! * d;
        const yo = Y + p * d;
        for (let t = 0; t < d; t++) z[zo + t] = h[yo + t]!;
      }
      if (this.rowList.length < count) this.rowList = new Int32Array(n);
      this.rowList.set(rows.subarray(0, count));
      this.rowCount = count;
      return;
    }
    this.rowCount = -1;
    this.layerNorm('final_ln', this.x, this.y, n);
    const Y = this.y >>> 3;
    for (let t = 0; t < n * d; t++) z[t] = h[Y + t]!;
  }

  // The last layer (index l) on the listed rows, compacted: their normed rows, queries and codes
  // rows, attention against every key, projection, feed-forward block and final norm into yr.
  private lastLayerRows(
    L: string,
    l: number,
    n: number,
    codes: Uint8Array,
    rows: Int32Array,
    count: number,
    scale: number,
  ): void {
    const { hiddenDim: d, numHeads: H } = this.dims;
    const h = this.f64;
    const X = this.x >>> 3;
    const Y = this.y >>> 3;
    const XR = this.xr >>> 3;
    const YR = this.yr >>> 3;
    for (let p = 0; p < count; p++) {
      const r = rows[p]!;
      const src = r * d;
      const dst = p * d;
      for (let t = 0; t < d; t++) {
        h[XR + dst + t] = h[X + src + t]!;
        h[YR + dst + t] = h[Y + src + t]!;
      }
      this.u8.set(codes.subarray(r * n, r * n + n), this.codes + p * n);
    }
    this.linear(`${L}/attn/q`, this.yr, this.qr, count, PLAIN);
    this.attention(
      this.qr,
      this.kk,
      this.v,
      this.attr,
      this.codes,
      this.tables[l]!,
      this.scratch,
      n,
      d,
      H,
      scale,
      count,
    );
    this.linear(`${L}/attn/o`, this.attr, this.xr, count, ADD);
    this.layerNorm(`${L}/ln2`, this.xr, this.yr, count);
    this.linear(`${L}/ffn/1`, this.yr, this.ffr, count, RELU);
    this.linear(`${L}/ffn/2`, this.ffr, this.xr, count, ADD);
    this.layerNorm('final_ln', this.xr, this.yr, count);
  }

  /**
   * The decoder's queries and keys of the last encoded graph (n × d each) into `q` and `k`; after a
   * partial {@link GraphNetWasm.encode}, of its listed rows only (at their own rows of `q`, `k`).
   */
  decoder(n: number, q: Float32Array, k: Float32Array): void {
    const d = this.dims.hiddenDim;
    const h = this.f64;
    const count = this.rowCount;
    if (count >= 0) {
      this.linear('decoder/q', this.yr, this.qr, count, PLAIN);
      this.linear('decoder/k', this.yr, this.attr, count, PLAIN);
      const Q = this.qr >>> 3;
      const K = this.attr >>> 3;
      for (let p = 0; p < count; p++) {
        const o = this.rowList[p]! * d;
        const s = p * d;
        for (let t = 0; t < d; t++) {
          q[o + t] = h[Q + s + t]!;
          k[o + t] = h[K + s + t]!;
        }
      }
      return;
    }
    this.linear('decoder/q', this.y, this.q, n, PLAIN);
    this.linear('decoder/k', this.y, this.kk, n, PLAIN);
    const Q = this.q >>> 3;
    const K = this.kk >>> 3;
    for (let t = 0; t < n * d; t++) {
      q[t] = h[Q + t]!;
      k[t] = h[K + t]!;
    }
  }

  private linear(name: string, x: number, y: number, rows: number, mode: number): void {
    const at = this.lin[name]!;
    this.k.linear(x, at.w, at.b, y, rows, at.inDim, at.outDim, mode);
  }

  private layerNorm(name: string, x: number, y: number, rows: number): void {
    const at = this.lnAt[name]!;
    this.k.layerNorm(x, at.gamma, at.beta, y, rows, this.dims.hiddenDim, this.eps);
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const { nodeFeatureDim: F, hiddenDim: d, ffnDim: f, numHeads: H } = this.dims;
    let at = this.weightsEnd;
    const take = (bytes: number): number => {
      const o = at;
      at = align16(at + bytes);
      return o;
    };
    this.feat = take(n * F * 8);
    this.x = take(n * d * 8);
    this.y = take(n * d * 8);
    this.q = take(n * d * 8);
    this.kk = take(n * d * 8);
    this.v = take(n * d * 8);
    this.att = take(n * d * 8);
    this.ff = take(n * f * 8);
    this.scratch = take((n + 2 * (d / H)) * 16);
    this.codes = take(n * n);
    this.xr = take(n * d * 8);
    this.yr = take(n * d * 8);
    this.qr = take(n * d * 8);
    this.attr = take(n * d * 8);
    this.ffr = take(n * f * 8);
    this.reserve(at);
    this.cap = n;
  }

  // Grows the memory to `bytes` (weights survive: growing keeps the contents).
  private reserve(bytes: number): void {
    const mem = this.k.memory;
    if (bytes > mem.buffer.byteLength) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / PAGE));
    if (this.f64.buffer !== mem.buffer) {
      this.f64 = new Float64Array(mem.buffer);
      this.u8 = new Uint8Array(mem.buffer);
    }
  }
}
