/**
 * The training of a shipped EGS policy alone: the `bc best teacher + dagger + ppo` chain of the
 * learning ablation ({@link runEgsLearnAblation}), with the same seeds and the same calls, at the
 * network size of {@link EgsPolicyTrainConfig.policy}. With the small size
 * ({@link EGS_SMALL_POLICY}, `models/egs-graph-policy-small.json`) it reproduces the ablation's
 * model bit for bit without training every other variant; with the large size
 * ({@link EGS_LARGE_POLICY}, `models/egs-graph-policy.json`) it is the large policy's run. The
 * chain: behaviour cloning of the best teacher per DAG
 * (`egs-greedy`, `listsched`, the list-schedule incumbent), DAgger rounds, and a PPO fine-tune on
 * the training DAGs (fast learner). Every stage is bounded by steps, epochs or rounds, never by
 * wall time, so a fixed seed gives the same weights on any machine. Checkpoints after cloning,
 * after DAgger and every `checkpointEvery` PPO steps, and the greedy mean cores on the validation
 * set along PPO (the learning curve), go to the caller's hooks; evaluating reads the weights only.
 */
import { createHash } from 'node:crypto';
import type { Callback } from '../agents/callbacks.js';
import type { PPO } from '../agents/ppo.js';
import { mean } from '../core/statistics.js';
import { Rng } from '../core/rng.js';
import { PadGraphObservation } from '../core/wrappers/pad-graph-observation.js';
import type { Dag } from '../dag/dag-task.js';
import { scheduleDag } from '../dag/schedule/schedule-dag.js';
import type { EgsPolicyModel } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import type { EgsFeatureSet } from '../envs/egs/egs-observation.js';
import { GraphPolicy, type GraphPolicyConfig } from '../nn/graph-policy.js';
import { initTf } from '../nn/tf-backend.js';
import type { EgsAblationTraining } from '../report/egs-ablation-report.js';
import { egsDagger } from './egs-dagger.js';
import { egsPolicyModelOf } from './egs-expert-iteration.js';
import { cloneEgsExpert, collectTeacherDemonstrations, sampleTrainingDags } from './egs-imitation.js';
import { EGS_FINE_TUNE_PPO, TrainingDagSampler, egsVariantName, runPpo } from './egs-learn-ablation.js';

/** The small shipped policy's network: d = 16, 4 heads, one attention layer. */
export const EGS_SMALL_POLICY: GraphPolicyConfig = { hiddenDim: 16, numHeads: 4, numLayers: 1 };

/** The large shipped policy's network: d = 32, 4 heads, two attention layers. */
export const EGS_LARGE_POLICY: GraphPolicyConfig = { hiddenDim: 32, numHeads: 4, numLayers: 2 };

/** Node range of the training and validation DAGs. */
const NODES: [number, number] = [10, 40];
/** Core range at the tight deadline of the training and validation DAGs. */
const TIGHT_CORES: [number, number] = [2, 6];

/** Settings of {@link trainEgsPolicy}; the defaults are those of the shipped small policy. */
export interface EgsPolicyTrainConfig {
  /** Training DAGs (default 160). */
  trainDags?: number;
  /** Behaviour-cloning epochs (default 8). */
  epochs?: number;
  /** DAgger rounds (default 2). */
  daggerRounds?: number;
  /** PPO fine-tune steps (default 40,000; training runs whole rollouts, so it ends at 40,448). */
  fineTuneSteps?: number;
  /** Validation DAGs of the learning curve (default 48; 0: no curve). */
  validationDags?: number;
  /** Greedy validation every this many PPO steps (default 4,096). */
  evalEvery?: number;
  /** PPO checkpoint every this many steps (default 8,192). */
  checkpointEvery?: number;
  /** Observation features (default `v2`). */
  features?: EgsFeatureSet;
  /** Graph policy (default {@link EGS_SMALL_POLICY}). */
  policy?: GraphPolicyConfig;
  /** Seed (default 1). */
  seed?: number;
  /**
   * Cloning targets of the cloning and DAgger stages (default `'action'`, the shipped chain): the
   * recorded action, or `'set'` every action the teacher accepted (see `cloneEgsExpert`).
   */
  targets?: 'action' | 'set';
  /** Progress lines. */
  onLog?: (line: string) => void;
  /** One structured record per event (stage end, epoch, round, PPO update, validation). */
  onRecord?: (record: Record<string, unknown>) => Promise<void> | void;
  /** A checkpoint: `bc`, `dagger`, `ppo-<steps>`. */
  onCheckpoint?: (name: string, model: EgsPolicyModel) => Promise<void> | void;
}

