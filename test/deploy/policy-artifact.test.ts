import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DQN } from '../../src/agents/dqn.js';
import type { PPO } from '../../src/agents/ppo.js';
import { ValidationError } from '../../src/core/errors.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import type { Mlp } from '../../src/nn/mlp.js';
import { tf } from '../../src/nn/tf-backend.js';
import { extractPolicyArtifact } from '../../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../../src/deploy/inference-runtime.js';
import {
  decodePolicyArtifact,
  encodePolicyArtifact,
  policyArtifactFromJson,
  policyArtifactToJson,
  readPolicyArtifactFile,
  validatePolicyArtifact,
  type FloatPolicyArtifact,
  type PolicyArtifact,
} from '../../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../../src/deploy/quantize-int8.js';
import { heldOutStates, trainDqn, trainPpo } from './deploy-fixtures.js';

let ppo: PPO;
let ppoShared: PPO;
let dqn: DQN;
let dir: string;

beforeAll(async () => {
  ppo = await trainPpo(2048);
  ppoShared = await trainPpo(1024, true);
  dqn = await trainDqn(3000);
  dir = mkdtempSync(join(tmpdir(), 'arbiter-deploy-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The PPO actor's own outputs on one raw observation: Float32 path and TensorFlow path. */
function ppoOutputs(m: PPO, obs: Float32Array): { f32: Float32Array; tfOut: Float32Array } {
  const x = new Float32Array(obs.length);
  m.normalizer.normalizeObs(obs, 1, x, false);
  const policy = m.policy as ActorCriticPolicy;
  const f32 = Float32Array.from(policy.forwardActorF32(x, 1));
  const tfOut = tf.tidy(() => {
    const t = tf.tensor2d(x, [1, x.length]);
    let h = t;
    if (policy.trunk) {
      const z = policy.trunk.apply(t);
      h = ((policy.trunk as Mlp).config.activation === 'tanh' ? tf.tanh(z) : tf.relu(z)) as tf.Tensor2D;
    }
    return policy.actor.apply(h).dataSync() as Float32Array;
  });
  return { f32, tfOut: Float32Array.from(tfOut) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Largest |a − b| / max(1, |b|): TensorFlow sums in another order, so large outputs differ by ulps. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

describe('float artifact equals the trained model (held-out CartPole states)', () => {
  it('PPO (normalized observations, separate actor): outputs within 1e-5, same greedy action', () => {
    const art = extractPolicyArtifact(ppo);
    expect(art.normalization).toBeDefined();
    expect(art.layers.map((l) => l.activation)).toEqual(['tanh', 'tanh', 'linear']);
    const rt = createPolicyRuntime(art);
    const states = heldOutStates(1000, (o) => ppo.predict(o, { deterministic: true }) as number);
    let worstF32 = 0;
    let worstTf = 0;
    for (const s of states) {
      const y = rt.forward(s);
      const own = ppoOutputs(ppo, s);
      worstF32 = Math.max(worstF32, maxAbsDiff(y, own.f32));
      worstTf = Math.max(worstTf, maxAbsDiff(y, own.tfOut));
      expect(rt.act(s)).toBe(ppo.predict(s, { deterministic: true }));
    }
    expect(worstF32).toBeLessThanOrEqual(1e-5);
    expect(worstTf).toBeLessThanOrEqual(1e-5);
  });

  it('PPO with a shared ReLU trunk: trunk layers keep their nonlinearity; outputs within 1e-5', () => {
    const art = extractPolicyArtifact(ppoShared);
    expect(art.layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'linear']);
    const rt = createPolicyRuntime(art);
    for (const s of heldOutStates(300, (o) => ppoShared.predict(o, { deterministic: true }) as number)) {
      const own = ppoOutputs(ppoShared, s);
      expect(maxAbsDiff(rt.forward(s), own.tfOut)).toBeLessThanOrEqual(1e-5);
      expect(rt.act(s)).toBe(ppoShared.predict(s, { deterministic: true }));
    }
  });

  it('DQN: Q-values within 1e-5 of the Q-network, same greedy action', () => {
    const art = extractPolicyArtifact(dqn);
    expect(art.normalization).toBeUndefined();
    expect(art.source?.outputs).toBe('q-values');
    const rt = createPolicyRuntime(art);
    for (const s of heldOutStates(1000, (o) => dqn.predict(o, { deterministic: true }))) {
      const q = Float32Array.from(dqn.qNet.forwardF32(s, 1));
      const qTf = tf.tidy(() => dqn.qNet.apply(tf.tensor2d(s, [1, s.length])).dataSync() as Float32Array);
      // This briefly trained Q-network has diverged to |Q| ~ 1e4, so the tolerance is relative there.
      expect(maxRelDiff(rt.forward(s), q)).toBeLessThanOrEqual(1e-5);
      expect(maxRelDiff(rt.forward(s), qTf)).toBeLessThanOrEqual(1e-5);
      expect(rt.act(s)).toBe(dqn.predict(s, { deterministic: true }));
    }
  });
});

describe('encodings round-trip exactly', () => {
  const same = (a: PolicyArtifact, b: PolicyArtifact): void => {
    expect(b.kind).toBe(a.kind);
    expect(b.normalization).toEqual(a.normalization);
    expect(b.actionSpace).toEqual(a.actionSpace);
    a.layers.forEach((l, i) => {
      const m = b.layers[i]!;
      expect(m.activation).toBe(l.activation);
      expect(Array.from(m.weights)).toEqual(Array.from(l.weights));
      expect(Array.from(m.bias)).toEqual(Array.from(l.bias));
      if ('scales' in l) expect(Array.from((m as typeof l).scales)).toEqual(Array.from(l.scales));
    });
  };

  it('JSON and binary, float and int8; files are told apart by their magic', async () => {
    const art = extractPolicyArtifact(ppo);
    const q = quantizeInt8(art);
    for (const a of [art, q] as PolicyArtifact[]) {
      same(a, policyArtifactFromJson(policyArtifactToJson(a)));
      same(a, decodePolicyArtifact(encodePolicyArtifact(a)));
    }
    const bin = encodePolicyArtifact(art);
    const json = policyArtifactToJson(art);
    // Binary ≈ 4 bytes per parameter plus a small header; int8 ≈ 1 byte per weight.
    expect(bin.length).toBeLessThan(json.length / 2);
    expect(encodePolicyArtifact(q).length).toBeLessThan(bin.length / 2);
    writeFileSync(join(dir, 'p.bin'), bin);
    writeFileSync(join(dir, 'p.json'), json);
    same(art, await readPolicyArtifactFile(join(dir, 'p.bin')));
    same(art, await readPolicyArtifactFile(join(dir, 'p.json')));
  });
});

describe('validation names the file and the rule', () => {
  const base = (): Record<string, unknown> =>
    JSON.parse(policyArtifactToJson(extractPolicyArtifact(dqn))) as Record<string, unknown>;
  const rule = (raw: unknown): string => {
    try {
      validatePolicyArtifact(raw, 'model.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as Error).message).toContain('model.json');
      return (e as ValidationError).rule;
    }
    return 'accepted';
  };

  it('accepts a valid artifact and rejects each broken rule', () => {
    expect(rule(base())).toBe('accepted');
    expect(rule({ ...base(), format: 'onnx' })).toBe('format');
    expect(rule({ ...base(), version: 3 })).toBe('version'); // 1 (MLP) and 2 (CNN) are known
    expect(rule({ ...base(), kind: 'rnn' })).toBe('kind');
    expect(rule({ ...base(), kind: 'cnn' })).toBe('version'); // CNN artifacts are version 2
    expect(rule({ ...base(), decision: 'sample' })).toBe('decision');
    expect(rule({ ...base(), outputDim: 3 })).toBe('action-space');
    const b = base();
    const layers = b.layers as Record<string, unknown>[];
    layers[1] = { ...layers[1], inputDim: 31, weights: new Array(31 * 32).fill(0) };
    expect(rule(b)).toBe('layer-chain');
    const c = base();
    (c.layers as Record<string, unknown>[])[0]!.weights = [1, 2, 3];
    expect(rule(c)).toBe('weights-length');
    const d = base();
    ((d.layers as Record<string, unknown>[])[0]!.bias as unknown[])[0] = 'x';
    expect(rule(d)).toBe('finite');
    const e = base();
    (e.layers as Record<string, unknown>[])[0]!.activation = 'gelu';
    expect(rule(e)).toBe('activation');
    expect(rule({ ...base(), normalization: { mean: [0], var: [1], clip: 10, epsilon: 1e-8 } })).toBe(
      'normalization',
    );
  });

  it('binary: bad magic, truncation and trailing bytes are errors', () => {
    const bin = encodePolicyArtifact(extractPolicyArtifact(dqn));
    expect(() => decodePolicyArtifact(bin.subarray(0, bin.length - 4), 'm.bin')).toThrow(
      /m\.bin: .*truncated/,
    );
    const longer = new Uint8Array(bin.length + 4);
    longer.set(bin);
    expect(() => decodePolicyArtifact(longer, 'm.bin')).toThrow(/trailing-bytes/);
    expect(() => decodePolicyArtifact(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]), 'm.bin')).toThrow(/magic/);
    expect(() => policyArtifactFromJson('{', 'm.json')).toThrow(/m\.json: json/);
  });
});

describe('runtime decisions', () => {
  it('masked argmax never picks a masked action and equals the best allowed output', () => {
    const art: FloatPolicyArtifact = extractPolicyArtifact(ppo);
    const rt = createPolicyRuntime(art);
    const states = heldOutStates(200, () => 0);
    for (const s of states) {
      const y = Float32Array.from(rt.forward(s));
      for (const mask of [Uint8Array.of(1, 0), Uint8Array.of(0, 1), Uint8Array.of(1, 1)]) {
        const a = rt.act(s, mask);
        expect(mask[a]).toBe(1);
        for (let b = 0; b < 2; b++) if (mask[b]) expect(y[a]!).toBeGreaterThanOrEqual(y[b]!);
      }
      expect(() => rt.act(s, Uint8Array.of(0, 0))).toThrow(/allows no action/);
    }
  });

  it('hand-built network: known outputs, relu/tanh, normalization with clipping', () => {
    const art = validatePolicyArtifact({
      format: 'arbiter-policy',
      version: 1,
      kind: 'mlp',
      inputDim: 2,
      outputDim: 3,
      layers: [
        { inputDim: 2, outputDim: 2, activation: 'relu', weights: [1, -1, 2, 1], bias: [0, -10] },
        { inputDim: 2, outputDim: 3, activation: 'linear', weights: [1, 0, -1, 0, 1, 0], bias: [0.5, 0, 0] },
      ],
      normalization: { mean: [1, 0], var: [4, 1], clip: 3, epsilon: 0 },
      actionSpace: { kind: 'discrete', n: 3, start: 0 },
      decision: 'argmax',
    });
    const rt = createPolicyRuntime(art);
    // x = (3, 100) → normalized ((3−1)/2, clip(100)) = (1, 3); hidden = relu(1+6, −1+3−10) = (7, 0).
    expect(Array.from(rt.forward(Float32Array.of(3, 100)))).toEqual([7.5, 0, -7]);
    expect(rt.act(Float32Array.of(3, 100))).toBe(0);
    expect(rt.act(Float32Array.of(3, 100), [0, 1, 1])).toBe(1);
  });
});

describe('int8 quantization', () => {
  it('picks the same argmax action as float on ≥ 99% of 1000 held-out states (PPO and DQN)', () => {
    for (const m of [ppo, dqn] as const) {
      const art = extractPolicyArtifact(m);
      const f = createPolicyRuntime(art);
      const q = createPolicyRuntime(quantizeInt8(art));
      const states = heldOutStates(1000, (o) => f.act(o));
      let agree = 0;
      for (const s of states) if (f.act(s) === q.act(s)) agree++;
      expect(agree / states.length).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('per-channel scales: every weight is within half a step of the float weight', () => {
    const art = extractPolicyArtifact(dqn);
    const q = quantizeInt8(art);
    art.layers.forEach((l, li) => {
      const ql = q.layers[li]!;
      for (let i = 0; i < l.inputDim; i++)
        for (let j = 0; j < l.outputDim; j++) {
          const w = l.weights[i * l.outputDim + j]!;
          const back = ql.weights[i * l.outputDim + j]! * ql.scales[j]!;
          expect(Math.abs(w - back)).toBeLessThanOrEqual(ql.scales[j]! / 2 + 1e-7);
        }
    });
  });
});
