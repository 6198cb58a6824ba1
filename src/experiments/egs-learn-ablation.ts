/**
 * The ablation of the levers that make learned EGS answer well at tight deadlines, behind
 * `npm run bench -- egs-learn`: behaviour cloning of the `egs-greedy` expert alone, behaviour
 * cloning of the best teacher per DAG (list-scheduling timetables as edge sequences), the latter
 * followed by DAgger rounds (a re-planning teacher labels the policy's own states), by a PPO
 * fine-tune on the training DAGs, or with search seeded by the best heuristic, and PPO from
 * scratch without any demonstration (the EGS paper's setting), expert iteration (search with the
 * current policy finds better answers, the policy is cloned on them along its own states; alone
 * and seeded), each with the original (`v1`) and
 * the list-scheduling (`v2`) observation features, next to `listsched`, `egs-greedy` and the
 * shipped small policy (all policies greedy, without the heuristic seed, except the seeded
 * variants). Every variant is trained here with fixed seeds on DAGs disjoint from the evaluation
 * sets, which are declared before any tuning ({@link egsAblationSets}); a validation set sampled
 * like the training DAGs (another seed) is where models are compared and chosen. Every timetable
 * is checked with the shared checker.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Callback } from '../agents/callbacks.js';
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
import { SMALL_EGS_MODEL_PATH, loadEgsPolicyModel, type EgsPolicyModel } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import type { EgsTeacher } from '../envs/egs/egs-best-teacher.js';
import { DagSampler } from '../envs/egs/dag-sampler.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import type { EgsFeatureSet } from '../envs/egs/egs-observation.js';
import { GraphPolicy, type GraphPolicyConfig } from '../nn/graph-policy.js';
import { initTf } from '../nn/tf-backend.js';
import type { EgsAblationRow, EgsAblationTraining } from '../report/egs-ablation-report.js';
import { tightEgsSets } from './egs-benchmark-sets.js';
import { egsDagger } from './egs-dagger.js';
import { egsPolicyModelOf, runEgsExpertIteration } from './egs-expert-iteration.js';
import { EGS_PPO } from './egs-ppo-settings.js';
import { cloneEgsExpert, collectTeacherDemonstrations, sampleTrainingDags } from './egs-imitation.js';

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
  /**
   * Validation DAGs, sampled like the training DAGs from another seed (default 0: none); the set
   * `validation` is evaluated first, and is the one to choose models on.
   */
  validationDags?: number;
  /** Behaviour-cloning epochs (default 6). */
  epochs?: number;
  /** Graph policy of every learned variant (default hidden 16, 4 heads, 1 layer). */
  policy?: GraphPolicyConfig;
  /** Observation feature sets of the learned variants (default both, `v1` and `v2`). */
  features?: readonly EgsFeatureSet[];
  /** DAgger rounds after the best-teacher cloning (default 2; 0: none). */
  daggerRounds?: number;
  /** PPO from scratch: environment steps (default 20,000; 0: no PPO variant). */
  ppoSteps?: number;
  /** PPO fine-tune of the DAgger policy on the training DAGs: steps (default 0: none). */
  fineTuneSteps?: number;
  /**
   * Expert iteration ({@link runEgsExpertIteration}): search rounds after its cloning round, each on
   * `trainDags` fresh DAGs sampled like the training DAGs (default 0: no expert-iteration variant).
   */
  expertRounds?: number;
  /** `egs-search` time per DAG in seconds (default 0.5). */
  searchTimeS?: number;
  /** Hard time budget of a policy method per DAG in seconds (default 20). */
  budgetS?: number;
  /** Seed of training (default 1). */
  seed?: number;
  /** Progress lines. */
  onLog?: (line: string) => void;
  /** Called with every trained model (e.g. to save it). */
  onModel?: (name: string, model: EgsPolicyModel) => Promise<void> | void;
}

