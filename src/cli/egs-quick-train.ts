/**
 * A short, fully seeded EGS training run for the demo: demonstrations of the non-learned expert
 * (best of two randomized `egs-greedy` passes) on small generated DAGs, then behaviour cloning of
 * the graph policy. Minutes, not hours: it shows the pipeline end to end; the shipped pretrained
 * policy is the one trained by `bench/egs-train.ts` (documented in bench/results/egs.md).
 */
import { BehaviorCloning } from '../agents/behavior-cloning.js';
import { Rng } from '../core/rng.js';
import { padGraphInto, PadGraphObservation } from '../core/wrappers/pad-graph-observation.js';
import { EGS_MODEL_FORMAT, type EgsPolicyModel } from '../deploy/egs-policy-model.js';
import { DagSampler } from '../envs/egs/dag-sampler.js';
import { EgsEnv } from '../envs/egs/egs-env.js';
import { egsExpertEpisode, type EgsDemonstrationStep } from '../envs/egs/egs-expert.js';
import { GraphPolicy } from '../nn/graph-policy.js';
import { initTf } from '../nn/tf-backend.js';

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
  const maxNodes = Math.max(2, nodes[1]);
  const env = new EgsEnv({ maxNodes });
  const sampler = new DagSampler({ nodes, slack: [0, 0.4] });
  const demos: EgsDemonstrationStep[] = [];
  const returns: number[] = [];
  let expertCores = 0;
  const batch = 32;
  // The step count is known only after the demonstrations; estimate it for the progress bar.
  let total = count + Math.ceil((count * nodes[1]) / batch) * epochs;
  for (let d = 0; d < count; d++) {
    const run = egsExpertEpisode(env, sampler.sample(rng), rng, { tries: 2 });
    expertCores += run.cores;
    let ret = run.steps.reduce((s, x) => s + x.reward, 0);
    for (const s of run.steps) {
      demos.push(s);
      returns.push(ret);
      ret -= s.reward;
    }
    options.onProgress?.(d + 1, total, 'demonstrations');
  }
  const layout = new PadGraphObservation(env).layout;
  const policy = new GraphPolicy(layout, env.actionSpace, {}, rng.fork());
  const bc = new BehaviorCloning(policy, { learningRate: 1e-3 });
  const stepsPerEpoch = Math.max(1, Math.floor(demos.length / batch));
  total = count + stepsPerEpoch * epochs;
  const B = Math.min(batch, demos.length);
  const obs = new Float32Array(B * layout.size);
  const masks = new Uint8Array(B * maxNodes * maxNodes);
  const actions = new Int32Array(B);
  const rets = new Float32Array(B);
  const order = demos.map((_, i) => i);
  let finalNll = NaN;
  let done = count;
  for (let e = 0; e < epochs; e++) {
    rng.shuffle(order);
    let nll = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      obs.fill(0);
      for (let b = 0; b < B; b++) {
        const k = order[(s * B + b) % order.length]!;
        padGraphInto(demos[k]!.obs, layout, obs, b * layout.size);
        masks.set(demos[k]!.mask, b * maxNodes * maxNodes);
        actions[b] = demos[k]!.action;
        rets[b] = returns[k]!;
      }
      nll += bc.step(obs, B, actions, masks, rets).nll;
      options.onProgress?.(++done, total, `cloning, epoch ${e + 1}/${epochs}`);
    }
    finalNll = nll / stepsPerEpoch;
  }
  const model: EgsPolicyModel = {
    format: EGS_MODEL_FORMAT,
    dims: policy.dims,
    weights: policy.getWeights(),
    meta: {
      trainedBy: 'arbiter demo (behaviour cloning)',
      dags: count,
      epochs,
      nodes,
      seed,
      states: demos.length,
    },
  };
  bc.optimizer.dispose();
  policy.dispose();
  return { model, states: demos.length, expertCores: expertCores / count, finalNll };
}
