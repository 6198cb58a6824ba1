/**
 * Where an on-policy algorithm's rollouts come from when it does not step its own envs: env
 * runners (RLlib's pattern) that hold slices of the vector env, act with the learner's current
 * weights and return the transitions. The algorithm keeps the bookkeeping (counters, episode
 * statistics, reward normalization, truncation bootstrap values, GAE), so a source only steps.
 *
 * Determinism: the runners shadow the learner's action-sampling stream. Every row of a vector
 * step draws the same number of values from one {@link Rng} (one uniform per Discrete row, one
 * normal per Box dimension), so a runner owning rows `[start, start + count)` reproduces the
 * draws of its rows by skipping those of the others ({@link skipActionDraws}). With each runner
 * seeded like copies `start … start + count − 1` of a {@link SyncVectorEnv}, the rollout equals
 * the one the algorithm would have collected itself, bit for bit.
 */
import type { Rng, RngState } from '../core/rng.js';
import type { Policy } from '../nn/policy.js';

/** What the algorithm asks a {@link RolloutSource} for, once per iteration. */
export interface RolloutRequest {
  /** The learner's policy with its current weights (the source reads them, never trains). */
  policy: Policy<Float32Array>;
  /** Flat observation length of one copy. */
  obsDim: number;
  /** Vector steps to collect. */
  numSteps: number;
  /** State of the action-sampling stream at the rollout's first step. */
  actionRngState: RngState;
  /** Seed of the first reset (copy i gets `resetSeed + i`); used only by a source's first rollout. */
  resetSeed: number;
}

/**
 * A rollout of all `numEnvs` copies, step-major (row `t · numEnvs + e` is copy e at step t), in
 * the layout of the algorithm's {@link RolloutBuffer}. Observations are raw (no normalization).
 */
export interface CollectedRollout {
  /** Observations s_t (numSteps · numEnvs · obsDim). */
  obs: Float32Array;
  /** Action masks of s_t (numSteps · numEnvs · actionDim), when the envs give masks. */
  masks: Uint8Array | undefined;
  /** Sampled actions (numSteps · numEnvs, or · actionDim for Box). */
  actions: Int32Array | Float32Array;
  /** log π(a_t | s_t). */
  logProbs: Float32Array;
  /** V(s_t). */
  values: Float32Array;
  /** Raw rewards r_t. */
  rewards: Float32Array;
  /** 1 where the episode terminated at step t. */
  terminated: Uint8Array;
  /** 1 where it was truncated at step t. */
  truncated: Uint8Array;
  /** V(final observation) where truncated and not terminated, else 0. */
  finalValues: Float32Array;
  /** Observations after the last step (numEnvs · obsDim). */
  lastObs: Float32Array;
  /** Their action masks, when the envs give masks. */
  lastMasks: Uint8Array | undefined;
  /** The action-sampling stream's state after the rollout (every runner's must agree). */
  actionRngState: RngState;
}

/** Collects rollouts for an on-policy algorithm (see the module doc). */
export interface RolloutSource {
  /** Total env copies over all runners (must equal the algorithm's `numEnvs`). */
  readonly numEnvs: number;
  /** One rollout with the request's weights; rejects with an error naming the runner that failed. */
  collect(request: RolloutRequest): Promise<CollectedRollout>;
  /** Stops the runners. */
  close(): Promise<void>;
}

/**
 * Advances `rng` past the draws that `rows` rows of a stochastic `Policy.act` make: one uniform
 * per Discrete row, `actionDim` normals per Box row (the normal cache carried as `Rng.normal`
 * carries it), so the stream continues exactly where the policy would leave it.
 */
export function skipActionDraws(
  rng: Rng,
  actionKind: 'discrete' | 'box',
  rows: number,
  actionDim: number,
): void {
  if (actionKind === 'discrete') for (let i = 0; i < rows; i++) rng.random();
  else for (let i = rows * actionDim; i > 0; i--) rng.normal();
}