/** The variants of the ablation with the original features, in table order. */
/** PPO settings of the fine-tune after DAgger (the shipped policies'; `egs-policy-train` reuses them). */
export const EGS_FINE_TUNE_PPO = Object.freeze({ learningRate: 2e-4, entCoef: 0.003 });

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

/** The learned variants run once per feature set (`[v2]` appended to the name for `v2`). */
const PER_FEATURE_VARIANTS = [
  'bc best teacher',
  'bc best teacher + dagger',
  'bc best teacher + dagger + ppo',
  'bc best teacher + dagger + seeded greedy',
  'bc best teacher + dagger + seeded search',
  'expert iteration',
  'expert iteration + seeded search',
  'ppo from scratch',
] as const;

/** A variant's name with its feature set (`v1` keeps the plain name). */
export function egsVariantName(variant: string, features: EgsFeatureSet): string {
  return features === 'v1' ? variant : `${variant} [${features}]`;
}

/** Trains the learned variants and evaluates every variant on `sets` (see the file comment). */
export async function runEgsLearnAblation(
  sets: readonly EgsAblationSet[],
  config: EgsAblationConfig = {},
): Promise<{ rows: EgsAblationRow[]; training: EgsAblationTraining }> {
  await initTf();
  const log = config.onLog ?? (() => {});
  const seed = config.seed ?? 1;
  const nodes = config.trainNodes ?? [10, 40];
  const tightCores = config.tightCores ?? [2, 6];
  const policyConfig = config.policy ?? { hiddenDim: 16, numHeads: 4, numLayers: 1 };
  const dags = sampleTrainingDags({
    count: config.trainDags ?? 120,
    nodes,
    tightCores,
    rng: new Rng(seed * 7919 + 3),
  });
  const evalSets: EgsAblationSet[] = [...sets];
  if ((config.validationDags ?? 0) > 0) {
    const v = sampleTrainingDags({
      count: config.validationDags!,
      nodes,
      tightCores,
      rng: new Rng(seed * 7919 + 104_729),
    });
    // Budget: the m whose list-schedule makespan is D (the list schedule's cores at D).
    const budget: number[] = [];
    for (const dag of v) budget.push((await scheduleDag(dag, 'listsched')).cores);
    evalSets.unshift({ name: 'validation', dags: v, budget });
  }
  const featureSets = config.features ?? ['v1', 'v2'];
  const training: EgsAblationTraining = {
    bc: {},
    dagger: [],
    ppo: { steps: 0, seconds: 0, lastReturn: NaN },
    ppoRuns: {},
  };
  const budgetS = config.budgetS ?? 20;
  const greedy =
    (p: EgsPolicyScheduler, heuristicSeed = false) =>
    async (dag: Dag): Promise<ScheduleResult> =>
      p.greedy(dag, { heuristicSeed, timeBudgetS: budgetS });
  const search =
    (p: EgsPolicyScheduler) =>
    async (dag: Dag): Promise<ScheduleResult> =>
      p.search(dag, { searchTimeS: config.searchTimeS ?? 0.5, timeBudgetS: budgetS });
  const run = new Map<string, (dag: Dag) => Promise<ScheduleResult>>();
  run.set('listsched', async (dag) => scheduleDag(dag, 'listsched'));
  run.set('egs-greedy', async (dag) => scheduleDag(dag, 'egs-greedy'));
  run.set('shipped small policy', greedy(new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH))));
  const scheduler = async (name: string, policy: GraphPolicy, features: EgsFeatureSet, extra = {}) => {
    const model = egsPolicyModelOf(policy, features, { trainedBy: name, seed, ...extra });
    await config.onModel?.(name, model);
    return new EgsPolicyScheduler(model);
  };

  for (const features of featureSets) {
    const tag = (v: string): string => egsVariantName(v, features);
    const env = new EgsEnv({ maxNodes: nodes[1], features });
    const layout = new PadGraphObservation(env).layout;
    const actionSpace = env.actionSpace;
    // Clones the teachers' demonstrations into a fresh policy (kept for the caller to train further).
    const clone = async (name: string, teachers: readonly EgsTeacher[]) => {
      const t0 = performance.now();
      const rng = new Rng(seed);
      // The layout's node count encodes the actions (the largest DAG may have fewer nodes).
      const demos = await collectTeacherDemonstrations({
        dags,
        teachers,
        tries: 2,
        rng,
        features,
        maxNodes: nodes[1],
      });
      const policy = new GraphPolicy(layout, actionSpace, policyConfig, new Rng(seed + 1));
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
      return { policy, demos };
    };
    if (features === 'v1') {
      const { policy } = await clone('bc egs-greedy teacher', ['egs-greedy']);
      run.set('bc egs-greedy teacher', greedy(await scheduler('bc egs-greedy teacher', policy, features)));
      policy.dispose();
    }
    const { policy, demos } = await clone(tag('bc best teacher'), ['egs-greedy', 'listsched', 'incumbent']);
    try {
      const bc = await scheduler(tag('bc best teacher'), policy, features);
      run.set(tag('bc best teacher'), greedy(bc));
      if (features === 'v1') run.set('bc best teacher + seeded search', search(bc));
      const daggerRounds = config.daggerRounds ?? 2;
      if (daggerRounds > 0) {
        const t0 = performance.now();
        await egsDagger(policy, layout, demos, {
          dags,
          rounds: daggerRounds,
          rng: new Rng(seed + 2),
          features,
          onRound: (round, info) => {
            training.dagger.push({ round, ...info, variant: tag('bc best teacher + dagger') });
            log(
              `${tag('dagger')} round ${round}: policy mean cores ${info.policyCores.toFixed(2)} on the training DAGs, ` +
                `${info.states} states, NLL ${info.nll.toFixed(3)}, ${info.seconds.toFixed(0)} s`,
            );
          },
        });
        log(`${tag('dagger')}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        const dagger = await scheduler(tag('bc best teacher + dagger'), policy, features);
        run.set(tag('bc best teacher + dagger'), greedy(dagger));
        run.set(tag('bc best teacher + dagger + seeded greedy'), greedy(dagger, true));
        run.set(tag('bc best teacher + dagger + seeded search'), search(dagger));
        const fineTune = config.fineTuneSteps ?? 0;
        if (fineTune > 0) {
          const name = tag('bc best teacher + dagger + ppo');
          const sampler = new TrainingDagSampler(dags, nodes);
          const weights = policy.getWeights();
          const ft = await runPpo(
            name,
            layout,
            policyConfig,
            nodes,
            fineTune,
            seed,
            features,
            training,
            log,
            {
              sampler,
              weights,
              ppo: EGS_FINE_TUNE_PPO,
            },
          );
          run.set(name, greedy(await scheduler(name, ft, features, { steps: fineTune })));
          ft.dispose();
        }
      }
    } finally {
      policy.dispose();
    }
    const expertRounds = config.expertRounds ?? 0;
    if (expertRounds > 0) {
      const name = tag('expert iteration');
      const t0 = performance.now();
      const { rounds, models } = await runEgsExpertIteration({
        features,
        policy: policyConfig,
        rounds: expertRounds,
        curriculum: Array.from({ length: expertRounds + 1 }, () => nodes),
        tightCores,
        dagsPerRound: config.trainDags ?? 120,
        ...(config.searchTimeS !== undefined && { searchTimeS: config.searchTimeS }),
        validationDags: 0,
        seed,
      });
      for (const r of rounds)
        training.dagger.push({
          round: r.round,
          policyCores: r.policyCores,
          states: r.states,
          nll: r.nll,
          seconds: r.seconds.targets + r.seconds.label + r.seconds.train,
          variant: name,
        });
      log(`${name}: ${expertRounds} rounds, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      // The last round's policy (the ablation chooses nothing on its evaluation sets).
      const model = models[models.length - 1]!;
      await config.onModel?.(name, model);
      const ei = new EgsPolicyScheduler(model);
      run.set(name, greedy(ei));
      run.set(tag('expert iteration + seeded search'), search(ei));
    }
    const ppoSteps = config.ppoSteps ?? 20_000;
    if (ppoSteps > 0) {
      const name = tag('ppo from scratch');
      const p = await runPpo(name, layout, policyConfig, nodes, ppoSteps, seed, features, training, log);
      if (features === 'v1') training.ppo = training.ppoRuns![name]!;
      run.set(name, greedy(await scheduler(name, p, features, { steps: ppoSteps })));
      p.dispose();
    }
  }

  const variants = [
    ...EGS_ABLATION_VARIANTS.filter((v) => v !== 'ppo from scratch'),
    ...featureSets.flatMap((f) => PER_FEATURE_VARIANTS.map((v) => egsVariantName(v, f))),
  ].filter((v, k, all) => run.has(v) && all.indexOf(v) === k);
  const rows: EgsAblationRow[] = [];
  for (const set of evalSets) {
    for (const variant of variants) {
      const cores: number[] = [];
      const ms: number[] = [];
      let within = 0;
      let invalid = 0;
      for (const [k, dag] of set.dags.entries()) {
        const t0 = performance.now();
        const r = await run.get(variant)!(dag);
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

/** Draws the given training DAGs (with their tight deadlines) instead of generating tasks. */
export class TrainingDagSampler extends DagSampler {
  constructor(
    private readonly dags: readonly Dag[],
    nodes: [number, number],
  ) {
    super({ nodes });
  }

  override sample(rng: Rng): Dag {
    return this.dags[rng.int(this.dags.length)]!;
  }
}

/**
 * PPO on the fast learner: from scratch on the env's own sampler (no demonstrations, slack
 * deadlines in [0, 0.4]), or from `weights` on a given sampler (the fine-tune). Records the run in
 * `training.ppoRuns[name]`; `callbacks` (e.g. checkpoints, validation) only read the policy.
 * Returns the policy (the caller disposes it).
 */
export async function runPpo(
  name: string,
  layout: PadGraphObservation<number>['layout'],
  policyConfig: GraphPolicyConfig,
  nodes: [number, number],
  steps: number,
  seed: number,
  features: EgsFeatureSet,
  training: EgsAblationTraining,
  log: (line: string) => void,
  from?: { sampler: DagSampler; weights: Record<string, Float32Array>; ppo: Partial<PpoConfig> },
  callbacks: Callback<PPO>[] = [],
): Promise<GraphPolicy> {
  const t0 = performance.now();
  const config: Partial<PpoConfig> = { ...EGS_PPO, ...from?.ppo, seed, learner: 'fast' };
  const make = (): PadGraphObservation<number> =>
    new PadGraphObservation(
      new EgsEnv({
        maxNodes: nodes[1],
        features,
        sampler: from?.sampler ?? { nodes, slack: [0, 0.4] },
      }),
    );
  const model = new PPO(make, config, GraphPolicy.factory(layout, policyConfig));
  const policy = model.policy as GraphPolicy;
  if (from) policy.setWeights(from.weights);
  let lastReturn = NaN;
  try {
    await model.learn({
      totalTimesteps: steps,
      callbacks,
      progress: (_d, _t, m) => {
        const r = m['rollout/ep_rew_mean'];
        if (r !== undefined && Number.isFinite(r)) lastReturn = r;
      },
    });
    const out = new GraphPolicy(layout, make().actionSpace, policyConfig, new Rng(0));
    out.setWeights(policy.getWeights());
    const facts = {
      steps: model.counters.numTimesteps,
      seconds: (performance.now() - t0) / 1000,
      lastReturn,
    };
    training.ppoRuns![name] = facts;
    log(
      `${name}: ${facts.steps} steps, ${facts.seconds.toFixed(0)} s, last mean return ${lastReturn.toFixed(2)}`,
    );
    return out;
  } finally {
    await model.close();
  }
}
