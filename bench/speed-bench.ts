/**
 * `npm run bench -- speed [section…]`: training speed of the fast learner against the TF.js
 * reference and the PyTorch yardstick (`../shared/peers/ppo_torch.py`), every ratio measured in
 * this one run on this one machine, runs interleaved so load drifts hit every side alike, plus a
 * roofline line (achieved GFLOP/s against a plain matmul on one core) and learning-curve
 * comparisons of the two learners on the same seeds → bench/results/speed.md and speed.json.
 *
 * Sections: roofline (always), ppo-cartpole, dqn-cartpole, egs, learning (all by default);
 * `learning-egs` runs only the EGS row of the learning table. Options as `key=value`: `scale=0.25`
 * multiplies every step budget (a quick look at the numbers, not the committed run), `out=PATH`
 * writes PATH.md and PATH.json instead of bench/results/speed.md and speed.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvalCallback } from '../src/agents/callbacks.js';
import { A2C } from '../src/agents/a2c.js';
import { DQN } from '../src/agents/dqn.js';
import { PPO } from '../src/agents/ppo.js';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import type { Env } from '../src/core/env.js';
import { makeEnv } from '../src/core/make-env.js';
import { Rng } from '../src/core/rng.js';
import { mean, sampleStd, tCritical95 } from '../src/core/statistics.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { denseForward, type DenseLayerF32 } from '../src/nn/dense-forward.js';
import { WasmDenseNet, wasmSimdAvailable } from '../src/nn/dense-forward-wasm.js';
import { initTf, tf, tfBackendName } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { PadGraphObservation } from '../src/core/wrappers/pad-graph-observation.js';
import { EgsEnv } from '../src/envs/egs/egs-env.js';
import { cloneEgsExpert, collectEgsDemonstrations } from '../src/experiments/egs-imitation.js';
import type { GraphNetDims } from '../src/nn/graph-net-f32.js';
import { GraphPolicy, graphPolicyDims, type GraphPolicyConfig } from '../src/nn/graph-policy.js';
import { resolveDqnConfig, type DqnConfig } from '../src/agents/dqn.js';
import { DQN_CARTPOLE } from './dqn-learning.js';
import { EGS_POLICY, EGS_PPO } from './egs-train.js';
import { JOBS_ENV_OPTIONS, PPO_JOBS } from './jobs-learning.js';
import { describeMachine, median } from './machine.js';
import { PPO_CARTPOLE } from './rl-learning.js';

type Learner = 'fast' | 'tfjs';
const LEARNERS: Learner[] = ['fast', 'tfjs'];
const PEER = new URL('../../shared/peers/ppo_torch.py', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';

/** One measured configuration (a row of speed.json). */
export interface SpeedRow {
  section: string;
  what: string;
  learner: string;
  seed: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  gflops?: number;
  finalEval?: number;
}

const rows: SpeedRow[] = [];
const md: string[] = [];
const log = (s = ''): void => {
  md.push(s);
  process.stderr.write(s + '\n');
};

function fmt(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// ---------------------------------------------------------------------------------- roofline

/** GFLOP/s of `fn`, which does `flops` floating-point operations per call (best of `repeat`). */
function gflopsOf(fn: () => void, flops: number, repeat = 7): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return flops / (best / 1000) / 1e9;
}

// A blocked single-thread C matmul: what one core does when the compiler vectorises for it.
const C_MATMUL = `#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#define N 256
static float a[N*N], b[N*N], c[N*N];
int main(void) {
  for (int i = 0; i < N*N; i++) { a[i] = (float)rand() / RAND_MAX; b[i] = (float)rand() / RAND_MAX; }
  double best = 1e9;
  for (int rep = 0; rep < 15; rep++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < N*N; i++) c[i] = 0;
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) { float x = a[i*N+k]; for (int j = 0; j < N; j++) c[i*N+j] += x * b[k*N+j]; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    if (s < best) best = s;
  }
  printf("%f %f\\n", 2.0 * N * N * N / best / 1e9, c[N + 1]);
  return 0;
}
`;

