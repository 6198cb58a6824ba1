/**
 * Vectorized environments: `numEnvs` copies stepped together, observations flattened
 * into one Float32Array for batched network calls. Autoreset is same-step (as Stable-Baselines3):
 * when copy i ends, the returned `obs` row is already the first observation of its next episode
 * and the last observation of the ended one is in `finalObs[i]`, so truncated episodes can
 * bootstrap from it. Methods are async so the worker-thread implementation fits the same contract.
 */
import type { Info } from './env.js';
import type { Space } from './spaces.js';

/** What {@link VectorEnv.reset} returns. */
export interface VectorResetResult {
  /** numEnvs × obsDim flattened observations (see `flattenInto`). */
  obs: Float32Array;
  /** One info per copy. */
  infos: Info[];
  /** numEnvs × n action masks for Discrete(n) action spaces whose envs give masks. */
  actionMasks?: Uint8Array;
}

/** What {@link VectorEnv.step} returns. */
export interface VectorStepResult extends VectorResetResult {
  /** Reward of each copy. */
  rewards: Float32Array;
  /** 1 where the copy's episode terminated this step. */
  terminated: Uint8Array;
  /** 1 where the copy's episode was truncated this step. */
  truncated: Uint8Array;
  /** Flattened last observation of each copy whose episode ended this step, else null. */
  finalObs: (Float32Array | null)[];
  /** Last info of each copy whose episode ended this step, else null. */
  finalInfos: (Info | null)[];
}

/** A batch of environments of the same kind. */
export interface VectorEnv {
  /** Number of copies. */
  readonly numEnvs: number;
  /** Observation space of one copy. */
  readonly singleObservationSpace: Space;
  /** Action space of one copy. */
  readonly singleActionSpace: Space;
  /** Flat observation length of one copy. */
  readonly obsDim: number;
  /** Resets every copy; copy i gets seed `seed + i` when a seed is given. */
  reset(seed?: number): Promise<VectorResetResult>;
  /**
   * Steps every copy. Discrete actions: one integer per copy (Int32Array of numEnvs); Box actions:
   * numEnvs × actionDim row-major Float32Array.
   */
  step(actions: Int32Array | Float32Array): Promise<VectorStepResult>;
  /** Releases the copies (and worker threads). */
  close(): Promise<void>;
}
