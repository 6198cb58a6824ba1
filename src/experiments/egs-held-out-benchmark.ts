/**
 * The issue-16 EGS benchmark on the held-out sets of the set file: every method on every DAG at
 * its tight deadline (D = the best makespan known on m cores), through the shared scheduling entry
 * point (`scheduleWithMethod`) and the shared checker, summarized per (set, method) with the
 * issue's fields. Besides the named methods, `egs-policy` is the learned policy alone (`egs`
 * greedy without the heuristic seed), so the report shows what the network does by itself.
 */
import { mean } from '../core/statistics.js';
import type { Dag } from '../dag/dag-task.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import type { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { scheduleWithMethod, type AnyScheduleMethod, type MethodOptions } from '../deploy/schedule-method.js';
import type { EgsHeldOutDagRow, EgsHeldOutSummaryRow } from '../report/egs-held-out-report.js';
import { egsSetTasks, type EgsHeldOutSet, type EgsHeldOutSets } from './egs-held-out-sets.js';

export type { EgsHeldOutDagRow, EgsHeldOutSummaryRow };

/** The methods of the benchmark, in report order (`egs-policy`: `egs` without the heuristic seed). */
export const EGS_HELD_OUT_METHODS = [
  'egs',
  'egs-search',
  'egs-policy',
  'egs-greedy',
  'listsched',
  'optimal',
  'zhao2020',
  'graham',
  'he2021',
  'he2019',
] as const;

/** A method of {@link EGS_HELD_OUT_METHODS}. */
export type EgsHeldOutMethod = (typeof EGS_HELD_OUT_METHODS)[number];

/** Options of {@link runEgsHeldOutBenchmark}. */
export interface EgsHeldOutOptions {
  /** Policy of `egs` and `egs-policy`. */
  scheduler: EgsPolicyScheduler;
  /** Policy of `egs-search` (default `scheduler`). */
  searchScheduler?: EgsPolicyScheduler;
  /** `optimal` solver limit per DAG in seconds (default 10). */
  optimalTimeLimitS?: number;
  /** `optimal` runs on sets of at most this many nominal nodes (default 50). */
  optimalMaxNodes?: number;
  /** Wall-clock budget of every other method per DAG in seconds (default 30). */
  budgetS?: number;
  /**
   * Methods run on sets above `largeNodes` nominal nodes (default: egs, egs-policy, listsched,
   * graham, zhao2020: the fast ones).
   */
  largeMethods?: readonly EgsHeldOutMethod[];
  /** Sets above this many nominal nodes run only `largeMethods` (default 300). */
  largeNodes?: number;
  /** Methods to run at all (default every one). */
  methods?: readonly EgsHeldOutMethod[];
  /** Called after each method on each DAG. */
  onResult?: (row: EgsHeldOutDagRow) => void;
}

/** The methods run on `set` under `options`. */
export function egsHeldOutMethodsOf(
  set: EgsHeldOutSet,
  options: Pick<EgsHeldOutOptions, 'methods' | 'largeMethods' | 'largeNodes' | 'optimalMaxNodes'>,
): EgsHeldOutMethod[] {
  const all = options.methods ?? EGS_HELD_OUT_METHODS;
  const large = options.largeMethods ?? ['egs', 'egs-policy', 'listsched', 'graham', 'zhao2020'];
  return all.filter((m) => {
    if (set.nodes > (options.largeNodes ?? 300)) return large.includes(m);
    if (m === 'optimal') return set.nodes <= (options.optimalMaxNodes ?? 50);
    return true;
  });
}

/** Runs one method on one task (D is the task's deadline). */
export async function runEgsHeldOutMethod(
  dag: Dag,
  method: EgsHeldOutMethod,
  options: EgsHeldOutOptions,
): Promise<ScheduleResult> {
  const common: MethodOptions = {
    budgetS: options.budgetS ?? 30,
    timeLimitS: options.optimalTimeLimitS ?? 10,
    schedulers: { egs: options.scheduler, 'egs-search': options.searchScheduler ?? options.scheduler },
  };
  const name: AnyScheduleMethod = method === 'egs-policy' ? 'egs' : method;
  return scheduleWithMethod(dag, name, {
    ...common,
    ...(method === 'egs-policy' && { heuristicSeed: false }),
  });
}

