/**
 * The EGS evaluation harness behind `arbiter bench egs`: every method on held-out DAG sets, every
 * timetable checked with the shared checker, and per set the mean cores, the gap to proven optima,
 * the acceptance curve (fraction of DAGs schedulable on M cores, M = 1…16) and the time per DAG. A
 * bound-based method that cannot prove the deadline counts as n cores (the task runs one node per
 * core). Rendering lives in src/report/egs-benchmark-report.ts.
 */
import { mean } from '../core/statistics.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import type { Dag } from '../dag/dag-task.js';
import type { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { scheduleWithMethod, type AnyScheduleMethod, type MethodOptions } from '../deploy/schedule-method.js';
import type { EgsBenchmarkSummary } from '../report/egs-benchmark-report.js';
import type { EgsBenchmarkSet } from './egs-benchmark-sets.js';

/** Every method of the benchmark, in report order. */
export const EGS_BENCHMARK_METHODS = [
  'egs',
  'egs-search',
  'egs-greedy',
  'listsched',
  'graham',
  'he2019',
  'zhao2020',
  'he2021',
  'optimal',
] as const satisfies readonly AnyScheduleMethod[];

/** Options of {@link runEgsBenchmark}. */
export interface EgsBenchmarkOptions {
  /** The learned policy of `egs` (and of `egs-search` unless `searchScheduler` is given). */
  scheduler: EgsPolicyScheduler;
  /** The learned policy of `egs-search` (default: `scheduler`). */
  searchScheduler?: EgsPolicyScheduler;
  /** `egs-search`: policy episodes besides the beam (default 16). */
  searchSamples?: number;
  /** `optimal` runs on DAGs with at most this many nodes (default 20). */
  optimalMaxNodes?: number;
  /** `optimal` solver time limit per DAG in seconds (default 5). */
  optimalTimeLimitS?: number;
  /** Called after each DAG. */
  onDag?: (done: number, total: number) => void;
}

/** One method on one DAG. */
export interface EgsBenchmarkRow {
  /** Set name. */
  set: string;
  /** DAG name. */
  dag: string;
  /** Node count. */
  n: number;
  /** Method. */
  method: string;
  /** Cores (n when the method found no timetable). */
  cores: number;
  /** Whether the method produced a timetable. */
  feasible: boolean;
  /** `optimal` only: proved. */
  optimal?: boolean;
  /** Wall time in ms. */
  timeMs: number;
  /** The timetable passed `checkSchedule` (always true for infeasible answers, which have none). */
  valid: boolean;
}

/** The scheduling options of `options` for every method of the benchmark. */
export function egsMethodOptions(options: EgsBenchmarkOptions): MethodOptions {
  return {
    timeLimitS: options.optimalTimeLimitS ?? 5,
    schedulers: { egs: options.scheduler, 'egs-search': options.searchScheduler ?? options.scheduler },
  };
}

/**
 * One method on one DAG of set `set`, as a row (undefined for `optimal` on a DAG above the size
 * limit, which the benchmark leaves out).
 */
export async function runEgsMethodOnDag(
  set: string,
  dag: Dag,
  method: (typeof EGS_BENCHMARK_METHODS)[number],
  options: EgsBenchmarkOptions,
  methodOptions: MethodOptions = egsMethodOptions(options),
): Promise<EgsBenchmarkRow | undefined> {
  if (method === 'optimal' && dag.n > (options.optimalMaxNodes ?? 20)) return undefined;
  const r = await scheduleWithMethod(dag, method, {
    ...methodOptions,
    ...(method === 'egs-search' && { samples: options.searchSamples ?? 16 }),
  });
  return {
    set,
    dag: dag.name,
    n: dag.n,
    method,
    cores: r.feasible ? r.cores : dag.n,
    feasible: r.feasible,
    ...(r.optimal !== undefined && { optimal: r.optimal }),
    timeMs: r.timeMs,
    valid: !r.feasible || checkSchedule(dag, r).ok,
  };
}

/** Runs every method on every DAG of `sets` (see the file comment). */
export async function runEgsBenchmark(
  sets: readonly EgsBenchmarkSet[],
  options: EgsBenchmarkOptions,
): Promise<EgsBenchmarkRow[]> {
  const rows: EgsBenchmarkRow[] = [];
  const total = sets.reduce((s, x) => s + x.dags.length, 0);
  const methodOptions = egsMethodOptions(options);
  let done = 0;
  for (const set of sets) {
    for (const dag of set.dags) {
      for (const m of EGS_BENCHMARK_METHODS) {
        const row = await runEgsMethodOnDag(set.name, dag, m, options, methodOptions);
        if (row !== undefined) rows.push(row);
      }
      options.onDag?.(++done, total);
    }
  }
  return rows;
}

/** Summarizes rows per set and method. */
export function summarizeEgsBenchmark(rows: readonly EgsBenchmarkRow[]): EgsBenchmarkSummary[] {
  const out: EgsBenchmarkSummary[] = [];
  const sets = [...new Set(rows.map((r) => r.set))];
  for (const set of sets) {
    const inSet = rows.filter((r) => r.set === set);
    const proved = new Map<string, number>();
    for (const r of inSet) if (r.method === 'optimal' && r.optimal) proved.set(r.dag, r.cores);
    for (const method of EGS_BENCHMARK_METHODS) {
      const rs = inSet.filter((r) => r.method === method);
      if (rs.length === 0) continue;
      const gaps = rs
        .filter((r) => proved.has(r.dag))
        .map((r) => (r.cores - proved.get(r.dag)!) / proved.get(r.dag)!);
      out.push({
        set,
        method,
        count: rs.length,
        meanCores: mean(rs.map((r) => r.cores)),
        ...(gaps.length > 0 && { gapToOptimal: mean(gaps), provedCount: gaps.length }),
        acceptance: Array.from(
          { length: 16 },
          (_, m) => rs.filter((r) => r.cores <= m + 1).length / rs.length,
        ),
        meanTimeMs: mean(rs.map((r) => r.timeMs)),
        invalid: rs.filter((r) => !r.valid).length,
      });
    }
  }
  return out;
}
