/**
 * Markdown of `ppo-shared`'s learning curve (trained until flat under a stated rule, or to a cap)
 * and of the sample efficiency of LNN rule learning vs PPO on the HSoC panel: per (workload, load),
 * the env steps (agent decisions) after which an evaluation first reaches the control's mean
 * completion on the panel's episodes, or "not reached within N".
 */
import type { PlateauRule } from '../core/learning-plateau.js';
import { stepsToReach } from '../core/steps-to-target.js';

/** Heading of the section (the bench replaces the section from it). */
export const HSOC_PPO_SECTION_HEADING = '### ppo-shared learning curve';

/** One evaluation point of a learning curve on the panel (PPO: `steps`; LNN: `envSteps` and `decisions`). */
export interface HsocPanelPoint {
  /** Mean DAG completion per panel cell. */
  meanCompletion: readonly number[];
}

/** What {@link hsocLearningEfficiencyMarkdown} renders (the shapes of the experiments' results). */
export interface HsocLearningEfficiencyReport {
  /** The panel's cells with the control's mean completion. */
  cells: readonly { workload: string; load: string; control: number }[];
  /** Episodes per cell and first seed of the panel. */
  panel: { seeds: number; seedBase: number };
  /** PPO training and its curve. */
  ppo: {
    flat: boolean;
    steps: number;
    curve: readonly (HsocPanelPoint & {
      steps: number;
      score: number;
      improvement: number | undefined;
      regular?: boolean;
    })[];
  };
  /** Its stopping rule, cap and evaluation interval. */
  rule: PlateauRule;
  cap: number;
  evalEvery: number;
  /** PPO training wall time, s (the machine is shared). */
  ppoSeconds: number;
  /** LNN trainings and their curves (episodes per training, evaluation interval). */
  lnn: readonly {
    seed: number;
    points: readonly (HsocPanelPoint & { envSteps: number; decisions: number })[];
  }[];
  lnnEpisodes: number;
  lnnEvalEvery: number;
  /** Extra early evaluation points (PPO env steps, LNN episodes), if any. */
  extraEvals?: { ppoSteps: readonly number[]; lnnEpisodes: readonly number[] };
  /** File names of the plots, relative to the report. */
  plots: { ppo: string; efficiency: string };
}

const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '—');
const n = (x: number): string => x.toLocaleString('en-US');

/** Steps to reach the control in one cell, as text ("not reached within N" when it never does). */
export function stepsToReachText(
  points: readonly { steps: number; value: number }[],
  target: number,
): string {
  const s = stepsToReach(points, target);
  if (s !== undefined) return n(s);
  const last = points.length > 0 ? points[points.length - 1]!.steps : 0;
  return `not reached within ${n(last)}`;
}

