/**
 * Learning curves of LNN rule learning on the HSoC panel, for sample efficiency: REINFORCE
 * trainings (`lnn-rule-reinforce.ts`, seeds 1, 2, …) with the rules as learned so far evaluated on
 * an {@link HsocEvalPanel} before training and every `evalEvery` episodes, each point with the env steps spent: the
 * agent decisions sampled by the policy and those of the paired uniform-control baseline episodes
 * the algorithm also runs.
 */
import { trainLnnRulePolicy, type TrainLnnRulePolicyOptions } from '../agents/lnn-rule-reinforce.js';
import type { HsocEvalPanel } from './hsoc-eval-panel.js';

/** Settings of {@link lnnRuleLearningCurves}. */
export interface LnnLearningCurveOptions {
  /** Independent trainings (seeds 1 … restarts). */
  restarts: number;
  /** Options of every training (its `seed` and `onEpisode` are set here). */
  train: Omit<TrainLnnRulePolicyOptions, 'seed' | 'onEpisode'>;
  /** Episodes between evaluations (the first after `evalEvery` episodes). */
  evalEvery: number;
  /** Further evaluations after these episode counts (finer resolution early in training). */
  extraEvalEpisodes?: readonly number[];
  /** The evaluation episodes. */
  panel: HsocEvalPanel;
}

/** One evaluation of an LNN training. */
export interface LnnCurvePoint {
  /** Training episodes so far. */
  episodes: number;
  /** Agent decisions sampled by the policy so far. */
  decisions: number;
  /** Env steps so far: `decisions` plus the baseline episodes' decisions. */
  envSteps: number;
  /** Mean DAG completion per panel cell. */
  meanCompletion: number[];
  /** Panel score (mean over cells of policy / control). */
  score: number;
}

/** The learning curve of one training. */
export interface LnnLearningCurve {
  /** Training seed. */
  seed: number;
  /** Its evaluations, in order. */
  points: LnnCurvePoint[];
}

/** Runs the trainings; deterministic (the same trainings as `selectLnnRulePolicy` with the same options). */
export function lnnRuleLearningCurves(options: LnnLearningCurveOptions): LnnLearningCurve[] {
  return Array.from({ length: options.restarts }, (_, k) => {
    // The untrained rules (same seed, no episode) are the curve's first point, at 0 steps.
    const untrained = trainLnnRulePolicy({ ...options.train, seed: k + 1, episodes: 0 }).policy;
    const points: LnnCurvePoint[] = [
      { episodes: 0, decisions: 0, envSteps: 0, ...options.panel.evaluate(untrained) },
    ];
    trainLnnRulePolicy({
      ...options.train,
      seed: k + 1,
      onEpisode: (ep, _c, p) => {
        if ((ep + 1) % options.evalEvery !== 0 && !options.extraEvalEpisodes?.includes(ep + 1)) return;
        points.push({
          episodes: ep + 1,
          decisions: p.decisions,
          envSteps: p.decisions + p.baselineDecisions,
          ...options.panel.evaluate(p.policy),
        });
      },
    });
    return { seed: k + 1, points };
  });
}
