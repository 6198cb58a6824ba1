/**
 * One cell of the HSoC benchmark: a power-sharing policy on a workload at a load over a run of
 * evaluation seeds, as plain data in and out, so that cells can run anywhere (a sweep's worker
 * processes or machines) and be put back together into the benchmark's rows
 * ({@link hsocCellRows}). A cell computes exactly what `runHsocBenchmark` computes for the same
 * policy, workload, load and seeds. The trained policies (the selected LNN rules, the PPO
 * baseline) are trained once per process and settings, deterministically, then reused.
 */
import { HsocEnv, type HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { HSOC_LOADS, type HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import { HSOC_WORKLOADS, type HsocWorkload } from '../envs/hsoc/hsoc-workloads.js';
import { DynamicRulePolicy } from '../envs/hsoc/policies/dynamic-rule-policy.js';
import { runHsocEpisode, type HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import { runIdealStatic } from '../envs/hsoc/policies/ideal-static.js';
import type { LnnRulePolicy } from '../envs/hsoc/policies/lnn-rule-policy.js';
import { NeedPolicy } from '../envs/hsoc/policies/need-policy.js';
import { UniformPolicy } from '../envs/hsoc/policies/uniform-policy.js';
import { selectLnnRulePolicy } from '../agents/select-lnn-rule-policy.js';
import type { KnowledgeBaseSpec } from '../logic/knowledge-base-spec.js';
import type { HsocBenchmarkRow } from '../report/hsoc-benchmark-result.js';
import { compareHsocRows, hsocRow } from './hsoc-benchmark-rows.js';

/** The policies of the benchmark by table name, in its table order. */
export const HSOC_CELL_POLICIES = [
  'uniform',
  'uniform-running',
  'seed-rules',
  'lnn-rules',
  'dynamic-rules',
  'ppo-shared',
  'ideal-static',
] as const;

/** One of {@link HSOC_CELL_POLICIES}. */
export type HsocCellPolicy = (typeof HSOC_CELL_POLICIES)[number];

/** Everything a cell depends on (its id is a hash of this). */
export interface HsocCellInput {
  /** Workload. */
  workload: HsocWorkload;
  /** Load preset. */
  load: HsocLoad;
  /** Policy. */
  policy: HsocCellPolicy;
  /** First evaluation seed of the cell. */
  seedBase: number;
  /** Consecutive seeds from `seedBase`. */
  seeds: number;
  /** Workload jobs per episode. */
  jobs: number;
  /** LNN rule training (`lnn-rules`, `dynamic-rules`): independent trainings and episodes of each. */
  lnn: { restarts: number; trainEpisodes: number };
  /** θ of the dynamic rules. */
  threshold: number;
  /** Steps of the PPO baseline (`ppo-shared`). */
  ppoSteps: number;
  /** Run the ideal static's per-task search (`ideal-static`). */
  idealTaskSearch: boolean;
  /** The LightLoad PLNN knowledge base (`dynamic-rules` only). */
  knowledgeBase?: KnowledgeBaseSpec | undefined;
}

/** What a cell gives: per seed, the mean DAG completion and the deadline-miss ratio. */
export interface HsocCellResult {
  /** Workload. */
  workload: HsocWorkload;
  /** Load preset. */
  load: HsocLoad;
  /** Policy (table name). */
  policy: HsocCellPolicy;
  /** First seed. */
  seedBase: number;
  /** Mean DAG completion per seed, seed order. */
  perSeed: number[];
  /** Deadline-miss ratio per seed, seed order. */
  missPerSeed: number[];
}

const lnnPolicies = new Map<string, LnnRulePolicy>();
const ppoPolicies = new Map<number, Promise<HsocPolicy>>();

/** The selected LNN rules of these training settings, trained on first use in this process. */
function lnnPolicy(lnn: HsocCellInput['lnn']): LnnRulePolicy {
  const key = `${lnn.restarts}/${lnn.trainEpisodes}`;
  let p = lnnPolicies.get(key);
  if (p === undefined) {
    p = selectLnnRulePolicy({ restarts: lnn.restarts, train: { episodes: lnn.trainEpisodes } }).policy;
    lnnPolicies.set(key, p);
  }
  return p;
}

/** The PPO baseline of `steps` steps, trained on first use in this process (TF.js loads only then). */
function ppoPolicy(steps: number): Promise<HsocPolicy> {
  let p = ppoPolicies.get(steps);
  if (p === undefined) {
    p = import('./hsoc-ppo-baseline.js').then((m) => m.trainPpoBaseline(steps));
    ppoPolicies.set(steps, p);
  }
  return p;
}

async function policyOf(input: HsocCellInput): Promise<HsocPolicy> {
  switch (input.policy) {
    case 'uniform':
      return new UniformPolicy();
    case 'uniform-running':
      return new UniformPolicy({ readinessAware: true });
    case 'seed-rules':
      return new NeedPolicy('seed-rules');
    case 'lnn-rules':
      return lnnPolicy(input.lnn);
    case 'dynamic-rules':
      if (input.knowledgeBase === undefined)
        throw new Error('an HSoC dynamic-rules cell needs the LightLoad knowledge base');
      return new DynamicRulePolicy(lnnPolicy(input.lnn), input.knowledgeBase, input.threshold);
    case 'ppo-shared':
      return ppoPolicy(input.ppoSteps);
    case 'ideal-static':
      throw new Error('unreachable: the ideal static split is no policy object');
  }
}

/** Runs one cell (deterministic for given input). */
export async function runHsocCell(input: HsocCellInput): Promise<HsocCellResult> {
  const envOptions: HsocEnvOptions = { workload: input.workload, load: input.load, jobs: input.jobs };
  let run: (seed: number) => { meanCompletion: number; deadlineMissRatio: number };
  if (input.policy === 'ideal-static')
    run = (seed) => runIdealStatic(envOptions, seed, input.idealTaskSearch);
  else {
    const env = new HsocEnv(envOptions);
    const policy = await policyOf(input);
    run = (seed) => runHsocEpisode(env, policy, seed);
  }
  const perSeed: number[] = [];
  const missPerSeed: number[] = [];
  for (let s = 0; s < input.seeds; s++) {
    const m = run(input.seedBase + s);
    perSeed.push(m.meanCompletion);
    missPerSeed.push(m.deadlineMissRatio);
  }
  return {
    workload: input.workload,
    load: input.load,
    policy: input.policy,
    seedBase: input.seedBase,
    perSeed,
    missPerSeed,
  };
}

/**
 * The benchmark's rows from cell results: per workload, load and policy (in the benchmark's
 * order) the seeds of its cells joined in seed order, then compared with the control and the
 * ideal static split of the same workload and load where the cells include them.
 */
export function hsocCellRows(results: readonly HsocCellResult[]): HsocBenchmarkRow[] {
  const order = (r: HsocCellResult): number[] => [
    HSOC_WORKLOADS.indexOf(r.workload),
    HSOC_LOADS.indexOf(r.load),
    HSOC_CELL_POLICIES.indexOf(r.policy),
    r.seedBase,
  ];
  const groups = new Map<string, HsocCellResult[]>();
  for (const r of results) {
    const key = `${r.workload}|${r.load}|${r.policy}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: HsocBenchmarkRow[] = [];
  const cells = [...groups.values()].map((g) => [...g].sort((a, b) => a.seedBase - b.seedBase));
  cells.sort((a, b) => compareKeys(order(a[0]!), order(b[0]!)));
  for (const g of cells) {
    const first = g[0]!;
    rows.push(
      hsocRow(
        first.workload,
        first.load,
        first.policy,
        g.flatMap((r) => r.perSeed),
        g.flatMap((r) => r.missPerSeed),
      ),
    );
  }
  const byCell = new Map<string, HsocBenchmarkRow[]>();
  for (const r of rows)
    byCell.set(`${r.workload}|${r.load}`, [...(byCell.get(`${r.workload}|${r.load}`) ?? []), r]);
  for (const rs of byCell.values()) compareHsocRows(rs);
  return rows;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