/**
 * `egs-policy` cut by its budget answers with a list schedule's core sequences (the scheduler's
 * fallback), which is not the policy's answer: its own width when cut, from the note
 * (`best so far (W = k …); a list schedule's core sequences … kept instead`), or undefined when
 * the policy answered itself.
 */
export function policyOwnCores(r: ScheduleResult): number | undefined {
  if (r.note === undefined || !/kept instead/.test(r.note)) return undefined;
  const w = /best so far \(W = (\d+)/.exec(r.note);
  if (!w)
    throw new Error(`egs-policy: a fallback answer whose note does not give the policy's width: ${r.note}`);
  return Number(w[1]);
}

/** Every method on every DAG of every set of `all` (see the file comment). */
export async function runEgsHeldOutBenchmark(
  all: EgsHeldOutSets,
  options: EgsHeldOutOptions,
): Promise<EgsHeldOutDagRow[]> {
  const rows: EgsHeldOutDagRow[] = [];
  for (const set of all.sets) {
    const methods = egsHeldOutMethodsOf(set, options);
    const tasks = egsSetTasks(all, set);
    for (const dag of tasks) {
      for (const method of methods) {
        const r = await runEgsHeldOutMethod(dag, method, options);
        const own = method === 'egs-policy' ? policyOwnCores(r) : undefined;
        const row: EgsHeldOutDagRow & { method: EgsHeldOutMethod } = {
          set: set.name,
          dag: dag.name,
          n: dag.n,
          m: set.m,
          D: dag.deadline!,
          method,
          cores: own ?? (r.feasible ? r.cores : dag.n),
          ...(own !== undefined && { fallbackCores: r.cores }),
          feasible: r.feasible,
          lowerBound: r.lowerBound,
          ...(r.optimal !== undefined && { optimal: r.optimal }),
          timeMs: r.timeMs,
          valid: !r.feasible || checkSchedule(dag, r).ok,
          ...(r.note !== undefined && { note: r.note }),
        };
        rows.push(row);
        options.onResult?.(row);
      }
    }
  }
  return rows;
}

/** Per DAG of a set: the best cores any method found and the best proven lower bound. */
export function egsHeldOutReference(
  rows: readonly EgsHeldOutDagRow[],
): Map<string, { best: number; proven: number }> {
  const ref = new Map<string, { best: number; proven: number }>();
  for (const r of rows) {
    const key = `${r.set}\u0000${r.dag}`;
    const cur = ref.get(key) ?? { best: Infinity, proven: 0 };
    if (r.feasible && r.valid) cur.best = Math.min(cur.best, r.cores);
    cur.proven = Math.max(cur.proven, r.lowerBound, r.optimal && r.valid ? r.cores : 0);
    ref.set(key, cur);
  }
  return ref;
}

/** The rows of `egs.json`, per set and method in run order (see {@link EgsHeldOutSummaryRow}). */
export function summarizeEgsHeldOut(
  rows: readonly EgsHeldOutDagRow[],
  sets: readonly EgsHeldOutSet[],
): EgsHeldOutSummaryRow[] {
  const ref = egsHeldOutReference(rows);
  const out: EgsHeldOutSummaryRow[] = [];
  for (const set of sets) {
    for (const method of EGS_HELD_OUT_METHODS) {
      const rs = rows.filter((r) => r.set === set.name && r.method === method);
      if (rs.length === 0) continue;
      const refOf = (r: EgsHeldOutDagRow): { best: number; proven: number } =>
        ref.get(`${r.set}\u0000${r.dag}`)!;
      out.push({
        set: set.name,
        nodes: set.nodes,
        m: set.m,
        method,
        dags: rs.length,
        meanCores: mean(rs.map((r) => r.cores)),
        provenOptimal: rs.filter((r) => r.feasible && r.valid && r.cores <= refOf(r).proven).length,
        meanGapToBest: mean(rs.map((r) => (r.cores - refOf(r).best) / refOf(r).best)),
        msPerDag: mean(rs.map((r) => r.timeMs)),
        invalid: rs.filter((r) => !r.valid).length,
      });
    }
  }
  return out;
}
