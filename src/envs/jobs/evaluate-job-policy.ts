/**
 * Evaluation of a Jobs policy (a baseline or a learned one) on a fixed set of seeded job
 * sequences, so policies are compared on exactly the same arrivals.
 */
import { jobBaseline, type JobBaselineName, type JobPolicy } from './job-baselines.js';
import { JOBS_SPEC, JobsEnv, type JobsOptions } from './jobs-env.js';
import { mean, populationStd } from '../../core/statistics.js';

/** Options of {@link evaluateJobPolicy}: the environment's options plus the evaluation's. */
export interface EvaluateJobPolicyOptions extends JobsOptions {
  /** Episodes (job sequences) to run (default 10). */
  episodes?: number;
  /** Episode k resets with seed `seed + k`; the random baseline is seeded with `seed` (default 0). */
  seed?: number;
  /** Steps after which an episode is cut (default Jobs-v0's `maxEpisodeSteps`). */
  maxSteps?: number;
}

/** Result of {@link evaluateJobPolicy}. */
export interface JobPolicyEvaluation {
  /** Mean over episodes of each episode's mean job slowdown (lower is better; ≥ 1). */
  meanSlowdown: number;
  /** Standard deviation over episodes of the per-episode mean slowdown. */
  stdSlowdown: number;
  /** Mean undiscounted return (−Σ slowdown per episode for the slowdown reward). */
  meanReturn: number;
  /** Per-episode mean slowdowns, in seed order. */
  slowdowns: number[];
  /** Episodes cut at `maxSteps` (their slowdown counts unfinished jobs up to the cut). */
  truncatedEpisodes: number;
  /** Total jobs finished over all episodes. */
  completedJobs: number;
}

/**
 * Runs `policy` (a {@link JobPolicy} or a baseline name) for `episodes` job sequences and returns
 * the mean slowdown. A policy that picks a masked action makes the environment throw.
 */
export function evaluateJobPolicy(
  policy: JobPolicy | JobBaselineName,
  options: EvaluateJobPolicyOptions = {},
): JobPolicyEvaluation {
  const {
    episodes = 10,
    seed = 0,
    maxSteps = JOBS_SPEC.maxEpisodeSteps ?? Infinity,
    ...envOptions
  } = options;
  const env = new JobsEnv(envOptions);
  const act = typeof policy === 'string' ? jobBaseline(policy, env.layout, seed) : policy;
  const slowdowns: number[] = [];
  let returnSum = 0;
  let truncatedEpisodes = 0;
  let completedJobs = 0;
  for (let k = 0; k < episodes; k++) {
    const first = env.reset({ seed: seed + k });
    let obs = first.obs;
    let mask = first.info.actionMask!;
    let ret = 0;
    let steps = 0;
    let episodeSlowdown: number | undefined;
    while (episodeSlowdown === undefined) {
      const r = env.step(act(obs, mask));
      ret += r.reward;
      steps++;
      if (r.terminated) {
        episodeSlowdown = r.info['meanSlowdown'] as number;
      } else if (steps >= maxSteps) {
        truncatedEpisodes++;
        episodeSlowdown = env.meanSlowdownSoFar();
      }
      obs = r.obs;
      mask = r.info.actionMask!;
    }
    completedJobs += env.snapshot().completed;
    slowdowns.push(episodeSlowdown);
    returnSum += ret;
  }
  const meanSlowdown = mean(slowdowns);
  return {
    meanSlowdown,
    stdSlowdown: populationStd(slowdowns, meanSlowdown),
    meanReturn: returnSum / episodes,
    slowdowns,
    truncatedEpisodes,
    completedJobs,
  };
}
