/**
 * The HSoC comparison on the per-type profiled workloads and STOMP's PE mix (3 CPUs, 3 GPUs,
 * 3 FFT accelerators), under the `per-type` load calibration by default: the non-learned policies
 * (uniform control, uniform among running PEs, the seed's hand-written rules, the seed's `Slack`
 * peak), optionally learned LNN rules, their PLNN-switched dynamic version and a shared PPO
 * policy, then two references that are not runnable policies: the seed's static target (the
 * control's PE assignment fixed up front and known to every agent, token split searched offline:
 * a heuristic, not an optimum) and the lower bound no policy can beat (`hsoc-lower-bound.ts`).
 * Paired over seeds at light / medium / heavy load; one row per (workload, load, policy) with the
 * fields of `bench/results/hsoc.json`.
 */
import { mean, pairedDifference } from '../core/statistics.js';
import type { HsocTokenNeed } from '../envs/hsoc/hsoc-agent-view.js';
import { HsocEnv, type HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { hsocLowerBound } from '../envs/hsoc/hsoc-lower-bound.js';
import type { HsocLoadCalibration } from '../envs/hsoc/hsoc-per-type-load.js';
import { HSOC_LOADS, STOMP_PES } from '../envs/hsoc/hsoc-platform.js';
import type { HsocPowerModelOptions } from '../envs/hsoc/hsoc-power-model.js';
import { HSOC_PROFILED_WORKLOADS, type HsocProfiledWorkload } from '../envs/hsoc/hsoc-profiled-workloads.js';
import { runHsocEpisode, type HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import { runIdealStatic } from '../envs/hsoc/policies/ideal-static.js';
import { NeedPolicy } from '../envs/hsoc/policies/need-policy.js';
import { SlackPeakPolicy } from '../envs/hsoc/policies/slack-peak-policy.js';
import { DynamicRulePolicy } from '../envs/hsoc/policies/dynamic-rule-policy.js';
import type { LnnRulePolicy } from '../envs/hsoc/policies/lnn-rule-policy.js';
import type { KnowledgeBaseSpec } from '../logic/knowledge-base-spec.js';
import { UniformPolicy } from '../envs/hsoc/policies/uniform-policy.js';
import type { HsocProfiledRow } from '../report/hsoc-profiled-row.js';

/** Row name of the seed's static target (a searched heuristic, not a bound). */
export const STATIC_TARGET = 'static-target';
/** Row name of the lower bound. */
export const LOWER_BOUND = 'lower-bound';

/** Settings of {@link runHsocProfiledComparison}. */
export interface HsocProfiledComparisonOptions {
  /** Paired seeds per cell. Default 30. */
  seeds?: number;
  /** First seed. Default 3000. */
  seedBase?: number;
  /** Workload jobs per episode per workload. Default 12 (5-task) and 4 (AV-42). */
  jobs?: Readonly<Record<HsocProfiledWorkload, number>>;
  /** Load calibration. Default `per-type` (`nominal`: the presets of the default 4/2/2 SoC). */
  calibration?: HsocLoadCalibration;
  /** Power model (default: STOMP's token model with its 1,000-token budget). */
  power?: HsocPowerModelOptions;
  /** Run the static target's per-task coordinate descent. Default false (split-rule search only). */
  idealTaskSearch?: boolean;
  /** Meaning of the token need beside siblings (need rules, the LNN's `Slack`). Default `balanced`. */
  tokenNeed?: HsocTokenNeed;
  /** Learned LNN rules to add (rows `lnn-rules`, and `dynamic-rules` with `knowledgeBase`). */
  rules?: LnnRulePolicy;
  /** The LightLoad PLNN knowledge base of the dynamic rules (examples/logic/light-load.json). */
  knowledgeBase?: KnowledgeBaseSpec;
  /** Further runnable policies (e.g. `ppo-shared`), rows after the rules. */
  extraPolicies?: readonly HsocPolicy[];
  /** Progress callback (cells done, cells in all). */
  onCell?: (done: number, total: number) => void;
}

/**
 * Env options of LNN / PPO training and validation for this comparison: the profiled 5-task DAG on
 * STOMP's PE mix with the given calibration and power model (the load is set per env).
 */
export function profiledTrainingEnv(
  calibration: HsocLoadCalibration = 'per-type',
  power: HsocPowerModelOptions = { budget: 1000 },
): HsocEnvOptions {
  return { workload: '5-task-profiled', pes: STOMP_PES, power, calibration };
}

export type { HsocProfiledRow } from '../report/hsoc-profiled-row.js';

/** Runs the comparison (deterministic for given options). */
export function runHsocProfiledComparison(options: HsocProfiledComparisonOptions = {}): HsocProfiledRow[] {
  const seeds = options.seeds ?? 30;
  const base = options.seedBase ?? 3000;
  const jobs = options.jobs ?? { '5-task-profiled': 12, 'av-42-profiled': 4 };
  const power = options.power ?? { budget: 1000 };
  const rows: HsocProfiledRow[] = [];
  const total = HSOC_PROFILED_WORKLOADS.length * HSOC_LOADS.length;
  let done = 0;
  for (const workload of HSOC_PROFILED_WORKLOADS)
    for (const load of HSOC_LOADS) {
      const envOptions: HsocEnvOptions = {
        workload,
        load,
        jobs: jobs[workload],
        pes: STOMP_PES,
        power,
        calibration: options.calibration ?? 'per-type',
        ...(options.tokenNeed && { tokenNeed: options.tokenNeed }),
      };
      const env = new HsocEnv(envOptions);
      const dynamic =
        options.rules && options.knowledgeBase
          ? new DynamicRulePolicy(options.rules, options.knowledgeBase)
          : undefined;
      const policies: HsocPolicy[] = [
        new UniformPolicy(),
        new UniformPolicy({ readinessAware: true }),
        new NeedPolicy('seed-rules'),
        new SlackPeakPolicy(),
        ...(options.rules ? [options.rules] : []),
        ...(dynamic ? [dynamic] : []),
        ...(options.extraPolicies ?? []),
      ];
      const runs: {
        name: string;
        run: (seed: number) => { meanCompletion: number; deadlineMissRatio: number };
      }[] = policies.map((p) => ({ name: p.name, run: (seed: number) => runHsocEpisode(env, p, seed) }));
      runs.push({
        name: STATIC_TARGET,
        run: (seed) => runIdealStatic(envOptions, seed, options.idealTaskSearch ?? false),
      });
      runs.push({
        name: LOWER_BOUND,
        run: (seed) => {
          env.reset({ seed });
          return hsocLowerBound(env.sim, envOptions.warmupJobs ?? 0);
        },
      });
      const results = runs.map(({ name, run }) => {
        const c: number[] = [];
        let miss = 0;
        for (let s = 0; s < seeds; s++) {
          const m = run(base + s);
          c.push(m.meanCompletion);
          miss += m.deadlineMissRatio;
        }
        return { name, c, miss: miss / seeds };
      });
      const control = results[0]!.c;
      const ideal = mean(results.find((r) => r.name === STATIC_TARGET)!.c);
      const bound = mean(results.find((r) => r.name === LOWER_BOUND)!.c);
      for (const r of results) {
        const d = pairedDifference(r.c, control);
        const m = mean(r.c);
        rows.push({
          workload,
          load,
          policy: r.name,
          seeds,
          meanCompletion: m,
          vsControlPct: d.mean,
          ci95: d.ci95,
          gapToIdealPct: (100 * (m - ideal)) / ideal,
          gapToLowerBoundPct: (100 * (m - bound)) / bound,
          deadlineMissRatio: r.miss,
          perSeed: r.c,
          ...(dynamic &&
            r.name === dynamic.name && {
              plnn: {
                runningDecisions: dynamic.runningDecisions,
                uniformDecisions: dynamic.uniformDecisions,
                changedDecisions: dynamic.changedDecisions,
                confusion: { ...dynamic.confusion },
              },
            }),
        });
      }
      options.onCell?.(++done, total);
    }
  return rows;
}
