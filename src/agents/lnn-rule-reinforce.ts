/**
 * REINFORCE for LNN rule policies on HSoC power sharing (Monte Carlo policy gradient, Williams
 * 1992; centralised training, decentralised execution): the whole algorithm is
 * {@link trainLnnRulePolicy}, one loop to read top to bottom. The policy it trains, the rules'
 * predicates and the bin → rule mapping are HSoC-specific and live with the env
 * (`src/envs/hsoc/policies/lnn-rule-policy.ts`); the rule layer and its α-constraint loss are
 * `src/logic/lnn-rule-layer.ts` and `src/logic/lnn-losses.ts`; choosing among restarts is
 * `select-lnn-rule-policy.ts` beside this file.
 *
 * Per episode (load drawn from `loads`, seed `seedBase + episode`):
 *
 *   1. roll out: every pending agent samples a bin from `softmax(τ · score)` over its allowed
 *      bins, `score` being the truth of the bin's rule (`softmax` below, then inverse-CDF sampling);
 *   2. returns: each decision is credited with the return of the DAG job its task belongs to,
 *      `G = −(completion − arrival) / L` (idle agents: the mean over the episode's jobs), minus
 *      `0.5 · request / 100` for a PE that runs no task (the tokens it asks for are wasted power);
 *   3. baseline: the return of the same job in the same episode (same seed) under the uniform
 *      control, so the advantage `G − b` says how much better than the control the sampled
 *      actions did;
 *   4. gradient of `Σ (G − b) log π(a)` / decisions, through the rule layer (straight-through
 *      clamp): `∂ log π(a) / ∂ score_b = τ (1[b = a] − π_b)` for every allowed bin b;
 *   5. update: Adam ascends it; an L1 penalty pushes unused literal weights to 0, the LNN
 *      α-constraint loss (α = 0.75) keeps each rule logical, and the layer is projected onto
 *      w ≥ 0, β ≥ 0.
 */
