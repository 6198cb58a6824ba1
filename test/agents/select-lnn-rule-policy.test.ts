import { describe, expect, it } from 'vitest';
import { selectLnnRulePolicy } from '../../src/agents/select-lnn-rule-policy.js';

describe('selectLnnRulePolicy', () => {
  const options = {
    restarts: 3,
    train: { episodes: 30 },
    loads: ['medium', 'heavy'] as const,
    episodes: 4,
    jobs: 4,
  };

  it('keeps the candidate with the lowest validation score, whose rules it returns', () => {
    const r = selectLnnRulePolicy(options);
    expect(r.candidates.map((c) => c.seed)).toEqual([1, 2, 3]);
    const scores = r.candidates.map((c) => c.score);
    expect(r.candidates[r.chosen]!.score).toBe(Math.min(...scores));
    for (const c of r.candidates) {
      expect(Object.keys(c.vsUniform)).toEqual(['medium', 'heavy']);
      expect(c.score).toBeCloseTo((c.vsUniform.medium! + c.vsUniform.heavy!) / 2, 12);
    }
    expect(r.policy.rules().map((x) => x.text)).toEqual(r.candidates[r.chosen]!.rules);
    expect(r.curve).toHaveLength(30);
  });

  it('is deterministic for given options', () => {
    const a = selectLnnRulePolicy(options);
    const b = selectLnnRulePolicy(options);
    expect(b.candidates).toEqual(a.candidates);
    expect(b.chosen).toBe(a.chosen);
  });

  it('rejects restarts < 1', () => {
    expect(() => selectLnnRulePolicy({ restarts: 0 })).toThrow(/restarts must be an integer ≥ 1/);
  });
});
