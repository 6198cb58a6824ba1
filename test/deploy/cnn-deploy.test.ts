import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DQN } from '../../src/agents/dqn.js';
import { PPO } from '../../src/agents/ppo.js';
import { Rng } from '../../src/core/rng.js';
import {
  cnnPolicyArtifact,
  extractPolicyArtifact,
  mlpPolicyArtifact,
} from '../../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../../src/deploy/inference-runtime.js';
import {
  artifactParamCount,
  decodePolicyArtifact,
  encodePolicyArtifact,
  policyArtifactFromJson,
  policyArtifactToJson,
  validatePolicyArtifact,
  type FloatPolicyArtifact,
  type PolicyArtifact,
} from '../../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../../src/deploy/quantize-int8.js';
import { JobsEnv } from '../../src/envs/jobs/jobs-env.js';
import { PixelPong } from '../../src/envs/pixel-pong.js';
import { ActorCriticPolicy } from '../../src/nn/actor-critic-policy.js';
import { CNN_SMALLNET } from '../../src/nn/cnn-architecture.js';
import { Cnn } from '../../src/nn/cnn.js';
import { Mlp } from '../../src/nn/mlp.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { buildPolicyC } from './build-policy-c.js';

const hasGcc = spawnSync('gcc', ['--version']).status === 0;
if (!hasGcc && process.env.ARBITER_REQUIRE_SYSTEM_DEPS === '1') throw new Error('gcc is required');

let dir: string;
let dqn: DQN;
const arts: Record<string, PolicyArtifact> = {};
/** PixelPong states of random play (varied positions of ball and paddles). */
let states: Float32Array[];

