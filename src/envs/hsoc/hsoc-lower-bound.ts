/**
 * A lower bound on the mean DAG completion time of an HSoC episode that no power-sharing policy
 * can beat, whatever it requests and wherever the scheduler then places the tasks. It needs only
 * the episode's arrivals (drawn at reset, independent of the policy), the PEs and the power model.
 *
 * Relaxation (every step can only lower completion times):
 * - every task runs at the speed of the fastest available PE type for it, with no contention
 *   (contention factors are ≤ 1), no queueing for PEs and no other job competing for tokens;
 * - the power model's speed factor φ(share) is concave with φ(0) = 0 and φ(100 %) = 1 (true for
 *   the token model `(s/100)^α`, α ≤ 1, and for the DVFS model, tested), so k tasks sharing a
 *   fraction y of the budget progress at most at `k · φ(y / k)` full-power seconds per second.
 *
 * Per job: τ_v is task v's full-power time on its best PE type, CP the longest τ-path, V = Στ_v,
 * and k the most tasks off that path that can run at once (min(available PEs, tasks off the path)).
 * While the path's task holds a budget share x, the others progress at most at `k · φ((1 − x)/k)`;
 * the set of achievable (path rate, other rate) pairs is convex, so a completion time T is only
 * possible if some x has `φ(x) ≥ CP / T` and `k · φ((1 − x) / k) ≥ (V − CP) / T`. The least such T
 * (bisection, always rounded down) bounds the job's completion time; for α = 0.5 it is
 * `√(CP² + (V − CP)² / k)`, at least max(CP, V / √(k + 1)).
 *
 * Across jobs: the SoC's total progress is at most `m · φ(1/m)` full-power seconds per second
 * (m available PEs), so the jobs' V's are served no faster than by one machine of that speed;
 * preemptive shortest-remaining-processing-time on it minimises the sum of completion times
 * (`1|r_j, pmtn|ΣC_j`). The bound on the mean is the larger of the two means.
 */
import type { Dag } from '../../dag/dag-task.js';
import type { HsocSimulator } from './hsoc-simulator.js';

/** What {@link hsocLowerBound} returns (times in the simulator's time units). */
export interface HsocLowerBound {
  /** Lower bound on the mean completion (finish − arrival) of the measured workload jobs. */
  meanCompletion: number;
  /** Mean of the per-job bounds (power sharing inside each job, nothing else). */
  perJobMean: number;
  /** The single-machine SRPT bound on the mean (the SoC's total power-limited progress). */
  srptMean: number;
  /** Share of measured jobs whose own bound already exceeds their deadline: a lower bound on any policy's miss ratio. */
  deadlineMissRatio: number;
  /** Per-job bound on completion − arrival, in measured-job order. */
  perJob: number[];
}

/** Full-power progress of k tasks sharing a fraction y ∈ [0, 1] of the budget: k · φ(y / k). */
function groupRate(phi: (share: number) => number, k: number, y: number): number {
  return k > 0 ? k * phi((100 * y) / k) : 0;
}

/** Bisection iterations (each halves a bracket; 60 reach double precision). */
const ITERATIONS = 60;

/**
 * The least T with `φ(x) ≥ cp/T` and `k·φ((1 − x)/k) ≥ rest/T` for some x (see the module
 * comment), rounded down (the returned value is never above the exact one).
 */
export function powerSharedPathBound(
  phi: (share: number) => number,
  cp: number,
  rest: number,
  k: number,
): number {
  if (!(rest > 0) || k <= 0) return cp;
  const feasible = (T: number): boolean => {
    const need = cp / T;
    if (need > 1) return false;
    // Smallest fraction x with φ(x) ≥ need, from below (an x too small only makes T look feasible).
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < ITERATIONS; i++) {
      const mid = (lo + hi) / 2;
      if (phi(100 * mid) >= need) hi = mid;
      else lo = mid;
    }
    return groupRate(phi, k, 1 - lo) >= rest / T;
  };
  let lo = cp;
  let hi = cp + rest / groupRate(phi, k, 1) + 1e-9;
  if (feasible(lo)) return lo;
  while (!feasible(hi)) hi *= 2;
  for (let i = 0; i < ITERATIONS; i++) {
    const mid = (lo + hi) / 2;
    if (feasible(mid)) hi = mid;
    else lo = mid;
  }
  return lo;
}

/** What {@link bestCaseTimes} returns. */
export interface HsocBestCaseTimes {
  /** Full-power time of each task on its fastest available PE. */
  tau: Float64Array;
  /** Index of that PE per task. */
  home: Int32Array;
  /** Longest τ-path. */
  cp: number;
  /** Tasks on that path. */
  pathTasks: number;
  /** Σ τ. */
  volume: number;
}

