import { describe, expect, it } from 'vitest';
import { runHsocProfiledComparison } from '../../src/experiments/hsoc-profiled-comparison.js';

describe('HSoC profiled comparison (small)', () => {
  it('one paired row per (workload, load, policy) with the bench fields; the control is 0 % from itself', () => {
    const rows = runHsocProfiledComparison({ seeds: 2, jobs: { '5-task-profiled': 2, 'av-42-profiled': 1 } });
    expect(rows).toHaveLength(2 * 3 * 5);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(
        [
          'ci95',
          'deadlineMissRatio',
          'gapToIdealPct',
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
      if (r.policy === 'ideal-static') expect(r.gapToIdealPct).toBe(0);
    }
  });
});
