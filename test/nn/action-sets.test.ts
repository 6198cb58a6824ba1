import { beforeAll, describe, expect, it } from 'vitest';
import { BehaviorCloning } from '../../src/agents/behavior-cloning.js';
import { Rng } from '../../src/core/rng.js';
import { Discrete } from '../../src/core/spaces.js';
import { padGraphInto, paddedGraphLayout } from '../../src/core/wrappers/pad-graph-observation.js';
import {
  checkActionSets,
  evaluatesActionSets,
  packActionSets,
  type ActionSets,
} from '../../src/nn/action-sets.js';
import { GraphPolicy } from '../../src/nn/graph-policy.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const N = 6;
const layout = paddedGraphLayout(N, 3, 2);

// A policy with random weights and a batch of random graphs, masks and allowed actions.
function setup(seed: number, sizes = [4, 6, 3, 5], logitClip = 2.5) {
  const rng = new Rng(seed);
  const policy = new GraphPolicy(
    layout,
    new Discrete(N * N),
    { hiddenDim: 8, numHeads: 2, numLayers: 1, logitClip },
    rng,
  );
  const w = policy.getWeights();
  for (const k of Object.keys(w)) w[k] = Float32Array.from(w[k]!, () => 0.5 * rng.normal());
  policy.setWeights(w);
  const B = sizes.length;
  const obs = new Float32Array(B * layout.size);
  const masks = new Uint8Array(B * N * N);
  const actions = new Int32Array(B);
  const allowed: number[][] = [];
  sizes.forEach((n, b) => {
    padGraphInto(
      {
        numNodes: n,
        nodeFeatures: Float32Array.from({ length: n * 3 }, () => rng.normal()),
        relations: Uint8Array.from({ length: n * n * 2 }, () => rng.int(2)),
      },
      layout,
      obs,
      b * layout.size,
    );
    const row: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (i !== j && rng.random() < 0.6) {
          masks[b * N * N + i * N + j] = 1;
          row.push(i * N + j);
        }
    // At least two choices: pairs 0 → 1 and 1 → 0.
    if (row.length < 2)
      for (const a of [1, N])
        if (!row.includes(a)) {
          row.push(a);
          masks[b * N * N + a] = 1;
        }
    row.sort((x, y) => x - y);
    allowed.push(row);
    actions[b] = row[rng.int(row.length)]!;
  });
  // A random subset of each row's allowed actions holding the action, plus one disallowed pair.
  const subsets = allowed.map((row, b) => {
    const s = row.filter((a) => a === actions[b] || rng.random() < 0.4);
    const off = Array.from(
      { length: sizes[b]! * sizes[b]! },
      (_, k) => Math.floor(k / sizes[b]!) * N + (k % sizes[b]!),
    ).find((a) => !masks[b * N * N + a]);
    return off === undefined ? s : [...s, off];
  });
  return { rng, policy, B, obs, masks, actions, allowed, subsets };
}

const hostLogProb = (t: ReturnType<typeof setup>, sets?: ActionSets): Float32Array =>
  Float32Array.from(t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks, sets).logProb);
const tfLogProb = (t: ReturnType<typeof setup>, sets?: ActionSets): Float32Array =>
  tf.tidy(() =>
    Float32Array.from(t.policy.evaluateActions(t.obs, t.B, t.actions, t.masks, sets).logProb.dataSync()),
  );

