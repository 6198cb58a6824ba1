import { describe, expect, it } from 'vitest';
import { egsAcceptance } from '../../src/report/egs-held-out-report.js';

const line = (reproduced?: { small: boolean; large: boolean }) =>
  egsAcceptance([], [], { optimalTimeLimitS: 20, ...(reproduced && { reproduced }) }).find((l) =>
    l.target.startsWith('Training reproducible'),
  )!;

describe('egsAcceptance: the reproducibility line', () => {
  it('is met only when both shipped policies equal their committed training outputs', () => {
    expect(line({ small: true, large: true }).met).toBe(true);
    const other = line({ small: true, large: false });
    expect(other.met).toBe(false);
    expect(other.measured).toMatch(/egs-graph-policy\.json`: \*\*other weights\*\*/);
    expect(other.measured).toMatch(/egs-graph-policy-small\.json`: the same weights/);
    expect(line().met).toBe('not assessed');
    expect(line().measured).toMatch(/not checked/);
  });
});