import { Rng } from '../core/rng.js';
import { mean } from '../core/statistics.js';
import { LnnRuleLayer } from '../logic/lnn-rule-layer.js';
import { logicalConstraintLoss } from '../logic/lnn-losses.js';
import { TOKEN_BINS, slackOf } from '../envs/hsoc/hsoc-agent-view.js';
import { HsocEnv, type HsocEnvOptions } from '../envs/hsoc/hsoc-env.js';
import { HSOC_LOADS, type HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import { runHsocEpisode, type HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import {
  HSOC_HEADS,
  HSOC_PREDICATES,
  LnnRulePolicy,
  fairShareOf,
  headOfBin,
  predicateTruths,
  setBinPredicates,
} from '../envs/hsoc/policies/lnn-rule-policy.js';
import { UniformPolicy } from '../envs/hsoc/policies/uniform-policy.js';

/** Settings of {@link trainLnnRulePolicy}. */
export interface TrainLnnRulePolicyOptions {
  /** Training episodes. Default 300. */
  episodes?: number;
  /** Seed of the initial weights, the sampling and the episode seeds. Default 1. */
  seed?: number;
  /** Adam step size. Default 0.05. */
  learningRate?: number;
  /** L1 penalty on the literal weights. Default 0.01. */
  sparsity?: number;
  /** Weight of the LNN α-constraint loss (α = 0.75) that keeps rules logical. Default 0.1. */
  constraintWeight?: number;
  /** Environment options (default: the 5-task DAG, 4 jobs); the load is drawn per episode. */
  env?: HsocEnvOptions;
  /** Loads to draw from. Default all three. */
  loads?: readonly HsocLoad[];
  /** First episode seed (training seeds are `seedBase + episode`). Default 100 000. */
  seedBase?: number;
  /**
   * Called after each episode (and its update) with the mean normalized completion time of its
   * jobs and the training so far: the policy as updated, and the env steps (agent decisions) spent.
   */
  onEpisode?: (episode: number, meanNormalizedCompletion: number, progress: LnnTrainingProgress) => void;
}

/** Training so far, as {@link TrainLnnRulePolicyOptions.onEpisode} sees it after an episode. */
export interface LnnTrainingProgress {
  /** The policy being trained, after this episode's update (evaluate it, do not keep it). */
  policy: LnnRulePolicy;
  /** Agent decisions sampled by the policy so far. */
  decisions: number;
  /** Agent decisions of the paired uniform-control baseline episodes so far (env steps too). */
  baselineDecisions: number;
}

/** What {@link trainLnnRulePolicy} returns. */
export interface TrainLnnRulePolicyResult {
  /** The trained policy. */
  policy: LnnRulePolicy;
  /** Mean normalized completion time (completion / L) of each episode's jobs. */
  curve: number[];
  /** Decisions sampled in total. */
  decisions: number;
  /** Agent decisions of the paired uniform-control baseline episodes in total. */
  baselineDecisions: number;
}

/** Return charged per full envelope requested by a PE that runs no task (wasted power). */
const WASTE_PENALTY = 0.5;

interface Decision {
  truths: Float64Array; // predicate truths, Slack slot unused
  slack: Float64Array; // Slack per bin
  fair: Float64Array; // FairShare per bin
  mask: Uint8Array;
  action: number;
  job: number; // −1 for idle agents
}

/** Trains an LNN rule policy with REINFORCE; deterministic for a given seed. */
export function trainLnnRulePolicy(options: TrainLnnRulePolicyOptions = {}): TrainLnnRulePolicyResult {
  const episodes = options.episodes ?? 300;
  const seed = options.seed ?? 1;
  const lr = options.learningRate ?? 0.05;
  const sparsity = options.sparsity ?? 0.01;
  const constraintWeight = options.constraintWeight ?? 0.1;
  const loads = options.loads ?? HSOC_LOADS;
  const seedBase = options.seedBase ?? 100_000;
  const rng = new Rng(seed);
  const policy = new LnnRulePolicy(
    new LnnRuleLayer({
      predicates: HSOC_PREDICATES,
      heads: HSOC_HEADS,
      seed,
      initBeta: 0.6, // unsaturated heads: every bin starts with a gradient
      initWeights: [0.05, 0.3],
    }),
  );
  const layer = policy.layer;
  const P = layer.paramCount;
  const grad = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const probs = new Float64Array(TOKEN_BINS);
  const dOut = new Float64Array(layer.heads.length);
  const heads = new Float64Array(layer.heads.length);
  const withSlack = new Float64Array(HSOC_PREDICATES.length);
  const envs = new Map<HsocLoad, HsocEnv>();
  const curve: number[] = [];
  const control = new UniformPolicy();
  let total = 0;
  let baselineTotal = 0;
  // The baseline episodes are env interactions too: count their decisions for sample efficiency.
  const uniform: HsocPolicy = {
    name: control.name,
    act: (e, agent) => {
      baselineTotal++;
      return control.act(e, agent);
    },
  };

  const softmax = (d: Decision): void => {
    let max = -Infinity;
    for (let a = 0; a < TOKEN_BINS; a++) {
      withSlack.set(d.truths);
      setBinPredicates(withSlack, a, d.slack[a]!, d.fair[a]!);
      layer.forward(withSlack, heads);
      probs[a] = d.mask[a] ? policy.tau * heads[headOfBin(a)]! : -Infinity;
      if (probs[a]! > max) max = probs[a]!;
    }
    let z = 0;
    for (let a = 0; a < TOKEN_BINS; a++) {
      probs[a] = d.mask[a] ? Math.exp(probs[a]! - max) : 0;
      z += probs[a]!;
    }
    for (let a = 0; a < TOKEN_BINS; a++) probs[a] = probs[a]! / z;
  };

  for (let ep = 0; ep < episodes; ep++) {
    const load = loads[rng.int(loads.length)]!;
    let env = envs.get(load);
    if (env === undefined) {
      env = new HsocEnv({ workload: '5-task', jobs: 4, ...options.env, load });
      envs.set(load, env);
    }
    // 1. Roll out one episode, sampling every pending agent's bin from the softmax.
    const decisions: Decision[] = [];
    const r = env.reset({ seed: seedBase + ep });
    let pending = r.pendingAgents;
    let infos = r.infos;
    const actions: Record<string, number> = {};
    while (pending.length > 0) {
      for (const k of Object.keys(actions)) delete actions[k];
      for (const name of pending) {
        const view = env.view(name);
        const d: Decision = {
          truths: new Float64Array(HSOC_PREDICATES.length),
          slack: new Float64Array(TOKEN_BINS),
          fair: new Float64Array(TOKEN_BINS),
          mask: infos[name]!.actionMask!,
          action: 0,
          job: view.job,
        };
        predicateTruths(view, d.truths);
        if (view.parentTasksCompleted)
          for (let a = 0; a < TOKEN_BINS; a++) {
            d.slack[a] = slackOf(a, view.idealShare);
            d.fair[a] = fairShareOf(a, view);
          }
        softmax(d);
        let u = rng.random();
        let a = 0;
        for (; a < TOKEN_BINS - 1; a++) {
          u -= probs[a]!;
          if (u < 0 && d.mask[a]) break;
        }
        while (!d.mask[a]) a--;
        d.action = a;
        actions[name] = a;
        decisions.push(d);
      }
      const s = env.step(actions);
      pending = s.pendingAgents;
      infos = s.infos;
    }
    // 2. Returns per job: −normalized completion; idle decisions get the episode mean.
    const jobs = env.sim.jobs;
    const ret = jobs.map((j) => -(j.completedAt - j.arrival) / j.criticalPath);
    const episodeMean = mean(ret);
    curve.push(-episodeMean);
    // 3. Paired baseline: the same episode (same seed) under uniform sharing, job by job.
    runHsocEpisode(env, uniform, seedBase + ep);
    const base = env.sim.jobs.map((j) => -(j.completedAt - j.arrival) / j.criticalPath);
    const baseMean = mean(base);
    // 4. Policy gradient of Σ (G − b) log π(a), averaged over the episode's decisions.
    grad.fill(0);
    for (const d of decisions) {
      // A PE that runs nothing wastes what it asks for: its decision is also charged the request.
      const idle = d.truths[1] === 0;
      const G =
        (d.job >= 0 ? ret[d.job]! : episodeMean) - (idle ? (WASTE_PENALTY * d.action) / (TOKEN_BINS - 1) : 0);
      const adv = G - (d.job >= 0 ? base[d.job]! : baseMean);
      if (adv === 0) continue;
      softmax(d);
      // ∂ log π(a) / ∂ score_b = τ (1[b = a] − π_b), for every allowed bin b.
      for (let b = 0; b < TOKEN_BINS; b++) {
        if (!d.mask[b]) continue;
        dOut.fill(0);
        dOut[headOfBin(b)] = (adv * policy.tau * ((b === d.action ? 1 : 0) - probs[b]!)) / decisions.length;
        withSlack.set(d.truths);
        setBinPredicates(withSlack, b, d.slack[b]!, d.fair[b]!);
        layer.backward(withSlack, dOut, grad);
      }
    }
    total += decisions.length;
    // 5. Adam ascent on the objective, descent on the L1 and α-constraint penalties, projection.
    const penalty = new Float64Array(P);
    if (constraintWeight > 0) logicalConstraintLoss(layer, 0.75, penalty);
    const t = ep + 1;
    for (let k = 0; k < P; k++) {
      const isWeight = k % layer.stride !== 0;
      const g = -grad[k]! + (isWeight ? sparsity : 0) + constraintWeight * penalty[k]!;
      m[k] = 0.9 * m[k]! + 0.1 * g;
      v[k] = 0.999 * v[k]! + 0.001 * g * g;
      layer.params[k] =
        layer.params[k]! - (lr * (m[k]! / (1 - 0.9 ** t))) / (Math.sqrt(v[k]! / (1 - 0.999 ** t)) + 1e-8);
    }
    layer.project();
    options.onEpisode?.(ep, -episodeMean, { policy, decisions: total, baselineDecisions: baselineTotal });
  }
  return { policy, curve, decisions: total, baselineDecisions: baselineTotal };
}
