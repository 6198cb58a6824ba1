/** One row of the HSoC comparison on the profiled workloads (`bench/results/hsoc.json`). */
import type { HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import type { HsocProfiledWorkload } from '../envs/hsoc/hsoc-profiled-workloads.js';
import type { DynamicRulePolicy } from '../envs/hsoc/policies/dynamic-rule-policy.js';

/** One (workload, load, policy) cell. */
export interface HsocProfiledRow {
  /** Workload name. */
  workload: HsocProfiledWorkload;
  /** Load preset. */
  load: HsocLoad;
  /** Policy name (`static-target` and `lower-bound` are references, not runnable policies). */
  policy: string;
  /** Paired seeds. */
  seeds: number;
  /** Mean over seeds of the mean DAG completion time. */
  meanCompletion: number;
  /** Paired mean difference to the uniform control, % (negative = faster). */
  vsControlPct: number;
  /** 95 % CI of `vsControlPct`. */
  ci95: [number, number];
  /** Gap of `meanCompletion` to the static target's (the seed's "ideal target"), %. */
  gapToIdealPct: number;
  /** Gap of `meanCompletion` to the lower bound's, % (never negative). */
  gapToLowerBoundPct: number;
  /** Mean share of jobs missing their deadline (lower bound: jobs whose deadline no policy can meet). */
  deadlineMissRatio: number;
  /** Mean completion per seed, in seed order (for further paired comparisons). */
  perSeed: number[];
  /**
   * Dynamic rules only: decisions of running agents, those where light load was inferred (uniform
   * sharing used), those among them where uniform sharing changed the rules' bin, and the running
   * decisions by (inferred, true) light load (truth from full observation).
   */
  plnn?: {
    runningDecisions: number;
    uniformDecisions: number;
    changedDecisions: number;
    confusion: DynamicRulePolicy['confusion'];
  };
}
