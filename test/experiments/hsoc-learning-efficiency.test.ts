import { describe, expect, it } from 'vitest';
import type { PlateauRule } from '../../src/core/learning-plateau.js';
import { HsocEvalPanel } from '../../src/experiments/hsoc-eval-panel.js';
import { lnnRuleLearningCurves } from '../../src/experiments/hsoc-lnn-learning-curve.js';
import { trainPpoUntilFlat } from '../../src/experiments/hsoc-ppo-until-flat.js';
import { profiledTrainingEnv } from '../../src/experiments/hsoc-profiled-comparison.js';
import { UniformPolicy } from '../../src/envs/hsoc/policies/uniform-policy.js';
import {
  hsocLearningEfficiencyMarkdown,
  stepsToReachText,
} from '../../src/report/hsoc-learning-efficiency-markdown.js';

const jobs = { '5-task-profiled': 2, 'av-42-profiled': 1 } as const;
const panel = new HsocEvalPanel({
  env: profiledTrainingEnv(),
  jobs,
  seeds: 1,
  cells: [{ workload: '5-task-profiled', load: 'light' }],
});
const env = { ...profiledTrainingEnv(), jobs: 2 };

describe('HsocEvalPanel', () => {
  it('scores the control 1 on every cell, and covers every profiled cell by default', () => {
    const all = new HsocEvalPanel({ env: profiledTrainingEnv(), jobs, seeds: 1 });
    expect(all.cells.map((c) => `${c.workload}/${c.load}`)).toHaveLength(6);
    const e = all.evaluate(new UniformPolicy());
    expect(e.score).toBe(1);
    expect(e.meanCompletion).toEqual(all.cells.map((c) => c.control));
    // A policy that always asks for nothing beyond the masks' floor is not the control.
    const idle = all.evaluate({ name: 'first-allowed', act: (_e, _a, _o, mask) => mask.indexOf(1) });
    expect(idle.score).not.toBe(1);
  });
});

describe('trainPpoUntilFlat', () => {
  // One PPO update is 3 envs × 256 steps = 768 steps.
  const train = (cap: number, rule: PlateauRule) =>
    trainPpoUntilFlat({ cap, evalEvery: 768, rule, panel, env });

  it('stops once the plateau rule holds, evaluating the untrained policy first', async () => {
    // Any relative improvement is < 10: flat at the second evaluation during training (window 1).
    const r = await train(50_000, { window: 1, tolerance: 10 });
    expect(r.flat).toBe(true);
    expect(r.curve.map((p) => p.steps)).toEqual([0, 768, 1536]);
    expect(r.steps).toBe(1536);
    expect(r.curve[0]!.improvement).toBeUndefined();
    expect(r.curve[1]!.improvement).toBeUndefined();
    const [, a, b] = r.curve;
    expect(r.curve[2]!.improvement).toBeCloseTo((a!.score - b!.score) / a!.score, 12);
  });

  it('takes extra evaluations that the flatness rule does not read', async () => {
    const r = await trainPpoUntilFlat({
      cap: 2000,
      evalEvery: 1536,
      extraEvalSteps: [700],
      rule: { window: 1, tolerance: 10 },
      panel,
      env,
    });
    expect(r.curve.map((p) => [p.steps, p.regular])).toEqual([
      [0, false],
      [768, false],
      [1536, true],
      [2304, true],
    ]);
    // Only two regular points: the window-1 rule compares 2304 with 1536, never with the extra one.
    expect(r.curve[1]!.improvement).toBeUndefined();
    expect(r.curve[2]!.improvement).toBeUndefined();
    expect(r.curve[3]!.improvement).toBeDefined();
    // The final point at the cap satisfies the rule (any improvement < 10).
    expect(r.flat).toBe(true);
  });

  it('stops at the cap when the curve never flattens, with a final evaluation', async () => {
    const r = await train(2000, { window: 5, tolerance: 0 });
    expect(r.flat).toBe(false);
    expect(r.steps).toBeGreaterThanOrEqual(2000);
    expect(r.curve[r.curve.length - 1]!.steps).toBe(r.steps);
  });
});

describe('lnnRuleLearningCurves and the sample-efficiency table', () => {
  it('counts env steps per evaluation and renders "not reached" honestly', () => {
    const curves = lnnRuleLearningCurves({
      restarts: 2,
      train: { episodes: 4, env },
      evalEvery: 2,
      panel,
    });
    expect(curves.map((c) => c.seed)).toEqual([1, 2]);
    for (const c of curves) {
      expect(c.points.map((p) => p.episodes)).toEqual([0, 2, 4]);
      expect(c.points[0]!.envSteps).toBe(0);
      for (const p of c.points.slice(1)) expect(p.envSteps).toBeGreaterThan(p.decisions);
      expect(c.points[2]!.envSteps).toBeGreaterThan(c.points[1]!.envSteps);
    }
    expect(stepsToReachText([{ steps: 5, value: 3 }], 2)).toBe('not reached within 5');
    expect(
      stepsToReachText(
        [
          { steps: 5, value: 3 },
          { steps: 1500, value: 2 },
        ],
        2,
      ),
    ).toBe('1,500');
    const md = hsocLearningEfficiencyMarkdown({
      cells: panel.cells,
      panel: { seeds: 1, seedBase: 5000 },
      ppo: {
        flat: false,
        steps: 10,
        curve: [
          { steps: 10, meanCompletion: [panel.cells[0]!.control * 2], score: 2, improvement: undefined },
        ],
      },
      rule: { window: 3, tolerance: 0.01 },
      cap: 10,
      evalEvery: 10,
      ppoSeconds: 1,
      lnn: [{ seed: 1, points: [{ envSteps: 40, decisions: 20, meanCompletion: [0] }] }],
      lnnEpisodes: 4,
      lnnEvalEvery: 2,
      plots: { ppo: 'a.svg', efficiency: 'b.svg' },
    });
    expect(md).toContain('| 5-task-profiled | light |');
    expect(md).toContain('not reached within 10 | 40 (20) |');
    expect(md).toContain('**Result: not flat**');
  });
});
