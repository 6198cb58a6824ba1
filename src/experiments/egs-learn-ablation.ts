/**
 * The ablation of the levers that make learned EGS answer well at tight deadlines, behind
 * `npm run bench -- egs-learn`: behaviour cloning of the `egs-greedy` expert alone, behaviour
 * cloning of the best teacher per DAG (list-scheduling timetables as edge sequences), the latter
 * followed by DAgger rounds (a re-planning teacher labels the policy's own states) or with search
 * seeded by the best heuristic, and PPO from scratch without any demonstration (the
 * EGS paper's setting), next to `listsched`, `egs-greedy` and the shipped small policy (all
 * policies greedy, without the heuristic seed, except the seeded search). Every variant is trained here with
 * fixed seeds on DAGs disjoint from the evaluation sets, which are declared before any tuning
 * ({@link egsAblationSets}); every timetable is checked with the shared checker.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PPO, type PpoConfig } from '../agents/ppo.js';
import { mean } from '../core/statistics.js';
import { Rng } from '../core/rng.js';
import { PadGraphObservation } from '../core/wrappers/pad-graph-observation.js';
import { withDeadline } from '../dag/build-dag.js';
import type { Dag } from '../dag/dag-task.js';
import { readDagFile } from '../dag/io/read-dag-file.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import { scheduleDag } from '../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import {
  EGS_MODEL_FORMAT,
  SMALL_EGS_MODEL_PATH,
  loadEgsPolicyModel,
  type EgsPolicyModel,
} from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import type { EgsTeacher } from '../envs/egs/egs-best-teacher.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import { GraphPolicy, type GraphPolicyConfig } from '../nn/graph-policy.js';
import { initTf } from '../nn/tf-backend.js';
import type { EgsAblationRow, EgsAblationTraining } from '../report/egs-ablation-report.js';
import { tightEgsSets } from './egs-benchmark-sets.js';
import { egsDagger } from './egs-dagger.js';
import { EGS_PPO } from './egs-ppo-settings.js';
import {
  cloneEgsExpert,
  collectTeacherDemonstrations,
  sampleTrainingDags,
  type EgsDemonstrations,
} from './egs-imitation.js';

/** An evaluation set of the ablation: DAGs with deadlines and the core budget each is set for. */
export interface EgsAblationSet {
  /** Name in tables. */
  name: string;
  /** The tasks (each with its deadline). */
  dags: Dag[];
  /** Per DAG, the cores m its deadline was set for (D = best known makespan on m cores). */
  budget: number[];
}

/**
 * The held-out sets, declared before tuning: {@link tightEgsSets} (20–35 and 40–60 nodes, m = 2
 * and 4, `count` DAGs each) and, when `stgDir` holds Kasahara STG files with
 * `stg-optimal-makespans.csv`, each STG graph at D = its published optimal makespan on m = 2, 4, 8.
 */
export async function egsAblationSets(count: number, stgDir?: string): Promise<EgsAblationSet[]> {
  const sets: EgsAblationSet[] = tightEgsSets({ count }).map((s) => {
    const m = Number(/-m(\d+)$/.exec(s.name)![1]);
    return { ...s, budget: s.dags.map(() => m) };
  });
  if (stgDir === undefined) return sets;
  let csv: string;
  try {
    csv = await readFile(path.join(stgDir, 'stg-optimal-makespans.csv'), 'utf8');
  } catch {
    return sets;
  }
  const stg: EgsAblationSet = { name: 'stg-opt', dags: [], budget: [] };
  for (const line of csv.split('\n')) {
    const [file, m, opt] = line.trim().split(',');
    if (!file || !['2', '4', '8'].includes(m ?? '')) continue;
    // `50/rand0007.stg` is stored as `stg-50-rand0007.stg`.
    const local = path.join(stgDir, `stg-${file.replace('/', '-')}`);
    const dag = await readDagFile(local).catch(() => undefined);
    if (!dag) continue;
    stg.dags.push(withDeadline(dag, Number(opt)));
    stg.budget.push(Number(m));
  }
  if (stg.dags.length > 0) sets.push(stg);
  return sets;
}

/** Settings of {@link runEgsLearnAblation}; every field has a default. */
export interface EgsAblationConfig {
  /** Training DAGs of the behaviour-cloning variants (default 120). */
  trainDags?: number;
  /** Their node range (default [10, 40]). */
  trainNodes?: [number, number];
  /** Their tight deadlines: the best list-schedule makespan on m cores, m in this range (default [2, 6]). */
  tightCores?: [number, number];
  /** Behaviour-cloning epochs (default 6). */
  epochs?: number;
  /** Graph policy of every learned variant (default hidden 16, 4 heads, 1 layer). */
  policy?: GraphPolicyConfig;
  /** DAgger rounds after the best-teacher cloning (default 2; 0: none). */
  daggerRounds?: number;
  /** PPO from scratch: environment steps (default 20,000; 0: no PPO variant). */
  ppoSteps?: number;
  /** `egs-search` time per DAG in seconds (default 0.5). */
  searchTimeS?: number;
  /** Hard time budget of a policy method per DAG in seconds (default 20). */
  budgetS?: number;
  /** Seed of training (default 1). */
  seed?: number;
  /** Progress lines. */
  onLog?: (line: string) => void;
}

