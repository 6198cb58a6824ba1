/**
 * A small HSoC comparison on the per-type profiled workloads and STOMP's PE mix (3 CPUs, 3 GPUs,
 * 3 FFT accelerators): the non-learned policies (uniform control, uniform among running PEs, the
 * token-need rules, the seed's `Slack` peak) and the ideal static target, paired over seeds at
 * light / medium / heavy load, optionally with learned LNN rules and their PLNN-switched dynamic
 * version, and under a different power model (e.g. DVFS). One row per
 * (workload, load, policy) with the fields of `bench/results/hsoc.json`.
 */
import { mean, pairedDifference } from '../core/statistics.js';
import type { HsocTokenNeed } from '../envs/hsoc/hsoc-agent-view.js';
import { HsocEnv, type HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { HSOC_LOADS, STOMP_PES, type HsocLoad } from '../envs/hsoc/hsoc-platform.js';
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

/** Settings of {@link runHsocProfiledComparison}. */
export interface HsocProfiledComparisonOptions {
  /** Paired seeds per cell. Default 30. */
  seeds?: number;
  /** First seed. Default 3000. */
  seedBase?: number;
  /** Workload jobs per episode per workload. Default 12 (5-task) and 4 (AV-42). */
  jobs?: Readonly<Record<HsocProfiledWorkload, number>>;
  /** Power model (default: STOMP's token model with its 1,000-token budget). */
  power?: HsocPowerModelOptions;
  /** Run the ideal static's per-task coordinate descent. Default false (split-rule search only). */
  idealTaskSearch?: boolean;
  /** Meaning of the token need beside siblings (need rules, the LNN's `Slack`). Default `balanced`. */
  tokenNeed?: HsocTokenNeed;
  /** Learned LNN rules to add (rows `lnn-rules`, and `dynamic-rules` with `knowledgeBase`). */
  rules?: LnnRulePolicy;
  /** The LightLoad PLNN knowledge base of the dynamic rules (examples/logic/light-load.json). */
  knowledgeBase?: KnowledgeBaseSpec;
}

/** One (workload, load, policy) cell. */
export interface HsocProfiledRow {
  /** Workload name. */
  workload: HsocProfiledWorkload;
  /** Load preset. */
  load: HsocLoad;
  /** Policy name. */
  policy: string;
  /** Paired seeds. */
  seeds: number;
  /** Mean over seeds of the mean DAG completion time. */
  meanCompletion: number;
  /** Paired mean difference to the uniform control, % (negative = faster). */
  vsControlPct: number;
  /** 95 % CI of `vsControlPct`. */
  ci95: [number, number];
  /** Gap of `meanCompletion` to the ideal static's, %. */
  gapToIdealPct: number;
  /** Mean share of jobs missing their deadline. */
  deadlineMissRatio: number;
  /**
   * Dynamic rules only: decisions of running agents, those where light load was inferred (uniform
   * sharing used) and those among them where uniform sharing changed the rules' bin.
   */
  plnn?: { runningDecisions: number; uniformDecisions: number; changedDecisions: number };
}

/** Runs the comparison (deterministic for given options). */
export function runHsocProfiledComparison(options: HsocProfiledComparisonOptions = {}): HsocProfiledRow[] {
  const seeds = options.seeds ?? 30;
  const base = options.seedBase ?? 3000;
  const jobs = options.jobs ?? { '5-task-profiled': 12, 'av-42-profiled': 4 };
  const power = options.power ?? { budget: 1000 };
  const rows: HsocProfiledRow[] = [];
  for (const workload of HSOC_PROFILED_WORKLOADS)
    for (const load of HSOC_LOADS) {
      const envOptions: HsocEnvOptions = {
        workload,
        load,
        jobs: jobs[workload],
        pes: STOMP_PES,
        power,
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
        new NeedPolicy('need-rules'),
        new SlackPeakPolicy(),
        ...(options.rules ? [options.rules] : []),
        ...(dynamic ? [dynamic] : []),
      ];
      const runs: {
        name: string;
        run: (seed: number) => { meanCompletion: number; deadlineMissRatio: number };
      }[] = policies.map((p) => ({ name: p.name, run: (seed: number) => runHsocEpisode(env, p, seed) }));
      runs.push({
        name: 'ideal-static',
        run: (seed) => runIdealStatic(envOptions, seed, options.idealTaskSearch ?? false),
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
      const ideal = mean(results[results.length - 1]!.c);
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
          deadlineMissRatio: r.miss,
          ...(dynamic &&
            r.name === dynamic.name && {
              plnn: {
                runningDecisions: dynamic.runningDecisions,
                uniformDecisions: dynamic.uniformDecisions,
                changedDecisions: dynamic.changedDecisions,
              },
            }),
        });
      }
    }
  return rows;
}
