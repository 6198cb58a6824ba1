import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { coreLowerBound } from '../../../src/dag/analysis/core-lower-bound.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { generateDag } from '../../../src/dag/generate/generate-dag.js';
import { buildMinCoresMilp, countMilpPairs } from '../../../src/dag/optimal/min-cores-milp.js';
import { scheduleOptimal } from '../../../src/dag/optimal/optimal-scheduler.js';
import { scheduleByBound } from '../../../src/dag/schedule/bound-based-scheduler.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { scheduleEgsGreedy } from '../../../src/dag/schedule/egs-greedy.js';
import { zhao2020 } from '../../../src/dag/schedule/zhao2020.js';
import type { ScheduleResult } from '../../../src/dag/schedule/schedule-result.js';
import {
  incumbentAsEdgeGeneration,
  listScheduleIncumbent,
} from '../../../src/dag/optimal/list-schedule-incumbent.js';
import { TimeBudget } from '../../../src/dag/schedule/time-budget.js';
import { loadEgsPolicyModel } from '../../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../../src/deploy/egs-policy-scheduler.js';
import { cli } from '../../cli/run-cli-helper.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A chain of n unit nodes, D = n: every method answers at once, and n may exceed the policy's limit. */
function chain(n: number): Dag {
  return buildDag({
    name: `chain-${n}`,
    deadline: n,
    nodes: Array.from({ length: n }, (_, v) => ({ id: `v${v}`, wcet: 1 })),
    edges: Array.from({ length: n - 1 }, (_, v) => [`v${v}`, `v${v + 1}`] as [string, string]),
  });
}

