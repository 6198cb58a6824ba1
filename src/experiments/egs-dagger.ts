/**
 * DAgger for the EGS graph policy: the policy runs its own episodes (mixed with the teacher's
 * choices at rate `beta`), a {@link ReplanningTeacher} labels every visited state, the labels are
 * added to the data set, and the policy is cloned again on all of it. Why: a teacher steering to
 * a list schedule's G' chooses by a target the policy cannot see, so plain cloning leaves the
 * policy in states the teacher never showed; labelling the policy's own states (the teacher plans
 * again from wherever the policy went) teaches it to recover, and the teacher's choice there is a
 * function of the state alone. Each label also records the set of actions the teacher accepts
 * there (`EgsDemonstrationStep.targets`; where the greedy expert answers, only with
 * `targets: 'set'`), which set-valued cloning (`targets: 'set'`) trains on.
 */
import type { Rng } from '../core/rng.js';
import type { GraphObservation } from '../core/spaces.js';
import type { PaddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import type { Dag } from '../dag/dag-task.js';
import { listTimetables } from '../envs/egs/egs-best-teacher.js';
import { EgsEnv, egsEpisodeEnded } from '../envs/egs/egs-env.js';
import type { EgsFeatureSet } from '../envs/egs/egs-observation.js';
import type { EgsDemonstrationStep } from '../envs/egs/egs-expert.js';
import { ReplanningTeacher } from '../envs/egs/timetable-teacher.js';
import { argmaxAmong } from '../core/masked-argmax.js';
import type { GraphNetF32 } from '../nn/graph-net-f32.js';
import type { GraphPolicy } from '../nn/graph-policy.js';
import { cloneEgsExpert, type EgsDemonstrations } from './egs-imitation.js';

/** Options of {@link egsDagger}. */
export interface EgsDaggerOptions {
  /** Training DAGs (with deadlines) the policy runs on. */
  dags: readonly Dag[];
  /** DAgger rounds (default 2). */
  rounds?: number;
  /** Probability of executing the teacher's action instead of the policy's (default 0.3). */
  beta?: number;
  /** Cloning epochs over the aggregated data per round (default 2). */
  epochs?: number;
  /** Minibatch size (default 32). */
  batch?: number;
  /** Adam learning rate (default 5e-4). */
  learningRate?: number;
  /** Episodes are cut after this many steps per node (default 3). */
  stepsPerNode?: number;
  /** Observation feature set of the policy (default `'v1'`). */
  features?: EgsFeatureSet;
  /** Cloning targets (default `'action'`; see `CloneEgsExpertOptions.targets`). */
  targets?: 'action' | 'set';
  /** Draws beta and shuffles the data. */
  rng: Rng;
  /** Called after each round with the policy's mean cores over its episodes (before retraining). */
  onRound?: (
    round: number,
    info: { policyCores: number; states: number; nll: number; seconds: number },
  ) => void;
}

/** The plan of the DAgger teacher: the fewer-core list schedule of the given graph at `deadline`. */
export function listPlan(dag: Dag, deadline: number): ReturnType<typeof listTimetables>['listsched'] {
  // No wall-clock budget: the labels must not depend on the machine's speed.
  const { listsched, incumbent } = listTimetables(dag, deadline, undefined, undefined, Infinity);
  return incumbent.feasible && incumbent.cores < listsched.cores ? incumbent : listsched;
}

/**
 * Runs DAgger on `policy` starting from `demos` (e.g. best-teacher demonstrations, already
 * cloned); returns the aggregated data set. The policy acts greedily (argmax under the mask).
 */
export async function egsDagger(
  policy: GraphPolicy,
  layout: PaddedGraphLayout,
  demos: EgsDemonstrations,
  opts: EgsDaggerOptions,
): Promise<EgsDemonstrations> {
  const N = layout.maxNodes;
  const env = new EgsEnv({ maxNodes: N, features: opts.features ?? 'v1' });
  const teacher = new ReplanningTeacher(listPlan, undefined, opts.targets === 'set');
  const beta = opts.beta ?? 0.3;
  const data: EgsDemonstrations = { ...demos, steps: [...demos.steps], returns: [...demos.returns] };
  for (let round = 1; round <= (opts.rounds ?? 2); round++) {
    const t0 = performance.now();
    const cores = labelPolicyStates(policy.inferenceNet(), env, opts.dags, () => teacher, data, {
      beta,
      stepsPerNode: opts.stepsPerNode ?? 3,
      rng: opts.rng,
    });
    const nll = await cloneEgsExpert(policy, layout, data, {
      epochs: opts.epochs ?? 2,
      batch: opts.batch ?? 32,
      learningRate: opts.learningRate ?? 5e-4,
      rng: opts.rng,
      ...(opts.targets && { targets: opts.targets }),
    });
    opts.onRound?.(round, {
      policyCores: cores,
      states: data.steps.length,
      nll,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return data;
}

/** Options of {@link labelPolicyStates}. */
export interface LabelPolicyStatesOptions {
  /** Probability of executing the teacher's action instead of the policy's. */
  beta: number;
  /** Episodes are cut after this many steps per node. */
  stepsPerNode: number;
  /** Draws beta. */
  rng: Rng;
}

/**
 * The DAgger relabelling: runs the policy's greedy episodes (argmax under the mask; the teacher's
 * action instead with probability `beta`) on `dags` in `env`, labels every visited state with the
 * action of `teacherFor(dag, k)` (reset before each episode) and the set it accepts, and appends the labelled states with
 * their returns-to-go to `data`. Returns the mean cores of the episodes run.
 */
export function labelPolicyStates(
  net: GraphNetF32,
  env: EgsEnv,
  dags: readonly Dag[],
  teacherFor: (dag: Dag, k: number) => ReplanningTeacher,
  data: EgsDemonstrations,
  opts: LabelPolicyStatesOptions,
): number {
  const N = env.maxNodes;
  const logits = new Float32Array(N * N);
  const allowed: number[] = [];
  let cores = 0;
  for (const [k, dag] of dags.entries()) {
    const teacher = teacherFor(dag, k);
    teacher.reset();
    const r = env.reset({ options: { dag } });
    if (r.info.terminal) {
      cores += r.info.cores ?? 0;
      continue;
    }
    const steps: EgsDemonstrationStep[] = [];
    const limit = opts.stepsPerNode * dag.n;
    let obs = r.obs as GraphObservation;
    for (let t = 0; ; t++) {
      const mask = env.actionMasks();
      const { action: label, targets } = teacher.label(env);
      allowed.length = 0;
      for (let a = 0; a < N * N; a++) if (mask[a]) allowed.push(a);
      net.encode({ numNodes: obs.numNodes, nodeFeatures: obs.nodeFeatures, relations: obs.relations });
      net.pairLogits(obs.numNodes, logits, N, 0);
      const act = opts.rng.random() < opts.beta ? label : argmaxAmong(logits, allowed);
      const s = env.step(act);
      steps.push({ obs, mask, action: label, reward: s.reward, ...(targets && { targets }) });
      obs = s.obs as GraphObservation;
      if (egsEpisodeEnded(s.info)) {
        cores += s.info.cores;
        break;
      }
      if (t + 1 >= limit) {
        cores += env.currentResult().cores;
        break;
      }
    }
    // Returns-to-go along the trajectory actually run.
    let ret = steps.reduce((x, s) => x + s.reward, 0);
    for (const s of steps) {
      data.steps.push(s);
      data.returns.push(ret);
      ret -= s.reward;
    }
  }
  return cores / Math.max(1, dags.length);
}
