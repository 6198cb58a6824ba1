/**
 * The single-agent environment contract, Gymnasium's `reset`/`step` in TypeScript.
 * Environments are synchronous and own their RNG; `reset({ seed })` re-seeds it.
 */
import type { Space } from './spaces.js';

/** Free-form per-step information. `actionMask[a] = 1` marks action a (of a Discrete space) as allowed. */
export interface Info {
  /** Allowed actions of a Discrete action space for the *next* step (1 = allowed). */
  actionMask?: Uint8Array;
  [key: string]: unknown;
}

/** Arguments of {@link Env.reset}. */
export interface ResetOptions {
  /** Re-seeds the environment's RNG; without it the RNG continues its stream. */
  seed?: number;
  /** Environment-specific reset options. */
  options?: Record<string, unknown>;
}

/** What {@link Env.reset} returns (`I`: the env's own info type). */
export interface ResetResult<O, I extends Info = Info> {
  /** First observation of the episode. */
  obs: O;
  /** Information, including `actionMask` for masked environments. */
  info: I;
}

/** What {@link Env.step} returns (`I`: the env's own info type). */
export interface StepResult<O, I extends Info = Info> {
  /** Observation after the action. */
  obs: O;
  /** Reward for the transition. */
  reward: number;
  /** The MDP reached a terminal state: no value is bootstrapped after it. */
  terminated: boolean;
  /** The episode was cut (time limit, …) in a non-terminal state: bootstrap from `obs`. */
  truncated: boolean;
  /** Information, including `actionMask` for masked environments. */
  info: I;
}

/** Static facts about an environment, as in Gymnasium's `EnvSpec`. */
export interface EnvSpec {
  /** Registered id, e.g. `"CartPole-v1"`. */
  id: string;
  /** Episode step limit applied by the TimeLimit wrapper, if any. */
  maxEpisodeSteps?: number;
  /** Mean return at which the task counts as solved, if any. */
  rewardThreshold?: number;
}

/**
 * A single-agent environment. `step` after an episode ended (terminated or truncated) without a
 * `reset` is an error. Observations returned must not be mutated by the environment afterwards
 * (return fresh arrays or copies), so that agents may store them. `I` is the type of `info`, so that
 * an env with typed information (e.g. EGS's episode result) needs no casts at its callers.
 */
export interface Env<O = unknown, A = unknown, I extends Info = Info> {
  /** Space of observations. */
  readonly observationSpace: Space;
  /** Space of actions. */
  readonly actionSpace: Space;
  /** Id and limits, when registered. */
  readonly spec?: EnvSpec;
  /** Starts an episode. */
  reset(options?: ResetOptions): ResetResult<O, I>;
  /** Applies one action. */
  step(action: A): StepResult<O, I>;
  /**
   * The current action mask, for masked environments: equal to the last `info.actionMask`
   * (`checkEnv` fails when they differ). Masks have two channels on purpose. `info.actionMask` is
   * data of the transition: it travels with the result through wrappers and vector envs (a worker
   * thread sends it back with the observations; the caller holds no env object to ask), and agents
   * store it beside the observation. `actionMasks()` is a query on the env's current state for code
   * that holds the env and has no fresh step result — experts, look-ahead search, the deploy fast
   * path — like SB3-contrib's `action_masks()`. Dropping either would make the other kind of caller
   * carry state it does not own. A masked env gives at least one of them on every reset and step
   * (the masked built-in ones give both); consumers read `info.actionMask ?? env.actionMasks?.()`.
   * Multi-agent envs mirror this per agent (`infos[agent].actionMask`, `actionMasks(agent)`).
   */
  actionMasks?(): Uint8Array;
  /** Releases resources. */
  close?(): void;
}
