import { describe, expect, it } from 'vitest';
import { firstTraceDifference, ReturnedValueSnapshot } from '../../src/core/env-check-values.js';

describe('env-check values', () => {
  it('a snapshot stays intact until the returned value is mutated, and its copy is apart', () => {
    const obs = { x: Float32Array.of(1, 2), agents: ['a'] };
    const snap = new ReturnedValueSnapshot();
    const copy = snap.take(obs);
    expect(copy).not.toBe(obs);
    expect(snap.intact()).toBe(true);
    obs.x[1] = 3;
    expect(snap.intact()).toBe(false);
    expect(copy.x[1]).toBe(2);
    snap.take(obs); // a new take forgets the old value
    expect(snap.intact()).toBe(true);
  });

  it('firstTraceDifference names the first differing record, a longer trace included', () => {
    expect(firstTraceDifference([1, Float32Array.of(NaN)], [1, Float32Array.of(NaN)])).toBeUndefined();
    expect(firstTraceDifference([1, 2, 3], [1, 5, 4])).toBe('record 1: 2 vs 5');
    expect(firstTraceDifference([1], [1, 2])).toBe('record 1: undefined vs 2');
  });
});
