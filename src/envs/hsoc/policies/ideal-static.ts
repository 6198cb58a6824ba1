/**
 * The seed's "ideal target" (rows `static-target` of the profiled comparison, `ideal-static` of the
 * first benchmark): all PE assignments known up front. The episode is first run with the uniform
 * control under the dynamic scheduler; the PE every task got becomes a static plan. The episode is
 * then replayed (same seed, same arrivals) with the scheduler bound to the plan and every agent
 * knowing where each future task of its DAG will run, and the token split is searched offline on
 * that known schedule: a family of split rules (the `Slack` token need, balanced between siblings,
 * 100 % alone in its DAG, with a floor of 0 … 50 tokens beside siblings, 50 being the uniform
 * request; floor 90 is close to uniform sharing among the running PEs), keeping the best episode,
 * then optionally a per-task coordinate descent over request bins.
 *
 * A heuristic, not an optimum and not a bound: the assignment is the control's (never optimised),
 * the split search is local, and a task bound to its planned PE waits for it even when another is
 * free, so a runnable policy can beat it. The bound no policy can beat is `hsoc-lower-bound.ts`.
 */
import { HsocEnv, type HsocEnvOptions, type HsocEpisodeMetrics } from '../hsoc-env.js';
import { runHsocEpisode, type HsocPolicy } from './hsoc-policy.js';
import { needBin } from './need-policy.js';
import { UniformPolicy } from './uniform-policy.js';

/** Floors (tokens) of the searched split rules. */
export const IDEAL_SPLIT_FLOORS: readonly number[] = [0, 20, 35, 50, 90];

/** The `Slack` token need with a floor: a running sibling never asks for less than `floor` tokens. */
export function flooredNeedPolicy(floor: number): HsocPolicy {
  return {
    name: `need≥${floor}`,
    act(env, agent, _obs, mask) {
      const v = env.view(agent);
      if (!v.parentTasksCompleted) return 0;
      return needBin(v.siblingTasks ? Math.max(v.idealShare, floor) : v.idealShare, mask);
    },
  };
}

/** Per-task request bins tried by the coordinate descent. */
export const IDEAL_TASK_BINS: readonly number[] = [2, 4, 6, 8, 10];

/** `base`, except that a running task with an entry in `fixed` (key `job:task`) requests that bin. */
function withFixedRequests(base: HsocPolicy, fixed: ReadonlyMap<string, number>): HsocPolicy {
  return {
    name: base.name,
    act(env, agent, obs, mask) {
      const v = env.view(agent);
      const bin = v.parentTasksCompleted ? fixed.get(`${v.job}:${v.task}`) : undefined;
      if (bin === undefined) return base.act(env, agent, obs, mask);
      let a = bin;
      while (a > 0 && !mask[a]) a--;
      return a;
    },
  };
}

/** What {@link runIdealStatic} returns: the best episode's metrics and what the search kept. */
export type IdealStaticMetrics = HsocEpisodeMetrics & {
  /** Floor of the best split rule (stage 1). */
  splitFloor: number;
  /** Per-task requests kept by the coordinate descent (stage 2). */
  fixedTasks: number;
  /** Episodes simulated by the search. */
  episodes: number;
};

/** The ideal-static metrics of one episode; `taskSearch: false` skips stage 2. */
export function runIdealStatic(options: HsocEnvOptions, seed: number, taskSearch = true): IdealStaticMetrics {
  const dynamic = new HsocEnv(options);
  runHsocEpisode(dynamic, new UniformPolicy(), seed);
  const plan = dynamic.assignmentPlan();
  const env = new HsocEnv({ ...options, plan });
  let episodes = 0;
  let best: HsocEpisodeMetrics | undefined;
  let floor = 0;
  for (const f of IDEAL_SPLIT_FLOORS) {
    const m = runHsocEpisode(env, flooredNeedPolicy(f), seed);
    episodes++;
    if (best === undefined || m.meanCompletion < best.meanCompletion) {
      best = m;
      floor = f;
    }
  }
  const base = flooredNeedPolicy(floor);
  const fixed = new Map<string, number>();
  if (taskSearch)
    for (const job of env.sim.jobs) {
      if (job.kind !== 'workload') continue;
      for (const v of job.dag.topoOrder) {
        const key = `${job.id}:${v}`;
        let kept: number | undefined;
        for (const bin of IDEAL_TASK_BINS) {
          fixed.set(key, bin);
          const m = runHsocEpisode(env, withFixedRequests(base, fixed), seed);
          episodes++;
          if (m.meanCompletion < best!.meanCompletion - 1e-12) {
            best = m;
            kept = bin;
          } else if (kept === undefined) fixed.delete(key);
          else fixed.set(key, kept);
        }
      }
    }
  return { ...best!, splitFloor: floor, fixedTasks: fixed.size, episodes };
}
