/**
 * The event-driven multi-agent contract: a Parallel-style env in which simulated time
 * jumps from event to event and only the agents with a decision due at the current event act.
 */
import type { EnvSpec, Info, ResetOptions } from '../env.js';
import type { Space } from '../spaces.js';

/** The decision point an event-driven env stops at. */
export interface PendingDecision {
  /**
   * Agents with a decision due now, in `possibleAgents` order; non-empty while `agents` is,
   * empty once the episode is over.
   */
  pendingAgents: readonly string[];
  /** Simulated time of the current event (env-specific unit, non-decreasing within an episode). */
  time: number;
}

/** What {@link EventDrivenEnv.reset} returns: observations and infos of the pending agents. */
export interface EventDrivenResetResult<O = unknown> extends PendingDecision {
  /** Observation of each pending agent. */
  obs: Record<string, O>;
  /** Information of each pending agent (`actionMask` for masked agents). */
  infos: Record<string, Info>;
}

/** What {@link EventDrivenEnv.step} returns. */
export interface EventDrivenStepResult<O = unknown> extends PendingDecision {
  /**
   * Observation of each pending agent, and the final observation of each agent whose episode
   * ended at this step (for bootstrapping truncated agents).
   */
  obs: Record<string, O>;
  /** Rewards accrued since the previous decision point, for any live agents (possibly all). */
  rewards: Record<string, number>;
  /** One entry per agent live before the step: true if it reached a terminal state. */
  terminations: Record<string, boolean>;
  /** One entry per agent live before the step: true if its episode was cut. */
  truncations: Record<string, boolean>;
  /** Information of the agents that have an entry in `obs`. */
  infos: Record<string, Info>;
}

/**
 * An event-driven multi-agent env. `step` takes actions for exactly the `pendingAgents` of the
 * last result (throws otherwise, before changing any state), advances simulated time to the next
 * event at which some agent must decide, and reports rewards accrued meanwhile. Agents whose
 * termination or truncation is true leave `agents`; when `agents` is empty the episode is over and
 * `step` throws until `reset`.
 */
export interface EventDrivenEnv<O = unknown, A = unknown> {
  /** Every agent that may ever appear, in a fixed order. */
  readonly possibleAgents: readonly string[];
  /** Agents live now. */
  readonly agents: readonly string[];
  /** Agents with a decision due now (as in the last result). */
  readonly pendingAgents: readonly string[];
  /** Id and limits, when registered. */
  readonly spec?: EnvSpec;
  /** Observation space of an agent. */
  observationSpace(agent: string): Space;
  /** Action space of an agent. */
  actionSpace(agent: string): Space;
  /** Starts an episode and runs to its first decision point; `seed` re-seeds the env's RNG. */
  reset(options?: ResetOptions): EventDrivenResetResult<O>;
  /** Applies the pending agents' actions and runs to the next decision point. */
  step(actions: Readonly<Record<string, A>>): EventDrivenStepResult<O>;
  /** The current action mask of a pending agent with a Discrete action space. */
  actionMasks?(agent: string): Uint8Array;
  /** Releases resources. */
  close?(): void;
}
