/**
 * Set-valued targets for behaviour cloning: per row a set T of actions that are all equally good
 * labels (e.g. every edge a timetable teacher would accept), and the loss −log Σ_{a∈T} π(a | s)
 * instead of −log π(a_recorded | s). Why: when a teacher accepts many actions but records the
 * one it happened to pick, single-action cloning trains on an arbitrary choice among them; the
 * set loss only asks the policy to put its mass somewhere in T. With |T| = 1 it is the
 * single-action loss; with T = every allowed action it is 0.
 *
 * The sets of a minibatch travel in compressed-row form ({@link ActionSets}): one flat list of
 * action indices and per-row offsets, so a batch costs one allocation whatever the set sizes.
 */
import { ArbiterError } from '../core/errors.js';
import type { PolicyEvaluation, PolicyEvaluationHost } from './policy.js';

/**
 * Target sets of a minibatch in compressed-row form: row b's set is
 * `actions[offsets[b] .. offsets[b + 1])` (action indices as in `Policy.evaluateActions`).
 */
export interface ActionSets {
  /** `batch + 1` offsets into {@link ActionSets.actions}, non-decreasing, `offsets[0] = 0`. */
  offsets: Int32Array;
  /** Every row's actions, row after row (no action twice in a row's set). */
  actions: Int32Array;
}

/**
 * A policy whose evaluations can score target sets: given {@link ActionSets}, `logProb` is
 * log Σ_{a∈T} π(a | s) of each row's set (disallowed members count 0).
 */
export interface ActionSetEvaluator<Obs = Float32Array> {
  /** Marks the evaluations below as taking {@link ActionSets}. */
  readonly evaluatesActionSets: true;
  /** `Policy.evaluateActions` with optional target sets. */
  evaluateActions(
    obs: Obs,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    sets?: ActionSets,
  ): PolicyEvaluation;
  /** `HostTrainablePolicy.evaluateActionsHost` with optional target sets (policies with a host pass). */
  evaluateActionsHost?(
    obs: Float32Array,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    sets?: ActionSets,
  ): PolicyEvaluationHost;
}

/** Whether `policy` takes {@link ActionSets} in its evaluations ({@link ActionSetEvaluator}). */
export function evaluatesActionSets<P extends object, Obs>(policy: P): policy is P & ActionSetEvaluator<Obs> {
  return (policy as Partial<ActionSetEvaluator<Obs>>).evaluatesActionSets === true;
}

/**
 * Packs per-row sets (each a list of action indices) into {@link ActionSets}, reusing `into`
 * when its arrays are large enough.
 */
export function packActionSets(sets: readonly ArrayLike<number>[], into?: ActionSets): ActionSets {
  const total = sets.reduce((s, t) => s + t.length, 0);
  const offsets =
    into && into.offsets.length >= sets.length + 1 ? into.offsets : new Int32Array(sets.length + 1);
  const actions = into && into.actions.length >= total ? into.actions : new Int32Array(Math.max(1, total));
  let k = 0;
  offsets[0] = 0;
  sets.forEach((t, b) => {
    for (let i = 0; i < t.length; i++) actions[k++] = t[i]!;
    offsets[b + 1] = k;
  });
  return { offsets, actions };
}

/** Throws `shape-mismatch` unless `sets` has well-formed offsets for `batch` rows. */
export function checkActionSets(sets: ActionSets, batch: number, who: string): void {
  const { offsets, actions } = sets;
  if (offsets.length < batch + 1 || offsets[0] !== 0)
    throw new ArbiterError('shape-mismatch', `${who}: the target sets need ${batch + 1} offsets from 0`);
  for (let b = 0; b < batch; b++)
    if (offsets[b + 1]! < offsets[b]! || offsets[b + 1]! > actions.length)
      throw new ArbiterError('shape-mismatch', `${who}: bad target-set offsets at row ${b}`);
}
