/**
 * The ε-greedy exploration schedule of DQN (Stable-Baselines3's `get_linear_fn`): ε falls
 * linearly from `initialEps` to `finalEps` over the first `fraction` of the training horizon and
 * stays at `finalEps` afterwards. A pure function of the step count, so a resumed run that keeps
 * its horizon continues exactly where ε was.
 */

/** Parameters of {@link linearEpsilon}. */
export interface LinearEpsilonSchedule {
  /** ε at step 0, in [0, 1]. */
  initialEps: number;
  /** ε once the decay is over, in [0, 1]. */
  finalEps: number;
  /** Fraction of the horizon over which ε decays, in [0, 1]; 0 means ε = finalEps from the start. */
  fraction: number;
}

/**
 * ε after `step` environment steps of a run whose schedule spans `horizon` steps.
 * @param step - environment steps taken so far (≥ 0)
 * @param horizon - steps at which the schedule's time axis ends (> 0)
 */
export function linearEpsilon(step: number, horizon: number, schedule: LinearEpsilonSchedule): number {
  const { initialEps, finalEps, fraction } = schedule;
  const progress = horizon > 0 ? step / horizon : 1;
  if (fraction <= 0 || progress >= fraction) return finalEps;
  return initialEps + (progress / fraction) * (finalEps - initialEps);
}
