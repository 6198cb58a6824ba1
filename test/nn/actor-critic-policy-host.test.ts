import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Box, Discrete } from '../../src/core/spaces.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { isHostTrainable } from '../../src/nn/policy.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const configArb = fc.record({
  obsDim: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 2 }),
  shareTrunk: fc.boolean(),
  activation: fc.constantFrom<'tanh' | 'relu'>('tanh', 'relu'),
  kind: fc.constantFrom('discrete', 'masked', 'box'),
  actionDim: fc.integer({ min: 2, max: 5 }),
  batch: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

type Cfg = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function setup(c: Cfg) {
  const rng = new Rng(c.seed);
  const space = c.kind === 'box' ? new Box(-1, 1, [c.actionDim]) : new Discrete(c.actionDim);
  const policy = new ActorCriticPolicy(
    c.obsDim,
    space,
    {
      hiddenSizes: c.hidden,
      shareTrunk: c.shareTrunk,
      activation: c.activation,
      policyGain: 1,
      logStdInit: -0.3,
    },
    rng,
  );
  const u = (n: number, s: number) => Float32Array.from({ length: n }, () => (rng.random() * 2 - 1) * s);
  const obs = u(c.batch * c.obsDim, 2);
  const masks =
    c.kind === 'masked'
      ? Uint8Array.from({ length: c.batch * c.actionDim }, () => (rng.random() < 0.6 ? 1 : 0))
      : undefined;
  const actions =
    c.kind === 'box'
      ? u(c.batch * c.actionDim, 1.5)
      : Int32Array.from({ length: c.batch }, () => Math.floor(rng.random() * c.actionDim));
  // A PPO-like loss: per-row coefficients on log π(a), entropy and value.
  const a = u(c.batch, 1);
  const b = u(c.batch, 1);
  const v = u(c.batch, 1);
  return { policy, obs, masks, actions, a, b, v };
}

describe('ActorCriticPolicy on the host (fast learner)', () => {
  it('property: evaluateActionsHost and backwardHost match evaluateActions and tf.variableGrads', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const { policy, obs, masks, actions, a, b, v } = setup(c);
        try {
          expect(isHostTrainable(policy)).toBe(true);
          const ev = policy.evaluateActionsHost(obs, c.batch, actions, masks);
          const host = {
            logProb: Float32Array.from(ev.logProb),
            entropy: Float32Array.from(ev.entropy),
            values: Float32Array.from(ev.values),
          };
          policy.backwardHost(a, b, v);
          const grads = policy.hostGrads().map((g) => Float32Array.from(g));
          const ref = tf.tidy(() => {
            const vars = policy.variables;
            let out: { logProb: Float32Array; entropy: Float32Array; values: Float32Array } | undefined;
            const { grads: g } = tf.variableGrads(() => {
              const e = policy.evaluateActions(obs, c.batch, actions, masks);
              out = {
                logProb: Float32Array.from(e.logProb.dataSync()),
                entropy: Float32Array.from(e.entropy.dataSync()),
                values: Float32Array.from(e.values.dataSync()),
              };
              return tf.addN([
                tf.sum(tf.mul(e.logProb, a)),
                tf.sum(tf.mul(e.entropy, b)),
                tf.sum(tf.mul(e.values, v)),
              ]) as tf.Scalar;
            }, vars);
            return { ...out!, grads: vars.map((x) => Float32Array.from(g[x.name]!.dataSync())) };
          });
          const close = (x: Float32Array, y: Float32Array, tol: number) => {
            expect(x.length).toBe(y.length);
            for (let i = 0; i < x.length; i++)
              expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
          };
          close(host.logProb, ref.logProb, 1e-5);
          close(host.entropy, ref.entropy, 1e-5);
          close(host.values, ref.values, 1e-5);
          expect(grads.length).toBe(ref.grads.length);
          grads.forEach((g, i) => close(g, ref.grads[i]!, 1e-4));
          // backwardHost writes (does not add): a second call gives the same gradients.
          policy.evaluateActionsHost(obs, c.batch, actions, masks);
          policy.backwardHost(a, b, v);
          policy.hostGrads().forEach((g, i) => close(g, grads[i]!, 1e-6));
        } finally {
          policy.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('host parameter changes reach the variables, getWeights and act(); setWeights reaches the host', () => {
    const policy = new ActorCriticPolicy(
      3,
      new Box(-1, 1, [2]),
      { hiddenSizes: [4], shareTrunk: true },
      new Rng(4),
    );
    try {
      const params = policy.hostParams();
      expect(params.map((p) => p.length)).toEqual(policy.variables.map((x) => x.size));
      for (const p of params) for (let i = 0; i < p.length; i++) p[i] = p[i]! + 0.25;
      policy.markHostChanged();
      const vars = policy.variables;
      params.forEach((p, i) => expect(Float32Array.from(vars[i]!.dataSync())).toEqual(p));
      expect(policy.getWeights().logStd).toEqual(params[params.length - 1]);
      const w = policy.getWeights();
      w.logStd = Float32Array.of(-1, -2);
      policy.setWeights(w);
      expect(policy.hostParams()[params.length - 1]).toEqual(Float32Array.of(-1, -2));
      expect(policy.hostParams()[params.length - 1]).toBe(params[params.length - 1]);
    } finally {
      policy.dispose();
    }
  });
});
