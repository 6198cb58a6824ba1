/**
 * `ppo-shared` trained until its learning curve is flat: the PPO baseline of `hsoc-ppo-baseline.ts`
 * evaluated greedily on an {@link HsocEvalPanel} every `evalEvery` env steps, stopped by a
 * {@link PlateauRule} on the panel score (mean completion relative to the control) or at the cap.
 * The untrained policy is evaluated too (step 0). The learning rate anneals over the cap, as PPO's
 * default does over its budget.
 */
import type { Callback } from '../agents/algorithm.js';
import type { PPO } from '../agents/ppo.js';
import type { HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import type { HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import type { HsocEvalPanel } from './hsoc-eval-panel.js';
import { trainPpoBaseline } from './hsoc-ppo-baseline.js';
import { isPlateau, plateauImprovement, type PlateauRule } from '../core/learning-plateau.js';

/** Settings of {@link trainPpoUntilFlat}. */
export interface PpoUntilFlatOptions {
  /** Most env steps (agent decisions) to train. */
  cap: number;
  /** Env steps between evaluations (taken after the first update past each multiple). */
  evalEvery: number;
  /** Further evaluation points (env steps) between the regular ones, for sample efficiency; not counted by the flatness rule. */
  extraEvalSteps?: readonly number[];
  /** When the curve of panel scores is flat. */
  rule: PlateauRule;
  /** The evaluation episodes. */
  panel: HsocEvalPanel;
  /** Training env options (as {@link trainPpoBaseline}). */
  env?: HsocEnvOptions;
  /** PPO seed. Default 1. */
  seed?: number;
  /** Called after each evaluation. */
  onEval?: (point: PpoCurvePoint) => void;
}

/** One evaluation of the PPO learning curve. */
export interface PpoCurvePoint {
  /** Env steps trained before it (0: the untrained policy, not counted by the flatness rule). */
  steps: number;
  /** Mean DAG completion per panel cell. */
  meanCompletion: number[];
  /** Panel score (mean over cells of policy / control; lower is better). */
  score: number;
  /** The plateau rule's relative improvement at this point (undefined while too few points, and off the regular points). */
  improvement: number | undefined;
  /** Whether it is a regular evaluation (every `evalEvery` steps), the ones the flatness rule reads. */
  regular: boolean;
}

/** What {@link trainPpoUntilFlat} returns. */
export interface PpoUntilFlatResult {
  /** The greedy policy at the end of training. */
  policy: HsocPolicy;
  /** The evaluations, in order. */
  curve: PpoCurvePoint[];
  /** Whether training stopped because the curve was flat (false: the cap was reached first). */
  flat: boolean;
  /** Env steps trained in all. */
  steps: number;
  /** Mean training episode return after each update (steps, return). */
  returns: [number, number][];
}

function greedy(model: PPO): HsocPolicy {
  return {
    name: 'ppo-shared',
    act: (_env, _agent, obs, mask) => model.predict(obs, { deterministic: true, mask }) as number,
  };
}

/** Trains `ppo-shared` until flat or capped; deterministic for given options. */
export async function trainPpoUntilFlat(options: PpoUntilFlatOptions): Promise<PpoUntilFlatResult> {
  const curve: PpoCurvePoint[] = [];
  const returns: [number, number][] = [];
  let next = options.evalEvery;
  let steps = 0;
  let flat = false;
  // The untrained policy (step 0) and the extra points are shown but not part of the flatness rule.
  const trainedScores = (): number[] => curve.filter((p) => p.regular).map((p) => p.score);
  const extra = [...(options.extraEvalSteps ?? [])].sort((a, b) => a - b);
  let nextExtra = 0;
  const evaluate = (model: PPO, at: number, regular: boolean): void => {
    const e = options.panel.evaluate(greedy(model));
    const improvement = regular ? plateauImprovement([...trainedScores(), e.score], options.rule) : undefined;
    const point = { steps: at, ...e, improvement, regular };
    curve.push(point);
    options.onEval?.(point);
  };
  let trained: PPO | undefined;
  const callback: Callback<PPO> = {
    onTrainingStart: (ctx) => evaluate(ctx.algo, 0, false),
    onUpdateEnd: (ctx) => {
      trained = ctx.algo;
      steps = ctx.numTimesteps;
      let crossedExtra = false;
      while (nextExtra < extra.length && steps >= extra[nextExtra]!) {
        crossedExtra = true;
        nextExtra++;
      }
      if (steps < next) {
        if (crossedExtra) evaluate(ctx.algo, steps, false);
        return true;
      }
      next += options.evalEvery * Math.ceil((steps - next + 1) / options.evalEvery);
      evaluate(ctx.algo, steps, true);
      flat = isPlateau(trainedScores(), options.rule);
      return !flat;
    },
  };
  const policy = await trainPpoBaseline(
    options.cap,
    options.seed ?? 1,
    options.env ?? {},
    (s, r) => returns.push([s, r]),
    [callback],
  );
  if (trained !== undefined && (curve.length === 0 || curve[curve.length - 1]!.steps < steps)) {
    evaluate(trained, steps, true);
    flat = isPlateau(trainedScores(), options.rule); // the final point may satisfy the rule at the cap
  }
  return { policy, curve, flat, steps, returns };
}
