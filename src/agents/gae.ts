/**
 * Generalized Advantage Estimation (Schulman et al., 2016) over a rollout of `numSteps` vector
 * steps × `numEnvs` copies, stored step-major (`index = t · numEnvs + e`).
 *
 *   δ_t = r_t + γ · V(s_{t+1}) · (1 − done_t) − V(s_t)
 *   A_t = δ_t + γλ · (1 − done_t) · A_{t+1},      R_t = A_t + V(s_t)
 *
 * `done_t` marks that the transition at step t ended its episode (terminated or truncated).
 * Truncation is not termination: as in Stable-Baselines3, a truncated step's reward is
 * augmented by `γ · V(finalObs)` (the value of the observation where the episode was cut) and the
 * episode then counts as done, so the bootstrap uses the right state even though the vector env
 * has already reset that copy. Termination bootstraps nothing.
 */
import { ArbiterError } from '../core/errors.js';

/** Inputs of {@link computeGae}. All arrays are step-major, length numSteps × numEnvs unless noted. */
export interface GaeInput {
  /** Number of vector steps T. */
  numSteps: number;
  /** Number of copies E. */
  numEnvs: number;
  /** Rewards r_t. */
  rewards: ArrayLike<number>;
  /** V(s_t) of the observation the action was chosen in. */
  values: ArrayLike<number>;
  /** 1 where the step's transition terminated the episode (no bootstrap). */
  terminated: ArrayLike<number>;
  /** 1 where the step's transition truncated the episode (bootstrap from `finalValues`). */
  truncated: ArrayLike<number>;
  /** V(final observation) at truncated steps (other entries are ignored). */
  finalValues: ArrayLike<number>;
  /** V(s_T) of the observations after the last step (length E). */
  lastValues: ArrayLike<number>;
  /** Discount γ ∈ [0, 1]. */
  gamma: number;
  /** GAE λ ∈ [0, 1] (1 = Monte-Carlo advantages, 0 = one-step TD). */
  gaeLambda: number;
}

/**
 * Computes advantages A_t and returns R_t = A_t + V(s_t) into `advantages` and `returns`
 * (allocated when absent); returns both. Pure apart from writing the outputs.
 */
export function computeGae(
  input: GaeInput,
  advantages?: Float32Array,
  returns?: Float32Array,
): { advantages: Float32Array; returns: Float32Array } {
  const { numSteps: T, numEnvs: E, rewards, values, terminated, truncated, finalValues, lastValues } = input;
  const { gamma, gaeLambda } = input;
  const n = T * E;
  for (const [name, arr] of [
    ['rewards', rewards],
    ['values', values],
    ['terminated', terminated],
    ['truncated', truncated],
    ['finalValues', finalValues],
  ] as const)
    if (arr.length < n)
      throw new ArbiterError(
        'shape-mismatch',
        `computeGae: ${name} has ${arr.length} entries, need ${T} × ${E}`,
      );
  if (lastValues.length < E)
    throw new ArbiterError(
      'shape-mismatch',
      `computeGae: lastValues has ${lastValues.length} entries, need ${E}`,
    );
  const adv = advantages ?? new Float32Array(n);
  const ret = returns ?? new Float32Array(n);
  for (let e = 0; e < E; e++) {
    let lastGae = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * E + e;
      const term = terminated[i] !== 0;
      const trunc = !term && truncated[i] !== 0;
      const nextNonTerminal = term || trunc ? 0 : 1;
      // After a same-step autoreset, V(s_{t+1}) is the next episode's start; it is multiplied by 0.
      const nextValue = t === T - 1 ? lastValues[e]! : values[i + E]!;
      const reward = rewards[i]! + (trunc ? gamma * finalValues[i]! : 0);
      const delta = reward + gamma * nextValue * nextNonTerminal - values[i]!;
      lastGae = delta + gamma * gaeLambda * nextNonTerminal * lastGae;
      adv[i] = lastGae;
      ret[i] = lastGae + values[i]!;
    }
  }
  return { advantages: adv, returns: ret };
}

/**
 * Discounted Monte-Carlo returns `G_t = r_t + γ G_{t+1}` (REINFORCE), reset at episode ends;
 * truncated steps bootstrap `γ · V(finalObs)` and the last step bootstraps `lastValues` when the
 * episode is still running (pass zeros for pure Monte-Carlo on complete episodes).
 * Equivalent to {@link computeGae} with λ = 1 and V ≡ 0 except at the bootstrap points.
 */
export function computeDiscountedReturns(
  input: Omit<GaeInput, 'values' | 'gaeLambda'>,
  returns?: Float32Array,
): Float32Array {
  const { numSteps: T, numEnvs: E, rewards, terminated, truncated, finalValues, lastValues, gamma } = input;
  const ret = returns ?? new Float32Array(T * E);
  for (let e = 0; e < E; e++) {
    let g = lastValues[e]!;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * E + e;
      if (terminated[i]) g = 0;
      else if (truncated[i]) g = finalValues[i]!;
      g = rewards[i]! + gamma * g;
      ret[i] = g;
    }
  }
  return ret;
}
