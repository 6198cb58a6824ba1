/**
 * Trains the EGS graph policy (SPEC §4) with PPO on a size curriculum and tracks it against the
 * heuristics on a fixed held-out set (not run in CI).
 *
 * Run: `npx tsx bench/egs-train.ts [--steps 600000] [--seed 1] [--out runs/egs-train]
 * [--eval-every 20000] [--eval-count 16] [--lr 1e-3] [--ent-coef 0.01] [--nodes-start 10,20]
 * [--hidden-dim 32 --layers 2] [--init policy.json]
 * [--bc-dags 0 --bc-tries 4 --bc-epochs 8 --bc-batch 32 --bc-lr 1e-3]`. With `--bc-dags N` the run
 * starts with behaviour cloning of the expert (`egs-expert.ts`: best of `--bc-tries` randomized
 * egs-greedy passes on N sampled 10–50-node DAGs), evaluated after each epoch (`bc.jsonl`,
 * `policy-bc.json`), then PPO fine-tunes. Or `--eval-only runs/egs-train/policy-best.json` to evaluate
 * saved weights (greedy, network refreshed every 1/2/4/8 steps) with inference timings. Writes `metrics.jsonl`, `eval.jsonl`, and the policy
 * weights `policy-latest.json` / `policy-best.json` (best = lowest held-out mean cores) into
 * `--out`; prints one line per update chunk and per evaluation.
 *
 * - Curriculum: the node range of the training sampler grows linearly from [10, 20] to [20, 50]
 *   over the first 70% of the steps; slack factor in [0, 0.4] throughout.
 * - Held-out set: three size bands (10–20, 21–35, 36–50 nodes), slack in [0, 0.3], drawn from a
 *   sampler seed never used in training; baselines: egs-greedy, listsched, graham, he2019,
 *   zhao2020, he2021 (an infeasible bound-based result counts as n cores).
 * - Evaluation: one greedy (argmax) episode per DAG on the Float32 path; every timetable is
 *   checked with `checkSchedule`.
 */
import { pathToFileURL } from 'node:url';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { PPO, type PpoConfig } from '../src/agents/ppo.js';
import type { TrainingSession } from '../src/agents/base-algorithm.js';
import { Rng } from '../src/core/rng.js';
import { PadGraphObservation, type PaddedGraphLayout } from '../src/core/wrappers/pad-graph-observation.js';
import { cloneEgsExpert, collectEgsDemonstrations } from '../src/experiments/egs-imitation.js';
import { EGS_PPO } from '../src/experiments/egs-ppo-settings.js';
import type { Dag } from '../src/dag/dag-task.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import { scheduleDag, type ScheduleMethod } from '../src/dag/schedule/schedule-dag.js';
import { DagSampler, curriculumNodeRange } from '../src/envs/egs/dag-sampler.js';
import { EgsEnv, egsEpisodeEnded } from '../src/envs/egs/egs-env.js';
import type { GraphNetF32 } from '../src/nn/graph-net-f32.js';
import { GraphPolicy, type GraphPolicyConfig } from '../src/nn/graph-policy.js';
import { maskedArgmax } from '../src/nn/masked-categorical.js';
import { initTf } from '../src/nn/tf-backend.js';
import { describeMachine } from './machine.js';

const MAX_NODES = 50;
const BASELINES: ScheduleMethod[] = ['egs-greedy', 'listsched', 'graham', 'he2019', 'zhao2020', 'he2021'];
const BANDS: [number, number][] = [
  [10, 20],
  [21, 35],
  [36, 50],
];
const HELDOUT_SEED = 0x5eed_e65;

/** PPO settings of the run (one source with the ablation's PPO from scratch). */
export { EGS_PPO };

/** Graph policy architecture of the run (`--hidden-dim`, `--layers` override it). */
export const EGS_POLICY: GraphPolicyConfig = { hiddenDim: 32, numHeads: 4, numLayers: 2 };