/** The Markdown section (starts with {@link HSOC_PPO_SECTION_HEADING}). */
export function hsocLearningEfficiencyMarkdown(r: HsocLearningEfficiencyReport): string {
  const out: string[] = [HSOC_PPO_SECTION_HEADING, ''];
  const { ppo, rule } = r;
  const last = ppo.curve[ppo.curve.length - 1];
  out.push(
    `Trained with PPO's default (fast, host) learner; evaluated greedily every ${n(r.evalEvery)} env steps (agent decisions) on a panel of ` +
      `${r.panel.seeds} episodes per (workload, load) cell, seeds ${r.panel.seedBase}–${r.panel.seedBase + r.panel.seeds - 1} ` +
      `(disjoint from training, validation and the table's seeds). Score = mean over the ${r.cells.length} cells of ` +
      `(ppo-shared mean completion / control mean completion) on the same episodes; 1 = the control. ` +
      `**Flatness rule:** stop when the mean score of the last ${rule.window} evaluations improves by less than ` +
      `${(100 * rule.tolerance).toFixed(1)} % over the mean of the ${rule.window} before; cap ${n(r.cap)} steps ` +
      `(learning rate annealed linearly over the cap).`,
    '',
    ppo.flat
      ? `**Result: flat** after ${n(ppo.steps)} steps (${r.ppoSeconds.toFixed(0)} s of training and evaluation); final score ${f(last?.score ?? NaN)}.`
      : `**Result: not flat** within the cap: stopped at ${n(ppo.steps)} steps (${r.ppoSeconds.toFixed(0)} s), final score ${f(last?.score ?? NaN)}; ${
          last?.improvement === undefined
            ? `fewer than ${2 * rule.window} evaluations, too few for the rule`
            : `the last improvement ${f(100 * last.improvement, 2)} % is not below the ${(100 * rule.tolerance).toFixed(1)} % rule`
        }.`,
    '',
    `![ppo-shared learning curve](${r.plots.ppo})`,
    '',
    ...(r.extraEvals
      ? [
          `Rows marked (extra): further evaluations for the sample-efficiency table (after ${r.extraEvals.ppoSteps
            .map(n)
            .join(
              ', ',
            )} steps), not read by the flatness rule; the rule's improvement is shown on the regular rows.`,
          '',
        ]
      : []),
    `| steps | score | ${r.cells.map((c) => `${c.workload} ${c.load}`).join(' | ')} | improvement % (rule) |`,
    `|---:|---:|${r.cells.map(() => '---:').join('|')}|---:|`,
    `| control | 1.000 | ${r.cells.map((c) => f(c.control)).join(' | ')} | |`,
  );
  for (const p of ppo.curve)
    out.push(
      `| ${n(p.steps)}${p.regular === false && p.steps > 0 ? ' (extra)' : ''} | ${f(p.score)} | ${p.meanCompletion.map((m) => f(m)).join(' | ')} | ${
        p.improvement === undefined ? '' : f(100 * p.improvement, 2)
      } |`,
    );
  out.push(
    '',
    '### Sample efficiency: env steps to reach the control',
    '',
    `Env steps (agent decisions, the unit of the single-agent PPO env) until an evaluation on the panel first has a mean ` +
      `completion ≤ the control's in that cell; both learners train on the profiled 5-task DAG (4 jobs, loads mixed), so ` +
      `AV-42 is transfer; 0 = the untrained policy already reaches it. PPO: evaluated before training and every ${n(r.evalEvery)} steps${
        r.extraEvals ? ` and after ${r.extraEvals.ppoSteps.map(n).join(', ')}` : ''
      }. LNN rules: ${r.lnn.length} REINFORCE trainings ` +
      `(seeds ${r.lnn.map((c) => c.seed).join(', ')}; the bench keeps the best on validation) of ${n(r.lnnEpisodes)} episodes, evaluated before training (0 steps: the untrained rules), ` +
      `then every ${r.lnnEvalEvery} episodes${
        r.extraEvals ? ` and after ${r.extraEvals.lnnEpisodes.join(', ')}` : ''
      }; each LNN figure counts the policy's sampled decisions plus the ` +
      `decisions of the paired uniform-control baseline episode REINFORCE runs per training episode (sampled decisions ` +
      `alone in brackets). Resolution: a figure is the first evaluation point that reaches the control, not the exact crossing.`,
    '',
    `| workload | load | control (panel) | ppo-shared | ${r.lnn.map((c) => `LNN seed ${c.seed}`).join(' | ')} |`,
    `|---|---|---:|---:|${r.lnn.map(() => '---:').join('|')}|`,
  );
  r.cells.forEach((c, i) => {
    const ppoPts = ppo.curve.map((p) => ({ steps: p.steps, value: p.meanCompletion[i]! }));
    const lnn = r.lnn.map((curve) => {
      const env = curve.points.map((p) => ({ steps: p.envSteps, value: p.meanCompletion[i]! }));
      const s = stepsToReach(env, c.control);
      const sampled = curve.points.find((p) => p.envSteps === s)?.decisions;
      return s === undefined ? stepsToReachText(env, c.control) : `${n(s)} (${n(sampled!)})`;
    });
    out.push(
      `| ${c.workload} | ${c.load} | ${f(c.control)} | ${stepsToReachText(ppoPts, c.control)} | ${lnn.join(' | ')} |`,
    );
  });
  out.push('', `![score vs env steps, PPO and LNN trainings](${r.plots.efficiency})`);
  return out.join('\n') + '\n';
}
