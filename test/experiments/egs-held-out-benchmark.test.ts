import { describe, expect, it } from 'vitest';
import { loadEgsPolicyModel, SMALL_EGS_MODEL_PATH } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import {
  egsHeldOutMethodsOf,
  policyOwnCores,
  runEgsHeldOutBenchmark,
  summarizeEgsHeldOut,
} from '../../src/experiments/egs-held-out-benchmark.js';
import { EGS_SET_DECLARATION, generateEgsHeldOutSets } from '../../src/experiments/egs-held-out-sets.js';
import { egsAcceptance, egsHeldOutSetTables } from '../../src/report/egs-held-out-report.js';

describe('EGS held-out benchmark (smoke: 2 DAGs of 10 nodes at m = 2)', () => {
  it('runs every method through the checker and summarizes with exactly the issue fields', async () => {
    const all = await generateEgsHeldOutSets({
      ...EGS_SET_DECLARATION,
      sizes: [{ nodes: 10, perGenerator: 1, cores: [2] }],
      stg: [],
    });
    const set = { ...all.sets[0]!, items: all.sets[0]!.items.slice(0, 2) };
    const scheduler = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));
    const options = { scheduler, optimalTimeLimitS: 5, optimalMaxNodes: 10, budgetS: 5 };
    expect(egsHeldOutMethodsOf(set, options)).toContain('optimal');
    expect(egsHeldOutMethodsOf({ ...set, nodes: 1000 }, options)).not.toContain('egs-search');
    const rows = await runEgsHeldOutBenchmark({ dags: all.dags, sets: [set] }, options);
    expect(rows).toHaveLength(2 * egsHeldOutMethodsOf(set, options).length);
    expect(rows.every((r) => r.valid)).toBe(true);
    const summary = summarizeEgsHeldOut(rows, [set]);
    for (const s of summary) {
      expect(Object.keys(s).sort()).toEqual(
        [
          'set',
          'nodes',
          'm',
          'method',
          'dags',
          'meanCores',
          'provenOptimal',
          'meanGapToBest',
          'msPerDag',
          'invalid',
        ].sort(),
      );
      expect(s.meanGapToBest).toBeGreaterThanOrEqual(0);
      expect(s.invalid).toBe(0);
    }
    const cell = (m: string) => summary.find((s) => s.method === m)!;
    // Seeded egs is never worse than listsched; at D = the best list makespan on 2 cores, listsched needs ≤ 2.
    expect(cell('egs').meanCores).toBeLessThanOrEqual(cell('listsched').meanCores);
    expect(cell('listsched').meanCores).toBeLessThanOrEqual(2);
    // optimal on 10 nodes proves; its answer is then counted proven optimal, and the best is ≤ it.
    expect(cell('optimal').provenOptimal).toBe(2);
    expect(cell('optimal').meanGapToBest).toBe(0);
    expect(egsHeldOutSetTables(summary, rows)).toContain('### gen-10-m2 (10 nodes, m = 2)');
    const acc = egsAcceptance(summary, rows, { optimalTimeLimitS: 5 });
    expect(acc[0]).toMatchObject({ met: true });
  }, 60_000);

  it("policyOwnCores: the policy's own width when the list-schedule fallback answered, else undefined", () => {
    const r = (note?: string) => ({ note }) as Parameters<typeof policyOwnCores>[0];
    expect(
      policyOwnCores(
        r(
          "time budget of 10 s reached, an episode was cut short: best so far (W = 41 after 757 edges); a list schedule's core sequences (2 cores) kept instead",
        ),
      ),
    ).toBe(41);
    expect(
      policyOwnCores(
        r('time budget of 10 s reached, an episode was cut short: best so far (W = 3 after 5 edges)'),
      ),
    ).toBe(undefined);
    expect(policyOwnCores(r())).toBe(undefined);
    expect(() => policyOwnCores(r('something else; kept instead'))).toThrow(
      /does not give the policy's width/,
    );
  });
});
