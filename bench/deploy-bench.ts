/**
 * `runDeployBench()`: single-decision latency of the exported policy runtime against a TF.js
 * `predict`-style forward (`tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync()`) on
 * the same network, measured in one run on the same observations, plus the bytes of each export
 * format → bench/results/deploy.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
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
  /** Bytes of the JSON, binary, int8-binary and C-source exports. */
  bytes: { json: number; bin: number; int8: number; c: number };
  /** Bytes the float runtime holds (weights, biases, scratch buffers). */
  runtimeBytes: number;
}

/** Options of {@link runDeployBench}. */
export interface DeployBenchOptions {
  /** Decisions per timing repeat. Default 2000. */
  decisions?: number;
  /** Timing repeats (the median is reported). Default 7. */
  repeats?: number;
  /** Where to write the Markdown report; `null` writes nothing. Default `bench/results/deploy.md`. */
  out?: string | null;
}

function usPerDecision(
  fn: (obs: Float32Array) => number,
  states: Float32Array[],
  n: number,
  repeats: number,
): number {
  let sink = 0;
  for (let i = 0; i < Math.min(n, 200); i++) sink += fn(states[i % states.length]!); // warm-up (JIT)
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += fn(states[i % states.length]!);
    times.push(((performance.now() - t0) * 1000) / n);
  }
  if (sink === -1) console.log(sink); // keeps the calls from being optimized away
  return median(times);
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
  const runtimeFloatUs = usPerDecision((s) => rt.act(s), states, o.decisions, o.repeats);
  const runtimeInt8Us = usPerDecision((s) => rtQ.act(s), states, o.decisions, o.repeats);
  const tfjsUs = usPerDecision(tfAct, states, Math.max(200, o.decisions >> 2), o.repeats);
  const params = artifactParamCount(art);
  const maxWidth = Math.max(d, ...art.layers.map((l) => l.outputDim));
  return {
    policy: `${label} ${[d, ...art.layers.map((l) => l.outputDim)].join('→')}`,
    params,
    runtimeFloatUs,
    runtimeInt8Us,
    tfjsUs,
    speedup: tfjsUs / runtimeFloatUs,
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
    repeats: options.repeats ?? 7,
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
      `Latency: median over ${o.repeats} repeats of ${o.decisions} decisions (one observation each, argmax),`,
      'same network and observations for both; TF.js = `tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync()`.',
      '',
      formatMarkdownTable(
        [
          'policy',
          'params',
          'runtime µs',
          'int8 runtime µs',
          'TF.js µs',
          'speed-up ×',
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
          r.runtimeBytes,
          r.bytes.json,
          r.bytes.bin,
          r.bytes.int8,
          r.bytes.c,
        ]),
      ),
      '',
    ].join('\n');
    await mkdir('bench/results', { recursive: true });
    await writeFile(o.out, md);
  }
  return rows;
}
