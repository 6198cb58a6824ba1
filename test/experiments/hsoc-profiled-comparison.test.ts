import { describe, expect, it } from 'vitest';
import { runHsocProfiledComparison } from '../../src/experiments/hsoc-profiled-comparison.js';

describe('HSoC profiled comparison (small)', () => {
  it('one paired row per (workload, load, policy) with the bench fields; the control is 0 % from itself', () => {
    const rows = runHsocProfiledComparison({ seeds: 2, jobs: { '5-task-profiled': 2, 'av-42-profiled': 1 } });
    expect(rows).toHaveLength(2 * 3 * 6);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(
        [
          'ci95',
          'deadlineMissRatio',
          'gapToIdealPct',
          'gapToLowerBoundPct',
          'perSeed',
          'load',
          'meanCompletion',
          'policy',
          'seeds',
          'vsControlPct',
          'workload',
        ].sort(),
      );
      expect(r.meanCompletion).toBeGreaterThan(0);
      if (r.policy === 'uniform') expect([r.vsControlPct, ...r.ci95]).toEqual([0, 0, 0]);
      if (r.policy === 'static-target') expect(r.gapToIdealPct).toBe(0);
      if (r.policy === 'lower-bound') expect(r.gapToLowerBoundPct).toBe(0);
      // No row is below the lower bound of its cell, seed by seed.
      const bound = rows.find(
        (b) => b.workload === r.workload && b.load === r.load && b.policy === 'lower-bound',
      )!;
      r.perSeed.forEach((c, s) => expect(c).toBeGreaterThanOrEqual(bound.perSeed[s]! * (1 - 1e-9)));
      expect(r.gapToLowerBoundPct).toBeGreaterThanOrEqual(-1e-9);
    }
    expect(new Set(rows.map((r) => r.policy))).toEqual(
      new Set(['uniform', 'uniform-running', 'seed-rules', 'slack-peak', 'static-target', 'lower-bound']),
    );
  });
});
