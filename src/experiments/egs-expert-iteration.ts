/**
 * Expert iteration for the EGS graph policy: search improves the policy's choices, the policy
 * learns the improved choices, repeat. Round 0 clones the best heuristic teacher per DAG (list
 * schedule, its incumbent, the exact method on small DAGs, `egs-greedy`). Each later round samples
 * fresh training DAGs (tight deadlines: D = the best list-schedule makespan on m cores; a size
 * curriculum up to the largest node count), runs the policy-guided search (`egs-search`: beam and
 * sampled policy episodes under the mask, seeded with the best heuristic) with the CURRENT policy,
 * and keeps per DAG the best answer of the search and the heuristic teachers (fewest cores, then the
 * shortest teacher episode: fewer edges for the policy to learn). That
 * answer is a timetable, so a set of per-core orders, so a G' ⊇ G; the policy then runs its own
 * greedy episodes and every state it visits is labelled with an edge of G' it does not yet imply
 * (DAgger-style relabelling through a {@link ReplanningTeacher}; off G', the list schedule of G_t is
 * the new target), the teacher's own episode towards G' is added, and the policy is cloned again
 * on everything gathered so far. After every round the policy is measured on a validation set
 * sampled like the training DAGs (another seed): alone (greedy, no heuristic seed) and in the
 * seeded search, next to `listsched`.
 */
import { mean } from '../core/statistics.js';
import { Rng } from '../core/rng.js';
import { PadGraphObservation } from '../core/wrappers/pad-graph-observation.js';
import type { Dag } from '../dag/dag-task.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import { scheduleDag } from '../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { scheduleOptimal } from '../dag/optimal/optimal-scheduler.js';
import { EGS_MODEL_FORMAT, type EgsPolicyModel } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { listTimetables } from '../envs/egs/egs-list-hint.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import type { EgsDemonstration } from '../envs/egs/egs-expert.js';
import type { EgsFeatureSet } from '../envs/egs/egs-observation.js';
import { ReplanningTeacher, timetableTeacherEpisode } from '../envs/egs/timetable-teacher.js';
import { GraphPolicy, type GraphPolicyConfig } from '../nn/graph-policy.js';
import { initTf } from '../nn/tf-backend.js';
import { labelPolicyStates, listPlan } from './egs-dagger.js';
import { cloneEgsExpert, sampleTrainingDags, type EgsDemonstrations } from './egs-imitation.js';

/** Settings of {@link runEgsExpertIteration}; every field has a default. */
export interface EgsExpertIterationConfig {
  /** Observation feature set (default `v2`). */
  features?: EgsFeatureSet;
  /** Graph policy (default the large one: hidden 32, 4 heads, 2 layers). */
  policy?: GraphPolicyConfig;
  /** Search rounds after the cloning round 0 (default 4). */
  rounds?: number;
  /** Fresh training DAGs per round, round 0 included (default 48). */
  dagsPerRound?: number;
  /**
   * Node range of each round's DAGs, round 0 first (default: [10, 30] growing linearly to
   * [10, 100] over the rounds); its largest end is the policy's padded node count.
   */
  curriculum?: readonly (readonly [number, number])[];
  /** Tight deadlines: D = the best list-schedule makespan on m cores, m in this range (default [2, 8]). */
  tightCores?: readonly [number, number];
  /** `egs-search` time per DAG in seconds, in training and validation (default 0.5). */
  searchTimeS?: number;
  /**
   * The training search's effort: policy episodes and beam width of `egs-search` when it looks for
   * the targets (default 48 and 8; validation uses the method's defaults, as shipped). Why more
   * than the default: on most tight DAGs the default search finishes its episodes well inside its
   * time, so effort, not time, bounds how often it beats the seed.
   */
  searchSamples?: number;
  /** See {@link EgsExpertIterationConfig.searchSamples}. */
  searchBeamWidth?: number;
  /** The exact method as a teacher on DAGs of at most this many nodes (default 20; 0: never). */
  optimalMaxNodes?: number;
  /** Its time limit per DAG in seconds (default 1). */
  optimalTimeLimitS?: number;
  /** Cloning epochs of round 0 (default 6). */
  bcEpochs?: number;
  /** Cloning epochs over the aggregate in each search round (default 2). */
  epochs?: number;
  /** Probability of executing the teacher's action in the policy's episodes (default 0.3). */
  beta?: number;
  /** The aggregate keeps at most this many states (a uniform subset; default 40,000). */
  maxStates?: number;
  /** Validation DAGs, sampled like the last round's from another seed (default 40; 0: no validation). */
  validationDags?: number;
  /** Hard time budget of a policy method per DAG in seconds (default 20). */
  budgetS?: number;
  /** Seed of everything (default 1). */
  seed?: number;
  /** Progress lines. */
  onLog?: (line: string) => void;
  /** Called after each round with its record and the policy as a model (e.g. to checkpoint it). */
  onRound?: (round: EgsExpertIterationRound, model: EgsPolicyModel) => Promise<void> | void;
}