describe('optimal: the MILP is sized before it is built', () => {
  it('countMilpPairs counts exactly the successor variables of the model, and stops early', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('layered', 'fork-join'),
        (seed, kind) => {
          const dag = generateDag({ kind: kind as 'layered' | 'fork-join', nodes: 24, seed, slack: 0.3 });
          const timing = computeTiming(dag, dag.deadline);
          const pairs = buildMinCoresMilp(dag, timing).pairs.length;
          expect(countMilpPairs(dag, timing)).toBe(pairs);
          if (pairs > 3) expect(countMilpPairs(dag, timing, 3)).toBe(4);
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });

  it('declines a model too large for the time limit, quickly, with the list-scheduling timetable', async () => {
    const dag = generateDag({ kind: 'fork-join', nodes: 200, seed: 1, slack: 0.02 });
    const timing = computeTiming(dag, dag.deadline);
    // The incumbent is above the lower bound here, so the solver would be needed.
    expect(countMilpPairs(dag, timing)).toBeGreaterThan(20_000);
    const t0 = performance.now();
    const r = await scheduleOptimal(dag, { timeLimitS: 0.5 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.note).toMatch(
      /^MILP not built: its more than [\d,]+ successor variables would take HiGHS longer than the [\d.]+ s left of --time-limit 0.5 s just to load; the listsched timetable, not proved optimal$/,
    );
    expect(r.optimal).toBe(false);
    expect(r.feasible).toBe(true);
    expect(checkSchedule(dag, r).ok).toBe(true);
  });
});

describe('TimeBudget', () => {
  it('is spent at once with 0 seconds and refuses a negative or NaN budget', () => {
    expect(new TimeBudget(0).expired).toBe(true);
    expect(new TimeBudget(10).expired).toBe(false);
    expect(() => new TimeBudget(-1)).toThrow(/a time budget must be a number of seconds ≥ 0, got -1/);
    expect(() => new TimeBudget(NaN)).toThrow(/got NaN/);
  });
});

describe('optimal: a model past the solver memory', () => {
  it('is not built, whatever the time limit', async () => {
    const dag = generateDag({ kind: 'fork-join', nodes: 1000, seed: 1, slack: 0.02 });
    const r = await scheduleOptimal(dag, { timeLimitS: 10_000 });
    expect(r.note).toBe(
      'MILP not built: its more than 429,496 successor variables would need over 2.0 GB, the most the solver ' +
        '(HiGHS in WebAssembly) can address; the listsched timetable, not proved optimal',
    );
    expect(r.optimal).toBe(false);
    expect(checkSchedule(dag, r).ok).toBe(true);
  });
});

describe('time budgets', () => {
  it('a bound method past its budget declines (skipped, no timetable)', () => {
    const dag = generateDag({ kind: 'layered', nodes: 40, seed: 3, slack: 0.05 });
    const ctx = createAnalysisContext(dag, dag.deadline);
    const budget = new TimeBudget(0);
    const r = scheduleByBound(ctx, zhao2020, coreLowerBound(dag, dag.deadline!).lowerBound, budget);
    expect(r.skipped).toMatch(
      /^time budget of 0 s reached before the zhao2020 bound proved D \(no core count tried\)$/,
    );
    expect(r.feasible).toBe(false);
    expect(r.schedule).toEqual([]);
    expect(checkSchedule(dag, r).ok).toBe(true);
  });

  it('egs-greedy past its budget returns the chain cover of the graph so far', () => {
    const dag = generateDag({ kind: 'fork-join', nodes: 300, seed: 1, slack: 0.02 });
    const ctx = createAnalysisContext(dag, dag.deadline);
    const lb = coreLowerBound(dag, dag.deadline!).lowerBound;
    const r = scheduleEgsGreedy(ctx, lb, { timeBudgetS: 0.01 });
    expect(r.note).toMatch(
      /^time budget of 0\.01 s reached after \d+ edges \(W = \d+, lower bound \d+\): best so far$/,
    );
    expect(r.feasible).toBe(true);
    expect(checkSchedule(dag, r).ok).toBe(true);
    expect(r.cores).toBe(r.schedule.reduce((m, x) => Math.max(m, x.core + 1), 0));
    // With a list schedule's core sequences as the fallback, the cut-short answer is that one.
    const fallback = (): ScheduleResult =>
      incumbentAsEdgeGeneration(
        dag,
        ctx.reach,
        listScheduleIncumbent(dag, ctx.timing, lb, new TimeBudget(5)),
        'egs-greedy',
        lb,
        dag.deadline!,
      );
    const f = scheduleEgsGreedy(ctx, lb, { timeBudgetS: 0.01, fallback });
    expect(f.note).toMatch(/; the fallback's \d+ cores kept: best so far$/);
    expect(f.cores).toBeLessThan(r.cores);
    expect(f.guarantee).toBe('structural');
    expect(f.addedEdges.length).toBeGreaterThan(0);
    expect(checkSchedule(dag, f).ok).toBe(true);
  });

  it('egs past its budget keeps the episode prefix; egs-search too', () => {
    const dag = generateDag({ kind: 'fork-join', nodes: 120, seed: 2, slack: 0.02 });
    const s = new EgsPolicyScheduler(loadEgsPolicyModel());
    const r = s.sample(dag, 4, 0, { timeBudgetS: 0.05 });
    expect(r.note).toMatch(/time budget of 0\.05 s reached/);
    expect(r.feasible).toBe(true);
    expect(checkSchedule(dag, r).ok).toBe(true);
    const q = s.search(dag, { timeBudgetS: 0.05 });
    expect(q.note).toMatch(
      /time budget of 0\.05 s reached during the beam search: best so far; a list schedule's core sequences \(\d+ cores\) kept instead$/,
    );
    expect(checkSchedule(dag, q).ok).toBe(true);
  });
});

describe('the policy methods above 1,024 nodes', () => {
  it('decline in user terms, naming what to use instead', () => {
    const dag = chain(1025);
    const r = new EgsPolicyScheduler(loadEgsPolicyModel()).sample(dag, 1);
    expect(r.skipped).toBe(
      'the learned EGS policy handles DAGs of at most 1,024 nodes (this one has 1,025); use egs-greedy or listsched',
    );
    expect(r.feasible).toBe(false);
    expect(r.schedule).toEqual([]);
  });

  it('arbiter schedule (all) still prints every other method, and the declined ones with their note', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arbiter-scale-'));
    const file = path.join(dir, 'chain.json');
    const dag = chain(1025);
    writeFileSync(
      file,
      JSON.stringify({
        name: dag.name,
        deadline: dag.deadline,
        nodes: dag.ids.map((id) => ({ id, wcet: 1 })),
        edges: dag.edges.map(([u, v]) => [dag.ids[u], dag.ids[v]]),
      }),
    );
    const { code, stdout } = await cli('schedule', file);
    expect(code).toBe(0);
    for (const m of ['graham', 'he2019', 'zhao2020', 'he2021', 'listsched', 'egs-greedy', 'optimal'])
      expect(stdout).toMatch(new RegExp(`^${m} +1 +(1|-) +1025 `, 'm'));
    expect(stdout).toMatch(/^egs \(declined\) +- +- +- +1 +- +declined/m);
    expect(stdout).toMatch(/^egs-search \(declined\) +- +- +- +1 +- +declined/m);
    expect(stdout).toContain('egs: the learned EGS policy handles DAGs of at most 1,024 nodes');
    const json = JSON.parse((await cli('schedule', file, '--json')).stdout) as {
      method: string;
      skipped?: string;
    }[];
    expect(json.filter((r) => r.skipped !== undefined).map((r) => r.method)).toEqual(['egs', 'egs-search']);
  });
});