/** One point of the learning curve. */
export interface EgsCurvePoint {
  /** PPO steps done. */
  step: number;
  /** Greedy (unseeded) mean cores on the validation DAGs. */
  meanCores: number;
}

/** Result of {@link trainEgsPolicy}. */
export interface EgsPolicyTrainResult {
  /** The final model (its meta: `trainedBy`, `seed`, `steps`). */
  model: EgsPolicyModel;
  /** {@link egsWeightsHash} of the model's weights after each stage. */
  hashes: { bc: string; dagger: string; ppo: string };
  /** Validation mean cores after DAgger (step 0) and along PPO. */
  curve: EgsCurvePoint[];
  /** Listsched's mean cores on the validation DAGs (the reference line). */
  listschedCores: number;
  /** The ablation's training record of this chain. */
  training: EgsAblationTraining;
}

/** SHA-256 of the weights (names in sorted order, each name then its Float32 bytes). */
export function egsWeightsHash(weights: Record<string, Float32Array>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(weights).sort()) {
    const w = weights[name]!;
    h.update(name);
    h.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  }
  return h.digest('hex');
}

/**
 * The validation DAGs of seed `seed` (the learning curve's; sampled like the training DAGs from
 * another seed, disjoint from the benchmark's held-out sets).
 */
export function egsTrainValidationDags(seed = 1, count = 48): Dag[] {
  return sampleTrainingDags({
    count,
    nodes: NODES,
    tightCores: TIGHT_CORES,
    rng: new Rng(seed * 7919 + 104_729),
  });
}

