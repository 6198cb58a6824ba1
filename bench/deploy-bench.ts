/**
 * `runDeployBench()`: single-decision latency of the exported policy runtime (its WebAssembly SIMD
 * and its JavaScript dense kernel, and the batch kernel on one row) against a TF.js
 * `predict`-style forward (`tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync()`) and
 * against the exported C compiled with `cc -O2` (where a C compiler is installed), on the same
 * network, measured in one run on the same observations; a single-decision roofline (each
 * policy's weight bytes and flops per decision on the WebAssembly kernel against one core's read
 * bandwidth for a buffer of that size and its Float32 multiply-add peak, both measured in the
 * same run, `wasm-roofs.ts`); the bytes of each export format; and batched (128 rows) dense
 * forward passes of both kernels → bench/results/deploy.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { DQN } from '../src/agents/dqn.js';
import { PPO } from '../src/agents/ppo.js';
import { makeEnv } from '../src/core/make-env.js';
import { Rng } from '../src/core/rng.js';
import { generatePolicyC } from '../src/deploy/c-codegen.js';
import { extractPolicyArtifact, mlpPolicyArtifact } from '../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../src/deploy/inference-runtime.js';
import {
  artifactParamCount,
  encodePolicyArtifact,
  policyArtifactToJson,
  type FloatPolicyArtifact,
  type PolicyArtifact,
} from '../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../src/deploy/quantize-int8.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import type { ActorCriticPolicy } from '../src/nn/actor-critic-policy.js';
import { denseForward, createDenseWorkspace } from '../src/nn/dense-forward.js';
import { WasmDenseNet, wasmSimdAvailable } from '../src/nn/dense-forward-wasm.js';
import { matVecLayerBytes, WasmMatVecNet } from '../src/nn/dense-matvec-wasm.js';
import { Mlp, type MlpConfig } from '../src/nn/mlp.js';
import { initTf, tf, tfBackendName } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine, median } from './machine.js';
import { measureMulAddPeak, measureReadBandwidth, type ReadBandwidth } from './wasm-roofs.js';

/** One measured policy. */
export interface DeployBenchRow {
  /** Policy label, e.g. `PPO actor 4→64→64→2`. */
  policy: string;
  /** Scalar parameters of the decision network. */
  params: number;
  /** Median µs per decision, exported float runtime (`act`), WebAssembly SIMD kernel. */
  runtimeWasmUs: number;
  /** Median µs per decision, exported float runtime (`act`), JavaScript kernel. */
  runtimeFloatUs: number;
  /**
   * Median µs per decision of the batch kernel on one row (`WasmDenseNet.forward` on row-major
   * weights, then argmax): what the runtime ran before its single-row kernel; undefined without SIMD.
   */
  rowMajorWasmUs?: number;
  /** Median µs per decision, exported int8 runtime (`act`). */
  runtimeInt8Us: number;
  /** Median µs per decision, TF.js single forward + argmax. */
  tfjsUs: number;
  /** tfjsUs / runtimeWasmUs (how many times faster the WebAssembly runtime is). */
  speedupWasm: number;
  /** tfjsUs / runtimeFloatUs (how many times faster the JavaScript runtime is). */
  speedup: number;
  /** Fastest repeat, µs per decision, WebAssembly runtime (robust to a loaded machine). */
  runtimeWasmMinUs: number;
  /** Fastest repeat, µs per decision, exported float runtime, JavaScript kernel. */
  runtimeFloatMinUs: number;
  /** Fastest repeat, µs per decision, TF.js. */
  tfjsMinUs: number;
  /** tfjsMinUs / runtimeWasmMinUs. */
  speedupWasmMin: number;
  /** tfjsMinUs / runtimeFloatMinUs. */
  speedupMin: number;
  /** Median and fastest µs per decision of the exported C (`cc -O2`), or undefined without a C compiler. */
  c?: { median: number; min: number };
  /** Bytes of the JSON, binary, int8-binary and C-source exports. */
  bytes: { json: number; bin: number; int8: number; c: number };
  /** Bytes the float runtime holds (weights, biases, scratch buffers). */
  runtimeBytes: number;
  /** Bytes of packed weights and biases the WebAssembly kernel reads per decision. */
  weightBytes: number;
  /** Floating-point operations per decision (2 per multiply-add of the dense layers). */
  flops: number;
}

