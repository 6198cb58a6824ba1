/**
 * `runDeployBench()`: single-decision latency of the exported policy runtime against a TF.js
 * `predict`-style forward (`tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync()`) on
 * the same network, measured in one run on the same observations, plus the bytes of each export
 * format → bench/results/deploy.md.
 */
import { cpus, loadavg } from 'node:os';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { DQN } from '../src/agents/dqn.js';
import { PPO } from '../src/agents/ppo.js';
import { makeEnv } from '../src/core/make-env.js';
import { Rng } from '../src/core/rng.js';
import { generatePolicyC } from '../src/deploy/c-codegen.js';
import { extractPolicyArtifact } from '../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../src/deploy/inference-runtime.js';
import {
  artifactParamCount,
  encodePolicyArtifact,
  policyArtifactToJson,
  type FloatPolicyArtifact,
} from '../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../src/deploy/quantize-int8.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import type { ActorCriticPolicy } from '../src/nn/actor-critic-policy.js';
import type { Mlp } from '../src/nn/mlp.js';
import { initTf, tf, tfBackendName } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine, median } from './machine.js';

/** One measured policy. */
export interface DeployBenchRow {
  /** Policy label, e.g. `PPO actor 4→64→64→2`. */
  policy: string;
  /** Scalar parameters of the decision network. */
  params: number;
  /** Median µs per decision, exported float runtime (`act`). */
  runtimeFloatUs: number;
  /** Median µs per decision, exported int8 runtime (`act`). */
  runtimeInt8Us: number;
  /** Median µs per decision, TF.js single forward + argmax. */
  tfjsUs: number;
  /** tfjsUs / runtimeFloatUs (how many times faster the runtime is). */
  speedup: number;
  /** Fastest repeat, µs per decision, exported float runtime (robust to a loaded machine). */
  runtimeFloatMinUs: number;
  /** Fastest repeat, µs per decision, TF.js. */
  tfjsMinUs: number;
  /** tfjsMinUs / runtimeFloatMinUs. */
  speedupMin: number;
  /** Bytes of the JSON, binary, int8-binary and C-source exports. */
  bytes: { json: number; bin: number; int8: number; c: number };
  /** Bytes the float runtime holds (weights, biases, scratch buffers). */
  runtimeBytes: number;
}

/** Options of {@link runDeployBench}. */
export interface DeployBenchOptions {
  /** Decisions per timing repeat. Default 2000. */
  decisions?: number;
  /** Timing rounds (median and minimum are reported). Default 15. */
  repeats?: number;
  /** Where to write the Markdown report; `null` writes nothing. Default `bench/results/deploy.md`. */
  out?: string | null;
}

/**
 * µs per decision of each function, timed in interleaved rounds (one repeat of each per round,
 * so a load spike on a shared machine hits every contender alike): per function the median and
 * the minimum over `repeats` rounds of `n[k]` decisions each.
 */
function usPerDecision(
  fns: readonly ((obs: Float32Array) => number)[],
  states: Float32Array[],
  n: readonly number[],
  repeats: number,
): { median: number; min: number }[] {
  let sink = 0;
  for (const fn of fns) for (let i = 0; i < 200; i++) sink += fn(states[i % states.length]!); // warm-up (JIT)
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < repeats; r++)
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < n[k]!; i++) sink += fn(states[i % states.length]!);
      times[k]!.push(((performance.now() - t0) * 1000) / n[k]!);
    });
  if (sink === -1) console.log(sink); // keeps the calls from being optimized away
  return times.map((t) => ({ median: median(t), min: Math.min(...t) }));
}

