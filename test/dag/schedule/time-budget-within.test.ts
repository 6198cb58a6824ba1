import { describe, expect, it } from 'vitest';
import { TimeBudget } from '../../../src/dag/schedule/time-budget.js';

describe('TimeBudget.within', () => {
  it("is the shorter of its own seconds and what is left of the parent's", () => {
    const parent = new TimeBudget(60);
    expect(parent.within(0.25).seconds).toBe(0.25);
    const short = new TimeBudget(0.05);
    const child = short.within(10);
    expect(child.seconds).toBeLessThanOrEqual(0.05);
    expect(new TimeBudget(0).within(1).expired).toBe(true);
    expect(() => parent.within(-1)).toThrow(/≥ 0/);
  });
});