/** Options of {@link runDeployBench}. */
export interface DeployBenchOptions {
  /**
   * Decisions per timing repeat, the same for every runtime (TF.js: a quarter, at least 200); 0
   * (default) sizes each runtime's rounds to last about {@link roundMs} instead.
   */
  decisions?: number;
  /**
   * Milliseconds per timing round of each runtime when `decisions` is 0: every contender is
   * exposed to other processes for the same time, and rounds short enough to run unpreempted on
   * a loaded machine keep the minima meaningful. Default 3.
   */
  roundMs?: number;
  /** Timing rounds (median and minimum are reported). Default 61. */
  repeats?: number;
  /** Where to write the Markdown report; `null` writes nothing. Default `bench/results/deploy.md`. */
  out?: string | null;
}

/** Decisions per round of a runtime taking `us` µs per decision: about `roundMs`, 10 to 100,000. */
function decisionsPerRound(us: number, roundMs: number): number {
  return Math.max(10, Math.min(100_000, Math.round((roundMs * 1000) / us)));
}

/**
 * µs per decision of each function, timed in interleaved rounds (one repeat of each per round,
 * so a load spike on a shared machine hits every contender alike): per function the median and
 * the minimum over `repeats` rounds of `n[k]` decisions each (`n` undefined: each function's
 * rounds sized to last about `roundMs`, from the warm-up's speed).
 */
export function usPerDecision(
  fns: readonly ((obs: Float32Array) => number)[],
  states: Float32Array[],
  nGiven: readonly number[] | undefined,
  repeats: number,
  roundMs: number,
): { median: number; min: number; decisions: number }[] {
  let sink = 0;
  const warm = fns.map((fn) => {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) sink += fn(states[i % states.length]!); // warm-up (JIT)
    return (performance.now() - t0) * 5; // µs per decision
  });
  // A second estimate after the JIT has settled; the faster of the two.
  const n =
    nGiven ??
    fns.map((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < 200; i++) sink += fn(states[i % states.length]!);
      return decisionsPerRound(Math.min(warm[k]!, (performance.now() - t0) * 5), roundMs);
    });
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < repeats; r++)
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < n[k]!; i++) sink += fn(states[i % states.length]!);
      times[k]!.push(((performance.now() - t0) * 1000) / n[k]!);
    });
  if (sink === -1) console.log(sink); // keeps the calls from being optimized away
  return times.map((t, k) => ({ median: median(t), min: Math.min(...t), decisions: n[k]! }));
}