/** Validation figures of one policy: mean cores alone and seeded, and DAGs on ≤ listsched's cores. */
export interface EgsValidationScore {
  /** Greedy episode without the heuristic seed: mean cores. */
  alone: number;
  /** DAGs where alone needs no more cores than listsched. */
  aloneWithin: number;
  /** `egs-search` seeded with the best heuristic: mean cores. */
  seeded: number;
  /** DAGs where the seeded search needs no more cores than listsched. */
  seededWithin: number;
  /** Timetables that failed the shared checker (must be 0). */
  invalid: number;
  /** Mean milliseconds per DAG of alone / seeded. */
  msAlone: number;
  /** See {@link EgsValidationScore.msAlone}. */
  msSeeded: number;
}

/** What one round did and measured. */
export interface EgsExpertIterationRound {
  /** 0: cloning of the heuristic teachers; ≥ 1: search rounds. */
  round: number;
  /** Node range of the round's DAGs. */
  nodes: [number, number];
  /** Training DAGs of the round. */
  dags: number;
  /** Mean cores of `listsched` on them. */
  listschedCores: number;
  /** Mean cores of the best answer per DAG (the targets). */
  targetCores: number;
  /** DAGs whose target came from each source (`search`, `listsched`, `incumbent`, `optimal`, `egs-greedy`). */
  wins: Record<string, number>;
  /** Mean cores of the policy's own greedy episodes on the round's DAGs before retraining (NaN in round 0). */
  policyCores: number;
  /** States in the aggregate after the round. */
  states: number;
  /** Last cloning epoch's mean NLL. */
  nll: number;
  /** Validation after the round. */
  validation: EgsValidationScore;
  /** Wall seconds of the parts. */
  seconds: { targets: number; label: number; train: number; validate: number };
}

/** The validation set: DAGs with their listsched cores. */
export interface EgsValidationSet {
  /** The tasks (each with its tight deadline). */
  dags: Dag[];
  /** `listsched` cores per DAG. */
  listsched: number[];
}

/** The default curriculum: `rounds + 1` node ranges from [10, 30] to [10, 100]. */
export function egsExpertCurriculum(rounds: number, lo = 10, first = 30, last = 100): [number, number][] {
  return Array.from({ length: rounds + 1 }, (_, r) => [
    lo,
    Math.round(first + ((last - first) * r) / Math.max(1, rounds)),
  ]);
}

/** A trained policy as a model file's content (format {@link EGS_MODEL_FORMAT}). */
export function egsPolicyModelOf(
  policy: GraphPolicy,
  features: EgsFeatureSet,
  meta: Record<string, unknown>,
): EgsPolicyModel {
  return { format: EGS_MODEL_FORMAT, dims: policy.dims, features, weights: policy.getWeights(), meta };
}

/** Samples the validation set like the training DAGs of `nodes`, from its own seed. */
export async function egsValidationSet(
  count: number,
  nodes: readonly [number, number],
  tightCores: readonly [number, number],
  seed: number,
): Promise<EgsValidationSet> {
  const dags = sampleTrainingDags({
    count,
    nodes: [nodes[0], nodes[1]],
    tightCores: [tightCores[0], tightCores[1]],
    rng: new Rng(seed * 7919 + 104_729),
  });
  const listsched: number[] = [];
  for (const dag of dags) listsched.push((await scheduleDag(dag, 'listsched')).cores);
  return { dags, listsched };
}

/** Scores a policy on the validation set, alone and seeded (every timetable checked; NaN when empty). */
export function scoreEgsPolicy(
  scheduler: EgsPolicyScheduler,
  set: EgsValidationSet,
  searchTimeS = 0.5,
  budgetS = 20,
): EgsValidationScore {
  if (set.dags.length === 0)
    return {
      alone: NaN,
      aloneWithin: 0,
      seeded: NaN,
      seededWithin: 0,
      invalid: 0,
      msAlone: NaN,
      msSeeded: NaN,
    };
  const alone: number[] = [];
  const seeded: number[] = [];
  const ms = [0, 0];
  let aloneWithin = 0;
  let seededWithin = 0;
  let invalid = 0;
  const coresOf = (dag: Dag, r: ScheduleResult): number => {
    if (r.feasible && !checkSchedule(dag, r).ok) invalid++;
    return r.feasible ? r.cores : dag.n;
  };
  for (const [k, dag] of set.dags.entries()) {
    let t0 = performance.now();
    const a = coresOf(dag, scheduler.greedy(dag, { heuristicSeed: false, timeBudgetS: budgetS }));
    ms[0]! += performance.now() - t0;
    t0 = performance.now();
    const s = coresOf(dag, scheduler.search(dag, { searchTimeS, timeBudgetS: budgetS }));
    ms[1]! += performance.now() - t0;
    alone.push(a);
    seeded.push(s);
    if (a <= set.listsched[k]!) aloneWithin++;
    if (s <= set.listsched[k]!) seededWithin++;
  }
  const n = Math.max(1, set.dags.length);
  return {
    alone: mean(alone),
    aloneWithin,
    seeded: mean(seeded),
    seededWithin,
    invalid,
    msAlone: ms[0]! / n,
    msSeeded: ms[1]! / n,
  };
}