/** GFLOP/s of the C matmul compiled with `gcc -O3 -march=native`, or undefined without gcc. */
function cMatmulGflops(): number | undefined {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-roofline-'));
    writeFileSync(join(dir, 'mm.c'), C_MATMUL);
    execFileSync('gcc', ['-O3', '-march=native', '-o', join(dir, 'mm'), join(dir, 'mm.c')], {
      stdio: 'ignore',
    });
    return Number(execFileSync(join(dir, 'mm'), { encoding: 'utf8' }).split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** A plain matmul on one core, as the arithmetic ceiling the learners are compared with. */
function roofline(): { js: number; wasm: number | undefined; tfjs: number; c: number | undefined } {
  const n = 256;
  const rng = new Rng(1);
  const layer: DenseLayerF32 = {
    kernel: Float32Array.from({ length: n * n }, () => rng.normal()),
    bias: new Float32Array(n),
    inDim: n,
    outDim: n,
  };
  const x = Float32Array.from({ length: n * n }, () => rng.normal());
  const out = new Float32Array(n * n);
  const flops = 2 * n * n * n;
  const js = gflopsOf(() => denseForward([layer], 'tanh', x, n, out), flops);
  const net = wasmSimdAvailable() ? new WasmDenseNet([layer], 'tanh', n) : undefined;
  const wasm = net ? gflopsOf(() => net.forward(x, n, out), flops) : undefined;
  const a = tf.tensor2d(x, [n, n]);
  const b = tf.tensor2d(layer.kernel, [n, n]);
  const tfjs = gflopsOf(() => tf.tidy(() => tf.matMul(a, b).dataSync()), flops);
  a.dispose();
  b.dispose();
  return { js, wasm, tfjs, c: cMatmulGflops() };
}

// ------------------------------------------------------------------------- FLOP accounting

/** Multiply-adds of one forward pass of dense layers `dims`. */
function denseMacs(dims: number[]): number {
  let s = 0;
  for (let i = 0; i + 1 < dims.length; i++) s += dims[i]! * dims[i + 1]!;
  return s;
}

/**
 * FLOPs of PPO with separate MLP actor and critic: one forward per rollout step, and per epoch a
 * forward and a backward (≈ 2 forwards) per sample.
 */
function ppoMlpFlops(
  steps: number,
  obsDim: number,
  hidden: number[],
  actions: number,
  epochs: number,
): number {
  const fwd = 2 * (denseMacs([obsDim, ...hidden, actions]) + denseMacs([obsDim, ...hidden, 1]));
  return steps * (fwd + epochs * 3 * fwd);
}

/**
 * FLOPs of DQN on an MLP Q-net: one forward per env step (action selection), and from
 * `learningStarts` on, every `trainFreq` steps, `gradientSteps` minibatches of `batchSize` rows,
 * each row a forward and a backward (≈ 2 forwards) on its state plus the target net's forward on
 * the next state and, for Double DQN, the online net's too.
 */
function dqnMlpFlops(steps: number, obsDim: number, actions: number, config: DqnConfig): number {
  const cfg = resolveDqnConfig(config);
  const fwd = 2 * denseMacs([obsDim, ...cfg.hiddenSizes, actions]);
  const trains = Math.max(0, Math.floor((steps - cfg.learningStarts) / cfg.trainFreq)) * cfg.gradientSteps;
  return steps * fwd + trains * cfg.batchSize * (3 + 1 + (cfg.doubleDqn ? 1 : 0)) * fwd;
}

/**
 * Multiply-adds of one forward pass of the graph network on a graph of `n` real nodes (the fast
 * learner computes on real nodes only): embedding, per layer the q/k/v/o projections, attention
 * scores and weighted sums and the feed-forward block, the decoder's projections and pair
 * logits, and the value head. Layer norms, softmax, the relation-bias lookups and activations are
 * left out (O(n·d) and O(n²·H) each, a few per cent).
 */
function graphNetMacs(dims: GraphNetDims, n: number): number {
  const { nodeFeatureDim: F, hiddenDim: d, ffnDim: f, numLayers: L, valueHiddenDim: vh } = dims;
  const layer = 4 * n * d * d + 2 * n * n * d + 2 * n * d * f;
  return n * F * d + L * layer + 2 * n * d * d + n * n * d + d * vh + vh;
}

/**
 * FLOPs of PPO with the graph policy, as {@link ppoMlpFlops} counts them (one forward per rollout
 * step, three forwards' worth per sample and epoch), at the mean over graphs of `nodes[0]` to
 * `nodes[1]` nodes, equally likely (the sampler's distribution per episode, not weighted by
 * episode length: an estimate).
 */
function ppoGraphFlops(steps: number, dims: GraphNetDims, nodes: [number, number], epochs: number): number {
  let macs = 0;
  for (let n = nodes[0]; n <= nodes[1]; n++) macs += graphNetMacs(dims, n);
  const fwd = (2 * macs) / (nodes[1] - nodes[0] + 1);
  return steps * (fwd + epochs * 3 * fwd);
}

// ------------------------------------------------------------------------------ training runs

interface TrainResult {
  seconds: number;
  steps: number;
  finalEval: number;
  curve: number[];
}

/** EvalCallback that also times its evaluations, so they can be left out of steps/s. */
class TimedEval extends EvalCallback {
  evalMs = 0;
  override async evaluate(
    ctx: Parameters<EvalCallback['evaluate']>[0],
  ): ReturnType<EvalCallback['evaluate']> {
    const t0 = performance.now();
    const r = await super.evaluate(ctx);
    this.evalMs += performance.now() - t0;
    return r;
  }
}

/** Trains `model` for `steps` with an evaluation every `evalEvery` steps (not timed). */
async function timedLearn(
  model: PPO | A2C | DQN,
  steps: number,
  evalEnv: () => Env,
  evalEvery: number,
  seed: number,
): Promise<TrainResult> {
  const evalCb = new TimedEval({ env: evalEnv, everySteps: evalEvery, episodes: 10, seed: 10_000 + seed });
  const t0 = performance.now();
  await model.learn({ totalTimesteps: steps, callbacks: [evalCb] });
  const seconds = (performance.now() - t0 - evalCb.evalMs) / 1000;
  const done = model.counters.numTimesteps;
  await model.close();
  const curve = evalCb.history.map((p) => p.meanReturn);
  return { seconds, steps: done, finalEval: curve[curve.length - 1] ?? NaN, curve };
}

function cartpole(): Env {
  return makeEnv('CartPole-v1');
}

async function ppoCartpole(learner: Learner, seed: number, steps: number): Promise<TrainResult> {
  const model = new PPO(cartpole, { ...PPO_CARTPOLE, seed, learner } as never);
  return timedLearn(model, steps, cartpole, steps, seed);
}

/** The PyTorch yardstick; undefined when it (or Debian's python3-torch) is not installed. */
function torchPpo(seed: number, steps: number, threads: number): TrainResult | undefined {
  if (!existsSync(PEER) || !existsSync(PYTHON)) return undefined;
  try {
    const out = execFileSync(
      PYTHON,
      [PEER, '--steps', String(steps), '--seed', String(seed), '--threads', String(threads), '--json'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      steps: number;
      wall_s: number;
      final_eval_mean: number;
    };
    return { seconds: r.wall_s, steps: r.steps, finalEval: r.final_eval_mean, curve: [r.final_eval_mean] };
  } catch {
    return undefined;
  }
}

function record(
  section: string,
  what: string,
  learner: string,
  seed: number,
  r: TrainResult,
  flops?: number,
): void {
  rows.push({
    section,
    what,
    learner,
    seed,
    steps: r.steps,
    seconds: r.seconds,
    stepsPerSecond: r.steps / r.seconds,
    ...(flops !== undefined ? { gflops: flops / r.seconds / 1e9 } : {}),
    finalEval: r.finalEval,
  });
  process.stderr.write(
    `  ${section} ${what} ${learner} seed ${seed}: ${fmt(r.steps / r.seconds)} steps/s, eval ${r.finalEval.toFixed(1)}\n`,
  );
}

function summarise(section: string, what: string): Map<string, SpeedRow[]> {
  const by = new Map<string, SpeedRow[]>();
  for (const r of rows.filter((x) => x.section === section && x.what === what)) {
    const list = by.get(r.learner) ?? [];
    list.push(r);
    by.set(r.learner, list);
  }
  return by;
}

async function sectionPpoCartpole(seeds: number[], steps: number, peak: number): Promise<void> {
  log('## PPO CartPole-v1, CleanRL defaults (64×64 tanh, 4 envs × 128 steps, 4 epochs × 4 minibatches)');
  log('');
  const flops = ppoMlpFlops(steps, 4, [64, 64], 2, 4);
  const sides: [string, (seed: number) => Promise<TrainResult | undefined>][] = [
    ['fast', (s) => ppoCartpole('fast', s, steps)],
    ['tfjs', (s) => ppoCartpole('tfjs', s, steps)],
    ['pytorch 1 thread', async (s) => torchPpo(s, steps, 1)],
    ['pytorch 2 threads', async (s) => torchPpo(s, steps, 2)],
  ];
  for (const seed of seeds)
    for (const [name, run] of sides) {
      const r = await run(seed);
      if (r) record('ppo-cartpole', 'ppo', name, seed, r, flops);
    }
  const by = summarise('ppo-cartpole', 'ppo');
  const sps = (k: string): number => median((by.get(k) ?? []).map((r) => r.stepsPerSecond));
  const table = [...by.entries()].map(([k, list]) => [
    k,
    list.length,
    fmt(sps(k)),
    fmt(median(list.map((r) => r.gflops ?? NaN)), 2),
    fmt((100 * median(list.map((r) => r.gflops ?? NaN))) / peak, 1) + ' %',
    list.map((r) => r.finalEval!.toFixed(0)).join(', '),
  ]);
  log(
    formatMarkdownTable(
      [
        'learner',
        'runs',
        'steps/s (median)',
        'GFLOP/s',
        'of one-core matmul',
        'final eval per seed (20 episodes for PyTorch, 10 here)',
      ],
      table,
    ),
  );
  log('');
  const fast = sps('fast');
  const line = (k: string): string =>
    by.has(k) ? `${(fast / sps(k)).toFixed(2)}× ${k}` : `${k}: not measured`;
  log(
    `Fast learner: ${line('tfjs')}; ${line('pytorch 1 thread')}; ${line('pytorch 2 threads')} (targets: ≥ 1.5× PyTorch on one thread, ≥ 1× on two).`,
  );
  log('');
}

async function sectionDqnCartpole(seeds: number[], steps: number, peak: number): Promise<void> {
  log(
    '## DQN CartPole-v1, the committed config (bench/dqn-learning.ts: 64×64 ReLU, batch 64, train every 4 steps, Double DQN, Huber)',
  );
  log('');
  for (const seed of seeds)
    for (const learner of LEARNERS) {
      const model = new DQN(cartpole, { ...DQN_CARTPOLE, seed, learner } as never);
      const r = await timedLearn(model, steps, cartpole, steps, seed);
      record('dqn-cartpole', 'dqn', learner, seed, r, dqnMlpFlops(r.steps, 4, 2, DQN_CARTPOLE));
    }
  const by = summarise('dqn-cartpole', 'dqn');
  const sps = (k: string): number => median((by.get(k) ?? []).map((r) => r.stepsPerSecond));
  const gflops = (k: string): number => median((by.get(k) ?? []).map((r) => r.gflops ?? NaN));
  log(
    formatMarkdownTable(
      ['learner', 'runs', 'steps/s (median)', 'GFLOP/s', 'of one-core matmul', 'final eval per seed'],
      LEARNERS.map((k) => [
        k,
        by.get(k)?.length ?? 0,
        fmt(sps(k)),
        fmt(gflops(k), 2),
        fmt((100 * gflops(k)) / peak, 1) + ' %',
        (by.get(k) ?? []).map((r) => r.finalEval!.toFixed(0)).join(', '),
      ]),
    ),
  );
  log('');
  log(
    `FLOPs: one Q-net forward per step, and per trained row a forward and backward (≈ 3 forwards) plus the next state's target and (Double DQN) online forwards.`,
  );
  log('');
  log(`Fast learner: ${(sps('fast') / sps('tfjs')).toFixed(2)}× the TF.js path (target ≥ 3×).`);
  log('');
}

/** Welch's 95 % interval of mean(a) − mean(b). */
function welch(a: number[], b: number[]): { diff: number; lo: number; hi: number } {
  const va = sampleStd(a) ** 2 / a.length;
  const vb = sampleStd(b) ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1) || 1);
  const t = tCritical95(Math.max(1, Math.floor(df)));
  const diff = mean(a) - mean(b);
  return { diff, lo: diff - t * se, hi: diff + t * se };
}

/** The EGS env of the speed runs: 20–50-node DAGs padded to 50 nodes. */
function egsEnv(): PadGraphObservation<number> {
  return new PadGraphObservation(new EgsEnv({ maxNodes: 50, sampler: { nodes: [20, 50], slack: [0, 0.4] } }));
}

/**
 * The learning comparison (see the table's caption): every case, or with `only` the case of that
 * name; `scale` multiplies the step budgets.
 */
async function sectionLearning(seeds: number[], scale: number, only?: string): Promise<void> {
  log('## Same learning: fast learner vs TF.js, same seeds and configs');
  log('');
  log(
    "Deterministic evaluation (10 episodes on a separate env) every `eval` steps; the curve column is the mean over seeds at each evaluation. The interval is Welch's 95 % CI of mean(fast) − mean(tfjs) of the final evaluation: an interval containing 0 means no detectable difference at these seed counts. Where two curves agree to the digit, the two learners computed the same updates up to rounding (~1e-6) and the greedy evaluations took the same decisions; they part where rounding differences grow into different actions.",
  );
  log('');
  const jobs = (): Env => makeEnv('Jobs-v0', JOBS_ENV_OPTIONS as never);
  const egsLayout = new PadGraphObservation(new EgsEnv({ maxNodes: 50 })).layout;
  const cases: {
    what: string;
    steps: number;
    evalEvery: number;
    make: (l: Learner, seed: number) => PPO | A2C | DQN;
    env: () => Env;
    /** Seeds of this case when not the section's (a slow reference path). */
    seeds?: number[];
  }[] = [
    {
      what: 'PPO CartPole-v1',
      steps: 100_000,
      evalEvery: 20_000,
      make: (l, s) => new PPO(cartpole, { ...PPO_CARTPOLE, seed: s, learner: l } as never),
      env: cartpole,
    },
    {
      what: 'A2C CartPole-v1',
      steps: 100_000,
      evalEvery: 20_000,
      make: (l, s) => new A2C(cartpole, { seed: s, learner: l } as never),
      env: cartpole,
    },
    {
      what: 'DQN CartPole-v1',
      steps: 50_000,
      evalEvery: 10_000,
      make: (l, s) => new DQN(cartpole, { ...DQN_CARTPOLE, seed: s, learner: l } as never),
      env: cartpole,
    },
    {
      what: 'PPO Jobs-v0',
      steps: 50_000,
      evalEvery: 10_000,
      make: (l, s) => new PPO(jobs, { ...PPO_JOBS, seed: s, learner: l } as never),
      env: jobs,
    },
    {
      // The TF.js graph learner runs ~100 steps/s: a short budget and three seeds keep it to minutes.
      what: 'PPO EGS-v0 (large graph policy)',
      steps: 4096,
      evalEvery: 2048,
      make: (l, s) =>
        new PPO(
          egsEnv,
          { ...EGS_PPO, seed: s, learner: l } as never,
          GraphPolicy.factory(egsLayout, EGS_POLICY),
        ),
      env: egsEnv,
      seeds: [1, 2, 3],
    },
  ];
  const table: (string | number)[][] = [];
  for (const c of cases) {
    if (only !== undefined && c.what !== only) continue;
    const curves: Record<Learner, number[][]> = { fast: [], tfjs: [] };
    const speed: Record<Learner, number[]> = { fast: [], tfjs: [] };
    const caseSeeds = c.seeds ?? seeds;
    const steps = Math.max(1, Math.round(c.steps * scale));
    const evalEvery = Math.max(1, Math.round(c.evalEvery * scale));
    for (const seed of caseSeeds)
      for (const learner of LEARNERS) {
        const r = await timedLearn(c.make(learner, seed), steps, c.env, evalEvery, seed);
        record('learning', c.what, learner, seed, r);
        curves[learner].push(r.curve);
        speed[learner].push(r.steps / r.seconds);
      }
    const finals = (l: Learner): number[] => curves[l].map((cv) => cv[cv.length - 1]!);
    const meanCurve = (l: Learner): string => {
      const len = Math.min(...curves[l].map((cv) => cv.length));
      return Array.from({ length: len }, (_, i) => mean(curves[l].map((cv) => cv[i]!)).toFixed(0)).join(
        ' → ',
      );
    };
    const w = welch(finals('fast'), finals('tfjs'));
    for (const l of LEARNERS)
      table.push([
        c.what,
        l,
        caseSeeds.length,
        evalEvery,
        meanCurve(l),
        `${mean(finals(l)).toFixed(1)} ± ${sampleStd(finals(l)).toFixed(1)}`,
        l === 'fast' ? `${w.diff.toFixed(1)} [${w.lo.toFixed(1)}, ${w.hi.toFixed(1)}]` : '',
        fmt(median(speed[l])),
      ]);
  }
  log(
    formatMarkdownTable(
      [
        'run',
        'learner',
        'seeds',
        'eval',
        'mean curve',
        'final eval mean ± sd',
        'fast − tfjs (95 % CI)',
        'steps/s',
      ],
      table,
    ),
  );
  log('');
}

/** The small shipped EGS policy's architecture (models/egs-graph-policy-small.json). */
const EGS_SMALL_POLICY: GraphPolicyConfig = { hiddenDim: 8, numHeads: 4, numLayers: 1 };

async function sectionEgs(steps: number, peak: number): Promise<void> {
  log(
    '## EGS-v0 with the graph policy, 20–50-node DAGs (bench/egs-train.ts settings: 8 envs × 64 steps, 4 minibatches, 3 epochs)',
  );
  log('');
  const maxNodes = 50;
  const layout = new PadGraphObservation(new EgsEnv({ maxNodes })).layout;
  const table: (string | number)[][] = [];
  const rate = (gflops: Record<Learner, number>): string[] => [
    ...LEARNERS.map((l) => fmt(gflops[l], 2)),
    ...LEARNERS.map((l) => fmt((100 * gflops[l]) / peak, 1) + ' %'),
  ];
  for (const [name, policy] of [
    ['large (d 32, 2 layers)', EGS_POLICY],
    ['small (d 8, 1 layer)', EGS_SMALL_POLICY],
  ] as const) {
    const sps: Record<Learner, number> = { fast: 0, tfjs: 0 };
    const gflops: Record<Learner, number> = { fast: 0, tfjs: 0 };
    const dims = graphPolicyDims(layout, policy);
    for (const learner of LEARNERS) {
      const model = new PPO(
        egsEnv,
        { ...EGS_PPO, seed: 1, learner } as never,
        GraphPolicy.factory(layout, policy),
      );
      const t0 = performance.now();
      await model.learn({ totalTimesteps: steps });
      const seconds = (performance.now() - t0) / 1000;
      const done = model.counters.numTimesteps;
      await model.close();
      const flops = ppoGraphFlops(done, dims, [20, 50], EGS_PPO.updateEpochs!);
      record('egs', `ppo ${name}`, learner, 1, { seconds, steps: done, finalEval: NaN, curve: [] }, flops);
      sps[learner] = done / seconds;
      gflops[learner] = flops / seconds / 1e9;
    }
    table.push([
      `PPO, ${name} policy`,
      'steps/s',
      fmt(sps.fast),
      fmt(sps.tfjs),
      (sps.fast / sps.tfjs).toFixed(2) + '×',
      ...rate(gflops),
    ]);
  }
  // Behaviour cloning of the EGS expert, as the imitation warm start runs it.
  const demos = collectEgsDemonstrations({ count: 12, tries: 1, nodes: [10, 50], rng: new Rng(7) });
  const epm: Record<Learner, number> = { fast: 0, tfjs: 0 };
  const bcGflops: Record<Learner, number> = { fast: 0, tfjs: 0 };
  // A forward and a backward (≈ 3 forwards) per expert state and epoch, on its own graph size.
  const bcDims = graphPolicyDims(layout, EGS_POLICY);
  let bcEpochFlops = 0;
  for (const st of demos.steps) bcEpochFlops += 3 * 2 * graphNetMacs(bcDims, st.obs.numNodes);
  for (const learner of LEARNERS) {
    const policy = new GraphPolicy(layout, new EgsEnv({ maxNodes }).actionSpace, EGS_POLICY, new Rng(0));
    const t0 = performance.now();
    await cloneEgsExpert(policy, layout, demos, {
      epochs: 2,
      batch: 32,
      learningRate: 1e-3,
      rng: new Rng(1),
      learner,
    });
    const minutes = (performance.now() - t0) / 60_000;
    policy.dispose();
    epm[learner] = 2 / minutes;
    bcGflops[learner] = (2 * bcEpochFlops) / (minutes * 60) / 1e9;
    rows.push({
      section: 'egs',
      what: 'bc large',
      learner,
      seed: 1,
      steps: 2 * demos.steps.length,
      seconds: minutes * 60,
      stepsPerSecond: (2 * demos.steps.length) / (minutes * 60),
      gflops: bcGflops[learner],
    });
  }
  table.push([
    `behaviour cloning, large policy, ${demos.steps.length} expert states (12 DAGs, 10–50 nodes), batch 32`,
    'epochs/min',
    fmt(epm.fast, 1),
    fmt(epm.tfjs, 1),
    (epm.fast / epm.tfjs).toFixed(2) + '×',
    ...rate(bcGflops),
  ]);
  log(
    formatMarkdownTable(
      [
        'run',
        'unit',
        'fast',
        'tfjs',
        'fast / tfjs',
        'fast GFLOP/s',
        'tfjs GFLOP/s',
        'fast of one-core matmul',
        'tfjs of one-core matmul',
      ],
      table,
    ),
  );
  log('');
  log(
    `PPO runs: ${steps} steps each, seed 1, no evaluation. Targets: ≥ 10× the TF.js path for PPO with the large policy and for behaviour cloning. FLOPs: the multiply-adds of the graph network on the real nodes of each graph (projections, attention, feed-forward, decoder pairs, value head; layer norms and softmax left out), one forward per rollout step and three forwards' worth per sample and epoch, at the mean over 20–50-node graphs for PPO and at each expert state's own graph for cloning: an estimate, and the TF.js path computes more than it (padded batches of 50 nodes).`,
  );
  log('');
}

/**
 * Runs the sections named in `args` (all when none; see the module comment for the names and
 * the `scale=` and `out=` options).
 */
export async function runSpeedBench(args: string[] = []): Promise<void> {
  await initTf();
  registerBuiltinEnvs();
  const options = new Map(
    args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
  );
  for (const key of options.keys())
    if (key !== 'scale' && key !== 'out')
      throw new Error(`speed bench: unknown option ${key}= (scale=, out=)`);
  const scale = Number(options.get('scale') ?? 1);
  if (!(scale > 0))
    throw new Error(`speed bench: scale must be a positive number, got ${options.get('scale')}`);
  const sections = args.filter((a) => !a.includes('='));
  const want = (s: string): boolean => sections.length === 0 || sections.includes(s);
  const budget = (steps: number): number => Math.max(1, Math.round(steps * scale));
  const started = new Date().toISOString().slice(0, 10);
  log('# Training speed: the fast learner against TF.js and PyTorch');
  log('');
  log(
    `- machine: ${describeMachine()}; TF.js backend: ${tfBackendName()}; PyTorch: ${existsSync(PYTHON) && existsSync(PEER) ? "Debian's python3-torch running ../shared/peers/ppo_torch.py" : 'not found (rows skipped)'}`,
  );
  log(
    `- command: \`npm run bench -- speed${args.length ? ' ' + args.join(' ') : ''}\` (bench/speed-bench.ts), ${started}${scale === 1 ? '' : `; step budgets × ${scale} (a quick look, not the committed figures)`}`,
  );
  log(
    '- every figure comes from this one run; sides interleaved per seed; wall times exclude periodic evaluations.',
  );
  log('');
  const peak = roofline();
  const best = Math.max(peak.js, peak.tfjs, peak.c ?? 0);
  const cText =
    peak.c === undefined
      ? 'C not measured (no gcc)'
      : `${peak.c.toFixed(2)} GFLOP/s in C (\`gcc -O3 -march=native\`, i-k-j loop)`;
  log('## Roofline');
  log('');
  log(
    `A 256×256 by 256×256 single-precision matmul on one core: ${peak.js.toFixed(2)} GFLOP/s in the JS dense kernel, ${peak.wasm === undefined ? 'no WebAssembly SIMD' : `${peak.wasm.toFixed(2)} GFLOP/s in the WebAssembly SIMD kernel`}, ${peak.tfjs.toFixed(2)} GFLOP/s in TF.js (${tfBackendName()}), ${cText}. The "of one-core matmul" columns divide by the largest, ${best.toFixed(2)} GFLOP/s.`,
  );
  log('');
  if (want('ppo-cartpole')) await sectionPpoCartpole([1, 2, 3], budget(100_000), best);
  if (want('dqn-cartpole')) await sectionDqnCartpole([1, 2], budget(50_000), best);
  if (want('egs')) await sectionEgs(budget(2048), best);
  if (want('learning')) await sectionLearning([1, 2, 3, 4, 5], scale);
  else if (sections.includes('learning-egs'))
    await sectionLearning([1, 2, 3, 4, 5], scale, 'PPO EGS-v0 (large graph policy)');
  const out = options.get('out') ?? new URL('results/speed', import.meta.url).pathname;
  await writeFileAtomic(`${out}.md`, md.join('\n') + '\n');
  await writeFileAtomic(`${out}.json`, JSON.stringify({ rows }, null, 2) + '\n');
}
