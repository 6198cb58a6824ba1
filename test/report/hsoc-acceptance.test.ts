import { describe, expect, it } from 'vitest';
import { hsocAcceptance, tCritical95, type HsocBenchmarkRow } from '../../src/report/hsoc-benchmark.js';

function row(policy: string, perSeed: number[], vs: HsocBenchmarkRow['vsUniform']): HsocBenchmarkRow {
  return {
    workload: '5-task',
    load: 'heavy',
    policy,
    meanCompletion: perSeed.reduce((a, b) => a + b, 0) / perSeed.length,
    stdCompletion: 0,
    missRatio: 0,
    gapToIdeal: 0,
    perSeed,
    vsUniform: vs,
  };
}

describe('HSoC acceptance lines', () => {
  it('Student critical values: 2.262 for 9 df, 2.093 for 19, within 0.002 of the exact beyond 30', () => {
    expect(tCritical95(9)).toBe(2.262);
    expect(tCritical95(19)).toBe(2.093);
    expect(tCritical95(40)).toBeCloseTo(2.021, 2);
    expect(Math.abs(tCritical95(100) - 1.984)).toBeLessThan(0.002);
    expect(tCritical95(0)).toBe(Infinity);
  });

  it('"faster" needs a significant improvement; "no worse" fails only on a significant slowdown', () => {
    const lines = hsocAcceptance([
      row('lnn-rules', [9, 9], { mean: -3, std: 1, t: -4, significant: true }),
      row('dynamic-rules', [10, 10], { mean: -1, std: 5, t: -0.6, significant: false }),
      row('uniform-running', [10, 10], { mean: 0, std: 0, t: NaN, significant: false }),
    ]);
    expect(lines[0]).toContain('5-task/heavy -3.0% ± 1.0 (t = -4.0, significant) ✓');
    expect(lines[2]).toContain('5-task/heavy -1.0% ± 5.0 (t = -0.6, not significant) ✗');
    // lnn-rules 10 % faster than uniform-running on both seeds.
    expect(lines[3]).toContain('5-task/heavy -10.0%');
  });
});