beforeAll(async () => {
  await initTf();
  dir = mkdtempSync(join(tmpdir(), 'arbiter-cnn-deploy-'));
  dqn = new DQN(() => new PixelPong(), {
    seed: 1,
    net: {
      type: 'cnn',
      conv: [
        { filters: 6, kernel: 3 },
        { filters: 5, kernel: 3, stride: 2 },
      ],
      fc: [24],
    },
    learningStarts: 50,
    bufferSize: 1000,
    learningRate: 1e-3,
  });
  await dqn.learn({ totalTimesteps: 300 }); // trained weights, non-zero biases
  const ppo = new PPO(() => new JobsEnv({ observation: 'image', arrivalSteps: 30 }), {
    seed: 1,
    numEnvs: 1,
    numSteps: 64,
    policy: { net: { type: 'cnn', conv: [{ filters: 4, kernel: 3 }], fc: [16] } },
  });
  await ppo.learn({ totalTimesteps: 128 });
  arts.dqn = extractPolicyArtifact(dqn);
  arts.dqn_int8 = quantizeInt8(arts.dqn as FloatPolicyArtifact);
  arts.ppo_jobs = extractPolicyArtifact(ppo);
  arts.smallnet = cnnPolicyArtifact(
    new Cnn(
      { inputShape: [10, 10, 4], conv: CNN_SMALLNET.conv, fc: CNN_SMALLNET.fc!, outputDim: 6 },
      new Rng(3),
    ),
  );
  const env = new PixelPong();
  const rng = new Rng(7);
  states = [env.reset({ seed: 5 }).obs];
  while (states.length < 300) {
    const r = env.step(rng.int(6));
    states.push(r.terminated ? env.reset().obs : r.obs);
  }
  (ppo.policy as ActorCriticPolicy).dispose();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('CNN policy artifacts (version 2)', () => {
  it('DQN export: kind cnn, version 2, the Q-net parameters; the runtime equals the Q-network within 1e-5 without allocating', () => {
    const art = arts.dqn!;
    expect(art.kind).toBe('cnn');
    expect(art.version).toBe(2);
    expect(art.inputShape).toEqual([10, 10, 4]);
    expect(art.conv!.map((l) => [l.filters, l.kernel, l.stride])).toEqual([
      [6, 3, 1],
      [5, 3, 2],
    ]);
    expect(artifactParamCount(art)).toBe(dqn.qNet.numParams());
    const rt = createPolicyRuntime(art);
    let worst = 0;
    const first = rt.forward(states[0]!);
    for (const s of states) {
      const y = rt.forward(s);
      expect(y).toBe(first); // one output buffer, reused
      worst = Math.max(worst, maxAbsDiff(y, dqn.qNet.forwardF32(s, 1)));
      expect(rt.act(s)).toBe(dqn.predict(s, { deterministic: true }));
    }
    expect(worst).toBeLessThan(1e-5);
    for (const kernel of ['js', 'auto'] as const)
      expect(
        maxAbsDiff(
          createPolicyRuntime(art, { kernel }).forward(states[9]!),
          dqn.qNet.forwardF32(states[9]!, 1),
        ),
      ).toBeLessThan(1e-5);
  });

  it('PPO export on image Jobs: the shared CNN trunk and the actor head', () => {
    const art = arts.ppo_jobs!;
    expect(art.kind).toBe('cnn');
    expect(art.conv).toHaveLength(1);
    expect(art.layers.map((l) => l.activation)).toEqual(['relu', 'linear']);
  });

  it('JSON and binary round-trip exactly, int8 included; MLP artifacts stay version 1', () => {
    for (const key of ['dqn', 'dqn_int8', 'smallnet']) {
      const art = arts[key]!;
      const json = policyArtifactFromJson(policyArtifactToJson(art));
      const bin = decodePolicyArtifact(encodePolicyArtifact(art));
      for (const back of [json, bin]) {
        expect(back.kind).toBe(art.kind);
        expect(back.conv!.map((l) => Array.from(l.weights))).toEqual(
          art.conv!.map((l) => Array.from(l.weights)),
        );
        expect(Array.from(createPolicyRuntime(back).forward(states[3]!))).toEqual(
          Array.from(createPolicyRuntime(art).forward(states[3]!)),
        );
      }
    }
    const bin = encodePolicyArtifact(arts.dqn_int8!);
    const f32 = encodePolicyArtifact(arts.dqn!);
    expect(bin.length).toBeLessThan(f32.length / 2);
    // An MLP is written exactly as before (version 1, no conv fields), so older readers load it.
    const mlp = mlpPolicyArtifact(new Mlp({ inputDim: 4, hiddenSizes: [8], outputDim: 2 }, new Rng(1)));
    for (const a of [mlp, quantizeInt8(mlp)]) {
      const json = JSON.parse(policyArtifactToJson(a)) as Record<string, unknown>;
      expect(json.version).toBe(1);
      expect('conv' in json || 'inputShape' in json).toBe(false);
      expect(decodePolicyArtifact(encodePolicyArtifact(a)).version).toBe(1);
    }
  });

  it('validation: a broken conv chain, a kernel that does not fit, conv on an MLP kind', () => {
    const raw = (): Record<string, unknown> =>
      JSON.parse(policyArtifactToJson(arts.dqn!)) as Record<string, unknown>;
    const a = raw();
    (a.conv as Record<string, unknown>[])[1]!.inputShape = [8, 8, 5];
    expect(() => validatePolicyArtifact(a)).toThrow(/differs from the previous output \[8, 8, 6\]/);
    const b = raw();
    (b.conv as Record<string, unknown>[])[0]!.kernel = 11;
    expect(() => validatePolicyArtifact(b)).toThrow(/kernel 11 does not fit/);
    expect(() => validatePolicyArtifact({ ...raw(), kind: 'mlp', version: 1 })).toThrow(/need kind 'cnn'/);
    expect(() => validatePolicyArtifact({ ...raw(), inputShape: [10, 10, 3] })).toThrow(/inputDim = 400/);
  });

  it('int8: the argmax agrees with the float network on ≥ 90 % of PixelPong states (smallnet)', () => {
    for (const key of ['dqn', 'smallnet']) {
      const f = createPolicyRuntime(arts[key]!);
      const q = createPolicyRuntime(quantizeInt8(arts[key] as FloatPolicyArtifact));
      const agree = states.filter((s) => f.act(s) === q.act(s)).length / states.length;
      expect(agree, key).toBeGreaterThanOrEqual(0.9);
    }
  });
});

/** Image Jobs states of random allowed actions. */
function jobsStates(n: number): Float32Array[] {
  const env = new JobsEnv({ observation: 'image', arrivalSteps: 30 });
  const rng = new Rng(4);
  let r = env.reset({ seed: 3 });
  const out = [r.obs];
  while (out.length < n) {
    const mask = r.info.actionMask!;
    const allowed = [...mask.keys()].filter((a) => mask[a]);
    const next = env.step(allowed[rng.int(allowed.length)]!);
    r = next.terminated ? env.reset() : next;
    out.push(r.obs);
  }
  return out;
}

const build = (art: PolicyArtifact, name: string): string => buildPolicyC(art, name, dir);

describe.skipIf(!hasGcc)(
  'generated C of CNN artifacts (gcc -std=c99 -Wall -Wextra -pedantic -Werror)',
  () => {
    it.each(['dqn', 'dqn_int8', 'smallnet', 'ppo_jobs'])(
      '%s: outputs within 1e-5 of the TS runtime, same masked action',
      (key) => {
        const art = arts[key]!;
        const rt = createPolicyRuntime(art, { kernel: 'js' });
        const exe = build(art, key);
        const inputs = key === 'ppo_jobs' ? jobsStates(60) : states;
        const rng = new Rng(2);
        const masks = inputs.map(() => {
          const m = new Uint8Array(art.outputDim);
          for (let a = 0; a < m.length; a++) m[a] = rng.random() < 0.7 ? 1 : 0;
          m[rng.int(m.length)] = 1;
          return m;
        });
        const input = inputs
          .map((s, i) =>
            [...Array.from(s, (v) => v.toPrecision(9)), ...Array.from(masks[i]!, String)].join(' '),
          )
          .join('\n');
        const lines = execFileSync(exe, { input, maxBuffer: 1 << 26 })
          .toString()
          .trim()
          .split('\n');
        expect(lines).toHaveLength(inputs.length);
        let worst = 0;
        lines.forEach((line, i) => {
          const nums = line.trim().split(/\s+/).map(Number);
          const ts = rt.forward(inputs[i]!);
          worst = Math.max(worst, maxAbsDiff(nums.slice(0, art.outputDim), ts));
          expect(nums[art.outputDim]).toBe(rt.act(inputs[i]!, masks[i]!));
        });
        expect(worst).toBeLessThan(1e-5);
      },
    );
  },
);
