import { describe, expect, it } from 'vitest';
import { constantSchedule, linearSchedule, makeSchedule } from '../../src/agents/schedules.js';

describe('schedules', () => {
  it('constant and linear schedules over remaining progress (1 → 0)', () => {
    expect(constantSchedule(0.2)(0.3)).toBe(0.2);
    const lin = linearSchedule(1e-3);
    expect(lin(1)).toBe(1e-3);
    expect(lin(0.25)).toBeCloseTo(2.5e-4, 12);
    expect(lin(0)).toBe(0);
    expect(linearSchedule(0.3, 0.1)(0.5)).toBeCloseTo(0.2, 12);
    // Progress is clamped to [0, 1].
    expect(lin(-1)).toBe(0);
    expect(makeSchedule(0.2)(0)).toBe(0.2);
    expect(makeSchedule({ kind: 'linear', start: 0.2 })(0.5)).toBeCloseTo(0.1, 12);
    expect(makeSchedule({ kind: 'constant', value: 3 })(0.5)).toBe(3);
    expect(() => makeSchedule({ kind: 'cosine' } as never)).toThrow(/cosine/);
  });
});
