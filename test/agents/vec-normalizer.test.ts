import { describe, expect, it } from 'vitest';
import { VecNormalizer } from '../../src/agents/vec-normalizer.js';

describe('VecNormalizer', () => {
  it('standardizes observations with running statistics and clips', () => {
    const n = new VecNormalizer(2, 1, { observations: true, rewards: false, gamma: 0.99, clipObs: 1.5 });
    const out = new Float32Array(2);
    for (let k = 0; k < 200; k++) n.normalizeObs(Float32Array.of(10.5, 9.5), 2, out, true);
    // Mean ≈ 10, std ≈ 0.5 (tiny prior pseudo-count).
    n.normalizeObs(Float32Array.of(10.5, 100), 2, out, false);
    expect(out[0]).toBeCloseTo(1, 2);
    expect(out[1]).toBe(1.5);
  });

  it('scales rewards by the std of the discounted return; resets returns at episode ends; state round-trips', () => {
    const n = new VecNormalizer(1, 1, { observations: false, rewards: true, gamma: 0.5 });
    const out = new Float32Array(1);
    const z = Uint8Array.of(0);
    n.normalizeRewards(Float32Array.of(2), z, z, out, true);
    n.normalizeRewards(Float32Array.of(2), z, Uint8Array.of(1), out, true);
    // Returns seen: 2, then 0.5·2 + 2 = 3.
    expect(n.getState().returns).toEqual([0]);
    const std = Math.sqrt(n.returnRms!.var[0]! + 1e-8);
    expect(out[0]).toBeCloseTo(2 / std, 5);
    const copy = new VecNormalizer(1, 1, { observations: false, rewards: true, gamma: 0.5 });
    copy.setState(JSON.parse(JSON.stringify(n.getState())));
    expect(copy.getState()).toEqual(n.getState());
    // Identity when disabled.
    const id = new VecNormalizer(1, 2, { observations: false, rewards: false, gamma: 0.9 });
    const o2 = new Float32Array(2);
    id.normalizeObs(Float32Array.of(5, -7), 1, o2, true);
    expect([...o2]).toEqual([5, -7]);
  });
});
