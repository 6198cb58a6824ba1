import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAlgorithm } from '../../../src/agents/algorithm-registry.js';
import { teacherFromAlgorithm } from '../../../src/agents/od3/distillation-teacher.js';
import { evaluatePolicy } from '../../../src/agents/evaluate-policy.js';
import { Od3Distiller, resolveOd3Config, sharpenedSoftmax } from '../../../src/agents/od3/od3-distiller.js';
import { PPO } from '../../../src/agents/ppo.js';
import { StateReplayMemory } from '../../../src/agents/od3/state-replay-memory.js';
import { makeEnv } from '../../../src/core/make-env.js';
import { Rng } from '../../../src/core/rng.js';
import { extractPolicyArtifact } from '../../../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../../../src/deploy/inference-runtime.js';
import { registerBuiltinEnvs } from '../../../src/envs/register-envs.js';
import { initTf } from '../../../src/nn/tf-backend.js';
import { heuristicTeacher } from '../fixtures/heuristic-teacher.js';

const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');

let dir: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  dir = mkdtempSync(join(tmpdir(), 'arbiter-od3-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sharpenedSoftmax', () => {
  it('is a distribution over allowed actions that tends to the argmax as τ → 0', () => {
    const out = new Float32Array(3);
    sharpenedSoftmax([1, 2, 1.5], 0, 3, 1, undefined, out);
    expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(1, 6);
    expect(out[1]!).toBeLessThan(0.6);
    sharpenedSoftmax([1, 2, 1.5], 0, 3, 0.01, undefined, out);
    expect(out[1]!).toBeGreaterThan(0.999);
    sharpenedSoftmax([1, 2, 1.5], 0, 3, 0.01, [1, 0, 1], out);
    expect([out[0], out[1]]).toEqual([expect.closeTo(0, 6), 0]);
    expect(out[2]!).toBeCloseTo(1, 6);
    expect(() => sharpenedSoftmax([1, 2], 0, 2, 1, [0, 0], out)).toThrow(/allows nothing/);
  });
});

describe('StateReplayMemory', () => {
  it('keeps the newest capacity states and round-trips its state', () => {
    const m = new StateReplayMemory(3, 2, 2);
    for (let i = 0; i < 5; i++) m.add(Float32Array.of(i, -i), Uint8Array.of(1, i % 2));
    expect(m.size).toBe(3);
    const obs = new Float32Array(2 * 50);
    m.sample(new Rng(1), 50, obs);
    const seen = new Set(Array.from({ length: 50 }, (_, b) => obs[2 * b]));
    expect([...seen].sort()).toEqual([2, 3, 4]);
    const copy = new StateReplayMemory(3, 2, 2);
    copy.setState(m.getState());
    expect(copy.getState()).toEqual(m.getState());
    expect(() => new StateReplayMemory(4, 2, 2).setState(m.getState())).toThrow(/does not fit/);
  });
});

describe('Od3Distiller', () => {
  it('rejects bad hyper-parameters, naming the field', () => {
    expect(() => resolveOd3Config({ hiddenSizes: [8], minibatchSize: 0 })).toThrow(/minibatchSize/);
    expect(() => resolveOd3Config({ hiddenSizes: [8], tau: 0 })).toThrow(/tau/);
    expect(() => resolveOd3Config({ hiddenSizes: [8], collector: 'x' as 'student' })).toThrow(/collector/);
  });

  it('distills a balancing teacher into an 8×8 student in 3 000 steps (greedy return ≥ 400)', async () => {
    const d = await Od3Distiller.create(heuristicTeacher, cartPole, {
      hiddenSizes: [8, 8],
      seed: 3,
      minibatchSize: 16,
      updateFreq: 2,
      learningRate: 3e-3,
      explorationFraction: 0.2,
    });
    const before = evaluatePolicy((o) => d.predict(o, { deterministic: true }), cartPole(), {
      episodes: 3,
      seed: 99,
    });
    const kls: number[] = [];
    await d.learn({
      totalTimesteps: 3000,
      callbacks: [{ onUpdateEnd: (ctx) => void kls.push(ctx.metrics['train/kl_loss']!) }],
    });
    const after = evaluatePolicy((o) => d.predict(o, { deterministic: true }), cartPole(), {
      episodes: 3,
      seed: 99,
    });
    expect(d.counters.numTimesteps).toBe(3000);
    expect(d.counters.numUpdates).toBe(1500 - 7); // first update once 16 states are stored
    expect(kls.slice(-100).reduce((a, b) => a + b) / 100).toBeLessThan(
      kls.slice(0, 100).reduce((a, b) => a + b) / 100,
    );
    expect(after.meanReturn).toBeGreaterThanOrEqual(400);
    expect(after.meanReturn).toBeGreaterThan(before.meanReturn);

    // The student is a plain PPO model: saved, loaded by the registry, exported, run standalone.
    const ckpt = join(dir, 'student');
    await d.save(ckpt);
    const loaded = await loadAlgorithm(ckpt, cartPole);
    expect(loaded).toBeInstanceOf(PPO);
    const art = extractPolicyArtifact(loaded);
    expect(art.layers.map((l) => l.outputDim)).toEqual([8, 8, 2]);
    const rt = createPolicyRuntime(art);
    // Without the teacher or an env, the student part alone predicts the same.
    const studentOnly = await PPO.load(ckpt);
    const env = cartPole();
    let obs = env.reset({ seed: 5 }).obs as Float32Array;
    for (let t = 0; t < 200; t++) {
      const a = d.predict(obs, { deterministic: true });
      expect(rt.act(obs)).toBe(a);
      expect(studentOnly.predict(obs, { deterministic: true })).toBe(a);
      const r = env.step(a);
      if (r.terminated || r.truncated) obs = env.reset().obs as Float32Array;
      else obs = r.obs as Float32Array;
    }

    // Resume: the distiller's state comes back and training continues.
    const resumed = await Od3Distiller.load(ckpt, heuristicTeacher, cartPole);
    expect(resumed.counters.numTimesteps).toBe(3000);
    expect(resumed.memory.size).toBe(3000);
    const w0 = resumed.student.policy.getWeights()['actor/0']!;
    expect(Array.from(w0)).toEqual(Array.from(d.student.policy.getWeights()['actor/0']!));
    await resumed.learn({ totalTimesteps: 100 });
    expect(resumed.counters.numTimesteps).toBe(3100);
    await d.close();
    await resumed.close();
    await studentOnly.close();
  }, 60_000);

  it('is seeded (same seed, same student) and distills a PPO teacher with the teacher as collector', async () => {
    const teacherModel = await PPO.create(cartPole, {
      seed: 2,
      numEnvs: 1,
      numSteps: 64,
      normalizeObservation: true,
    });
    await teacherModel.learn({ totalTimesteps: 128 });
    const teacher = teacherFromAlgorithm(teacherModel);
    expect(teacher.outputs).toBe('logits');
    expect(teacher.decisionParams).toBe(4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
    const run = async (): Promise<Float32Array> => {
      const d = await Od3Distiller.create(teacher, cartPole, {
        hiddenSizes: [4],
        seed: 5,
        tau: 1,
        collector: 'teacher',
        minibatchSize: 4,
        updateFreq: 8,
      });
      await d.learn({ totalTimesteps: 200 });
      const w = d.student.policy.getWeights()['actor/0']!;
      await d.close();
      return w;
    };
    const a = await run();
    const b = await run();
    expect(Array.from(a)).toEqual(Array.from(b));
    await teacherModel.close();
  }, 60_000);
});