/** Trains the chain (see the file comment). */
export async function trainEgsPolicy(config: EgsPolicyTrainConfig = {}): Promise<EgsPolicyTrainResult> {
  await initTf();
  const log = config.onLog ?? (() => {});
  const record = async (r: Record<string, unknown>): Promise<void> => void (await config.onRecord?.(r));
  const seed = config.seed ?? 1;
  const features = config.features ?? 'v2';
  const nodes = NODES;
  const policyConfig = config.policy ?? EGS_SMALL_POLICY;
  const name = egsVariantName('bc best teacher + dagger + ppo', features);
  // The seeds of runEgsLearnAblation: training DAGs, validation DAGs, cloning, init, DAgger, PPO.
  const dags = sampleTrainingDags({
    count: config.trainDags ?? 160,
    nodes,
    tightCores: TIGHT_CORES,
    rng: new Rng(seed * 7919 + 3),
  });
  const validation = egsTrainValidationDags(seed, config.validationDags ?? 48);
  const env = new EgsEnv({ maxNodes: nodes[1], features });
  const layout = new PadGraphObservation(env).layout;
  const training: EgsAblationTraining = {
    bc: {},
    dagger: [],
    ppo: { steps: 0, seconds: 0, lastReturn: NaN },
    ppoRuns: {},
  };
  const modelOf = (p: GraphPolicy, meta: Record<string, unknown>): EgsPolicyModel =>
    egsPolicyModelOf(p, features, { trainedBy: name, seed, ...meta });
  const validate = (model: EgsPolicyModel): number => {
    const s = new EgsPolicyScheduler(model);
    return mean(
      validation.map((dag: Dag) => {
        // Unseeded (the policy's own answer) under the ablation's 20 s budget per DAG.
        const r = s.greedy(dag, { heuristicSeed: false, timeBudgetS: 20 });
        return r.feasible ? r.cores : dag.n;
      }),
    );
  };

  let t0 = performance.now();
  const rng = new Rng(seed);
  const demos = await collectTeacherDemonstrations({
    dags,
    teachers: ['egs-greedy', 'listsched', 'incumbent'],
    tries: 2,
    rng,
    features,
    maxNodes: nodes[1],
    ...(config.targets === 'set' && { expertTargets: true }),
  });
  const policy = new GraphPolicy(layout, env.actionSpace, policyConfig, new Rng(seed + 1));
  try {
    const nll = await cloneEgsExpert(policy, layout, demos, {
      epochs: config.epochs ?? 8,
      batch: 32,
      learningRate: 1e-3,
      finalLearningRateFraction: 0.1,
      rng,
      ...(config.targets && { targets: config.targets }),
      onEpoch: (epoch, m) => record({ stage: 'bc', epoch, ...m }),
    });
    const bcSeconds = (performance.now() - t0) / 1000;
    training.bc[egsVariantName('bc best teacher', features)] = {
      states: demos.steps.length,
      teacherCores: demos.expertCores,
      wins: demos.wins,
      nll,
      seconds: bcSeconds,
    };
    const bc = modelOf(policy, { stage: 'bc' });
    const hashes = { bc: egsWeightsHash(bc.weights), dagger: '', ppo: '' };
    log(
      `bc: ${demos.steps.length} states, teacher mean cores ${demos.expertCores.toFixed(3)}, wins ${JSON.stringify(demos.wins)}, NLL ${nll.toFixed(4)}, ${bcSeconds.toFixed(0)} s, weights ${hashes.bc}`,
    );
    await record({
      stage: 'bc',
      states: demos.steps.length,
      teacherCores: demos.expertCores,
      wins: demos.wins,
      nll,
      seconds: bcSeconds,
      weights: hashes.bc,
    });
    await config.onCheckpoint?.('bc', bc);

    t0 = performance.now();
    await egsDagger(policy, layout, demos, {
      dags,
      rounds: config.daggerRounds ?? 2,
      rng: new Rng(seed + 2),
      features,
      ...(config.targets && { targets: config.targets }),
      onRound: (round, info) => {
        training.dagger.push({
          round,
          ...info,
          variant: egsVariantName('bc best teacher + dagger', features),
        });
        log(
          `dagger round ${round}: policy mean cores ${info.policyCores.toFixed(3)}, ${info.states} states, NLL ${info.nll.toFixed(4)}, ${info.seconds.toFixed(0)} s`,
        );
        void record({ stage: 'dagger', round, ...info });
      },
    });
    const dagger = modelOf(policy, { stage: 'dagger' });
    hashes.dagger = egsWeightsHash(dagger.weights);
    log(`dagger: ${((performance.now() - t0) / 1000).toFixed(0)} s, weights ${hashes.dagger}`);
    await record({ stage: 'dagger', seconds: (performance.now() - t0) / 1000, weights: hashes.dagger });
    await config.onCheckpoint?.('dagger', dagger);

    const ls: number[] = [];
    for (const d of validation) ls.push((await scheduleDag(d, 'listsched')).cores);
    const listschedCores = ls.length ? mean(ls) : NaN;
    const curve: EgsCurvePoint[] = [];
    const point = async (step: number, model: EgsPolicyModel): Promise<void> => {
      if (validation.length === 0) return;
      const p = { step, meanCores: validate(model) };
      curve.push(p);
      log(`validation at ${step} PPO steps: ${p.meanCores.toFixed(3)} mean cores`);
      await record({ stage: 'validation', ...p });
    };
    await point(0, dagger);

    const evalEvery = config.evalEvery ?? 4096;
    const checkpointEvery = config.checkpointEvery ?? 8192;
    let nextEval = evalEvery;
    let nextCheckpoint = checkpointEvery;
    // Reads the learner's weights (a copy) between updates; never touches its state or RNGs.
    const hook: Callback<PPO> = {
      onUpdateEnd: async (ctx) => {
        const step = ctx.numTimesteps;
        await record({ stage: 'ppo', step, ...ctx.metrics });
        if (step < nextEval && step < nextCheckpoint) return;
        const model = modelOf(ctx.algo.policy as GraphPolicy, { steps: step });
        if (step >= nextEval) {
          while (nextEval <= step) nextEval += evalEvery;
          await point(step, model);
        }
        if (step >= nextCheckpoint) {
          while (nextCheckpoint <= step) nextCheckpoint += checkpointEvery;
          await config.onCheckpoint?.(`ppo-${step}`, model);
        }
      },
    };
    const fineTune = config.fineTuneSteps ?? 40_000;
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
        sampler: new TrainingDagSampler(dags, nodes),
        weights: policy.getWeights(),
        ppo: EGS_FINE_TUNE_PPO,
      },
      [hook],
    );
    try {
      const steps = training.ppoRuns![name]!.steps;
      const model = modelOf(ft, { steps });
      hashes.ppo = egsWeightsHash(model.weights);
      if (curve.at(-1)?.step !== steps) await point(steps, model);
      log(`ppo: weights ${hashes.ppo}`);
      await record({ stage: 'ppo-end', ...training.ppoRuns![name]!, weights: hashes.ppo });
      return { model, hashes, curve, listschedCores, training };
    } finally {
      ft.dispose();
    }
  } finally {
    policy.dispose();
  }
}
