/**
 * The multi-agent environment contract, PettingZoo's Parallel API in TypeScript: all live
 * agents act at every step, results are records keyed by agent name.
 */
import type { EnvSpec, Info, ResetOptions } from '../env.js';
import type { Space } from '../spaces.js';

/** What {@link ParallelEnv.reset} returns: one entry per live agent. */
export interface ParallelResetResult<O = unknown> {
  /** First observation of each live agent. */
  obs: Record<string, O>;
  /** Information of each live agent (`actionMask` for masked agents). */
  infos: Record<string, Info>;
}

/**
 * What {@link ParallelEnv.step} returns: one entry per agent that was live before the step
 * (an agent whose episode ends here gets its final observation and its end flags).
 */
export interface ParallelStepResult<O = unknown> {
  /** Observation of each agent after the step. */
  obs: Record<string, O>;
  /** Reward of each agent for the step. */
  rewards: Record<string, number>;
  /** The agent reached a terminal state (no bootstrapping). */
  terminations: Record<string, boolean>;
  /** The agent's episode was cut in a non-terminal state (bootstrap from its observation). */
  truncations: Record<string, boolean>;
  /** Information of each agent (`actionMask` for its next step). */
  infos: Record<string, Info>;
}

/**
 * A multi-agent environment where every live agent acts at every step, as PettingZoo's
 * `ParallelEnv`. After a step, agents whose termination or truncation is true leave `agents`;
 * when `agents` is empty the episode is over and `step` must throw until `reset`.
 */
export interface ParallelEnv<O = unknown, A = unknown> {
  /** Every agent that may ever appear, in a fixed order. */
  readonly possibleAgents: readonly string[];
  /** Agents live now (a subset of `possibleAgents`). */
  readonly agents: readonly string[];
  /** Id and limits, when registered. */
  readonly spec?: EnvSpec;
  /** Observation space of an agent. */
  observationSpace(agent: string): Space;
  /** Action space of an agent. */
  actionSpace(agent: string): Space;
  /** Starts an episode; `seed` re-seeds the env's RNG. */
  reset(options?: ResetOptions): ParallelResetResult<O>;
  /** Applies one action per live agent. */
  step(actions: Readonly<Record<string, A>>): ParallelStepResult<O>;
  /** The current action mask of an agent with a Discrete action space (same as its last `infos[agent].actionMask`). */
  actionMasks?(agent: string): Uint8Array;
  /** Releases resources. */
  close?(): void;
}