function policyConfig(): GraphPolicyConfig {
  return {
    ...EGS_POLICY,
    hiddenDim: Number(arg('hidden-dim', String(EGS_POLICY.hiddenDim))),
    numLayers: Number(arg('layers', String(EGS_POLICY.numLayers))),
  };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

/** PPO that also measures the wall time of its rollouts (env steps + Float32 policy). */
class TimedPPO extends PPO {
  rolloutMs = 0;
  protected override async collectRollout(session: TrainingSession): Promise<boolean> {
    const t = performance.now();
    const r = await super.collectRollout(session);
    this.rolloutMs += performance.now() - t;
    return r;
  }
}

interface HeldOut {
  band: [number, number];
  dags: Dag[];
  baseline: Record<string, number[]>;
}

async function buildHeldOut(count: number): Promise<HeldOut[]> {
  const rng = new Rng(HELDOUT_SEED);
  const out: HeldOut[] = [];
  for (const band of BANDS) {
    const sampler = new DagSampler({ nodes: band, slack: [0, 0.3] });
    const dags = Array.from({ length: count }, () => sampler.sample(rng));
    const baseline: Record<string, number[]> = {};
    for (const m of BASELINES) {
      baseline[m] = [];
      for (const dag of dags) {
        const r = await scheduleDag(dag, m);
        baseline[m]!.push(r.feasible ? r.cores : dag.n);
      }
    }
    out.push({ band, dags, baseline });
  }
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * One greedy episode on `dag` with the Float32 network on the raw graph observation (no padding,
 * no TF). With `refresh` R > 1 the network runs only every R steps (and after every width drop);
 * in between, the argmax of the last logits under the current mask is taken (an approximation).
 */
function greedyEpisode(
  net: GraphNetF32,
  env: EgsEnv,
  dag: Dag,
  logits: Float32Array,
  refresh = 1,
): { cores: number; steps: number; ms: number; policyMs: number; forwards: number; ok: boolean } {
  const t0 = performance.now();
  const N = env.maxNodes;
  let policyMs = 0;
  let forwards = 0;
  let r = env.reset({ options: { dag } });
  let info = r.info;
  let steps = 0;
  let since = refresh;
  if (!info.terminal) {
    for (;;) {
      const tp = performance.now();
      if (since >= refresh) {
        const g = r.obs;
        net.encode({
          numNodes: g.numNodes,
          nodeFeatures: g.nodeFeatures,
          relations: g.relations,
          relStride: g.numNodes,
        });
        net.pairLogits(g.numNodes, logits, N, 0);
        forwards++;
        since = 0;
      }
      const a = maskedArgmax(logits, 0, N * N, env.actionMasks(), 0);
      policyMs += performance.now() - tp;
      const s = env.step(a);
      steps++;
      since = s.reward > 0 ? refresh : since + 1;
      r = { obs: s.obs, info: s.info };
      if (s.terminated || s.truncated) {
        info = s.info;
        break;
      }
    }
  }
  const ms = performance.now() - t0;
  if (!egsEpisodeEnded(info))
    throw new Error(`egs-train: the episode on '${dag.name}' ended without its result`);
  const ok = checkSchedule(dag, info.schedule).ok;
  return { cores: info.cores, steps, ms, policyMs, forwards, ok };
}

function evaluate(policy: GraphPolicy, heldOut: HeldOut[], refresh = 1): Record<string, number> {
  const env = new EgsEnv({ maxNodes: MAX_NODES });
  const net = policy.inferenceNet();
  const logits = new Float32Array(MAX_NODES * MAX_NODES);
  const res: Record<string, number> = {};
  let all: number[] = [];
  let invalid = 0;
  for (const h of heldOut) {
    const cores: number[] = [];
    const times: number[] = [];
    for (const dag of h.dags) {
      const e = greedyEpisode(net, env, dag, logits, refresh);
      cores.push(e.cores);
      times.push(e.ms);
      if (!e.ok) invalid++;
    }
    const key = `${h.band[0]}-${h.band[1]}`;
    res[`egs/${key}`] = mean(cores);
    res[`ms/${key}`] = mean(times);
    all = all.concat(cores);
  }
  res['egs/all'] = mean(all);
  res.invalid = invalid;
  return res;
}

function baselineSummary(heldOut: HeldOut[]): Record<string, number> {
  const res: Record<string, number> = {};
  for (const m of BASELINES) {
    let all: number[] = [];
    for (const h of heldOut) {
      res[`${m}/${h.band[0]}-${h.band[1]}`] = mean(h.baseline[m]!);
      all = all.concat(h.baseline[m]!);
    }
    res[`${m}/all`] = mean(all);
  }
  return res;
}

/** Inference time of greedy episodes on ten 50-node DAGs (Float32 path), per DAG. */
function inferenceTiming(
  policy: GraphPolicy,
  refresh = 1,
): { msPerDag: number; policyMsPerDag: number; steps: number; forwards: number; cores: number } {
  const rng = new Rng(HELDOUT_SEED + 1);
  const sampler = new DagSampler({ nodes: [50, 50], slack: [0, 0.3] });
  const dags = Array.from({ length: 10 }, () => sampler.sample(rng));
  const env = new EgsEnv({ maxNodes: MAX_NODES });
  const net = policy.inferenceNet();
  const logits = new Float32Array(MAX_NODES * MAX_NODES);
  for (const dag of dags.slice(0, 3)) greedyEpisode(net, env, dag, logits, refresh); // JIT warm-up
  const sum = { ms: 0, policyMs: 0, steps: 0, forwards: 0, cores: 0 };
  for (const dag of dags) {
    const e = greedyEpisode(net, env, dag, logits, refresh);
    sum.ms += e.ms;
    sum.policyMs += e.policyMs;
    sum.steps += e.steps;
    sum.forwards += e.forwards;
    sum.cores += e.cores;
  }
  const k = dags.length;
  return {
    msPerDag: sum.ms / k,
    policyMsPerDag: sum.policyMs / k,
    steps: sum.steps / k,
    forwards: sum.forwards / k,
    cores: sum.cores / k,
  };
}

function formatTiming(t: ReturnType<typeof inferenceTiming>): string {
  return `${t.msPerDag.toFixed(1)} ms/DAG (network ${t.policyMsPerDag.toFixed(1)} ms, ${t.steps.toFixed(1)} steps, ${t.forwards.toFixed(1)} forward passes, mean cores ${t.cores.toFixed(2)})`;
}

/** `--eval-only FILE`: evaluates saved weights on the held-out set for refresh periods 1, 2, 4, 8. */
async function evalOnly(file: string, evalCount: number): Promise<void> {
  const saved = JSON.parse(await readFile(file, 'utf8')) as {
    weights: Record<string, number[]>;
    steps?: number;
  };
  const layout = new PadGraphObservation(new EgsEnv({ maxNodes: MAX_NODES })).layout;
  const policy = new GraphPolicy(
    layout,
    new EgsEnv({ maxNodes: MAX_NODES }).actionSpace,
    policyConfig(),
    new Rng(0),
  );
  const weights: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(saved.weights)) weights[k] = Float32Array.from(v);
  policy.setWeights(weights);
  const heldOut = await buildHeldOut(evalCount);
  const base = baselineSummary(heldOut);
  console.log(`weights ${file} (${saved.steps ?? '?'} steps)`);
  console.log(
    'baselines (mean cores):',
    BASELINES.map((m) => `${m} ${base[`${m}/all`]!.toFixed(2)}`).join(' | '),
  );
  for (const refresh of [1, 2, 4, 8]) {
    const ev = evaluate(policy, heldOut, refresh);
    console.log(
      `refresh ${refresh}: egs ${BANDS.map((b) => ev[`egs/${b[0]}-${b[1]}`]!.toFixed(2)).join('/')} all ${ev['egs/all']!.toFixed(2)} invalid ${ev.invalid}; ` +
        `50-node inference ${formatTiming(inferenceTiming(policy, refresh))}`,
    );
  }
  policy.dispose();
}

/**
 * Behaviour-cloning warm start: the expert (best of `tries` randomized egs-greedy runs) on `count`
 * sampled 10–50-node DAGs, then `epochs` passes of supervised training (actions + returns-to-go,
 * learning rate decayed linearly to 10%), with `onEpoch` after each (the held-out evaluation).
 */
async function behaviorCloningPhase(
  policy: GraphPolicy,
  layout: PaddedGraphLayout,
  opts: { count: number; tries: number; epochs: number; batch: number; lr: number; seed: number },
  onEpoch: (epoch: number, metrics: Record<string, number>) => Promise<void>,
): Promise<void> {
  const rng = new Rng(opts.seed * 7919 + 17);
  const t0 = performance.now();
  const demos = collectEgsDemonstrations({
    count: opts.count,
    tries: opts.tries,
    nodes: [10, MAX_NODES],
    rng,
    onDag: (d, total, states) => {
      if (d % 100 === 0)
        console.log(
          `expert: ${d}/${total} DAGs, ${states} states, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
    },
  });
  console.log(
    `expert demonstrations: ${demos.steps.length} states from ${opts.count} DAGs (mean cores ${demos.expertCores.toFixed(2)}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  await cloneEgsExpert(policy, layout, demos, {
    epochs: opts.epochs,
    batch: opts.batch,
    learningRate: opts.lr,
    finalLearningRateFraction: 0.1,
    rng,
    onEpoch: (epoch, m) => onEpoch(epoch, m),
  });
}

async function saveWeights(file: string, policy: GraphPolicy, extra: Record<string, unknown>): Promise<void> {
  const weights: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(policy.getWeights())) weights[k] = Array.from(v);
  await writeFileAtomic(
    file,
    JSON.stringify({
      format: 'arbiter-egs-graph-policy/1',
      dims: policy.dims,
      command: `npx tsx bench/egs-train.ts ${process.argv.slice(2).join(' ')}`,
      ...extra,
      weights,
    }),
  );
}

async function main(): Promise<void> {
  const totalSteps = Number(arg('steps', '600000'));
  const seed = Number(arg('seed', '1'));
  const outDir = arg('out', 'runs/egs-train');
  const evalEvery = Number(arg('eval-every', '20000'));
  const evalCount = Number(arg('eval-count', '16'));
  const curriculumEnd = 0.7;
  const backend = await initTf();
  const only = arg('eval-only', '');
  if (only) return evalOnly(only, evalCount);
  await mkdir(outDir, { recursive: true });
  console.log(`# EGS training — ${describeMachine()} — TF backend ${backend}`);

  const start = arg('nodes-start', '10,20').split(',').map(Number) as [number, number];
  const end: [number, number] = [20, MAX_NODES];
  const envs: EgsEnv[] = [];
  const make = (): PadGraphObservation<number> => {
    const e = new EgsEnv({ maxNodes: MAX_NODES, sampler: { nodes: start, slack: [0, 0.4] } });
    envs.push(e);
    return new PadGraphObservation(e);
  };
  const layout = new PadGraphObservation(new EgsEnv({ maxNodes: MAX_NODES })).layout;
  const ppoConfig: Partial<PpoConfig> = {
    ...EGS_PPO,
    seed,
    learningRate: Number(arg('lr', String(EGS_PPO.learningRate))),
    entCoef: Number(arg('ent-coef', String(EGS_PPO.entCoef))),
  };
  const model = new TimedPPO(make, ppoConfig, GraphPolicy.factory(layout, policyConfig()));
  const policy = model.policy as GraphPolicy;
  console.log(`policy parameters: ${policy.numParams()}`);

  const tH = performance.now();
  const heldOut = await buildHeldOut(evalCount);
  const base = baselineSummary(heldOut);
  console.log(`held-out set built in ${((performance.now() - tH) / 1000).toFixed(1)} s`);
  console.log(
    'baselines (mean cores):',
    BASELINES.map(
      (m) =>
        `${m} ${BANDS.map((b) => base[`${m}/${b[0]}-${b[1]}`]!.toFixed(2)).join('/')} all ${base[`${m}/all`]!.toFixed(2)}`,
    ).join(' | '),
  );
  await writeFileAtomic(path.join(outDir, 'baselines.json'), JSON.stringify(base, null, 1));

  const report = async (steps: number): Promise<number> => {
    const ev = evaluate(policy, heldOut);
    const line = { steps, elapsedS: (performance.now() - t0) / 1000, ...ev };
    await appendFile(path.join(outDir, 'eval.jsonl'), JSON.stringify(line) + '\n');
    console.log(
      `EVAL @${steps}: egs ${BANDS.map((b) => ev[`egs/${b[0]}-${b[1]}`]!.toFixed(2)).join('/')} all ${ev['egs/all']!.toFixed(2)}` +
        ` (egs-greedy ${base['egs-greedy/all']!.toFixed(2)}, listsched ${base['listsched/all']!.toFixed(2)})` +
        ` invalid ${ev.invalid} ms/DAG ${BANDS.map((b) => ev[`ms/${b[0]}-${b[1]}`]!.toFixed(1)).join('/')}`,
    );
    return ev['egs/all']!;
  };

  const t0 = performance.now();
  let best = await report(0);
  await saveWeights(path.join(outDir, 'policy-best.json'), policy, { steps: 0, heldOutMeanCores: best });
  const init = arg('init', '');
  if (init) {
    // Start from saved weights (e.g. a behaviour-cloning result) instead of random ones.
    const saved = JSON.parse(await readFile(init, 'utf8')) as { weights: Record<string, number[]> };
    const weights: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(saved.weights)) weights[k] = Float32Array.from(v);
    policy.setWeights(weights);
    best = await report(0);
    await saveWeights(path.join(outDir, 'policy-best.json'), policy, {
      steps: 0,
      init,
      heldOutMeanCores: best,
    });
  }
  const bcDags = Number(arg('bc-dags', '0'));
  if (bcDags > 0) {
    await behaviorCloningPhase(
      policy,
      layout,
      {
        count: bcDags,
        tries: Number(arg('bc-tries', '4')),
        epochs: Number(arg('bc-epochs', '8')),
        batch: Number(arg('bc-batch', '32')),
        lr: Number(arg('bc-lr', '1e-3')),
        seed,
      },
      async (epoch, m) => {
        console.log(
          `BC epoch ${epoch}: nll ${m.nll!.toFixed(3)}, value loss ${m.valueLoss!.toFixed(3)}, ${m.epochS!.toFixed(0)} s`,
        );
        await appendFile(path.join(outDir, 'bc.jsonl'), JSON.stringify({ epoch, ...m }) + '\n');
        const score = await report(0);
        await saveWeights(path.join(outDir, 'policy-bc.json'), policy, {
          steps: 0,
          bcEpoch: epoch,
          heldOutMeanCores: score,
        });
        if (score < best) {
          best = score;
          await saveWeights(path.join(outDir, 'policy-best.json'), policy, {
            steps: 0,
            bcEpoch: epoch,
            heldOutMeanCores: score,
          });
        }
      },
    );
    console.log(`inference, 50-node DAG greedy episode: ${formatTiming(inferenceTiming(policy))}`);
  }
  const chunk = 4096;
  let nextEval = evalEvery;
  let trainMs = 0;
  while (model.counters.numTimesteps < totalSteps) {
    const progress = model.counters.numTimesteps / (curriculumEnd * totalSteps);
    const nodes = curriculumNodeRange(progress, start, end);
    for (const e of envs) e.sampler.configure({ nodes });
    let metrics: Record<string, number> = {};
    const rollBefore = model.rolloutMs;
    const tc = performance.now();
    await model.learn({
      totalTimesteps: chunk,
      horizon: totalSteps,
      progress: (_d, _t, m) => (metrics = { ...m }),
    });
    const chunkMs = performance.now() - tc;
    const rollMs = model.rolloutMs - rollBefore;
    trainMs += chunkMs - rollMs;
    const steps = model.counters.numTimesteps;
    const line = {
      steps,
      nodes,
      elapsedS: (performance.now() - t0) / 1000,
      rolloutStepsPerS: chunk / (rollMs / 1000),
      stepsPerS: chunk / (chunkMs / 1000),
      ...metrics,
    };
    await appendFile(path.join(outDir, 'metrics.jsonl'), JSON.stringify(line) + '\n');
    console.log(
      `${steps} steps, nodes [${nodes.join(', ')}], ${line.elapsedS.toFixed(0)} s, rollout ${line.rolloutStepsPerS.toFixed(0)} steps/s, ` +
        `overall ${line.stepsPerS.toFixed(0)} steps/s, ep_rew ${metrics['rollout/ep_rew_mean']?.toFixed(2)}, ` +
        `ep_len ${metrics['rollout/ep_len_mean']?.toFixed(1)}, entropy ${metrics['train/entropy']?.toFixed(3)}, ` +
        `v_loss ${metrics['train/value_loss']?.toFixed(3)}, ev ${metrics['train/explained_variance']?.toFixed(2)}, kl ${metrics['train/approx_kl']?.toFixed(4)}`,
    );
    if (steps >= nextEval || steps >= totalSteps) {
      nextEval += evalEvery;
      const score = await report(steps);
      await saveWeights(path.join(outDir, 'policy-latest.json'), policy, { steps, heldOutMeanCores: score });
      if (score < best) {
        best = score;
        await saveWeights(path.join(outDir, 'policy-best.json'), policy, { steps, heldOutMeanCores: score });
      }
      console.log(`inference, 50-node DAG greedy episode: ${formatTiming(inferenceTiming(policy))}`);
    }
  }
  console.log(
    `done: ${model.counters.numTimesteps} steps, train time ${(trainMs / 1000).toFixed(0)} s, best held-out mean cores ${best.toFixed(3)}`,
  );
  await model.close();
}

// Run directly (`npx tsx bench/egs-train.ts …`); importing it (the speed bench) only reads its settings.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
