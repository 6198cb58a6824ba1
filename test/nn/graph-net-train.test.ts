import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Discrete } from '../../src/core/spaces.js';
import {
  padGraphInto,
  paddedGraphLayout,
  type PaddedGraphLayout,
} from '../../src/core/wrappers/pad-graph-observation.js';
import { GRAPH_NET_LN_EPS, graphNetParams, type GraphNetDims } from '../../src/nn/graph-net-f32.js';
import { GraphNetTrainer } from '../../src/nn/graph-net-train.js';
import { GraphPolicy, type GraphPolicyConfig } from '../../src/nn/graph-policy.js';
import { isHostTrainable } from '../../src/nn/policy.js';
import { setTrainingKernel } from '../../src/nn/dense-train-wasm.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const MAX_NODES = 7;

interface Case {
  F: number;
  K: number;
  config: GraphPolicyConfig;
  sizes: number[];
  seed: number;
}

const cases = fc.record({
  F: fc.integer({ min: 1, max: 4 }),
  K: fc.integer({ min: 1, max: 3 }),
  // d ≥ 3: with d ≤ 2 every layer norm is constant, and its gradient is rounding noise.
  config: fc
    .record({
      numHeads: fc.constantFrom(1, 2),
      headDim: fc.integer({ min: 2, max: 4 }),
      numLayers: fc.integer({ min: 0, max: 2 }),
      ffnDim: fc.integer({ min: 1, max: 6 }),
      valueHiddenDim: fc.integer({ min: 1, max: 5 }),
      logitClip: fc.constantFrom(0, 2.5),
    })
    .map(({ headDim, ...c }) => ({
      ...c,
      hiddenDim: c.numHeads * (c.numHeads === 1 ? headDim + 1 : headDim),
    })),
  sizes: fc.array(fc.integer({ min: 2, max: MAX_NODES }), { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

/** Random graphs of the given sizes, random masks (≥ 1 allowed pair), actions among the allowed pairs. */
function randomBatch(layout: PaddedGraphLayout, sizes: number[], rng: Rng) {
  const N = layout.maxNodes;
  const { nodeFeatureDim: F, relationDim: K } = layout;
  const obs = new Float32Array(sizes.length * layout.size);
  const masks = new Uint8Array(sizes.length * N * N);
  const actions = new Int32Array(sizes.length);
  sizes.forEach((n, b) => {
    const nodeFeatures = Float32Array.from({ length: n * F }, () => rng.normal());
    const relations = Uint8Array.from({ length: n * n * K }, () => rng.int(2));
    padGraphInto({ numNodes: n, nodeFeatures, relations }, layout, obs, b * layout.size);
    const allowed: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (rng.random() < 0.5) {
          masks[b * N * N + i * N + j] = 1;
          allowed.push(i * N + j);
        }
    if (allowed.length === 0) {
      const a = rng.int(n) * N + rng.int(n);
      masks[b * N * N + a] = 1;
      allowed.push(a);
    }
    actions[b] = allowed[rng.int(allowed.length)]!;
  });
  return { obs, masks, actions };
}

function randomizeWeights(policy: GraphPolicy, rng: Rng, scale: number): void {
  const w = policy.getWeights();
  for (const k of Object.keys(w)) w[k] = Float32Array.from(w[k]!, () => scale * rng.normal());
  policy.setWeights(w);
}

function build(c: Case, rng: Rng, maxNodes = MAX_NODES) {
  const layout = paddedGraphLayout(maxNodes, c.F, c.K);
  const policy = new GraphPolicy(layout, new Discrete(maxNodes * maxNodes), c.config, new Rng(c.seed));
  randomizeWeights(policy, rng, 0.4);
  const batch = randomBatch(layout, c.sizes, rng);
  const B = c.sizes.length;
  const coef = (): Float32Array => Float32Array.from({ length: B }, () => rng.normal());
  return { layout, policy, ...batch, B, a: coef(), b: coef(), c: coef() };
}

/** Worst |x − y| / (1 + |y|). */
function worstRel(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < y.length; i++) w = Math.max(w, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return w;
}

/**
 * The loss Σ a·logπ(action) + b·H + c·V of the same network in float64 on the n real nodes of each
 * graph, with weights `w` by name (the definition in graph-net-f32.ts, written out independently).
 */
function lossF64(
  dims: GraphNetDims,
  w: Record<string, Float64Array>,
  layout: PaddedGraphLayout,
  obs: Float32Array,
  masks: Uint8Array,
  actions: Int32Array,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): number {
  const { hiddenDim: d, numHeads: H, relationDim: K, nodeFeatureDim: F, logitClip: C } = dims;
  const N = layout.maxNodes;
  const dh = d / H;
  const dense = (x: number[][], name: string, act?: (v: number) => number): number[][] => {
    const W = w[`${name}/kernel`]!;
    const bias = w[`${name}/bias`]!;
    const out = bias.length;
    return x.map((row) =>
      Array.from({ length: out }, (_, j) => {
        let s = bias[j]!;
        row.forEach((v, i) => (s += v * W[i * out + j]!));
        return act ? act(s) : s;
      }),
    );
  };
  const ln = (x: number[][], name: string): number[][] =>
    x.map((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / d;
      const vr = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
      const inv = 1 / Math.sqrt(vr + GRAPH_NET_LN_EPS);
      return row.map((v, j) => (v - mean) * inv * w[`${name}/gamma`]![j]! + w[`${name}/beta`]![j]!);
    });
  let total = 0;
  for (let g = 0; g < actions.length; g++) {
    const o = g * layout.size;
    const n = obs[o]!;
    const feat = Array.from({ length: n }, (_, i) =>
      Array.from(obs.subarray(o + 1 + i * F, o + 1 + (i + 1) * F)),
    );
    const rel = (i: number, j: number, k: number): number =>
      obs[o + layout.relationsOffset + (i * N + j) * K + k]!;
    let x = dense(feat, 'embed');
    for (let l = 0; l < dims.numLayers; l++) {
      const L = `layer${l}`;
      const y = ln(x, `${L}/ln1`);
      const q = dense(y, `${L}/attn/q`);
      const k = dense(y, `${L}/attn/k`);
      const v = dense(y, `${L}/attn/v`);
      const rb = w[`${L}/attn/relation_bias`]!;
      const att = Array.from({ length: n }, () => new Array<number>(d).fill(0));
      for (let h = 0; h < H; h++)
        for (let i = 0; i < n; i++) {
          const s = Array.from({ length: n }, (_, j) => {
            let dot = 0;
            for (let t = 0; t < dh; t++) dot += q[i]![h * dh + t]! * k[j]![h * dh + t]!;
            let bias = 0;
            for (let r = 0; r < K; r++) bias += rb[r * H + h]! * rel(i, j, r);
            return dot / Math.sqrt(dh) + bias;
          });
          const m = Math.max(...s);
          const e = s.map((z) => Math.exp(z - m));
          const sum = e.reduce((p, z) => p + z, 0);
          for (let j = 0; j < n; j++)
            for (let t = 0; t < dh; t++) att[i]![h * dh + t]! += (e[j]! / sum) * v[j]![h * dh + t]!;
        }
      const proj = dense(att, `${L}/attn/o`);
      x = x.map((row, i) => row.map((z, t) => z + proj[i]![t]!));
      const f = dense(
        dense(ln(x, `${L}/ln2`), `${L}/ffn/1`, (z) => Math.max(0, z)),
        `${L}/ffn/2`,
      );
      x = x.map((row, i) => row.map((z, t) => z + f[i]![t]!));
    }
    const z = ln(x, 'final_ln');
    const qd = dense(z, 'decoder/q');
    const kd = dense(z, 'decoder/k');
    const logits: number[] = [];
    const pairs: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (!masks[g * N * N + i * N + j]) continue;
        const s = qd[i]!.reduce((p, qv, t) => p + qv * kd[j]![t]!, 0) / Math.sqrt(d);
        logits.push(C > 0 ? C * Math.tanh(s) : s);
        pairs.push(i * N + j);
      }
    const m = Math.max(...logits);
    const lse = m + Math.log(logits.reduce((p, l) => p + Math.exp(l - m), 0));
    const ent = -logits.reduce((p, l) => p + Math.exp(l - lse) * (l - lse), 0);
    const logProb = logits[pairs.indexOf(actions[g]!)]! - lse;
    const pooled = [z[0]!.map((_, t) => z.reduce((p, row) => p + row[t]!, 0) / n)];
    const value = dense(dense(pooled, 'value/1', Math.tanh), 'value/2')[0]![0]!;
    total += a[g]! * logProb + b[g]! * ent + c[g]! * value;
  }
  return total;
}

describe('graph network training pass (fast learner)', () => {
  it('is host-trainable, and logProb, entropy and value equal the TF.js evaluateActions', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const rng = new Rng(c.seed);
        const t = build(c, rng);
        try {
          expect(isHostTrainable(t.policy)).toBe(true);
          const host = t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks);
          const ref = tf.tidy(() => {
            const e = t.policy.evaluateActions(t.obs, t.B, t.actions, t.masks);
            return [e.logProb.dataSync(), e.entropy.dataSync(), e.values.dataSync()];
          });
          expect(worstRel(host.logProb, ref[0]!)).toBeLessThan(1e-5);
          expect(worstRel(host.entropy, ref[1]!)).toBeLessThan(1e-5);
          expect(worstRel(host.values, ref[2]!)).toBeLessThan(1e-5);
        } finally {
          t.policy.dispose();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('gradients of Σ a·logProb + b·entropy + c·value equal tf.variableGrads (every parameter)', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const rng = new Rng(c.seed + 1);
        const t = build(c, rng);
        try {
          t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks);
          t.policy.backwardHost(t.a, t.b, t.c);
          const host = t.policy.hostGrads();
          const vars = t.policy.variables;
          const ref = tf.tidy(() => {
            const { grads } = tf.variableGrads(() => {
              const e = t.policy.evaluateActions(t.obs, t.B, t.actions, t.masks);
              return tf.sum(
                tf.addN([tf.mul(e.logProb, t.a), tf.mul(e.entropy, t.b), tf.mul(e.values, t.c)]),
              ) as tf.Scalar;
            }, vars);
            return vars.map((v) => Float32Array.from(grads[v.name]!.dataSync()));
          });
          ref.forEach((g, i) => {
            const scale = Math.max(1e-2, ...Array.from(g, Math.abs));
            let worst = 0;
            for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(host[i]![k]! - g[k]!));
            expect(worst / scale, graphNetParams(t.policy.dims)[i]!.name).toBeLessThan(1e-4);
          });
        } finally {
          t.policy.dispose();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('gradients match central finite differences of a float64 re-evaluation (3 entries per parameter)', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const rng = new Rng(c.seed + 2);
        const t = build(c, rng);
        try {
          const dims = t.policy.dims;
          const ev = t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks);
          t.policy.backwardHost(t.a, t.b, t.c);
          const grads = t.policy.hostGrads();
          const w64: Record<string, Float64Array> = {};
          const params = graphNetParams(dims);
          t.policy.hostParams().forEach((p, i) => (w64[params[i]!.name] = Float64Array.from(p)));
          const loss = (): number => lossF64(dims, w64, t.layout, t.obs, t.masks, t.actions, t.a, t.b, t.c);
          // The float64 loss is the function the host pass computes.
          let hostLoss = 0;
          for (let r = 0; r < t.B; r++)
            hostLoss += t.a[r]! * ev.logProb[r]! + t.b[r]! * ev.entropy[r]! + t.c[r]! * ev.values[r]!;
          expect(Math.abs(loss() - hostLoss)).toBeLessThan(1e-4 * (1 + Math.abs(hostLoss)));
          params.forEach((p, i) => {
            const w = w64[p.name]!;
            for (let e = 0; e < 3; e++) {
              const k = rng.int(w.length);
              const h = 1e-5;
              const w0 = w[k]!;
              w[k] = w0 + h;
              const up = loss();
              w[k] = w0 - h;
              const down = loss();
              w[k] = w0;
              const base = loss();
              const fd = (up - down) / (2 * h);
              // A ReLU kink within h of w0 makes the central difference a mix of two slopes; the
              // gradient is then the one-sided slope on w0's side, so that one is the reference.
              const g = grads[i]![k]!;
              const err = Math.min(
                Math.abs(g - fd),
                Math.abs(g - (up - base) / h),
                Math.abs(g - (base - down) / h),
              );
              expect(err, `${p.name}[${k}]`).toBeLessThan(1e-3 * (1 + Math.abs(fd)));
            }
          });
        } finally {
          t.policy.dispose();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('the JavaScript matrix products (no SIMD) give the same evaluation and gradients as the SIMD ones', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const rng = new Rng(c.seed + 3);
        const t = build(c, rng);
        try {
          const ev = t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks);
          const simd = [ev.logProb, ev.entropy, ev.values].map((a) => Float32Array.from(a));
          t.policy.backwardHost(t.a, t.b, t.c);
          const params = t.policy.hostParams();
          const grads = params.map((p) => new Float32Array(p.length));
          const js = new GraphNetTrainer(t.policy.dims, params, grads, { simd: false });
          const ej = js.forward(t.obs, t.B, t.layout, t.actions, t.masks);
          [ej.logProb, ej.entropy, ej.values].forEach((a, i) =>
            expect(worstRel(a, simd[i]!)).toBeLessThan(1e-5),
          );
          js.backward(t.a, t.b, t.c);
          t.policy.hostGrads().forEach((g, i) => expect(worstRel(grads[i]!, g)).toBeLessThan(1e-5));
        } finally {
          t.policy.dispose();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('on larger graphs (every SIMD block shape, several graphs per minibatch) matches tf.variableGrads', () => {
    // 9–24 nodes and d = 16: full 4 × 8 blocks, 4-wide and ragged tails in every product.
    const big = fc.record({
      F: fc.integer({ min: 1, max: 6 }),
      K: fc.integer({ min: 1, max: 4 }),
      config: fc.record({
        hiddenDim: fc.constant(16),
        numHeads: fc.constantFrom(2, 4),
        numLayers: fc.integer({ min: 1, max: 2 }),
        ffnDim: fc.constantFrom(12, 32),
        valueHiddenDim: fc.constant(8),
        logitClip: fc.constantFrom(0, 10),
      }),
      sizes: fc.array(fc.integer({ min: 9, max: 24 }), { minLength: 2, maxLength: 5 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
    });
    fc.assert(
      fc.property(big, (c) => {
        const rng = new Rng(c.seed + 4);
        const t = build(c, rng, 24);
        try {
          const host = t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks);
          const ev = [host.logProb, host.entropy, host.values].map((a) => Float32Array.from(a));
          t.policy.backwardHost(t.a, t.b, t.c);
          const vars = t.policy.variables;
          const ref = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => {
              const e = t.policy.evaluateActions(t.obs, t.B, t.actions, t.masks);
              return tf.sum(
                tf.addN([tf.mul(e.logProb, t.a), tf.mul(e.entropy, t.b), tf.mul(e.values, t.c)]),
              ) as tf.Scalar;
            }, vars);
            const e = t.policy.evaluateActions(t.obs, t.B, t.actions, t.masks);
            return {
              ev: [e.logProb.dataSync(), e.entropy.dataSync(), e.values.dataSync()],
              loss: value.dataSync()[0]!,
              grads: vars.map((v) => Float32Array.from(grads[v.name]!.dataSync())),
            };
          });
          ev.forEach((a, i) => expect(worstRel(a, ref.ev[i]!)).toBeLessThan(1e-5));
          const host2 = t.policy.hostGrads();
          ref.grads.forEach((g, i) => {
            const scale = Math.max(1e-2, ...Array.from(g, Math.abs));
            let worst = 0;
            for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(host2[i]![k]! - g[k]!));
            // Both sides sum in Float32 over up to 24 nodes (and TF.js over the padding too).
            expect(worst / scale, graphNetParams(t.policy.dims)[i]!.name).toBeLessThan(3e-4);
          });
          expect(Number.isFinite(ref.loss)).toBe(true);
          // The JavaScript kernels (exact Math.exp / Math.tanh) agree far more tightly.
          const params = t.policy.hostParams();
          const grads = params.map((p) => new Float32Array(p.length));
          const js = new GraphNetTrainer(t.policy.dims, params, grads, { simd: false });
          js.forward(t.obs, t.B, t.layout, t.actions, t.masks);
          js.backward(t.a, t.b, t.c);
          // (Relative to the largest gradient of all: some are rounding noise, e.g. the key biases'.)
          const scale = Math.max(...host2.map((g) => Math.max(...Array.from(g, Math.abs))));
          host2.forEach((g, i) => {
            let worst = 0;
            for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(grads[i]![k]! - g[k]!));
            expect(worst / scale, graphNetParams(t.policy.dims)[i]!.name).toBeLessThan(2e-5);
          });
        } finally {
          t.policy.dispose();
        }
      }),
      { numRuns: 8 },
    );
  });

  it('runs on the JavaScript kernels under setTrainingKernel("js") (ARBITER_KERNEL=js), with the same results', () => {
    const c: Case = {
      F: 3,
      K: 2,
      config: { hiddenDim: 8, numHeads: 2, numLayers: 2, ffnDim: 6, valueHiddenDim: 4, logitClip: 2.5 },
      sizes: [5, 7, 3],
      seed: 11,
    };
    const t = build(c, new Rng(11));
    try {
      const params = t.policy.hostParams();
      const run = (kernel: 'js' | 'auto') => {
        setTrainingKernel(kernel);
        const grads = params.map((p) => new Float32Array(p.length));
        const trainer = new GraphNetTrainer(t.policy.dims, params, grads);
        const e = trainer.forward(t.obs, t.B, t.layout, t.actions, t.masks);
        const out = [e.logProb, e.entropy, e.values].map((a) => Float32Array.from(a));
        trainer.backward(t.a, t.b, t.c);
        return { simd: trainer.simd, out, grads };
      };
      const js = run('js');
      const auto = run('auto');
      expect(js.simd).toBe(false);
      js.out.forEach((a, i) => expect(worstRel(a, auto.out[i]!)).toBeLessThan(1e-5));
      js.grads.forEach((g, i) => expect(worstRel(g, auto.grads[i]!)).toBeLessThan(1e-5));
    } finally {
      setTrainingKernel('auto');
      t.policy.dispose();
    }
  });

  it('rejects an action outside the graph, an empty mask, and backward without a forward pass', () => {
    const c: Case = { F: 2, K: 2, config: { hiddenDim: 4, numHeads: 2, numLayers: 1 }, sizes: [3], seed: 5 };
    const t = build(c, new Rng(5));
    try {
      const params = t.policy.hostParams();
      const trainer = new GraphNetTrainer(
        t.policy.dims,
        params,
        params.map((p) => new Float32Array(p.length)),
      );
      const ones = new Float32Array(1);
      expect(() => trainer.backward(ones, ones, ones)).toThrow(/call forward first/);
      expect(() => trainer.forward(t.obs, 1, t.layout, Int32Array.of(3 * MAX_NODES), t.masks)).toThrow(
        /outside its 3 nodes/,
      );
      expect(() => trainer.backward(ones, ones, ones)).toThrow(/call forward first/);
      expect(() => trainer.forward(t.obs, 1, t.layout, t.actions, new Uint8Array(t.masks.length))).toThrow(
        /allows no pair/,
      );
      const bad = Float32Array.from(t.obs);
      // Pair (1, 2), channel 1 of the 3-node graph.
      bad[t.layout.relationsOffset + (1 * MAX_NODES + 2) * 2 + 1] = 0.5;
      expect(() => trainer.forward(bad, 1, t.layout, t.actions, t.masks)).toThrow(
        /relation \(1, 2\) channel 1 of row 0 is 0.5, expected 0 or 1/,
      );
      trainer.forward(t.obs, 1, t.layout, t.actions, t.masks);
      expect(() => trainer.backward(ones, ones, new Float32Array(0))).toThrow(/need 1 rows/);
    } finally {
      t.policy.dispose();
    }
  });
});
