import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Box, Discrete, GraphSpace } from '../../src/core/spaces.js';
import {
  padGraphInto,
  paddedGraphLayout,
  type PaddedGraphLayout,
} from '../../src/core/wrappers/pad-graph-observation.js';
import { GraphNetF32, graphNetParams } from '../../src/nn/graph-net-f32.js';
import { GraphPolicy, graphPolicyDims } from '../../src/nn/graph-policy.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const F = 6;
const K = 4;

/** A padded batch of random graphs with the given node counts, and random masks (≥ 1 allowed pair each). */
function randomBatch(
  layout: PaddedGraphLayout,
  sizes: number[],
  rng: Rng,
): { obs: Float32Array; masks: Uint8Array } {
  const N = layout.maxNodes;
  const obs = new Float32Array(sizes.length * layout.size);
  const masks = new Uint8Array(sizes.length * N * N);
  sizes.forEach((n, b) => {
    const g = new GraphSpace(F, K, n).sample(rng);
    // sample() draws 1…n nodes; force exactly n.
    const nodeFeatures = Float32Array.from({ length: n * F }, () => rng.normal());
    const relations = Uint8Array.from({ length: n * n * K }, () => rng.int(2));
    padGraphInto({ ...g, numNodes: n, nodeFeatures, relations }, layout, obs, b * layout.size);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (rng.random() < 0.3) masks[b * N * N + i * N + j] = 1;
    masks[b * N * N + rng.int(n) * N + rng.int(n)] = 1;
  });
  return { obs, masks };
}

/** Replaces every weight by N(0, 0.5²) values so that the test exercises every parameter. */
function randomizeWeights(policy: GraphPolicy, rng: Rng): void {
  const w = policy.getWeights();
  for (const k of Object.keys(w)) w[k] = Float32Array.from(w[k]!, () => 0.5 * rng.normal());
  policy.setWeights(w);
}