// A candidate target: a feasible timetable that passes the shared checker, else undefined.
function checked(dag: Dag, r: ScheduleResult | undefined): ScheduleResult | undefined {
  return r && r.feasible && checkSchedule(dag, r).ok ? r : undefined;
}

/**
 * Runs expert iteration (see the file comment) on a fresh policy; returns the rounds' records,
 * the validation set's listsched mean, and the model of every round (index = round).
 */
export async function runEgsExpertIteration(config: EgsExpertIterationConfig = {}): Promise<{
  rounds: EgsExpertIterationRound[];
  models: EgsPolicyModel[];
  validation: EgsValidationSet;
}> {
  await initTf();
  const log = config.onLog ?? (() => {});
  const seed = config.seed ?? 1;
  const R = config.rounds ?? 4;
  const features = config.features ?? 'v2';
  const curriculum = config.curriculum ?? egsExpertCurriculum(R);
  if (curriculum.length < R + 1)
    throw new Error(`expert iteration: the curriculum has ${curriculum.length} ranges, ${R + 1} needed`);
  const maxNodes = Math.max(...curriculum.map((c) => c[1]));
  const tightCores = config.tightCores ?? [2, 8];
  const searchTimeS = config.searchTimeS ?? 0.5;
  const budgetS = config.budgetS ?? 20;
  const optimalMaxNodes = config.optimalMaxNodes ?? 20;
  const maxStates = config.maxStates ?? 40_000;
  const policyConfig = config.policy ?? { hiddenDim: 32, numHeads: 4, numLayers: 2 };
  const env = new EgsEnv({ maxNodes, features });
  const layout = new PadGraphObservation(env).layout;
  const policy = new GraphPolicy(layout, env.actionSpace, policyConfig, new Rng(seed + 1));
  const rng = new Rng(seed);
  const validation = await egsValidationSet(config.validationDags ?? 40, curriculum[R]!, tightCores, seed);
  log(
    `validation: ${validation.dags.length} DAGs, ${curriculum[R]![0]}–${curriculum[R]![1]} nodes, ` +
      `listsched ${mean(validation.listsched).toFixed(2)} mean cores`,
  );
  const data: EgsDemonstrations = { steps: [], returns: [], expertCores: 0, dags: 0 };
  const rounds: EgsExpertIterationRound[] = [];
  const models: EgsPolicyModel[] = [];
  try {
    for (let round = 0; round <= R; round++) {
      const nodes: [number, number] = [curriculum[round]![0], curriculum[round]![1]];
      const dags = sampleTrainingDags({
        count: config.dagsPerRound ?? 48,
        nodes,
        tightCores: [tightCores[0], tightCores[1]],
        rng,
      });
      // 1. The targets: the best answer per DAG of the search (current policy) and the teachers.
      let t0 = performance.now();
      const scheduler =
        round > 0 ? new EgsPolicyScheduler(egsPolicyModelOf(policy, features, {})) : undefined;
      const targets: ScheduleResult[] = [];
      const demos: EgsDemonstration[] = [];
      const wins: Record<string, number> = {};
      let listCores = 0;
      for (const dag of dags) {
        const D = dag.deadline!;
        const lists = listTimetables(dag, D);
        listCores += lists.listsched.cores;
        const cands: [string, ScheduleResult | undefined][] = [
          [
            'search',
            scheduler?.search(dag, {
              searchTimeS,
              timeBudgetS: budgetS,
              seed: round,
              samples: config.searchSamples ?? 48,
              beamWidth: config.searchBeamWidth ?? 8,
            }),
          ],
          ['listsched', lists.listsched],
          ['incumbent', lists.incumbent],
          [
            'optimal',
            dag.n <= optimalMaxNodes
              ? await scheduleOptimal(dag, { deadline: D, timeLimitS: config.optimalTimeLimitS ?? 1 })
              : undefined,
          ],
          ['egs-greedy', await scheduleDag(dag, 'egs-greedy')],
        ];
        // Fewest cores, then the shortest teacher episode towards G' (fewer edges to learn), then
        // the earlier source (the search first).
        let best: { name: string; timetable: ScheduleResult; demo: EgsDemonstration } | undefined;
        for (const [name, r] of cands) {
          const ok = checked(dag, r);
          if (!ok || (best && ok.cores > best.timetable.cores)) continue;
          const demo = timetableTeacherEpisode(env, dag, ok);
          if (
            !best ||
            demo.cores < best.demo.cores ||
            (demo.cores === best.demo.cores && demo.steps.length < best.demo.steps.length)
          )
            best = { name, timetable: ok, demo };
        }
        // listsched is always feasible at its own makespan's deadline.
        targets.push(best!.timetable);
        demos.push(best!.demo);
        wins[best!.name] = (wins[best!.name] ?? 0) + 1;
      }
      const targetSeconds = (performance.now() - t0) / 1000;
      // 2. The teacher's own episode towards each target, and (search rounds) the policy's states
      // relabelled towards it.
      t0 = performance.now();
      let targetCores = 0;
      for (const demo of demos) {
        targetCores += demo.cores;
        let ret = demo.steps.reduce((s, x) => s + x.reward, 0);
        for (const s of demo.steps) {
          data.steps.push(s);
          data.returns.push(ret);
          ret -= s.reward;
        }
      }
      let policyCores = NaN;
      if (round > 0) {
        const teacherFor = (dag: Dag, k: number): ReplanningTeacher =>
          new ReplanningTeacher((dagT, D) => (dagT === env.state.dag ? targets[k]! : listPlan(dagT, D)));
        policyCores = labelPolicyStates(policy.inferenceNet(), env, dags, teacherFor, data, {
          beta: config.beta ?? 0.3,
          stepsPerNode: 3,
          rng,
        });
      }
      if (data.steps.length > maxStates) {
        const order = data.steps.map((_, i) => i);
        rng.shuffle(order);
        const keep = order.slice(0, maxStates).sort((a, b) => a - b);
        data.steps = keep.map((i) => data.steps[i]!);
        data.returns = keep.map((i) => data.returns[i]!);
      }
      const labelSeconds = (performance.now() - t0) / 1000;
      // 3. Cloning on the aggregate.
      t0 = performance.now();
      const nll = await cloneEgsExpert(policy, layout, data, {
        epochs: round === 0 ? (config.bcEpochs ?? 6) : (config.epochs ?? 2),
        batch: 32,
        learningRate: round === 0 ? 1e-3 : 5e-4,
        finalLearningRateFraction: round === 0 ? 0.1 : 0.5,
        rng,
      });
      const trainSeconds = (performance.now() - t0) / 1000;
      // 4. Validation, alone and seeded.
      t0 = performance.now();
      const model = egsPolicyModelOf(policy, features, {
        trainedBy: 'expert iteration',
        round,
        seed,
        states: data.steps.length,
      });
      const score = scoreEgsPolicy(new EgsPolicyScheduler(model), validation, searchTimeS, budgetS);
      const record: EgsExpertIterationRound = {
        round,
        nodes,
        dags: dags.length,
        listschedCores: listCores / dags.length,
        targetCores: targetCores / dags.length,
        wins,
        policyCores,
        states: data.steps.length,
        nll,
        validation: score,
        seconds: {
          targets: targetSeconds,
          label: labelSeconds,
          train: trainSeconds,
          validate: (performance.now() - t0) / 1000,
        },
      };
      model.meta['validation'] = { alone: score.alone, seeded: score.seeded };
      rounds.push(record);
      models.push(model);
      log(
        `round ${round} (${nodes[0]}–${nodes[1]} nodes): targets ${record.targetCores.toFixed(2)} vs listsched ` +
          `${record.listschedCores.toFixed(2)} (${JSON.stringify(wins)}), policy ${policyCores.toFixed(2)}, ` +
          `${record.states} states, NLL ${nll.toFixed(3)}; validation alone ${score.alone.toFixed(2)} ` +
          `seeded ${score.seeded.toFixed(2)} (listsched ${mean(validation.listsched).toFixed(2)}); ` +
          `${targetSeconds.toFixed(0)} + ${labelSeconds.toFixed(0)} + ${trainSeconds.toFixed(0)} + ` +
          `${record.seconds.validate.toFixed(0)} s`,
      );
      await config.onRound?.(record, model);
    }
  } finally {
    policy.dispose();
  }
  return { rounds, models, validation };
}
