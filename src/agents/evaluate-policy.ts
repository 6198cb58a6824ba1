/**
 * Policy evaluation, as SB3's `evaluate_policy`: run a policy for a number of episodes on an
 * environment and report the mean and standard deviation of the episode returns.
 */
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { flatDim, flattenInto } from '../core/spaces.js';
import { mean, populationStd } from '../core/statistics.js';

/**
 * A policy as a function: flat observation (see `flattenInto`), the action mask when the env
 * gives one, and whether to act deterministically → an action (integer for Discrete spaces,
 * Float32Array for Box spaces).
 */
export type PredictFn = (
  obs: Float32Array,
  mask: Uint8Array | undefined,
  deterministic: boolean,
) => number | Float32Array;

/** Options of {@link evaluatePolicy}. */
export interface EvaluateOptions {
  /** Number of episodes. Default 10. */
  episodes?: number;
  /** Seed of the first reset (later resets continue the env's RNG stream). Default: unseeded. */
  seed?: number;
  /** Passed to the policy. Default true. */
  deterministic?: boolean;
  /** Safety cap on the steps of one episode (an env without time limit may never end). Default 1e6. */
  maxEpisodeSteps?: number;
}

/** Result of {@link evaluatePolicy}. */
export interface EvaluationResult {
  /** Mean episode return (undiscounted sum of rewards). */
  meanReturn: number;
  /** Population standard deviation of the episode returns. */
  stdReturn: number;
  /** Number of episodes run. */
  episodes: number;
  /** Return of each episode. */
  returns: number[];
  /** Length (steps) of each episode. */
  lengths: number[];
}

/** Runs `predict` on `env` for `episodes` full episodes and summarises the returns. */
export function evaluatePolicy(
  predict: PredictFn,
  env: Env,
  options: EvaluateOptions = {},
): EvaluationResult {
  const episodes = options.episodes ?? 10;
  const deterministic = options.deterministic ?? true;
  const maxSteps = options.maxEpisodeSteps ?? 1_000_000;
  if (!Number.isInteger(episodes) || episodes < 1)
    throw new ArbiterError(
      'invalid-config',
      `evaluatePolicy: episodes must be an integer ≥ 1, got ${episodes}`,
    );
  const obsBuf = new Float32Array(flatDim(env.observationSpace));
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    const first = ep === 0 && options.seed !== undefined ? env.reset({ seed: options.seed }) : env.reset();
    let obs = first.obs;
    let mask = first.info.actionMask ?? env.actionMasks?.();
    let ret = 0;
    let len = 0;
    for (;;) {
      flattenInto(env.observationSpace, obs, obsBuf, 0);
      const r = env.step(predict(obsBuf, mask, deterministic));
      ret += r.reward;
      len++;
      if (r.terminated || r.truncated || len >= maxSteps) break;
      obs = r.obs;
      mask = r.info.actionMask ?? env.actionMasks?.();
    }
    returns.push(ret);
    lengths.push(len);
  }
  const meanReturn = mean(returns);
  return { meanReturn, stdReturn: populationStd(returns, meanReturn), episodes, returns, lengths };
}