/** Whether a C compiler answers as `cc`. */
export function hasCc(): boolean {
  return spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Median and fastest µs per decision (`policy_act`) of the generated C code compiled with
 * `cc -O2`, on the same observations, timed inside the C program (`repeats` rounds of
 * `decisions`, or with 0 of as many as last about `roundMs`, measured by the program on 200
 * decisions); undefined without a C compiler.
 */
export function cDecisionUs(
  art: PolicyArtifact,
  states: readonly Float32Array[],
  decisions: number,
  repeats: number,
  roundMs: number,
): { median: number; min: number } | undefined {
  if (!hasCc()) return undefined;
  const plain: PolicyArtifact = { ...art };
  delete plain.normalization;
  const dir = mkdtempSync(path.join(tmpdir(), 'arbiter-deploy-bench-'));
  try {
    const c = generatePolicyC(plain);
    writeFileSync(path.join(dir, c.headerFile), c.header);
    writeFileSync(path.join(dir, c.sourceFile), c.source);
    const obs = states.map((st) => `{${Array.from(st, (v) => v.toPrecision(9)).join(',')}}`).join(',\n');
    writeFileSync(
      path.join(dir, 'bench.c'),
      `#include <stdio.h>
#include <time.h>
#include "policy.h"
static const float S[${states.length}][POLICY_INPUT_DIM] = {${obs}};
static double now_us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
int main(void) {
  volatile int sink = 0; int r, i, k, n = ${decisions}; double t[${repeats}], w;
  for (i = 0; i < 200; i++) sink += policy_act(S[i % ${states.length}], 0);
  w = now_us();
  for (i = 0; i < 200; i++) sink += policy_act(S[i % ${states.length}], 0);
  w = (now_us() - w) / 200;
  if (n == 0) { n = (int)(${roundMs} * 1000.0 / w + 0.5); if (n < 10) n = 10; if (n > 100000) n = 100000; }
  for (r = 0; r < ${repeats}; r++) {
    double t0 = now_us();
    for (i = 0; i < n; i++) sink += policy_act(S[i % ${states.length}], 0);
    t[r] = (now_us() - t0) / n;
  }
  for (r = 0; r < ${repeats}; r++) for (k = r + 1; k < ${repeats}; k++) if (t[k] < t[r]) { double u = t[k]; t[k] = t[r]; t[r] = u; }
  printf("%.6f %.6f\\n", ${repeats} % 2 ? t[${repeats} / 2] : (t[${repeats} / 2 - 1] + t[${repeats} / 2]) / 2, t[0]);
  return 0;
}
`,
    );
    const exe = path.join(dir, 'bench');
    execFileSync('cc', ['-O2', '-o', exe, path.join(dir, 'bench.c'), path.join(dir, c.sourceFile), '-lm']);
    const [med, min] = execFileSync(exe).toString().trim().split(' ').map(Number);
    return { median: med!, min: min! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One batched measurement: µs per forward pass of `batch` rows, both dense kernels. */
export interface DenseBatchRow {
  /** Network label, e.g. `256→256→256→16 (tanh)`. */
  network: string;
  /** Rows per forward pass. */
  batch: number;
  /** Median µs per pass, `denseForward` (JavaScript). */
  jsUs: number;
  /** Median µs per pass, `WasmDenseNet.forward` (WebAssembly SIMD). */
  wasmUs: number;
  /** jsUs / wasmUs. */
  speedup: number;
}

/** `denseForward` against `WasmDenseNet.forward` on `batch` rows through `mlp`'s layers, interleaved. */
function measureBatch(label: string, mlp: Mlp, batch: number, repeats: number): DenseBatchRow {
  const layers = mlp.denseLayers();
  const act = mlp.config.activation;
  const rng = new Rng(5);
  const x = Float32Array.from({ length: batch * mlp.config.inputDim }, () => rng.normal());
  const out = new Float32Array(batch * mlp.config.outputDim);
  const work = createDenseWorkspace(layers, batch);
  const net = new WasmDenseNet(layers, act, batch);
  let flops = 0;
  for (const l of layers) flops += l.inDim * l.outDim;
  const n = Math.max(3, Math.round(2e7 / (flops * batch)));
  const passes = [
    (): unknown => denseForward(layers, act, x, batch, out, work),
    (): unknown => net.forward(x, batch, out),
  ];
  const times: number[][] = [[], []];
  for (const p of passes) for (let i = 0; i < n; i++) p();
  for (let r = 0; r < repeats; r++)
    passes.forEach((p, k) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) p();
      times[k]!.push(((performance.now() - t0) * 1000) / n);
    });
  const jsUs = median(times[0]!);
  const wasmUs = median(times[1]!);
  return { network: label, batch, jsUs, wasmUs, speedup: jsUs / wasmUs };
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
  const rt = createPolicyRuntime(plain, { kernel: 'js' });
  const rtW = createPolicyRuntime(plain, { kernel: wasmSimdAvailable() ? 'wasm' : 'js' });
  const rtQ = createPolicyRuntime(quantizeInt8(plain));
  const simd = wasmSimdAvailable();
  const batchNet = simd
    ? new WasmDenseNet(
        plain.layers.map((l) => ({
          kernel: l.weights,
          bias: l.bias,
          inDim: l.inputDim,
          outDim: l.outputDim,
        })),
        plain.layers.map((l) => l.activation),
      )
    : undefined;
  const rowOut = new Float32Array(art.outputDim);
  const rowMajorAct = (obs: Float32Array): number => {
    const y = batchNet!.forward(obs, 1, rowOut);
    let best = 0;
    for (let a = 1; a < y.length; a++) if (y[a]! > y[best]!) best = a;
    return best;
  };
  const tfAct = (obs: Float32Array): number => {
    const y = tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync();
    let best = 0;
    for (let a = 1; a < y.length; a++) if (y[a]! > y[best]!) best = a;
    return best;
  };
  const [wasm, float, int8, tfjs, rowMajor] = usPerDecision(
    [(s) => rtW.act(s), (s) => rt.act(s), (s) => rtQ.act(s), tfAct, ...(simd ? [rowMajorAct] : [])],
    states,
    o.decisions > 0
      ? [o.decisions, o.decisions, o.decisions, Math.max(200, o.decisions >> 2), o.decisions]
      : undefined,
    o.repeats,
    o.roundMs,
  );
  const runtimeWasmUs = wasm!.median;
  const runtimeFloatUs = float!.median;
  const runtimeInt8Us = int8!.median;
  const tfjsUs = tfjs!.median;
  const params = artifactParamCount(art);
  const maxWidth = Math.max(d, ...art.layers.map((l) => l.outputDim));
  return {
    policy: `${label} ${[d, ...art.layers.map((l) => l.outputDim)].join('→')}`,
    params,
    runtimeWasmUs,
    runtimeFloatUs,
    ...(rowMajor ? { rowMajorWasmUs: rowMajor.median } : {}),
    runtimeInt8Us,
    tfjsUs,
    speedupWasm: tfjsUs / runtimeWasmUs,
    speedup: tfjsUs / runtimeFloatUs,
    runtimeWasmMinUs: wasm!.min,
    runtimeFloatMinUs: float!.min,
    tfjsMinUs: tfjs!.min,
    speedupWasmMin: tfjs!.min / wasm!.min,
    speedupMin: tfjs!.min / float!.min,
    c: cDecisionUs(art, states, o.decisions, o.repeats, o.roundMs),
    bytes: {
      json: Buffer.byteLength(policyArtifactToJson(art)),
      bin: encodePolicyArtifact(art).length,
      int8: encodePolicyArtifact(quantizeInt8(art)).length,
      c: Buffer.byteLength(generatePolicyC(art).source) + Buffer.byteLength(generatePolicyC(art).header),
    },
    runtimeBytes: 4 * (params + 2 * maxWidth + d + art.outputDim),
    weightBytes: art.layers.reduce((b, l) => b + matVecLayerBytes(l.inputDim, l.outputDim), 0),
    flops: art.layers.reduce((f, l) => f + 2 * l.inputDim * l.outputDim, 0),
  };
}

/**
 * The CPU's caches as Linux lists them for cpu0 (`L1d 48K, L1i 64K, L2 2048K, …`), or undefined
 * where /sys does not say.
 */
export function cpuCaches(): string | undefined {
  const dir = '/sys/devices/system/cpu/cpu0/cache';
  if (!existsSync(dir)) return undefined;
  try {
    const parts = readdirSync(dir)
      .filter((f) => /^index\d+$/.test(f))
      .sort()
      .map((f) => {
        const read = (k: string): string => readFileSync(path.join(dir, f, k), 'utf8').trim();
        const type = read('type');
        const kind = type === 'Data' ? 'd' : type === 'Instruction' ? 'i' : '';
        return `L${read('level')}${kind} ${read('size')}`;
      });
    return parts.length ? parts.join(', ') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fastest and median µs per decision of the single-row kernel on a 4→4 linear layer: the fixed
 * cost of a decision (the JavaScript-to-WebAssembly call, copying the input in and the outputs
 * out, the layer table), with 16 multiply-adds of arithmetic.
 */
function callFloorUs(o: Required<DeployBenchOptions>): { median: number; min: number } {
  const net = new WasmMatVecNet(
    [
      {
        inDim: 4,
        outDim: 4,
        kernel: Float32Array.from({ length: 16 }, (_, i) => i / 16),
        bias: new Float32Array(4),
      },
    ],
    ['linear'],
  );
  const out = new Float32Array(4);
  const rng = new Rng(6);
  const states = Array.from({ length: 256 }, () => Float32Array.from({ length: 4 }, () => rng.normal()));
  const [t] = usPerDecision(
    [(s) => net.forward(s, out)[0]!],
    states,
    o.decisions > 0 ? [o.decisions] : undefined,
    o.repeats,
    o.roundMs,
  );
  return { median: t!.median, min: t!.min };
}

/** One row of the single-decision roofline. */
export interface RooflineRow {
  /** Policy label, as in {@link DeployBenchRow}. */
  policy: string;
  /** Weight bytes read per decision. */
  bytes: number;
  /** Flops per decision. */
  flops: number;
  /** Fastest and median round of the WebAssembly runtime, µs per decision. */
  minUs: number;
  medianUs: number;
  /** Achieved GB/s and GFLOP/s in the fastest round. */
  gbs: number;
  gflops: number;
  /** Streaming-sum read bandwidth over a resident buffer of `bytes` bytes. */
  read: ReadBandwidth;
  /** µs to read `bytes` at the best streaming-sum bandwidth. */
  readFloorUs: number;
  /** µs for `flops` at the multiply-add peak. */
  computeFloorUs: number;
  /** max(readFloorUs, computeFloorUs): no Float32 WebAssembly SIMD kernel on one core is faster. */
  floorUs: number;
  /** TF.js fastest round / floorUs: the largest TF.js ratio such a kernel could reach. */
  tfjsOverFloor: number;
  /** TF.js fastest round / readFloorUs: the same with unlimited arithmetic (e.g. a fused multiply-add). */
  tfjsOverReadFloor: number;
}

/** The roofline rows of `rows`, with the read bandwidth measured per policy and `peak` GFLOP/s. */
function roofline(rows: readonly DeployBenchRow[], peak: number): RooflineRow[] {
  return rows.map((r) => {
    const read = measureReadBandwidth(r.weightBytes);
    const readFloorUs = r.weightBytes / (read.maxGBs * 1e3);
    const computeFloorUs = r.flops / (peak * 1e3);
    const floorUs = Math.max(readFloorUs, computeFloorUs);
    return {
      policy: r.policy,
      bytes: r.weightBytes,
      flops: r.flops,
      minUs: r.runtimeWasmMinUs,
      medianUs: r.runtimeWasmUs,
      gbs: r.weightBytes / (r.runtimeWasmMinUs * 1e3),
      gflops: r.flops / (r.runtimeWasmMinUs * 1e3),
      read,
      readFloorUs,
      computeFloorUs,
      floorUs,
      tfjsOverFloor: r.tfjsMinUs / floorUs,
      tfjsOverReadFloor: r.tfjsMinUs / readFloorUs,
    };
  });
}

/**
 * The issue's two single-decision targets, judged on this run's numbers: ≥ 10× TF.js at every
 * policy (fastest rounds and medians) and within 3× of the exported C at `-O2`, each met or not,
 * with the roofline's account of a miss.
 */
function targetLines(rows: readonly DeployBenchRow[], roof: readonly RooflineRow[], peak: number): string[] {
  const fmt = (x: number): string => x.toFixed(1);
  // Two decimals for ratios against the 10× line, so that a 9.99× miss does not read as 10.0×.
  const ratio = (x: number): string => `${x.toFixed(2)}×`;
  const lines: string[] = [];
  const missMin = rows.filter((r) => r.speedupWasmMin < 10);
  const missMed = rows.filter((r) => r.speedupWasm < 10);
  lines.push(
    `- **≥ 10× TF.js \`predict\` at every policy size:** fastest rounds ${missMin.length ? 'NOT MET' : 'met'} (${rows.map((r) => ratio(r.speedupWasmMin)).join(', ')}); medians ${missMed.length ? 'NOT MET' : 'met'} (${rows.map((r) => ratio(r.speedupWasm)).join(', ')}).`,
  );
  for (const r of missMin) {
    const f = roof.find((x) => x.policy === r.policy);
    if (!f) continue;
    lines.push(
      `  - ${r.policy}: ${ratio(r.speedupWasmMin)} (fastest rounds). The kernel reads ${f.bytes} B of weights per decision at ${fmt(f.gbs)} GB/s, ${fmt((100 * f.gbs) / f.read.maxGBs)} % of this core's streaming read bandwidth for a buffer that size (${fmt(f.read.maxGBs)} GB/s) and ${fmt((100 * f.gflops) / peak)} % of the Float32 multiply-add peak (${fmt(f.gflops)} of ${fmt(peak)} GFLOP/s). At the read roof alone a decision takes ${f.readFloorUs.toFixed(2)} µs, so ${r.tfjsMinUs.toFixed(1)} µs of TF.js allow at most ${fmt(f.tfjsOverReadFloor)}× (${fmt(f.tfjsOverFloor)}× counting the multiply-add roof too): ${f.tfjsOverReadFloor < 10 ? '10× is out of reach for any Float32 kernel on one core that reads its weights once per decision (only fewer bytes, i.e. other arithmetic, or more cores would do)' : `the remaining gap is the kernel's distance to the roofs (${fmt(f.minUs / f.floorUs)}× the floor)`}.`,
    );
  }
  const withC = rows.filter((r) => r.c);
  if (withC.length) {
    const worstMin = Math.max(...withC.map((r) => r.runtimeWasmMinUs / r.c!.min));
    const worstMed = Math.max(...withC.map((r) => r.runtimeWasmUs / r.c!.median));
    lines.push(
      `- **Within 3× of the exported C at \`-O2\`:** ${worstMin <= 3 && worstMed <= 3 ? 'met' : 'NOT MET'}: WASM / C at most ${worstMin.toFixed(2)}× (fastest rounds) and ${worstMed.toFixed(2)}× (medians), i.e. the WebAssembly kernel is ${worstMin < 1 ? 'faster than' : 'slower than'} the C.`,
    );
  } else lines.push('- **Within 3× of the exported C at `-O2`:** not measured (no C compiler).');
  return lines;
}

/** Runs the benchmark (see module doc) and returns its rows. */
export async function runDeployBench(options: DeployBenchOptions = {}): Promise<DeployBenchRow[]> {
  const o: Required<DeployBenchOptions> = {
    decisions: options.decisions ?? 0,
    roundMs: options.roundMs ?? 3,
    repeats: options.repeats ?? 61,
    out: options.out === undefined ? 'bench/results/deploy.md' : options.out,
  };
  const startLoad = loadavg();
  const startMs = performance.now();
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
  rows.push(measure('DQN Q-net (relu)', dqn.qNet as Mlp, extractPolicyArtifact(dqn), o));
  // Wider inputs and outputs than CartPole's: freshly initialized tanh MLPs (the speed of a
  // forward pass does not depend on the weights' values).
  const wideConfigs: MlpConfig[] = [
    { inputDim: 64, hiddenSizes: [128, 128], outputDim: 8 },
    { inputDim: 256, hiddenSizes: [256, 256], outputDim: 16 },
  ];
  const wide = wideConfigs.map((c) => new Mlp(c, new Rng(2)));
  for (const mlp of wide) rows.push(measure('MLP (tanh)', mlp, mlpPolicyArtifact(mlp), o));
  const peak = wasmSimdAvailable() ? measureMulAddPeak() : undefined;
  const callFloor = wasmSimdAvailable() ? callFloorUs(o) : undefined;
  const roof = peak === undefined ? [] : roofline(rows, peak);
  const batchRows: DenseBatchRow[] = [];
  if (wasmSimdAvailable())
    for (const mlp of [new Mlp({ inputDim: 4, hiddenSizes: [64, 64], outputDim: 2 }, new Rng(2)), ...wide]) {
      const dims = [mlp.config.inputDim, ...mlp.config.hiddenSizes, mlp.config.outputDim].join('→');
      batchRows.push(measureBatch(`${dims} (tanh)`, mlp, 128, o.repeats));
    }

  if (o.out !== null) {
    const endLoad = loadavg();
    const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(', ');
    const args = [
      ...(o.decisions > 0 ? [`decisions=${o.decisions}`] : []),
      ...(o.roundMs !== 3 ? [`roundMs=${o.roundMs}`] : []),
      ...(o.repeats !== 61 ? [`repeats=${o.repeats}`] : []),
    ];
    const md = [
      '# Deployment runtime: single-decision latency and size',
      '',
      `Machine: ${describeMachine()}; TF.js backend: ${tfBackendName() ?? 'unknown'}; CPU caches (cpu0, from /sys): ${cpuCaches() ?? 'not readable'}.`,
      `Command: \`npm run bench -- deploy${args.map((a) => ` ${a}`).join('')}\`; load average (1, 5, 15 min) at start ${load(startLoad)}, at end ${load(endLoad)} on ${cpus().length} cores; wall time ${((performance.now() - startMs) / 1000).toFixed(0)} s.`,
      '',
      '## Targets (issue 15, single decisions)',
      '',
      ...(peak === undefined ? ['(no WebAssembly SIMD in this engine)'] : targetLines(rows, roof, peak)),
      '',
      o.decisions > 0
        ? `Latency: ${o.repeats} interleaved rounds, each timing ${o.decisions} decisions of every runtime (TF.js: ${Math.max(200, o.decisions >> 2)}),`
        : `Latency: ${o.repeats} interleaved rounds, each timing about ${o.roundMs} ms of decisions of every runtime (as many as its warm-up speed gives: 10 to 100,000; the C program sizes its own rounds alike),`,
      'one observation each, argmax; same network and observations for all; TF.js = `tf.tidy(() => mlp.apply(tf.tensor2d(obs, [1, d]))).dataSync()`.',
      `Median and fastest round per runtime: on a loaded machine (1-min load average here: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores) the medians absorb other processes' time, the minima much less.`,
      '',
      'Decision latency (µs per decision): the runtime on its single-row WebAssembly SIMD kernel (`WasmMatVecNet`: packed weights resident in WebAssembly memory, all layers in one call; the default where the engine has SIMD) and on its JavaScript kernel, the int8 runtime, TF.js, and the exported C compiled with `cc -O2` (timed inside the C program; — without a C compiler). "row-major WASM µs": the batch kernel `WasmDenseNet` on one row plus argmax, which the runtime used before its single-row kernel (same Float32 arithmetic, weights in TensorFlow\'s row-major layout, one call per layer and activation).',
      '',
      formatMarkdownTable(
        [
          'policy',
          'params',
          'WASM µs',
          'row-major WASM µs',
          'JS µs',
          'int8 µs',
          'TF.js µs',
          'C -O2 µs',
          'TF.js / WASM ×',
          'TF.js / JS ×',
          'WASM / C ×',
          'WASM min µs',
          'JS min µs',
          'TF.js min µs',
          'C min µs',
          'TF.js / WASM × (min)',
          'WASM / C × (min)',
        ],
        rows.map((r) => [
          r.policy,
          r.params,
          r.runtimeWasmUs,
          r.rowMajorWasmUs ?? '—',
          r.runtimeFloatUs,
          r.runtimeInt8Us,
          r.tfjsUs,
          r.c ? r.c.median : '—',
          r.speedupWasm,
          r.speedup,
          r.c ? r.runtimeWasmUs / r.c.median : '—',
          r.runtimeWasmMinUs,
          r.runtimeFloatMinUs,
          r.tfjsMinUs,
          r.c ? r.c.min : '—',
          r.speedupWasmMin,
          r.c ? r.runtimeWasmMinUs / r.c.min : '—',
        ]),
      ),
      '',
      `Single-decision roofline of the WebAssembly kernel (fastest round; 1 GB = 1e9 B): weight bytes it reads per decision (packed weights and biases, zero-padded to whole quads of outputs) and flops per decision (2 per multiply-add), achieved GB/s and GFLOP/s, against one core's read bandwidth for a resident buffer of the same size (a WebAssembly SIMD streaming sum over it, \`v128.load\` + \`i32x4.add\`, repeated; best and median of 31 rounds) and against the Float32 multiply-add peak from registers (\`f32x4.mul\` + \`f32x4.add\`: WebAssembly SIMD has no fused multiply-add; ${peak === undefined ? '—' : `${peak.toFixed(1)} GFLOP/s`}), both measured in this run. Read floor = bytes / best read GB/s, mul+add floor = flops / peak; no Float32 WebAssembly SIMD kernel on one core that reads these weights once per decision is faster than the larger of the two, so "TF.js min / floor" is the largest TF.js ratio reachable, and "TF.js min / read floor" the largest even with unlimited arithmetic (a fused multiply-add, say). The fixed cost of a decision on this kernel (JavaScript-to-WebAssembly call, input and output copies: a 4→4 linear layer): ${callFloor ? `${callFloor.min.toFixed(3)} µs fastest round, ${callFloor.median.toFixed(3)} µs median` : '—'}.`,
      '',
      roof.length
        ? formatMarkdownTable(
            [
              'policy',
              'weight B / decision',
              'flops / decision',
              'WASM min µs',
              'WASM median µs',
              'achieved GB/s',
              'read roof GB/s (best)',
              'read roof GB/s (median)',
              'of read roof %',
              'achieved GFLOP/s',
              'of mul+add peak %',
              'read floor µs',
              'mul+add floor µs',
              'WASM min / floor ×',
              'TF.js min / floor ×',
              'TF.js min / read floor ×',
            ],
            roof.map((r) => [
              r.policy,
              r.bytes,
              r.flops,
              r.minUs,
              r.medianUs,
              r.gbs,
              r.read.maxGBs,
              r.read.medianGBs,
              (100 * r.gbs) / r.read.maxGBs,
              r.gflops,
              (100 * r.gflops) / peak!,
              r.readFloorUs,
              r.computeFloorUs,
              r.minUs / r.floorUs,
              r.tfjsOverFloor,
              r.tfjsOverReadFloor,
            ]),
          )
        : '(no WebAssembly SIMD in this engine)',
      '',
      'Sizes (bytes): what the float runtime holds on its JavaScript kernel (weights, biases, scratch buffers; the WebAssembly kernel holds the same in whole 64 KiB memory pages) and each export format.',
      '',
      formatMarkdownTable(
        ['policy', 'runtime B', 'JSON B', 'bin B', 'int8 B', 'C B'],
        rows.map((r) => [r.policy, r.runtimeBytes, r.bytes.json, r.bytes.bin, r.bytes.int8, r.bytes.c]),
      ),
      '',
      `Batched dense forward (the fast learner's minibatch pass): µs per pass of ${batchRows[0]?.batch ?? 128} rows, \`denseForward\` (JavaScript) against \`WasmDenseNet.forward\`, interleaved, median of ${o.repeats} rounds.`,
      '',
      batchRows.length
        ? formatMarkdownTable(
            ['network', 'batch', 'JS µs', 'WASM µs', 'JS / WASM ×'],
            batchRows.map((r) => [r.network, r.batch, r.jsUs, r.wasmUs, r.speedup]),
          )
        : '(no WebAssembly SIMD in this engine)',
      '',
    ].join('\n');
    await writeFileAtomic(o.out, md);
  }
  return rows;
}
