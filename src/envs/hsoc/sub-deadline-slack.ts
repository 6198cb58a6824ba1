/**
 * The seed's `Slack` predicate, as its authors' power-management agent in STOMP computes it: for
 * each token request x a running agent could make beside its running siblings (STOMP's levels
 * 5 … 95 % of the budget, the siblings sharing the other 100 − x % equally), predict the service
 * time of its task and of each sibling's — from its start to its predicted end,
 * `now − start + remaining_time_at_full_power / φ(share)` with φ the power model's speed factor —
 * and compare the ratio of those times with the ratio of the tasks' sub-deadlines:
 *
 *   `d(x) = mean over siblings s of | T_self(x) / T_s(x) − subDeadline_self / subDeadline_s |`.
 *
 * `Slack(x) = 1 − (d(x) − min d) / (max d − min d)`, in [0, 1]: it peaks (= 1) at the split whose
 * predicted completion times stand in the ratio of the sub-deadline targets. STOMP defines it for
 * one sibling; with more, the mean over siblings is this project's extension. Siblings are the
 * other running tasks of the same DAG job, on their actual PEs (what the agent observes).
 */
import type { HsocSimulator } from './hsoc-simulator.js';
import { TASK_RUNNING } from './hsoc-simulator.js';

/** Floor of a sibling's sub-deadline ratio in the ratio (a 0 ratio would make every split equal). */
const MIN_SUB_DEADLINE = 1e-6;

/** STOMP's request levels beside siblings: 5, 10, …, 95 % of the budget. */
export const SLACK_LEVELS: readonly number[] = Array.from({ length: 19 }, (_, k) => 5 * (k + 1));

/**
 * `Slack(x)` for every level of {@link SLACK_LEVELS}, for the agent of PE p, into `out`; returns
 * false (and leaves `out` alone) when p runs no task or its task has no running sibling.
 */
export function subDeadlineSlack(sim: HsocSimulator, p: number, out: Float64Array): boolean {
  const j = sim.peJob[p]!;
  if (j < 0) return false;
  const job = sim.jobs[j]!;
  const v = sim.peTask[p]!;
  if (job.state[v] !== TASK_RUNNING) return false;
  const sibs: number[] = [];
  for (let q = 0; q < sim.pes.length; q++)
    if (q !== p && sim.peJob[q] === j && job.state[sim.peTask[q]!] === TASK_RUNNING) sibs.push(q);
  if (sibs.length === 0) return false;
  const fullTime = (q: number): number => {
    const u = sim.peTask[q]!;
    return job.remaining[u]! / sim.speedOf(job, u, q);
  };
  const selfFull = fullTime(p);
  const selfElapsed = sim.time - job.start[v]!;
  let lo = Infinity;
  let hi = -Infinity;
  SLACK_LEVELS.forEach((x, k) => {
    const tSelf = selfElapsed + selfFull / sim.power.speedFactor(x);
    const sibShare = (100 - x) / sibs.length;
    let d = 0;
    for (const q of sibs) {
      const u = sim.peTask[q]!;
      const tSib = sim.time - job.start[u]! + fullTime(q) / sim.power.speedFactor(sibShare);
      d += Math.abs(tSelf / tSib - job.subDeadline[v]! / Math.max(job.subDeadline[u]!, MIN_SUB_DEADLINE));
    }
    out[k] = d / sibs.length;
    lo = Math.min(lo, out[k]!);
    hi = Math.max(hi, out[k]!);
  });
  for (let k = 0; k < SLACK_LEVELS.length; k++) out[k] = hi > lo ? 1 - (out[k]! - lo) / (hi - lo) : 1;
  return true;
}

/** The level (percent) where `Slack` peaks; the first such level on ties. */
export function slackPeakLevel(slack: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < SLACK_LEVELS.length; k++) if (slack[k]! > slack[best]!) best = k;
  return SLACK_LEVELS[best]!;
}