function measure(
  label: string,
  mlp: Mlp,
  art: FloatPolicyArtifact,
  o: Required<DeployBenchOptions>,
): DeployBenchRow {
  const d = art.inputDim;
  const rng = new Rng(4);
  const states = Array.from({ length: 256 }, () => Float32Array.from({ length: d }, () => rng.normal()));
  // The network alone on both sides (normalization is a handful of flops and not in TF's path).
  const plain: FloatPolicyArtifact = { ...art };
  delete plain.normalization;
  const rt = createPolicyRuntime(plain);
  const rtQ = createPolicyRuntime(quantizeInt8(plain));
  const tfAct = (obs: Float32Array): number => {
    const y = tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync();
    let best = 0;
    for (let a = 1; a < y.length; a++) if (y[a]! > y[best]!) best = a;
    return best;
  };
  const [float, int8, tfjs] = usPerDecision(
    [(s) => rt.act(s), (s) => rtQ.act(s), tfAct],
    states,
    [o.decisions, o.decisions, Math.max(200, o.decisions >> 2)],
    o.repeats,
  );
  const runtimeFloatUs = float!.median;
  const runtimeInt8Us = int8!.median;
  const tfjsUs = tfjs!.median;
  const params = artifactParamCount(art);
  const maxWidth = Math.max(d, ...art.layers.map((l) => l.outputDim));
  return {
    policy: `${label} ${[d, ...art.layers.map((l) => l.outputDim)].join('→')}`,
    params,
    runtimeFloatUs,
    runtimeInt8Us,
    tfjsUs,
    speedup: tfjsUs / runtimeFloatUs,
    runtimeFloatMinUs: float!.min,
    tfjsMinUs: tfjs!.min,
    speedupMin: tfjs!.min / float!.min,
    bytes: {
      json: Buffer.byteLength(policyArtifactToJson(art)),
      bin: encodePolicyArtifact(art).length,
      int8: encodePolicyArtifact(quantizeInt8(art)).length,
      c: Buffer.byteLength(generatePolicyC(art).source) + Buffer.byteLength(generatePolicyC(art).header),
    },
    runtimeBytes: 4 * (params + 2 * maxWidth + d + art.outputDim),
  };
}

/** Runs the benchmark (see module doc) and returns its rows. */
export async function runDeployBench(options: DeployBenchOptions = {}): Promise<DeployBenchRow[]> {
  const o: Required<DeployBenchOptions> = {
    decisions: options.decisions ?? 2000,
    repeats: options.repeats ?? 15,
    out: options.out === undefined ? 'bench/results/deploy.md' : options.out,
  };
  await initTf();
  registerBuiltinEnvs();
  const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');
  const rows: DeployBenchRow[] = [];
  for (const hidden of [
    [64, 64],
    [256, 256],
  ]) {
    const ppo = new PPO(cartPole, { seed: 1, numEnvs: 1, policy: { hiddenSizes: hidden } });
    await ppo.learn({ totalTimesteps: 256 }); // a few updates, so weights are not the initial ones
    const actor = (ppo.policy as ActorCriticPolicy).actor;
    rows.push(measure('PPO actor (tanh)', actor, extractPolicyArtifact(ppo), o));
  }
  const dqn = new DQN(cartPole(), { seed: 1, hiddenSizes: [64, 64], learningStarts: 100, bufferSize: 1000 });
  await dqn.learn({ totalTimesteps: 300 });
  rows.push(measure('DQN Q-net (relu)', dqn.qNet, extractPolicyArtifact(dqn), o));

  if (o.out !== null) {
    const md = [
      '# Deployment runtime: single-decision latency and size',
      '',
      `Machine: ${describeMachine()}; TF.js backend: ${tfBackendName() ?? 'unknown'}.`,
      `Latency: ${o.repeats} interleaved rounds, each timing ${o.decisions} decisions of every runtime (TF.js: ${Math.max(200, o.decisions >> 2)}),`,
      'one observation each, argmax; same network and observations for all; TF.js = `tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync()`.',
      `Median and fastest round per runtime: on a loaded machine (1-min load average here: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores) the medians absorb other processes' time, the minima much less.`,
      '',
      formatMarkdownTable(
        [
          'policy',
          'params',
          'runtime µs',
          'int8 runtime µs',
          'TF.js µs',
          'speed-up ×',
          'runtime min µs',
          'TF.js min µs',
          'speed-up × (min)',
          'runtime bytes',
          'JSON B',
          'bin B',
          'int8 B',
          'C B',
        ],
        rows.map((r) => [
          r.policy,
          r.params,
          r.runtimeFloatUs,
          r.runtimeInt8Us,
          r.tfjsUs,
          r.speedup,
          r.runtimeFloatMinUs,
          r.tfjsMinUs,
          r.speedupMin,
          r.runtimeBytes,
          r.bytes.json,
          r.bytes.bin,
          r.bytes.int8,
          r.bytes.c,
        ]),
      ),
      '',
    ].join('\n');
    await writeFileAtomic(o.out, md);
  }
  return rows;
}
