/**
 * What the HSoC benchmark report shows: the rows and figures `runHsocBenchmark`
 * (src/experiments/hsoc-benchmark.ts) produces and the Markdown and chart renderers read. Defined
 * here, below the experiment, so that the renderers never depend on the layer that runs it.
 */
import type { PairedDifference } from '../core/statistics.js';
import type { HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import type { HsocWorkload } from '../envs/hsoc/hsoc-workloads.js';
import type { LnnRulePolicy } from '../envs/hsoc/policies/lnn-rule-policy.js';
import type { LnnRuleCandidate } from '../agents/select-lnn-rule-policy.js';

/** One cell: a policy on a workload at a load, over the seeds. */
export interface HsocBenchmarkRow {
  workload: HsocWorkload;
  load: HsocLoad;
  policy: string;
  /** Mean over seeds of the episode's mean DAG completion time. */
  meanCompletion: number;
  /** Standard deviation over seeds. */
  stdCompletion: number;
  /** Mean deadline-miss ratio. */
  missRatio: number;
  /** (meanCompletion − ideal) / ideal, in %. */
  gapToIdeal: number;
  /** Mean completion per seed (seed order). */
  perSeed: number[];
  /**
   * Paired difference to uniform (the control) on the same seeds, in % of uniform: mean and std
   * over seeds, the paired t statistic `mean / (std / √n)` and whether |t| exceeds the two-sided
   * 5 % critical value of Student's t with n − 1 degrees of freedom.
   */
  vsUniform: PairedDifference;
}

/** Everything the report shows. */
export interface HsocBenchmarkResult {
  rows: HsocBenchmarkRow[];
  /** The learned rules, as text. */
  rules: string[];
  /** Training curve of the chosen LNN policy: mean normalized completion per episode. */
  curve: number[];
  /**
   * The runnable policies against the control on `poweredSeeds` further seeds (no ideal static, no
   * PPO): the sample the acceptance checks use, sized from the validation pilot (see the options).
   */
  powered: HsocBenchmarkRow[];
  /** Every trained LNN candidate with its validation score (5-task DAG, seeds 200 000 +). */
  candidates: LnnRuleCandidate[];
  /** Index of the evaluated candidate. */
  chosen: number;
  /** Decision latency of the LNN rule policy (µs per agent decision), median of 5 timed episodes. */
  latencyUs: number;
  /**
   * Share of running decisions for which the PLNN predicted light load (and uniform sharing was
   * used), and share of running decisions where that changed the requested bin, per workload and load.
   */
  lightLoadPredicted: { workload: HsocWorkload; load: HsocLoad; share: number; changed: number }[];
  /** The trained policy. */
  policy: LnnRulePolicy;
}
