/**
 * Every scheduling method by name, the learned ones included: the methods of
 * `dag/schedule/schedule-dag.ts` plus `egs` and `egs-search`, which run a trained EGS policy
 * ({@link EgsPolicyScheduler}) and therefore live at the deploy layer (the DAG layer cannot import
 * it). `schedule`, `demo` and the EGS benchmark all call these, so no caller splices the policy
 * methods in by hand.
 */
import { DeadlineInfeasibleError } from '../core/errors.js';
import type { Dag } from '../dag/dag-task.js';
import { declinedResult } from '../dag/schedule/declined-result.js';
import {
  scheduleAllMethods,
  scheduleDag,
  SCHEDULE_METHODS,
  type ScheduleMethod,
  type ScheduleOptions,
} from '../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { loadEgsPolicyModel, resolveEgsModelPath } from './egs-policy-model.js';
import { EgsPolicyScheduler } from './egs-policy-scheduler.js';

/** The methods of a learned EGS policy. */
export const POLICY_METHODS = ['egs', 'egs-search'] as const;

/** A method of {@link POLICY_METHODS}. */
export type PolicyMethod = (typeof POLICY_METHODS)[number];

/** Any method {@link scheduleWithMethod} runs. */
export type AnyScheduleMethod = ScheduleMethod | PolicyMethod;

/** Every method in the order `all` reports them: the policy methods right after `egs-greedy`. */
export const ALL_METHODS: readonly AnyScheduleMethod[] = [
  ...SCHEDULE_METHODS.slice(0, SCHEDULE_METHODS.indexOf('egs-greedy') + 1),
  ...POLICY_METHODS,
  ...SCHEDULE_METHODS.slice(SCHEDULE_METHODS.indexOf('egs-greedy') + 1),
];

/** Whether a string names a method of {@link ALL_METHODS}. */
export function isAnyScheduleMethod(name: string): name is AnyScheduleMethod {
  return (ALL_METHODS as readonly string[]).includes(name);
}

/** Whether a method runs a learned policy. */
export function isPolicyMethod(name: string): name is PolicyMethod {
  return (POLICY_METHODS as readonly string[]).includes(name);
}

/** Options of {@link scheduleWithMethod}: those of `scheduleDag` and the policy methods' own. */
export interface MethodOptions extends Omit<ScheduleOptions, 'onMethodStart'> {
  /** The policy of a method; default: `model`, loaded when the method runs. */
  schedulers?: Partial<Record<PolicyMethod, EgsPolicyScheduler>>;
  /** A model file, `small` or `large` for both policy methods (default: small for egs, large for egs-search). */
  model?: string;
  /** `egs`: best of K policy episodes (default 1); `egs-search`: episodes besides the beam (default 16). */
  samples?: number;
  /** Seed of the sampled episodes (default 0). */
  seed?: number;
  /** `egs`: take the first of the K likeliest edges that lowers the width now (default 0: argmax). */
  lookahead?: number;
  /** `egs`: run the network every R steps and after each width drop (default 1). */
  refresh?: number;
  /** Policy methods: stop after this many steps without a width drop (default: never). */
  stallLimit?: number;
  /** `egs-search`: beam width (default 4). */
  beamWidth?: number;
  /**
   * Policy methods: seed with the best list schedule as an edge-generation answer, so the
   * answer is never worse than it (default true; see `EgsDecodeOptions.heuristicSeed`).
   */
  heuristicSeed?: boolean;
  /** `egs` with the seed: also run the policy's episodes from G (default false; see `EgsDecodeOptions.fromScratch`). */
  fromScratch?: boolean;
  /** `egs-search`: the chain local search seed (default true; see `EgsSearchOptions.localSearch`). */
  localSearch?: boolean;
  /** Called before each method of {@link scheduleEveryMethod} starts (progress reporting). */
  onMethodStart?: (method: AnyScheduleMethod, index: number, total: number) => void;
}

/**
 * Runs one method (of {@link ALL_METHODS}) on a DAG task; errors as `scheduleDag`'s, and a policy
 * method's own (a model that cannot be loaded, a bad option) are thrown.
 */
export async function scheduleWithMethod(
  dag: Dag,
  method: AnyScheduleMethod,
  options: MethodOptions = {},
): Promise<ScheduleResult> {
  if (!isPolicyMethod(method)) {
    const { onMethodStart: _ignored, ...dagOptions } = options;
    return scheduleDag(dag, method, dagOptions);
  }
  return runPolicyMethod(dag, method, options);
}

/**
 * Every method of {@link ALL_METHODS} on one task, in that order. As in `scheduleAllMethods` (run
 * first, sharing its analysis), a method that fails with an error declines (`skipped`) with the
 * error's message instead of costing the others' results; `L > D` is still thrown.
 */
export async function scheduleEveryMethod(dag: Dag, options: MethodOptions = {}): Promise<ScheduleResult[]> {
  const total = ALL_METHODS.length;
  const { onMethodStart, ...rest } = options;
  const results = await scheduleAllMethods(dag, {
    ...rest,
    ...(onMethodStart && { onMethodStart: (m: ScheduleMethod, k: number) => onMethodStart(m, k, total) }),
  });
  const ref = results[0]!;
  const policyResults: ScheduleResult[] = [];
  for (const [k, method] of POLICY_METHODS.entries()) {
    onMethodStart?.(method, SCHEDULE_METHODS.length + k, total);
    const t0 = performance.now();
    try {
      policyResults.push(runPolicyMethod(dag, method, options));
    } catch (e) {
      if (!(e instanceof Error) || e instanceof DeadlineInfeasibleError) throw e;
      policyResults.push(
        declinedResult(method, ref.deadline, ref.lowerBound, performance.now() - t0, `failed: ${e.message}`),
      );
    }
  }
  results.splice(SCHEDULE_METHODS.indexOf('egs-greedy') + 1, 0, ...policyResults);
  return results;
}

function runPolicyMethod(dag: Dag, method: PolicyMethod, o: MethodOptions): ScheduleResult {
  const scheduler =
    o.schedulers?.[method] ??
    new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath(o.model, method)));
  const common = {
    ...(o.deadline !== undefined && { deadline: o.deadline }),
    ...(o.stallLimit !== undefined && { stallLimit: o.stallLimit }),
    ...(o.budgetS !== undefined && { timeBudgetS: o.budgetS }),
    ...(o.heuristicSeed !== undefined && { heuristicSeed: o.heuristicSeed }),
  };
  if (method === 'egs')
    return scheduler.sample(dag, o.samples ?? 1, o.seed ?? 0, {
      ...common,
      ...(o.lookahead !== undefined && { lookahead: o.lookahead }),
      ...(o.refresh !== undefined && { refresh: o.refresh }),
      ...(o.fromScratch !== undefined && { fromScratch: o.fromScratch }),
    });
  return scheduler.search(dag, {
    ...common,
    ...(o.beamWidth !== undefined && { beamWidth: o.beamWidth }),
    ...(o.seed !== undefined && { seed: o.seed }),
    ...(o.samples !== undefined && { samples: o.samples }),
    ...(o.localSearch !== undefined && { localSearch: o.localSearch }),
  });
}
