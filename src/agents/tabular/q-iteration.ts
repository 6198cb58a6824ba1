/**
 * Q-iteration (value iteration on action values) for a finite MDP with a known model: repeats the
 * Bellman optimality update `Q(s,a) ← Σ_{s'} P(s'|s,a) [r + γ max_{a'} Q(s',a')]` (no bootstrap
 * after a terminal s') until the largest change is below `tol`.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../../core/config-schema.js';
import { maskedArgmaxOrNone } from '../../core/masked-argmax.js';

/**
 * What Q-iteration needs of a finite MDP: sizes and the exact outcomes of each (s, a). Declared
 * here because `agents/` do not import `envs/` (imports point downwards only); `envs/tabular-model.ts`'s
 * `TabularModel` (GridWorld's model) satisfies it structurally.
 */
export interface FiniteMdp {
  /** Number of states S. */
  readonly numStates: number;
  /** Number of actions A. */
  readonly numActions: number;
  /** Outcomes of action `a` in state `s`: probability, next state, reward, whether next is terminal. */
  transitions(
    s: number,
    a: number,
  ): readonly {
    readonly p: number;
    readonly next: number;
    readonly reward: number;
    readonly done: boolean;
  }[];
}

/** Settings of {@link qIteration}. */
export interface QIterationConfig {
  /** Discount factor in [0, 1] (default 0.99). */
  gamma?: number;
  /** Stop when `max |Q_{k+1} − Q_k| < tol` (default 1e-10). */
  tol?: number;
  /** Iteration cap (default 100 000). */
  maxIters?: number;
}

/** Rules of every {@link QIterationConfig} key (strict: unknown keys are refused). */
export const Q_ITERATION_SCHEMA = z
  .object({
    gamma: zc.unit().optional(),
    tol: zc.positive().optional(),
    maxIters: zc.int(1).optional(),
  } satisfies ConfigShape<QIterationConfig>)
  .strict();

/** Result of {@link qIteration}. */
export interface QIterationResult {
  /** Optimal action values, row-major S × A (`Q[s * A + a]`). */
  Q: Float64Array;
  /** Optimal state values `V(s) = max_a Q(s, a)` (0 on terminal states). */
  V: Float64Array;
  /** Greedy policy: the lowest-index action of maximal Q in each state. */
  policy: Int32Array;
  /** Number of sweeps performed. */
  iterations: number;
  /** Largest change of the last sweep (an upper bound on the Bellman residual of `Q`). */
  delta: number;
  /** Whether `delta < tol` was reached within `maxIters`. */
  converged: boolean;
}

/** Computes the optimal Q, V and a greedy policy of `model` by synchronous value iteration. */
export function qIteration(model: FiniteMdp, config: QIterationConfig = {}): QIterationResult {
  const c = parseConfig(Q_ITERATION_SCHEMA, config, { source: 'qIteration config', what: 'q-iteration' });
  const gamma = c.gamma ?? 0.99;
  const tol = c.tol ?? 1e-10;
  const maxIters = c.maxIters ?? 100_000;

  const S = model.numStates;
  const A = model.numActions;
  let Q = new Float64Array(S * A);
  let next = new Float64Array(S * A);
  const V = new Float64Array(S);
  let iterations = 0;
  let delta = Infinity;
  while (iterations < maxIters && !(delta < tol)) {
    delta = bellmanBackup(model, Q, gamma, next, V);
    [Q, next] = [next, Q];
    iterations++;
  }
  stateValues(Q, S, A, V);
  return { Q, V, policy: greedyPolicy(Q, S, A), iterations, delta, converged: delta < tol };
}

/**
 * One Bellman optimality backup `out = T Q`; returns `max |out − Q|`. `V` is scratch space of
 * length S (it receives `max_a Q`).
 */
export function bellmanBackup(
  model: FiniteMdp,
  Q: Float64Array,
  gamma: number,
  out: Float64Array,
  V: Float64Array = new Float64Array(model.numStates),
): number {
  const S = model.numStates;
  const A = model.numActions;
  stateValues(Q, S, A, V);
  let delta = 0;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      let q = 0;
      for (const t of model.transitions(s, a)) q += t.p * (t.reward + (t.done ? 0 : gamma * V[t.next]!));
      const i = s * A + a;
      const d = Math.abs(q - Q[i]!);
      if (d > delta) delta = d;
      out[i] = q;
    }
  }
  return delta;
}

/** The Bellman optimality residual `max_{s,a} |(T Q)(s,a) − Q(s,a)|` of an action-value table. */
export function bellmanResidual(model: FiniteMdp, Q: Float64Array, gamma: number): number {
  return bellmanBackup(model, Q, gamma, new Float64Array(Q.length));
}

/** Writes `max_a Q(s, a)` of each state into `V`. */
export function stateValues(Q: Float64Array, numStates: number, numActions: number, V: Float64Array): void {
  for (let s = 0; s < numStates; s++) {
    let best = -Infinity;
    for (let a = 0; a < numActions; a++) best = Math.max(best, Q[s * numActions + a]!);
    V[s] = best;
  }
}

/** The greedy policy of a Q table: the lowest-index maximising action per state. */
export function greedyPolicy(Q: Float64Array, numStates: number, numActions: number): Int32Array {
  const policy = new Int32Array(numStates);
  for (let s = 0; s < numStates; s++) policy[s] = argmaxRow(Q, s, numActions);
  return policy;
}

/** Actions within `tol` of the best Q value in state `s` (the optimal set, with ties). */
export function optimalActions(Q: Float64Array, s: number, numActions: number, tol = 1e-9): number[] {
  const best = Q[s * numActions + argmaxRow(Q, s, numActions)]!;
  const out: number[] = [];
  for (let a = 0; a < numActions; a++) if (Q[s * numActions + a]! >= best - tol) out.push(a);
  return out;
}

/** Index of the largest entry of row `s` (lowest index on ties). */
export function argmaxRow(Q: Float64Array, s: number, numActions: number): number {
  return Math.max(0, maskedArgmaxOrNone(Q, s * numActions, numActions));
}
