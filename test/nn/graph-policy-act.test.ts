/**
 * GraphPolicy.act scores only the allowed pairs and samples over their list; this pins it to the
 * straightforward reference it replaced (every pair's logit, the masked softmax over the whole
 * maxNodes² row): the same actions, bit-identical log-probabilities and values, the same RNG
 * draws, on both kernels of the Float32 network.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Discrete, GraphSpace } from '../../src/core/spaces.js';
import { padGraphInto, paddedGraphLayout } from '../../src/core/wrappers/pad-graph-observation.js';
import { GraphPolicy } from '../../src/nn/graph-policy.js';
import {
  logSumExpAmong,
  maskedLogSumExp,
  sampleCategoricalAmong,
  sampleMaskedCategorical,
} from '../../src/nn/masked-categorical.js';
import { initTf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

const F = 6;
const K = 4;

describe('GraphPolicy.act', () => {
  it('property: equals the full-row reference (actions, log-probabilities, values, RNG state)', () => {
    const N = 10;
    const layout = paddedGraphLayout(N, F, K);
    const A = N * N;
    const policy = new GraphPolicy(layout, new Discrete(A), { hiddenDim: 8, numHeads: 2 }, new Rng(2));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: N }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.boolean(),
        fc.boolean(),
        (sizes, seed, deterministic, unmasked) => {
          const rng = new Rng(seed);
          const w = policy.getWeights();
          for (const k of Object.keys(w)) w[k] = Float32Array.from(w[k]!, () => rng.normal());
          policy.setWeights(w);
          const B = sizes.length;
          const obs = new Float32Array(B * layout.size);
          const masks = new Uint8Array(B * A).fill(1); // pairs outside the real block never count
          sizes.forEach((n, b) => {
            const g = new GraphSpace(F, K, n).sample(rng);
            const nodeFeatures = Float32Array.from({ length: n * F }, () => rng.normal());
            const relations = Uint8Array.from({ length: n * n * K }, () => rng.int(2));
            padGraphInto({ ...g, numNodes: n, nodeFeatures, relations }, layout, obs, b * layout.size);
            for (let i = 0; i < n; i++)
              for (let j = 0; j < n; j++) masks[b * A + i * N + j] = rng.random() < 0.3 ? 1 : 0;
            masks[b * A + rng.int(n) * N + rng.int(n)] = 1;
          });
          const m = unmasked ? undefined : masks;
          const out = {
            actions: new Int32Array(B),
            logProbs: new Float32Array(B),
            values: new Float32Array(B),
          };
          const r1 = new Rng(seed + 1);
          policy.act(obs, B, m, r1, deterministic, out);
          const r2 = new Rng(seed + 1);
          const logits = new Float32Array(A);
          const real = new Uint8Array(A);
          for (let b = 0; b < B; b++) {
            const n = policy.logitsF32(obs, b, logits);
            real.fill(0);
            for (let i = 0; i < n; i++)
              for (let j = 0; j < n; j++) real[i * N + j] = m === undefined || m[b * A + i * N + j] ? 1 : 0;
            const a = sampleMaskedCategorical(logits, 0, A, r2, deterministic, real, 0);
            expect(out.actions[b]).toBe(a);
            expect(
              Object.is(out.logProbs[b], Math.fround(logits[a]! - maskedLogSumExp(logits, 0, A, real, 0))),
            ).toBe(true);
            expect(
              Object.is(
                out.values[b],
                policy.value(obs.subarray(b * layout.size, (b + 1) * layout.size), 1)[0],
              ),
            ).toBe(true);
          }
          expect(r1.random()).toBe(r2.random());
        },
      ),
      { numRuns: 40 },
    );
    policy.dispose();
  });
});

describe('sampling over a list of allowed actions', () => {
  it('property: logSumExpAmong and sampleCategoricalAmong equal the masked-row functions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 1e9 }),
        (values, seed) => {
          const logits = Float32Array.from(values);
          const rng = new Rng(seed);
          const mask = Uint8Array.from(logits, () => (rng.random() < 0.5 ? 1 : 0));
          mask[rng.int(logits.length)] = 1;
          const allowed = [...mask.keys()].filter((i) => mask[i]);
          expect(logSumExpAmong(logits, allowed)).toBe(maskedLogSumExp(logits, 0, logits.length, mask));
          for (const det of [false, true]) {
            const r1 = new Rng(seed);
            const r2 = new Rng(seed);
            for (let t = 0; t < 5; t++)
              expect(sampleCategoricalAmong(logits, allowed, r1, det)).toBe(
                sampleMaskedCategorical(logits, 0, logits.length, r2, det, mask),
              );
          }
        },
      ),
    );
    expect(() => logSumExpAmong(new Float32Array(3), [])).toThrow(/allows no action/);
    expect(() => sampleCategoricalAmong(new Float32Array(3), [], new Rng(1), true)).toThrow(
      /allows no action/,
    );
  });
});
