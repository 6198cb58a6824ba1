/**
 * Exact transition model of a finite MDP (states and actions numbered from 0), the input of
 * Q-iteration (value iteration). Environments with a small state space (GridWorld) expose one so
 * that learned values can be checked against the exact optimum.
 */
import type { Rng } from '../core/rng.js';

/** One outcome of taking action a in state s. */
export interface TabularTransition {
  /** Probability of this outcome (the outcomes of one (s, a) sum to 1). */
  readonly p: number;
  /** Next state index. */
  readonly next: number;
  /** Reward received on this transition. */
  readonly reward: number;
  /** Whether `next` is terminal: no value is bootstrapped after it. */
  readonly done: boolean;
}

/**
 * A finite MDP with known dynamics. Terminal states have value 0 by convention; their
 * `transitions` are a single self-loop with reward 0 and `done: true`.
 */
export interface TabularModel {
  /** Number of states S. */
  readonly numStates: number;
  /** Number of actions A (every action is available in every state). */
  readonly numActions: number;
  /** The state every episode starts in. */
  readonly initialState: number;
  /** The outcomes of action `a` in state `s`; the returned array is shared, do not mutate it. */
  transitions(s: number, a: number): readonly TabularTransition[];
  /** Whether `s` is terminal (absorbing, value 0). */
  isTerminal(s: number): boolean;
}

/**
 * Samples one outcome of `(s, a)` from the model with one uniform draw of `rng` (no allocation).
 * Returns the shared transition object.
 */
export function sampleTransition(model: TabularModel, s: number, a: number, rng: Rng): TabularTransition {
  const outcomes = model.transitions(s, a);
  let u = rng.random();
  for (let i = 0; i < outcomes.length - 1; i++) {
    const t = outcomes[i]!;
    if (u < t.p) return t;
    u -= t.p;
  }
  // The last outcome absorbs any floating-point remainder of the probabilities.
  return outcomes[outcomes.length - 1]!;
}