describe('GraphPolicy', () => {
  it('has the expected parameter count (≈ 22k with the defaults)', () => {
    const layout = paddedGraphLayout(8, F, K);
    const policy = new GraphPolicy(layout, new Discrete(64), {}, new Rng(1));
    const d = 32;
    const f = 64;
    const layer = 4 * d + 4 * (d * d + d) + K * 4 + (d * f + f) + (f * d + d);
    const expected = F * d + d + 2 * layer + 2 * d + 2 * (d * d + d) + (d * 64 + 64) + (64 + 1);
    expect(policy.numParams()).toBe(expected);
    expect(expected).toBeGreaterThan(20_000);
    expect(expected).toBeLessThan(60_000);
    const sum = graphNetParams(graphPolicyDims(layout)).reduce(
      (s, p) => s + p.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(sum).toBe(expected);
    policy.dispose();
  });

  it('Float32 act() agrees with TF evaluateActions() within 1e-4 on graphs of several sizes', () => {
    const rng = new Rng(5);
    const layout = paddedGraphLayout(12, F, K);
    const policy = new GraphPolicy(layout, new Discrete(144), { hiddenDim: 16, numHeads: 2 }, new Rng(2));
    randomizeWeights(policy, rng);
    const sizes = [1, 3, 7, 12, 5, 9];
    const { obs, masks } = randomBatch(layout, sizes, rng);
    const B = sizes.length;
    const out = { actions: new Int32Array(B), logProbs: new Float32Array(B), values: new Float32Array(B) };
    policy.act(obs, B, masks, new Rng(9), false, out);
    const [lp, v, ent] = tf.tidy(() => {
      const e = policy.evaluateActions(obs, B, out.actions, masks);
      return [e.logProb.dataSync(), e.values.dataSync(), e.entropy.dataSync()];
    });
    for (let b = 0; b < B; b++) {
      expect(Math.abs(lp[b]! - out.logProbs[b]!)).toBeLessThan(1e-4);
      expect(Math.abs(v[b]! - out.values[b]!)).toBeLessThan(1e-4);
      expect(ent[b]!).toBeGreaterThanOrEqual(-1e-5);
    }
    // Values of graphs with very different sizes differ (the network is not constant).
    expect(new Set(Array.from(out.values, (x) => x.toFixed(4))).size).toBeGreaterThan(1);
    const values = policy.value(obs, B);
    for (let b = 0; b < B; b++) expect(values[b]).toBeCloseTo(out.values[b]!, 6);
    policy.dispose();
  });

  it('Float32 logits equal the TF logits on every real pair (default architecture, random weights)', () => {
    const rng = new Rng(11);
    const layout = paddedGraphLayout(10, F, K);
    const policy = new GraphPolicy(layout, new Discrete(100), {}, new Rng(3));
    randomizeWeights(policy, rng);
    const sizes = [10, 4, 7];
    const { obs } = randomBatch(layout, sizes, rng);
    const M = 10;
    const tfLogits = tf.tidy(() => {
      const feat = new Float32Array(sizes.length * M * F);
      const rel = new Float32Array(sizes.length * M * M * K);
      const nodeMask = new Float32Array(sizes.length * M);
      sizes.forEach((n, b) => {
        const o = b * layout.size;
        feat.set(obs.subarray(o + 1, o + 1 + M * F), b * M * F);
        rel.set(obs.subarray(o + layout.relationsOffset, o + layout.size), b * M * M * K);
        nodeMask.fill(1, b * M, b * M + n);
      });
      const r = policy.forwardTf(
        tf.tensor3d(feat, [sizes.length, M, F]),
        tf.tensor4d(rel, [sizes.length, M, M, K]),
        tf.tensor2d(nodeMask, [sizes.length, M]),
        sizes.length,
        M,
      );
      return r.logits.dataSync();
    });
    const row = new Float32Array(100);
    let maxAbs = 0;
    sizes.forEach((n, b) => {
      expect(policy.logitsF32(obs, b, row)).toBe(n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const diff = Math.abs(row[i * 10 + j]! - tfLogits[b * 100 + i * M + j]!);
          maxAbs = Math.max(maxAbs, Math.abs(row[i * 10 + j]!));
          expect(diff).toBeLessThan(1e-4);
        }
    });
    expect(maxAbs).toBeGreaterThan(0.1); // logits are not trivially near zero
    policy.dispose();
  });

  it('never chooses a masked action nor a pair outside the real nodes (sampled and greedy)', () => {
    const rng = new Rng(21);
    const layout = paddedGraphLayout(9, F, K);
    const policy = new GraphPolicy(layout, new Discrete(81), { hiddenDim: 16 }, new Rng(4));
    randomizeWeights(policy, rng);
    const sizes = [2, 9, 5, 3];
    const B = sizes.length;
    const out = { actions: new Int32Array(B), logProbs: new Float32Array(B), values: new Float32Array(B) };
    for (let trial = 0; trial < 40; trial++) {
      const { obs, masks } = randomBatch(layout, sizes, rng);
      policy.act(obs, B, masks, rng, trial % 2 === 0, out);
      for (let b = 0; b < B; b++) {
        expect(masks[b * 81 + out.actions[b]!]).toBe(1);
        expect(Number.isFinite(out.logProbs[b]!)).toBe(true);
      }
      // Without a mask, only real pairs.
      policy.act(obs, B, undefined, rng, false, out);
      sizes.forEach((n, b) => {
        const a = out.actions[b]!;
        expect(Math.floor(a / 9)).toBeLessThan(n);
        expect(a % 9).toBeLessThan(n);
      });
    }
    policy.dispose();
  });

  it('gives a gradient to every variable, and weights round-trip through getWeights/setWeights', () => {
    const rng = new Rng(31);
    const layout = paddedGraphLayout(6, F, K);
    const a = new GraphPolicy(layout, new Discrete(36), { hiddenDim: 16 }, new Rng(5));
    randomizeWeights(a, rng);
    const { obs, masks } = randomBatch(layout, [6, 4, 2], rng);
    const out = { actions: new Int32Array(3), logProbs: new Float32Array(3), values: new Float32Array(3) };
    a.act(obs, 3, masks, rng, false, out);
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const e = a.evaluateActions(obs, 3, out.actions, masks);
        return tf.sum(tf.add(tf.add(e.logProb, e.values), tf.mul(0.1, e.entropy))) as tf.Scalar;
      }, a.variables);
      for (const v of a.variables) {
        const g = grads[v.name];
        expect(g, v.name).toBeDefined();
        expect(Number.isFinite(tf.sum(tf.abs(g!)).dataSync()[0]!)).toBe(true);
      }
      const relGrad = grads[a.variables.find((v) => v.name.includes('relation_bias'))!.name]!;
      expect(tf.max(tf.abs(relGrad)).dataSync()[0]!).toBeGreaterThan(0);
    });
    const b = new GraphPolicy(layout, new Discrete(36), { hiddenDim: 16 }, new Rng(6));
    b.setWeights(a.getWeights());
    const va = a.value(obs, 3);
    const vb = b.value(obs, 3);
    for (let i = 0; i < 3; i++) expect(vb[i]).toBe(va[i]);
    // The Float32 net built from the same weights is the same function.
    const net = new GraphNetF32(a.dims, a.getWeights());
    net.encode({
      numNodes: 6,
      nodeFeatures: obs.subarray(1, 37),
      relations: obs.subarray(layout.relationsOffset, layout.size),
      relStride: 6,
    });
    expect(net.value(6)).toBeCloseTo(va[0]!, 5);
    a.dispose();
    b.dispose();
  });

  it("inferenceNet() on a raw (unpadded) graph gives the padded path's logits and value", () => {
    const rng = new Rng(41);
    const layout = paddedGraphLayout(11, F, K);
    const policy = new GraphPolicy(layout, new Discrete(121), {}, new Rng(8));
    randomizeWeights(policy, rng);
    const n = 7;
    const g = {
      numNodes: n,
      nodeFeatures: Float32Array.from({ length: n * F }, () => rng.normal()),
      relations: Uint8Array.from({ length: n * n * K }, () => rng.int(2)),
    };
    const obs = new Float32Array(layout.size);
    padGraphInto(g, layout, obs);
    const padded = new Float32Array(121);
    policy.logitsF32(obs, 0, padded);
    const raw = new Float32Array(121);
    const net = policy.inferenceNet();
    net.encode({ ...g, relStride: n });
    net.pairLogits(n, raw, 11);
    expect(net.value(n)).toBeCloseTo(policy.value(obs, 1)[0]!, 6);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(raw[i * 11 + j]).toBe(padded[i * 11 + j]);
    policy.dispose();
  });

  it('coded relations and pairLogitsAt give the same values as 0/1 relations and pairLogits', () => {
    const rng = new Rng(43);
    const layout = paddedGraphLayout(9, F, K);
    const policy = new GraphPolicy(layout, new Discrete(81), {}, new Rng(9));
    randomizeWeights(policy, rng);
    const n = 9;
    const nodeFeatures = Float32Array.from({ length: n * F }, () => rng.normal());
    const relations = Uint8Array.from({ length: n * n * K }, () => rng.int(2));
    const codes = new Uint8Array(n * n);
    for (let p = 0; p < n * n; p++) for (let c = 0; c < K; c++) codes[p]! |= relations[p * K + c]! << c;
    const net = policy.inferenceNet();
    const full = new Float32Array(n * n);
    net.encode({ numNodes: n, nodeFeatures, relations, relStride: n });
    net.pairLogits(n, full, n);
    const v = net.value(n);
    const some = [0, 5, 13, 40, 80];
    const at = new Float32Array(n * n).fill(NaN);
    net.encode({ numNodes: n, nodeFeatures, relationCodes: codes });
    net.pairLogitsAt(n, some, n, at);
    expect(net.value(n)).toBe(v);
    for (const a of some) expect(at[a]).toBe(full[a]);
    expect(Number.isNaN(at[1]!)).toBe(true); // only the listed pairs are written
    // Relations must be 0/1.
    const soft = Float32Array.from(relations);
    soft[7] = 0.5;
    expect(() => net.encode({ numNodes: n, nodeFeatures, relations: soft })).toThrow(
      /relation \(0, 1\) channel 3 is 0.5/,
    );
    policy.dispose();
  });

  it('host weights and TF variables are one network: in-place host updates reach TF and act(), TF updates reach the host', () => {
    const rng = new Rng(51);
    const layout = paddedGraphLayout(6, F, K);
    const policy = new GraphPolicy(layout, new Discrete(36), { hiddenDim: 8, numHeads: 2 }, new Rng(10));
    randomizeWeights(policy, rng);
    const { obs, masks } = randomBatch(layout, [6, 3], rng);
    const out = { actions: new Int32Array(2), logProbs: new Float32Array(2), values: new Float32Array(2) };
    policy.act(obs, 2, masks, new Rng(1), true, out);
    const v0 = policy.value(obs, 2).slice();
    const params = policy.hostParams();
    expect(policy.hostParams()[0]).toBe(params[0]); // stable identity
    // The host side changes (as the fast learner's optimizer does): everything else follows.
    for (const p of params) for (let i = 0; i < p.length; i++) p[i] = p[i]! * 1.5 + 0.01;
    policy.markHostChanged();
    const v1 = policy.value(obs, 2);
    expect(Math.abs(v1[0]! - v0[0]!)).toBeGreaterThan(1e-4);
    const tfValues = tf.tidy(() => policy.evaluateActions(obs, 2, out.actions, masks).values.dataSync());
    for (let b = 0; b < 2; b++) expect(tfValues[b]).toBeCloseTo(v1[b]!, 4);
    const byName = policy.getWeights();
    expect(Array.from(byName['embed/kernel']!)).toEqual(Array.from(params[0]!));
    expect(Array.from(policy.variables[0]!.dataSync())).toEqual(Array.from(params[0]!));
    // The TF side changes: the host arrays (same identity) and the rollout network follow.
    const other = new GraphPolicy(layout, new Discrete(36), { hiddenDim: 8, numHeads: 2 }, new Rng(11));
    policy.setWeights(other.getWeights());
    expect(policy.hostParams()[0]).toBe(params[0]);
    expect(Array.from(params[0]!)).toEqual(Array.from(other.hostParams()[0]!));
    const v2 = policy.value(obs, 2);
    const v3 = other.value(obs, 2);
    for (let b = 0; b < 2; b++) expect(v2[b]).toBe(v3[b]);
    other.dispose();
    policy.dispose();
  });

  it('rejects a wrong action space, observation length or missing weight', () => {
    const layout = paddedGraphLayout(4, F, K);
    expect(() => new GraphPolicy(layout, new Discrete(15), {}, new Rng(1))).toThrow(/Discrete\(16\)/);
    expect(() => new GraphPolicy(layout, new Box(0, 1, [16]), {}, new Rng(1))).toThrow(/Discrete\(16\)/);
    expect(() => GraphPolicy.factory(layout)(layout.size + 1, new Discrete(16), new Rng(1))).toThrow(
      /padded layout/,
    );
    expect(
      () => new GraphPolicy(layout, new Discrete(16), { hiddenDim: 30, numHeads: 4 }, new Rng(1)),
    ).toThrow(/divide/);
    const p = new GraphPolicy(layout, new Discrete(16), {}, new Rng(1));
    const w = p.getWeights();
    delete w['decoder/q/kernel'];
    expect(() => p.setWeights(w)).toThrow(/decoder\/q\/kernel/);
    p.dispose();
  });
});
