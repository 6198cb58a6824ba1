/**
 * A short, fully seeded EGS training run for the demo: demonstrations of the non-learned expert
 * (best of two randomized `egs-greedy` passes) on small generated DAGs, then behaviour cloning of
 * the graph policy. Minutes, not hours: it shows the pipeline end to end; the shipped pretrained
 * policies are trained by `npm run bench -- egs-train-small` and `egs-train-large`
 * (bench/results/egs/small-train, bench/results/egs/large-train).
 */
import { Rng } from '../core/rng.js';
import { PadGraphObservation } from '../core/wrappers/pad-graph-observation.js';
import { EGS_MODEL_FORMAT, type EgsPolicyModel } from '../deploy/egs-policy-model.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import { GraphPolicy } from '../nn/graph-policy.js';
import { initTf } from '../nn/tf-backend.js';
import { cloneEgsExpert, collectEgsDemonstrations } from './egs-imitation.js';

/** Options of {@link quickTrainEgs}. */
export interface QuickTrainEgsOptions {
  /** DAGs the expert demonstrates on (default 200). */
  dags?: number;
  /** Passes over the demonstrations (default 4). */
  epochs?: number;
  /** Node range of the training DAGs (default [10, 20]). */
  nodes?: [number, number];
  /** Seed of everything (default 1). */
  seed?: number;
  /** Progress: work done and total work (demonstration DAGs + gradient steps). */
  onProgress?: (done: number, total: number, phase: string) => void;
}

/** What {@link quickTrainEgs} returns. */
export interface QuickTrainEgsResult {
  /** The trained policy, ready for `EgsPolicyScheduler`. */
  model: EgsPolicyModel;
  /** Demonstrated states. */
  states: number;
  /** Mean cores of the expert's demonstrations. */
  expertCores: number;
  /** Mean negative log-likelihood of the expert actions in the last epoch. */
  finalNll: number;
}

/** Trains an EGS policy by behaviour cloning (see the file comment). */
export async function quickTrainEgs(options: QuickTrainEgsOptions = {}): Promise<QuickTrainEgsResult> {
  await initTf();
  const count = options.dags ?? 200;
  const epochs = options.epochs ?? 4;
  const nodes = options.nodes ?? [10, 20];
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const batch = 32;
  // Progress total: DAGs + an estimate of the gradient steps (known once the demonstrations are in).
  const estimate = count + Math.ceil((count * nodes[1]) / batch) * epochs;
  const demos = collectEgsDemonstrations({
    count,
    tries: 2,
    nodes,
    rng,
    onDag: (d) => options.onProgress?.(d, estimate, 'demonstrations'),
  });
  const layout = new PadGraphObservation(new EgsEnv({ maxNodes: Math.max(2, nodes[1]) })).layout;
  const policy = new GraphPolicy(
    layout,
    new EgsEnv({ maxNodes: layout.maxNodes }).actionSpace,
    {},
    rng.fork(),
  );
  try {
    const finalNll = await cloneEgsExpert(policy, layout, demos, {
      epochs,
      batch,
      learningRate: 1e-3,
      rng,
      onStep: (done, total, epoch) =>
        options.onProgress?.(count + done, count + total, `cloning, epoch ${epoch}/${epochs}`),
    });
    const model: EgsPolicyModel = {
      format: EGS_MODEL_FORMAT,
      dims: policy.dims,
      features: 'v1',
      weights: policy.getWeights(),
      meta: {
        trainedBy: 'arbiter demo (behaviour cloning)',
        dags: count,
        epochs,
        nodes,
        seed,
        states: demos.steps.length,
      },
    };
    return { model, states: demos.steps.length, expertCores: demos.expertCores, finalNll };
  } finally {
    policy.dispose();
  }
}
