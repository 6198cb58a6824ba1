/**
 * A small fixed panel of evaluation episodes for learning curves on the profiled HSoC workloads:
 * every (workload, load) cell with a few seeds of its own range, and the uniform control's mean
 * completion on the same seeds, so that a policy evaluated during training can be compared with
 * the control episode for episode (same arrivals).
 */
import { mean } from '../core/statistics.js';
import { HsocEnv, type HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { HSOC_LOADS, STOMP_PES, type HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import { HSOC_PROFILED_WORKLOADS, type HsocProfiledWorkload } from '../envs/hsoc/hsoc-profiled-workloads.js';
import { runHsocEpisode, type HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../envs/hsoc/policies/uniform-policy.js';

/** Settings of {@link HsocEvalPanel}. */
export interface HsocEvalPanelOptions {
  /** Env options shared by every cell (power model, calibration); workload, load, jobs and PEs are set per cell. */
  env?: HsocEnvOptions;
  /** Workload jobs per episode per workload. Default 12 (5-task) and 4 (AV-42). */
  jobs?: Readonly<Record<HsocProfiledWorkload, number>>;
  /** Episodes per cell. Default 10. */
  seeds?: number;
  /** First seed (disjoint from training, validation and the benchmark's seeds). Default 5000. */
  seedBase?: number;
  /** Cells; default every profiled workload at every load. */
  cells?: readonly { workload: HsocProfiledWorkload; load: HsocLoad }[];
}

/** One cell of the panel with the control's mean completion on its seeds. */
export interface HsocEvalCell {
  /** Workload. */
  workload: HsocProfiledWorkload;
  /** Load preset. */
  load: HsocLoad;
  /** Mean DAG completion of the uniform control on the cell's seeds. */
  control: number;
}

/** The evaluation of one policy on the panel. */
export interface HsocPanelEvaluation {
  /** Mean DAG completion per cell, in the order of {@link HsocEvalPanel.cells}. */
  meanCompletion: number[];
  /** Mean over the cells of (policy mean / control mean): below 1 is faster than the control. */
  score: number;
}

/** See the module comment. */
export class HsocEvalPanel {
  /** The cells, with the control's mean completion. */
  readonly cells: readonly HsocEvalCell[];
  private readonly envs: HsocEnv[];
  private readonly seeds: number;
  private readonly seedBase: number;

  constructor(options: HsocEvalPanelOptions = {}) {
    const jobs = options.jobs ?? { '5-task-profiled': 12, 'av-42-profiled': 4 };
    this.seeds = options.seeds ?? 10;
    this.seedBase = options.seedBase ?? 5000;
    const cells =
      options.cells ??
      HSOC_PROFILED_WORKLOADS.flatMap((workload) => HSOC_LOADS.map((load) => ({ workload, load })));
    this.envs = cells.map(
      ({ workload, load }) =>
        new HsocEnv({ pes: STOMP_PES, ...options.env, workload, load, jobs: jobs[workload] }),
    );
    const control = new UniformPolicy();
    this.cells = cells.map(({ workload, load }, i) => ({
      workload,
      load,
      control: this.meanOf(i, control),
    }));
  }

  /** Evaluates `policy` on every cell (deterministic when the policy is). */
  evaluate(policy: HsocPolicy): HsocPanelEvaluation {
    const meanCompletion = this.cells.map((_, i) => this.meanOf(i, policy));
    const score = mean(meanCompletion.map((m, i) => m / this.cells[i]!.control));
    return { meanCompletion, score };
  }

  private meanOf(cell: number, policy: HsocPolicy): number {
    const env = this.envs[cell]!;
    return mean(
      Array.from(
        { length: this.seeds },
        (_, s) => runHsocEpisode(env, policy, this.seedBase + s).meanCompletion,
      ),
    );
  }
}
