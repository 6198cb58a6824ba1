import { describe, expect, it } from 'vitest';
import type { EgsPolicyModel } from '../../src/deploy/egs-policy-model.js';
import { egsWeightsHash, trainEgsPolicy } from '../../src/experiments/egs-policy-train.js';

// The shipped small policy's chain at a tiny budget: 4 DAGs, 1 epoch, 1 DAgger round, 256 PPO steps.
const tiny = async (seed: number, targets?: 'action' | 'set') => {
  const checkpoints: string[] = [];
  const r = await trainEgsPolicy({
    ...(targets && { targets }),
    trainDags: 4,
    epochs: 1,
    daggerRounds: 1,
    fineTuneSteps: 256,
    validationDags: 2,
    evalEvery: 256,
    checkpointEvery: 256,
    seed,
    onCheckpoint: (name: string, _m: EgsPolicyModel) => void checkpoints.push(name),
  });
  return { ...r, checkpoints };
};

describe('trainEgsPolicy', () => {
  it('gives bit-identical weights for one seed and different weights for another', async () => {
    const a = await tiny(1);
    const b = await tiny(1);
    const c = await tiny(2);
    expect(a.hashes).toEqual(b.hashes);
    expect(egsWeightsHash(a.model.weights)).toBe(a.hashes.ppo);
    for (const [k, w] of Object.entries(a.model.weights))
      expect(Array.from(b.model.weights[k]!)).toEqual(Array.from(w));
    // Each stage changes the weights, and another seed changes every stage.
    expect(new Set([a.hashes.bc, a.hashes.dagger, a.hashes.ppo]).size).toBe(3);
    expect(c.hashes.bc).not.toBe(a.hashes.bc);
    expect(c.hashes.ppo).not.toBe(a.hashes.ppo);
    expect(a.curve).toEqual(b.curve);
    expect(a.checkpoints).toEqual(['bc', 'dagger', 'ppo-512']);
    expect(a.model.meta).toMatchObject({ seed: 1, steps: 512 });
  }, 120_000);

  it("set-valued targets ('set') are seeded too, and change the cloned weights", async () => {
    const a = await tiny(1);
    const s = await tiny(1, 'set');
    const t = await tiny(1, 'set');
    expect(t.hashes).toEqual(s.hashes);
    expect(s.hashes.bc).not.toBe(a.hashes.bc);
    expect(s.hashes.dagger).not.toBe(a.hashes.dagger);
    // 'action' is the default chain.
    expect((await tiny(1, 'action')).hashes).toEqual(a.hashes);
  }, 180_000);

  it('hashes the weight bytes: one flipped bit changes the hash', () => {
    const w = { a: new Float32Array([1, 2, 3]), b: new Float32Array([0.5]) };
    const h = egsWeightsHash(w);
    expect(egsWeightsHash({ b: w.b, a: w.a })).toBe(h);
    const flipped = new Float32Array(w.a);
    new Uint32Array(flipped.buffer)[1]! ^= 1;
    expect(egsWeightsHash({ ...w, a: flipped })).not.toBe(h);
  });
});
