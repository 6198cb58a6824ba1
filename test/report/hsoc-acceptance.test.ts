import { describe, expect, it } from 'vitest';
import { pairedDifference, tCritical95 } from '../../src/core/statistics.js';
import { runHsocBenchmark } from '../../src/experiments/hsoc-benchmark.js';
import type { HsocBenchmarkRow } from '../../src/report/hsoc-benchmark-result.js';
import { hsocAcceptance } from '../../src/report/hsoc-benchmark-markdown.js';

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
      row('lnn-rules', [9, 9], { mean: -3, std: 1, t: -4, significant: true, ci95: [-3.5, -2.5] }),
      row('dynamic-rules', [10, 10], { mean: -1, std: 5, t: -0.6, significant: false, ci95: [-3.3, 1.3] }),
      row('uniform-running', [10, 10], { mean: 0, std: 0, t: NaN, significant: false, ci95: [NaN, NaN] }),
    ]);
    expect(lines[0]).toContain('5-task/heavy -3.0% ± 1.0 (95 % CI -3.5 … -2.5, t = -4.0, significant) ✓');
    expect(lines[2]).toContain('5-task/heavy -1.0% ± 5.0 (95 % CI -3.3 … +1.3, t = -0.6, not significant) ✗');
    // lnn-rules 10 % faster than uniform-running on both seeds.
    expect(lines[3]).toContain('5-task/heavy -10.0%');
    const same = hsocAcceptance([
      row('lnn-rules', [9, 8], { mean: -3, std: 1, t: -4, significant: true, ci95: [-3.5, -2.5] }),
      row('uniform-running', [9, 8], { mean: -3, std: 1, t: -4, significant: true, ci95: [-3.5, -2.5] }),
    ]);
    expect(same[3]).toContain('5-task/heavy identical on every seed');
  });

  it('pairedDifference: per-seed % differences, their t and the 95 % interval around the mean', () => {
    // Differences −10, −15, −20, −25 %: mean −17.5, std √(125/3), t₀.₉₇₅(3) = 3.182.
    const d = pairedDifference([9, 8.5, 8, 7.5], [10, 10, 10, 10]);
    const std = Math.sqrt(125 / 3);
    expect(d.mean).toBeCloseTo(-17.5, 12);
    expect(d.std).toBeCloseTo(std, 12);
    expect(d.t).toBeCloseTo(-17.5 / (std / 2), 12);
    expect(d.significant).toBe(true);
    expect(d.ci95[0]).toBeCloseTo(-17.5 - (3.182 * std) / 2, 12);
    expect(d.ci95[1]).toBeCloseTo(-17.5 + (3.182 * std) / 2, 12);
    expect(d.ci95[1]).toBeLessThan(0);
    // Zero inside the interval ⇔ not significant.
    const e = pairedDifference([9, 11, 9.5], [10, 10, 10]);
    expect(e.significant).toBe(false);
    expect(e.ci95[0] < 0 && e.ci95[1] > 0).toBe(true);
  });

  it('runHsocBenchmark rejects a negative number of powered seeds before any training', async () => {
    await expect(
      runHsocBenchmark({ poweredSeeds: -1, knowledgeBase: { nodes: [] } as never }),
    ).rejects.toThrow(/powered seeds must be an integer ≥ 0, got -1/);
  });
});