/** The variants of the ablation, in table order. */
export const EGS_ABLATION_VARIANTS = [
  'listsched',
  'egs-greedy',
  'shipped small policy',
  'bc egs-greedy teacher',
  'bc best teacher',
  'bc best teacher + dagger',
  'bc best teacher + seeded search',
  'ppo from scratch',
] as const;

/** Trains the learned variants and evaluates every variant on `sets` (see the file comment). */
export async function runEgsLearnAblation(
  sets: readonly EgsAblationSet[],
  config: EgsAblationConfig = {},
): Promise<{ rows: EgsAblationRow[]; training: EgsAblationTraining }> {
  await initTf();
  const log = config.onLog ?? (() => {});
  const seed = config.seed ?? 1;
  const nodes = config.trainNodes ?? [10, 40];
  const policyConfig = config.policy ?? { hiddenDim: 16, numHeads: 4, numLayers: 1 };
  const dags = sampleTrainingDags({
    count: config.trainDags ?? 120,
    nodes,
    tightCores: config.tightCores ?? [2, 6],
    rng: new Rng(seed * 7919 + 3),
  });
  const layout = new PadGraphObservation(new EgsEnv({ maxNodes: nodes[1] })).layout;
  const actionSpace = new EgsEnv({ maxNodes: nodes[1] }).actionSpace;
  const training: EgsAblationTraining = {
    bc: {},
    dagger: [],
    ppo: { steps: 0, seconds: 0, lastReturn: NaN },
  };

  // Clones the teachers' demonstrations into a fresh policy; `then` may train it further (DAgger)
  // and returns that second policy too.
  const clone = async (
    name: string,
    teachers: readonly EgsTeacher[],
    then?: (policy: GraphPolicy, demos: EgsDemonstrations) => Promise<EgsPolicyScheduler>,
  ): Promise<[EgsPolicyScheduler, EgsPolicyScheduler | undefined]> => {
    const t0 = performance.now();
    const rng = new Rng(seed);
    const demos = await collectTeacherDemonstrations({ dags, teachers, tries: 2, rng });
    const policy = new GraphPolicy(layout, actionSpace, policyConfig, new Rng(seed + 1));
    try {
      const nll = await cloneEgsExpert(policy, layout, demos, {
        epochs: config.epochs ?? 6,
        batch: 32,
        learningRate: 1e-3,
        finalLearningRateFraction: 0.1,
        rng,
      });
      const seconds = (performance.now() - t0) / 1000;
      training.bc[name] = {
        states: demos.steps.length,
        teacherCores: demos.expertCores,
        wins: demos.wins,
        nll,
        seconds,
      };
      log(
        `${name}: ${demos.steps.length} states, teacher mean cores ${demos.expertCores.toFixed(2)}, ` +
          `wins ${JSON.stringify(demos.wins)}, NLL ${nll.toFixed(3)}, ${seconds.toFixed(0)} s`,
      );
      const cloned = new EgsPolicyScheduler(modelOf(policy, { trainedBy: name, seed }));
      return [cloned, then ? await then(policy, demos) : undefined];
    } finally {
      policy.dispose();
    }
  };
  const [greedyBc] = await clone('bc egs-greedy teacher', ['egs-greedy']);
  const daggerRounds = config.daggerRounds ?? 2;
  const [bestBc, dagger] = await clone(
    'bc best teacher',
    ['egs-greedy', 'listsched', 'incumbent'],
    daggerRounds > 0
      ? async (policy, demos) => {
          const t0 = performance.now();
          const rounds: EgsAblationTraining['dagger'] = [];
          await egsDagger(policy, layout, demos, {
            dags,
            rounds: daggerRounds,
            rng: new Rng(seed + 2),
            onRound: (round, info) => {
              rounds.push({ round, ...info });
              log(
                `dagger round ${round}: policy mean cores ${info.policyCores.toFixed(2)} on the training DAGs, ` +
                  `${info.states} states, NLL ${info.nll.toFixed(3)}, ${info.seconds.toFixed(0)} s`,
              );
            },
          });
          training.dagger = rounds;
          log(`dagger: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
          return new EgsPolicyScheduler(modelOf(policy, { trainedBy: 'bc best teacher + dagger', seed }));
        }
      : undefined,
  );
  const ppoSteps = config.ppoSteps ?? 20_000;
  const ppo =
    ppoSteps > 0
      ? await ppoFromScratch(layout, policyConfig, nodes, ppoSteps, seed, training, log)
      : undefined;

  const budgetS = config.budgetS ?? 20;
  const shipped = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));
  const run: Record<(typeof EGS_ABLATION_VARIANTS)[number], (dag: Dag) => Promise<ScheduleResult>> = {
    listsched: (dag) => scheduleDag(dag, 'listsched'),
    'egs-greedy': (dag) => scheduleDag(dag, 'egs-greedy'),
    'bc egs-greedy teacher': async (dag) =>
      greedyBc.greedy(dag, { heuristicSeed: false, timeBudgetS: budgetS }),
    'bc best teacher': async (dag) => bestBc.greedy(dag, { heuristicSeed: false, timeBudgetS: budgetS }),
    'bc best teacher + dagger': async (dag) =>
      (dagger ?? bestBc).greedy(dag, { heuristicSeed: false, timeBudgetS: budgetS }),
    'bc best teacher + seeded search': async (dag) =>
      bestBc.search(dag, { searchTimeS: config.searchTimeS ?? 0.5, timeBudgetS: budgetS }),
    'ppo from scratch': async (dag) => ppo!.greedy(dag, { heuristicSeed: false, timeBudgetS: budgetS }),
    'shipped small policy': async (dag) =>
      shipped.greedy(dag, { heuristicSeed: false, timeBudgetS: budgetS }),
  };
  const rows: EgsAblationRow[] = [];
  for (const set of sets) {
    for (const variant of EGS_ABLATION_VARIANTS) {
      if ((variant === 'ppo from scratch' && !ppo) || (variant === 'bc best teacher + dagger' && !dagger))
        continue;
      const cores: number[] = [];
      const ms: number[] = [];
      let within = 0;
      let invalid = 0;
      for (const [k, dag] of set.dags.entries()) {
        const t0 = performance.now();
        const r = await run[variant](dag);
        ms.push(performance.now() - t0);
        const c = r.feasible ? r.cores : dag.n;
        cores.push(c);
        if (c <= set.budget[k]!) within++;
        if (r.feasible && !checkSchedule(dag, r).ok) invalid++;
      }
      const row: EgsAblationRow = {
        variant,
        set: set.name,
        dags: set.dags.length,
        meanCores: mean(cores),
        withinBudget: within,
        msPerDag: mean(ms),
        invalid,
      };
      rows.push(row);
      log(
        `${set.name} ${variant}: ${row.meanCores.toFixed(2)} cores, ${within}/${row.dags} on ≤ m, ${row.msPerDag.toFixed(0)} ms/DAG`,
      );
    }
  }
  return { rows, training };
}

// PPO from scratch on the env's own sampler (no demonstrations, slack deadlines in [0, 0.4]).
async function ppoFromScratch(
  layout: PadGraphObservation<number>['layout'],
  policyConfig: GraphPolicyConfig,
  nodes: [number, number],
  steps: number,
  seed: number,
  training: EgsAblationTraining,
  log: (line: string) => void,
): Promise<EgsPolicyScheduler> {
  const t0 = performance.now();
  const config: Partial<PpoConfig> = { ...EGS_PPO, seed };
  const make = (): PadGraphObservation<number> =>
    new PadGraphObservation(new EgsEnv({ maxNodes: nodes[1], sampler: { nodes, slack: [0, 0.4] } }));
  const model = new PPO(make, config, GraphPolicy.factory(layout, policyConfig));
  let lastReturn = NaN;
  try {
    await model.learn({
      totalTimesteps: steps,
      progress: (_d, _t, m) => {
        const r = m['rollout/ep_rew_mean'];
        if (r !== undefined && Number.isFinite(r)) lastReturn = r;
      },
    });
    const policy = model.policy as GraphPolicy;
    training.ppo = {
      steps: model.counters.numTimesteps,
      seconds: (performance.now() - t0) / 1000,
      lastReturn,
    };
    log(
      `ppo from scratch: ${training.ppo.steps} steps, ${training.ppo.seconds.toFixed(0)} s, last mean return ${lastReturn.toFixed(2)}`,
    );
    return new EgsPolicyScheduler(modelOf(policy, { trainedBy: 'ppo from scratch', seed, steps }));
  } finally {
    await model.close();
  }
}

function modelOf(policy: GraphPolicy, meta: Record<string, unknown>): EgsPolicyModel {
  return { format: EGS_MODEL_FORMAT, dims: policy.dims, weights: policy.getWeights(), meta };
}