/**
 * Best-case times of a DAG: each task at full power on its fastest available PE (`speed` is the
 * simulator's `[v · PEs + p]` matrix), the critical path over them, its task count and the sum.
 */
export function bestCaseTimes(
  dag: Dag,
  speed: Float64Array,
  available: readonly boolean[],
): HsocBestCaseTimes {
  const n = available.length;
  const tau = new Float64Array(dag.n);
  const home = new Int32Array(dag.n).fill(-1);
  let volume = 0;
  for (let v = 0; v < dag.n; v++) {
    let best = 0;
    for (let p = 0; p < n; p++)
      if (available[p] && speed[v * n + p]! > best) {
        best = speed[v * n + p]!;
        home[v] = p;
      }
    tau[v] = dag.wcet[v]! / best;
    volume += tau[v]!;
  }
  const tail = new Float64Array(dag.n);
  const count = new Int32Array(dag.n);
  let cp = 0;
  let pathTasks = 0;
  for (let i = dag.n - 1; i >= 0; i--) {
    const v = dag.topoOrder[i]!;
    let t = 0;
    let c = 0;
    for (const w of dag.succ[v]!)
      if (tail[w]! > t) {
        t = tail[w]!;
        c = count[w]!;
      }
    tail[v] = t + tau[v]!;
    count[v] = c + 1;
    if (tail[v]! > cp) {
      cp = tail[v]!;
      pathTasks = count[v]!;
    }
  }
  return { tau, home, cp, pathTasks, volume };
}

/**
 * The per-job bound of the module comment for a DAG alone on `m` available PEs: the least
 * completion time any power split allows it.
 */
export function isolatedCompletionBound(
  phi: (share: number) => number,
  times: HsocBestCaseTimes,
  taskCount: number,
  m: number,
): number {
  const k = Math.min(m, taskCount - times.pathTasks);
  return powerSharedPathBound(phi, times.cp, Math.max(0, times.volume - times.cp), k);
}

/** Minimum mean flow time of jobs (release, size) on one preemptive machine of speed `speed` (SRPT). */
export function srptMeanFlowTime(jobs: readonly { release: number; size: number }[], speed: number): number {
  const order = [...jobs].sort((a, b) => a.release - b.release);
  const remaining: { release: number; left: number }[] = [];
  let t = 0;
  let i = 0;
  let flow = 0;
  while (i < order.length || remaining.length > 0) {
    if (remaining.length === 0 && t < order[i]!.release) t = order[i]!.release;
    while (i < order.length && order[i]!.release <= t) {
      remaining.push({ release: order[i]!.release, left: order[i]!.size / speed });
      i++;
    }
    let k = 0;
    for (let j = 1; j < remaining.length; j++) if (remaining[j]!.left < remaining[k]!.left) k = j;
    const job = remaining[k]!;
    const next = i < order.length ? order[i]!.release : Infinity;
    if (t + job.left <= next) {
      t += job.left;
      flow += t - job.release;
      remaining.splice(k, 1);
    } else {
      job.left -= next - t;
      t = next;
    }
  }
  return jobs.length > 0 ? flow / jobs.length : NaN;
}

/**
 * The lower bound of the module comment for the episode the simulator holds (call after `reset`):
 * workload jobs after the first `warmupJobs` are measured, as in the env's metrics.
 */
export function hsocLowerBound(sim: HsocSimulator, warmupJobs = 0): HsocLowerBound {
  const phi = (share: number): number => sim.power.speedFactor(share);
  const m = sim.available.filter((a) => a).length;
  const perJob: number[] = [];
  const srptJobs: { release: number; size: number }[] = [];
  let missed = 0;
  let seen = 0;
  for (const job of sim.jobs) {
    if (job.kind !== 'workload' || seen++ < warmupJobs) continue;
    const times = bestCaseTimes(job.dag, job.speed, sim.available);
    const lb = isolatedCompletionBound(phi, times, job.dag.n, m);
    perJob.push(lb);
    srptJobs.push({ release: job.arrival, size: times.volume });
    if (job.arrival + lb > job.deadline + 1e-9) missed++;
  }
  const perJobMean = perJob.reduce((a, b) => a + b, 0) / perJob.length;
  const srptMean = srptMeanFlowTime(srptJobs, groupRate(phi, m, 1));
  return {
    meanCompletion: Math.max(perJobMean, srptMean),
    perJobMean,
    srptMean,
    deadlineMissRatio: missed / perJob.length,
    perJob,
  };
}
