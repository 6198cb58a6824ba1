import { describe, expect, it } from 'vitest';
import { EpisodeTracker } from '../../src/agents/episode-tracker.js';
import { explainedVariance, standardize } from '../../src/agents/batch-utils.js';

describe('EpisodeTracker', () => {
  it('accumulates per copy, records finished episodes, keeps a window', () => {
    const t = new EpisodeTracker(2, 2);
    expect(Number.isNaN(t.meanReturn())).toBe(true);
    expect(t.record([1, 2], [0, 0], [0, 0])).toBe(0);
    expect(t.record([1, 2], [1, 0], [0, 1])).toBe(2);
    expect(t.meanReturn()).toBe(3); // (2 + 4) / 2
    expect(t.meanLength()).toBe(2);
    t.record([5, 0], [1, 0], [0, 0]);
    // Window of 2: episodes 4 and 5.
    expect(t.meanReturn()).toBe(4.5);
    expect(t.total).toBe(3);
    const u = new EpisodeTracker(2, 2);
    u.setState(JSON.parse(JSON.stringify(t.getState())));
    expect(u.getState()).toEqual(t.getState());
  });
});

describe('batch utils', () => {
  it('standardize gives mean 0 and unbiased std 1; explained variance is 1 for a perfect critic', () => {
    const x = Float32Array.of(1, 2, 3, 4);
    standardize(x);
    expect(x.reduce((a, b) => a + b)).toBeCloseTo(0, 6);
    expect(Math.sqrt(x.reduce((a, b) => a + b * b, 0) / 3)).toBeCloseTo(1, 5);
    const ret = Float32Array.of(1, 2, 3);
    expect(explainedVariance(Float32Array.from(ret), ret)).toBe(1);
    expect(explainedVariance(Float32Array.of(0, 0, 0), ret)).toBeCloseTo(0, 10);
  });
});
