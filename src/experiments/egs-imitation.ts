/**
 * Imitation warm start of the EGS graph policy, shared by the demo's short run
 * (`egs-quick-train.ts`) and the documented training run (`bench/egs-train.ts`): demonstrations of
 * the non-learned expert, or of the best teacher per DAG (list-scheduling timetables as edge
 * sequences, the expert), on sampled DAGs, then behaviour cloning on them (teacher actions under
 * the env's masks, value head on the returns-to-go). The cloning target is the recorded action,
 * or (`targets: 'set'`) the set of actions the teacher accepted in that state.
 */
import { BehaviorCloning } from '../agents/behavior-cloning.js';
import { packActionSets, type ActionSets } from '../nn/action-sets.js';
import type { Rng } from '../core/rng.js';
import { padGraphInto, type PaddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import { DagSampler, type SamplerRange } from '../envs/egs/dag-sampler.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import type { EgsFeatureSet } from '../envs/egs/egs-observation.js';
import { withDeadline } from '../dag/build-dag.js';
import { bestTeacherEpisode, type EgsTeacher } from '../envs/egs/egs-best-teacher.js';
import {
  egsExpertEpisode,
  type EgsDemonstration,
  type EgsDemonstrationStep,
} from '../envs/egs/egs-expert.js';
import { tightDeadline } from './egs-benchmark-sets.js';
import type { GraphPolicy } from '../nn/graph-policy.js';
import type { Dag } from '../dag/dag-task.js';

/** Expert decisions with their returns-to-go. */
export interface EgsDemonstrations {
  /** Decisions, in episode order. */
  steps: EgsDemonstrationStep[];
  /** Return-to-go (width drops still to come, this step's included) per decision. */
  returns: number[];
  /** Mean cores of the expert's episodes. */
  expertCores: number;
  /** DAGs demonstrated on. */
  dags: number;
}

/** Options of {@link collectEgsDemonstrations}. */
export interface CollectEgsDemonstrationsOptions {
  /** DAGs to sample. */
  count: number;
  /** Expert runs per DAG (the first deterministic, the best kept). */
  tries: number;
  /** Node range of the sampled DAGs. */
  nodes: SamplerRange;
  /** Slack range (default [0, 0.4]). */
  slack?: SamplerRange;
  /** Draws every DAG and every randomized expert choice. */
  rng: Rng;
  /** Called after each DAG. */
  onDag?: (done: number, total: number, states: number) => void;
}

/** Runs the expert (`egsExpertEpisode`) on `count` sampled DAGs and keeps its decisions. */
export function collectEgsDemonstrations(opts: CollectEgsDemonstrationsOptions): EgsDemonstrations {
  const env = new EgsEnv({ maxNodes: Math.max(2, opts.nodes[1]) });
  const sampler = new DagSampler({ nodes: opts.nodes, slack: opts.slack ?? [0, 0.4] });
  const demos = emptyDemonstrations();
  for (let d = 0; d < opts.count; d++) {
    record(demos, egsExpertEpisode(env, sampler.sample(opts.rng), opts.rng, { tries: opts.tries }));
    opts.onDag?.(d + 1, opts.count, demos.steps.length);
  }
  return finish(demos, opts.count);
}

/** Options of {@link sampleTrainingDags}. */
export interface SampleTrainingDagsOptions {
  /** DAGs to sample. */
  count: number;
  /** Node range. */
  nodes: SamplerRange;
  /** Slack range of the sampler's deadlines (default [0, 0.4]). */
  slack?: SamplerRange;
  /**
   * Tight deadlines instead: D = the best list-schedule makespan on m cores (`tightDeadline`), m
   * drawn uniformly from this range.
   */
  tightCores?: SamplerRange;
  /** Draws the DAGs and their core counts. */
  rng: Rng;
}

/** Training DAGs with deadlines (see {@link SampleTrainingDagsOptions}). */
export function sampleTrainingDags(opts: SampleTrainingDagsOptions): Dag[] {
  const sampler = new DagSampler({ nodes: opts.nodes, slack: opts.slack ?? [0, 0.4] });
  return Array.from({ length: opts.count }, () => {
    const dag = sampler.sample(opts.rng);
    if (!opts.tightCores) return dag;
    const [lo, hi] = opts.tightCores;
    return withDeadline(dag, tightDeadline(dag, lo + opts.rng.int(hi - lo + 1)));
  });
}

/** Options of {@link collectTeacherDemonstrations}. */
export interface CollectTeacherDemonstrationsOptions {
  /** The DAGs (with deadlines) to demonstrate on, e.g. from {@link sampleTrainingDags}. */
  dags: readonly Dag[];
  /** Teachers asked per DAG, the best episode kept (default `DEFAULT_EGS_TEACHERS`). */
  teachers?: readonly EgsTeacher[];
  /** Runs of the greedy expert per DAG (default 2). */
  tries?: number;
  /** Observation feature set of the recorded states (default `'v1'`). */
  features?: EgsFeatureSet;
  /**
   * Node count of the env, which encodes the recorded actions (i · maxNodes + j): must be the
   * policy's layout's (default: the largest DAG's, which is the layout's only when a DAG has that many).
   */
  maxNodes?: number;
  /** Draws the randomized expert choices. */
  rng: Rng;
  /**
   * Record the greedy expert's accepted sets on its steps too, for `targets: 'set'` cloning
   * (default false; the timetable teachers' sets are recorded always, they cost nothing).
   */
  expertTargets?: boolean;
  /** Called after each DAG. */
  onDag?: (done: number, total: number, states: number) => void;
}

/** Demonstrations of the best teacher per DAG, with how often each teacher won. */
export interface TeacherDemonstrations extends EgsDemonstrations {
  /** DAGs on which each teacher gave the demonstration. */
  wins: Partial<Record<EgsTeacher, number>>;
}

/**
 * Runs every teacher (`bestTeacherEpisode`) on each DAG and keeps the decisions of the best one:
 * timetables of list scheduling (and of the exact method when asked) as EGS edge sequences, and
 * the greedy expert. The env has the node count of the largest DAG.
 */
export async function collectTeacherDemonstrations(
  opts: CollectTeacherDemonstrationsOptions,
): Promise<TeacherDemonstrations> {
  const env = new EgsEnv({
    maxNodes: opts.maxNodes ?? Math.max(2, ...opts.dags.map((d) => d.n)),
    features: opts.features ?? 'v1',
  });
  const demos = emptyDemonstrations();
  const wins: Partial<Record<EgsTeacher, number>> = {};
  for (const [d, dag] of opts.dags.entries()) {
    const run = await bestTeacherEpisode(env, dag, opts.rng, {
      ...(opts.teachers && { teachers: opts.teachers }),
      ...(opts.tries !== undefined && { expertTries: opts.tries }),
      ...(opts.expertTargets && { expertTargets: true }),
    });
    wins[run.teacher] = (wins[run.teacher] ?? 0) + 1;
    record(demos, run);
    opts.onDag?.(d + 1, opts.dags.length, demos.steps.length);
  }
  return { ...finish(demos, opts.dags.length), wins };
}

function emptyDemonstrations(): EgsDemonstrations {
  return { steps: [], returns: [], expertCores: 0, dags: 0 };
}

// Appends one episode's decisions with their returns-to-go (expertCores sums until finish).
function record(demos: EgsDemonstrations, run: EgsDemonstration): void {
  demos.expertCores += run.cores;
  let ret = run.steps.reduce((s, x) => s + x.reward, 0);
  for (const s of run.steps) {
    demos.steps.push(s);
    demos.returns.push(ret);
    ret -= s.reward;
  }
}

function finish(demos: EgsDemonstrations, count: number): EgsDemonstrations {
  return { ...demos, expertCores: demos.expertCores / Math.max(1, count), dags: count };
}

/** Options of {@link cloneEgsExpert}. */
export interface CloneEgsExpertOptions {
  /** Passes over the demonstrations. */
  epochs: number;
  /** Minibatch size. */
  batch: number;
  /** Adam learning rate at the start. */
  learningRate: number;
  /** Fraction of the rate left at the end, decayed linearly (default 1: constant). */
  finalLearningRateFraction?: number;
  /** Shuffles the demonstrations each epoch. */
  rng: Rng;
  /** Gradient path of the behaviour cloning (default `'fast'`, see `BehaviorCloningConfig.learner`). */
  learner?: 'fast' | 'tfjs';
  /**
   * What a decision teaches (default `'action'`): the recorded action, or `'set'` every action
   * the teacher accepted there (`EgsDemonstrationStep.targets`, the action alone where absent),
   * with the loss −log Σ_{a∈T} π(a | s).
   */
  targets?: 'action' | 'set';
  /** Called after each gradient step. */
  onStep?: (done: number, total: number, epoch: number) => void;
  /** Called after each epoch with its mean losses and duration. */
  onEpoch?: (
    epoch: number,
    metrics: { nll: number; valueLoss: number; epochS: number },
  ) => Promise<void> | void;
}

/** Behaviour cloning of `demos` into `policy` (padded to `layout`); returns the last epoch's mean NLL. */
export async function cloneEgsExpert(
  policy: GraphPolicy,
  layout: PaddedGraphLayout,
  demos: EgsDemonstrations,
  opts: CloneEgsExpertOptions,
): Promise<number> {
  const bc = new BehaviorCloning(policy, {
    learningRate: opts.learningRate,
    vfCoef: 0.5,
    ...(opts.learner ? { learner: opts.learner } : {}),
  });
  const N = layout.maxNodes;
  const B = Math.max(1, Math.min(opts.batch, demos.steps.length));
  const obs = new Float32Array(B * layout.size);
  const masks = new Uint8Array(B * N * N);
  const actions = new Int32Array(B);
  const returns = new Float32Array(B);
  const useSets = opts.targets === 'set';
  const rows: ArrayLike<number>[] = new Array<ArrayLike<number>>(B);
  let sets: ActionSets = { offsets: new Int32Array(B + 1), actions: new Int32Array(B) };
  const order = demos.steps.map((_, i) => i);
  const stepsPerEpoch = Math.floor(demos.steps.length / B);
  const total = stepsPerEpoch * opts.epochs;
  const drop = 1 - (opts.finalLearningRateFraction ?? 1);
  let done = 0;
  let lastNll = NaN;
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      opts.rng.shuffle(order);
      const t0 = performance.now();
      let nll = 0;
      let valueLoss = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        // padGraphInto clears each row it writes.
        for (let b = 0; b < B; b++) {
          const k = order[s * B + b]!;
          const demo = demos.steps[k]!;
          padGraphInto(demo.obs, layout, obs, b * layout.size);
          masks.set(demo.mask, b * N * N);
          actions[b] = demo.action;
          returns[b] = demos.returns[k]!;
          if (useSets) rows[b] = demo.targets ?? [demo.action];
        }
        if (useSets) sets = packActionSets(rows, sets);
        const lr = opts.learningRate * (1 - (drop * done) / Math.max(1, total));
        const m = bc.step(obs, B, actions, masks, returns, lr, useSets ? sets : undefined);
        nll += m.nll;
        valueLoss += m.valueLoss;
        opts.onStep?.(++done, total, epoch);
      }
      lastNll = nll / Math.max(1, stepsPerEpoch);
      await opts.onEpoch?.(epoch, {
        nll: lastNll,
        valueLoss: valueLoss / Math.max(1, stepsPerEpoch),
        epochS: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    bc.dispose();
  }
  return lastNll;
}