describe('action sets', () => {
  it('packs rows into offsets and a flat list, and checks offsets', () => {
    const s = packActionSets([[3, 5], [], [7]]);
    expect(Array.from(s.offsets)).toEqual([0, 2, 2, 3]);
    expect(Array.from(s.actions.subarray(0, 3))).toEqual([3, 5, 7]);
    expect(() => checkActionSets(s, 3, 't')).not.toThrow();
    expect(() => checkActionSets(s, 4, 't')).toThrow(/offsets/);
    expect(() =>
      checkActionSets({ offsets: Int32Array.from([0, 3]), actions: new Int32Array(2) }, 1, 't'),
    ).toThrow(/row 0/);
    // Reuses large-enough arrays.
    const again = packActionSets([[1], [2]], s);
    expect(again.offsets).toBe(s.offsets);
    expect(again.actions).toBe(s.actions);
  });

  it('|T| = 1 gives the single-action log-probability (host pass and TF.js)', () => {
    const t = setup(1);
    try {
      const sets = packActionSets(Array.from(t.actions, (a) => [a]));
      const single = hostLogProb(t);
      const host = hostLogProb(t, sets);
      const ref = tfLogProb(t);
      const viaTf = tfLogProb(t, sets);
      for (let b = 0; b < t.B; b++) {
        expect(host[b]).toBeCloseTo(single[b]!, 5);
        expect(viaTf[b]).toBeCloseTo(ref[b]!, 5);
        expect(host[b]).toBeCloseTo(ref[b]!, 4);
        expect(single[b]!).toBeLessThan(-0.01); // a real choice among several
      }
    } finally {
      t.policy.dispose();
    }
  });

  it('T = every allowed action gives log-probability 0, so loss 0 (host pass and TF.js)', () => {
    const t = setup(2);
    try {
      const sets = packActionSets(t.allowed);
      for (const lp of [hostLogProb(t, sets), tfLogProb(t, sets)])
        for (let b = 0; b < t.B; b++) expect(Math.abs(lp[b]!)).toBeLessThan(1e-5);
    } finally {
      t.policy.dispose();
    }
  });

  it('is log Σ_T π: disallowed members count 0, and the host pass equals TF.js', () => {
    for (const clip of [0, 2.5]) {
      const t = setup(3 + clip, [5, 6, 2, 4], clip);
      try {
        const sets = packActionSets(t.subsets);
        const host = hostLogProb(t, sets);
        const ref = tfLogProb(t, sets);
        // Σ over the allowed members of the single-action probabilities.
        const probs = t.subsets.map((s, b) =>
          s
            .filter((a) => t.masks[b * N * N + a])
            .reduce((acc, a) => {
              const one = { ...t, actions: Int32Array.from(t.actions, (x, r) => (r === b ? a : x)) };
              return acc + Math.exp(hostLogProb(one)[b]!);
            }, 0),
        );
        for (let b = 0; b < t.B; b++) {
          expect(host[b]).toBeCloseTo(Math.log(probs[b]!), 4);
          expect(host[b]).toBeCloseTo(ref[b]!, 4);
        }
      } finally {
        t.policy.dispose();
      }
    }
  });

  it('host gradients of Σ c·log Σ_T π equal tf.variableGrads (every parameter)', () => {
    for (const clip of [0, 2.5]) {
      const t = setup(7 + clip, [4, 6, 5], clip);
      try {
        const sets = packActionSets(t.subsets);
        const c = Float32Array.from({ length: t.B }, () => t.rng.normal());
        const z = new Float32Array(t.B);
        t.policy.evaluateActionsHost(t.obs, t.B, t.actions, t.masks, sets);
        t.policy.backwardHost(c, z, z);
        const host = t.policy.hostGrads().map((g) => Float32Array.from(g));
        const vars = t.policy.variables;
        const ref = tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const e = t.policy.evaluateActions(t.obs, t.B, t.actions, t.masks, sets);
            // The value head enters with weight 0 so that every variable has a gradient.
            return tf.add(tf.sum(tf.mul(e.logProb, c)), tf.mul(tf.sum(e.values), 0)) as tf.Scalar;
          }, vars);
          return vars.map((v) => Float32Array.from(grads[v.name]!.dataSync()));
        });
        let any = 0;
        ref.forEach((g, i) => {
          const scale = Math.max(1e-2, ...Array.from(g, Math.abs));
          for (let k = 0; k < g.length; k++) {
            expect(Math.abs(host[i]![k]! - g[k]!) / scale).toBeLessThan(1e-4);
            any = Math.max(any, Math.abs(g[k]!));
          }
        });
        expect(any).toBeGreaterThan(1e-3);
      } finally {
        t.policy.dispose();
      }
    }
  });

  it('behaviour cloning with singleton sets takes the single-action step; with every allowed action its NLL is 0', () => {
    for (const learner of ['fast', 'tfjs'] as const) {
      const a = setup(11);
      const b = setup(11);
      try {
        const returns = Float32Array.from({ length: a.B }, (_, k) => k);
        // vfCoef 0: the last step's gradient is the likelihood term's alone.
        const bcA = new BehaviorCloning(a.policy, { learner, vfCoef: 0 });
        const bcB = new BehaviorCloning(b.policy, { learner, vfCoef: 0 });
        const single = bcA.step(a.obs, a.B, a.actions, a.masks, returns);
        const viaSet = bcB.step(
          b.obs,
          b.B,
          b.actions,
          b.masks,
          returns,
          undefined,
          packActionSets(Array.from(b.actions, (x) => [x])),
        );
        expect(viaSet.nll).toBeCloseTo(single.nll, 5);
        expect(viaSet.gradNorm).toBeCloseTo(single.gradNorm, 4);
        const wa = a.policy.getWeights();
        const wb = b.policy.getWeights();
        for (const k of Object.keys(wa))
          for (let i = 0; i < wa[k]!.length; i++) expect(wb[k]![i]).toBeCloseTo(wa[k]![i]!, 5);
        const all = bcB.step(b.obs, b.B, b.actions, b.masks, returns, undefined, packActionSets(b.allowed));
        expect(Math.abs(all.nll)).toBeLessThan(1e-5);
        expect(all.gradNorm).toBeLessThan(1e-4);
        bcA.dispose();
        bcB.dispose();
      } finally {
        a.policy.dispose();
        b.policy.dispose();
      }
    }
  });

  it('behaviour cloning refuses sets for a policy that cannot evaluate them', () => {
    const mlp = new ActorCriticPolicy(3, new Discrete(2), {}, new Rng(1));
    try {
      expect(evaluatesActionSets(mlp)).toBe(false);
      const bc = new BehaviorCloning(mlp, { learner: 'tfjs' });
      expect(() =>
        bc.step(
          new Float32Array(3),
          1,
          Int32Array.from([0]),
          undefined,
          undefined,
          undefined,
          packActionSets([[0]]),
        ),
      ).toThrow(/target sets/);
      bc.dispose();
    } finally {
      mlp.dispose();
    }
  });
});
