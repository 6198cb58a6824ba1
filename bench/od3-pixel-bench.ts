/**
 * `runOd3PixelBench()`: OD3 as the paper ran it (Jang et al., IEEE Access 2020, §V) on pixels —
 * a CNN teacher trained with DQN, a budgeted CNN student — on `PixelPong-v0` or on the image
 * observation of `Jobs-v0` (`env=`) → that env's marked section of bench/results/od3.md (the
 * CartPole/Jobs sections of `runOd3Bench` and the other env's section are kept) and one row per
 * (env, method, variant, seed) in bench/results/od3.json.
 *
 * - CLOUD: DQN with the paper's largenet (`DQN_PAPER_TEACHER`), `steps` steps per seed; the
 *   first seed's model teaches.
 * - EDGE-OD3: the smallnet distilled from the teacher by `Od3Distiller` on its own experience
 *   (KL to the teacher's Q-values sharpened with τ = 0.01, one step per update), `od3steps`
 *   steps; its student is exported (float32 and int8 artifacts, C) and compared on held-out
 *   observations: argmax agreement, max |Δ output|, bytes, µs per decision (TS runtime, gcc -O2).
 * - EDGE: DQN with the paper's smallnet (`DQN_PAPER_EDGE`) from scratch, `od3steps` steps.
 * - then the paper's minibatch (32 → `mb`) and update-frequency (4 → `uf`) variants of EDGE-OD3.
 *
 * Every method is evaluated as the paper evaluates its DQN, ε-greedy with ε = 0.05, on the same
 * episodes (fixed reset and ε seeds). Target: 95 % of CLOUD's converged return (its last
 * evaluation), `R ≥ R_T − 0.05·|R_T|` for any sign. Those evaluations also validate: each run keeps
 * its best-evaluated checkpoint, and after training that checkpoint and the final policy run on
 * fresh test episodes (`testEpisodes`, reset seeds 8 000 000…), beside the teacher's final policy
 * on the same episodes: the test reading of the target, free of the pick's selection bias.
 *
 * Resumable: every finished (method, variant, seed) cell is cached under `cache` and skipped by a
 * rerun with the same arguments, and its od3.json row is written as soon as it is done;
 * `reportOnly=1` writes the report of the finished cells without training more.
 *
 * Run: `npm run bench -- od3 pixel [env=PixelPong-v0|Jobs-v0] [steps=45000|10000] [scale=1]
 * [od3steps=steps/3] [seeds=1,2,3] [mb=4] [uf=32] [points=21] [evalEvery=…] [evalEpisodes=5|10]
 * [testEpisodes=2·evalEpisodes] [reportOnly=1] [out=…] [json=…] [cache=…]`; `mb=16,8,4 uf=8,16,32` gives the paper's full
 * variant grid; `scale=K` multiplies the default steps for longer runs (or give `steps`). Time is CLOUD's: on two shared cores the
 * largenet DQN trains at 40–110 PixelPong steps/s and 15–40 Jobs-image steps/s, and a good
 * PixelPong player's evaluation episodes are long (seconds each).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DQN, type DqnConfig } from '../src/agents/dqn.js';
import {
  DQN_PAPER_EDGE,
  DQN_PAPER_EVAL_EPSILON,
  DQN_PAPER_TEACHER,
} from '../src/agents/dqn-paper-teacher.js';
import { evaluatePolicy } from '../src/agents/evaluate-policy.js';
import { teacherFromAlgorithm } from '../src/agents/od3/distillation-teacher.js';
import { Od3Distiller, type Od3Config } from '../src/agents/od3/od3-distiller.js';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import type { Env } from '../src/core/env.js';
import { makeEnv } from '../src/core/make-env.js';
import { Rng } from '../src/core/rng.js';
import { generatePolicyC, generatePolicyCHarness } from '../src/deploy/c-codegen.js';
import { generateCnnPolicyNet } from '../src/deploy/cnn-policy-net-generator.js';
import { extractPolicyArtifact } from '../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../src/deploy/inference-runtime.js';
import {
  artifactParamCount,
  decodePolicyArtifact,
  encodePolicyArtifact,
  isInt8Artifact,
  type FloatPolicyArtifact,
  type PolicyArtifact,
} from '../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../src/deploy/quantize-int8.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { CNN_LARGENET, CNN_SMALLNET, cnnCost, imageShape } from '../src/nn/cnn-architecture.js';
import { initTf } from '../src/nn/tf-backend.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { cDecisionUs, hasCc, usPerDecision } from './deploy-bench.js';
import { describeMachine } from './machine.js';
import { OD3_PIXEL_BLOCKS, upsertMarkedBlock, withResultLockSync } from './marked-section.js';
import {
  cached,
  CurveRecorder,
  meanSeries,
  reach,
  SUMMARY_HEADERS,
  summarizeRuns,
  type RunResult,
  type TestFigures,
} from './od3-bench.js';

/** An environment of the benchmark: its options, evaluation and where its results go. */
interface PixelPlan {
  /** Registered env id. */
  id: string;
  /** `env` of its od3.json rows. */
  rowEnv: string;
  /** Section title. */
  title: string;
  envOptions: Record<string, unknown>;
  /** Marked block of od3.md that it owns. */
  block: string;
  /** Prefix of its plot files. */
  plotPrefix: string;
  /** Cache folder under runs/od3-bench. */
  cacheSub: string;
  defaultSteps: number;
  defaultEvalEpisodes: number;
}

/** The benchmark's environments, by the `env=` argument. */
function pixelPlan(env: string, points: number): PixelPlan {
  if (env === 'PixelPong-v0')
    return {
      id: env,
      rowEnv: env,
      title: `${env} (pixels: DQN CNN teacher, CNN students)`,
      envOptions: { pointsToWin: points },
      block: 'od3-pixel',
      plotPrefix: 'pixelpong',
      cacheSub: path.join(env, `points${points}`),
      defaultSteps: 45_000,
      defaultEvalEpisodes: 5,
    };
  if (env === 'Jobs-v0')
    return {
      id: env,
      rowEnv: 'Jobs-v0 (image)',
      title: 'Jobs-v0, image observation (DeepRM picture: DQN CNN teacher, CNN students)',
      envOptions: { load: 'medium', workConserving: true, observation: 'image' },
      block: 'od3-pixel-jobs',
      plotPrefix: 'jobs-image',
      cacheSub: 'Jobs-v0-image',
      defaultSteps: 10_000,
      defaultEvalEpisodes: 10,
    };
  throw new Error(`od3 pixel: env must be PixelPong-v0 or Jobs-v0, got '${env}'`);
}

/** Settings of one run of the pixel benchmark (`key=value` arguments). */
export interface Od3PixelBenchOptions {
  /** `PixelPong-v0` (default) or `Jobs-v0` (its image observation). */
  env?: string;
  /** CLOUD steps per seed. Default 45 000 (PixelPong), 10 000 (Jobs): the committed runs. */
  steps?: number;
  /** Multiplies the default `steps` (longer runs; ignored when `steps` is given). Default 1. */
  scale?: number;
  /** EDGE and EDGE-OD3 steps per run. Default ⌊steps / 3⌋. */
  od3Steps?: number;
  /** Seeds of every method. Default [1, 2, 3]. */
  seeds?: number[];
  /** EDGE-OD3 minibatch variants (besides 32). Default [4]. */
  minibatches?: number[];
  /** EDGE-OD3 update-frequency variants (besides 4). Default [32]. */
  updateFreqs?: number[];
  /** PixelPong `pointsToWin`. Default 21. */
  points?: number;
  /** Evaluation interval in steps. Default steps / 12 for CLOUD, od3Steps / 12 for the others (a good PixelPong player's evaluation episodes are long). */
  evalEvery?: number;
  /** Episodes per evaluation. Default 5 (PixelPong), 10 (Jobs). */
  evalEpisodes?: number;
  /** Fresh test episodes of the final policy and of the best validated checkpoint. Default 2 × evalEpisodes. */
  testEpisodes?: number;
  /** Report only the finished (cached) cells, train nothing more (CLOUD's first seed must be done). */
  reportOnly?: boolean;
  /** Markdown report (the env's marked section is replaced). Default bench/results/od3.md. */
  out?: string;
  /** JSON rows (this env's rows upserted, others kept). Default bench/results/od3.json. */
  json?: string;
  /** Cache folder. Default runs/od3-bench/<env>. */
  cache?: string;
}

/** One row of bench/results/od3.json. */
export interface Od3ResultRow {
  env: string;
  method: 'CLOUD' | 'EDGE' | 'EDGE-OD3';
  /** Minibatch and update frequency, e.g. `mb32-uf4`. */
  variant: string;
  seed: number;
  /** Environment steps of the run. */
  steps: number;
  decisionParams: number;
  teacherParams: number;
  finalEval: number;
  /** First evaluated step at or above the target; null if never. */
  stepsToTarget: number | null;
  wallSToTarget: number | null;
  /** Training wall seconds (evaluations excluded). */
  trainWallS: number;
  /** The final policy's mean return on the fresh test episodes (null: not measured). */
  finalTest?: number | null;
  /** The best validated checkpoint's mean return on the fresh test episodes (null: not measured). */
  bestCheckpointTest?: number | null;
  /** Steps when that checkpoint was taken (null: not measured). */
  bestCheckpointStep?: number | null;
}

/**
 * Parses `key=value` arguments into {@link Od3PixelBenchOptions}; an unknown key or a value that
 * is not a positive integer (a positive number for `scale`) is an error naming the argument.
 */
export function parseOd3PixelArgs(args: readonly string[]): Od3PixelBenchOptions {
  const o: Od3PixelBenchOptions = {};
  const int = (a: string, v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1)
      throw new Error(`od3 pixel: '${a}': the value must be an integer ≥ 1, got '${v}'`);
    return x;
  };
  const list = (a: string, v: string): number[] =>
    v
      .split(',')
      .filter(Boolean)
      .map((x) => int(a, x));
  for (const a of args) {
    const [k, v = ''] = a.split('=');
    if (k === 'env') o.env = v;
    else if (k === 'steps') o.steps = int(a, v);
    else if (k === 'scale') {
      o.scale = Number(v);
      if (!(o.scale > 0) || !Number.isFinite(o.scale))
        throw new Error(`od3 pixel: '${a}': the value must be a number > 0, got '${v}'`);
    } else if (k === 'od3steps') o.od3Steps = int(a, v);
    else if (k === 'seeds') o.seeds = list(a, v);
    else if (k === 'mb') o.minibatches = list(a, v);
    else if (k === 'uf') o.updateFreqs = list(a, v);
    else if (k === 'points') o.points = int(a, v);
    else if (k === 'evalEvery') o.evalEvery = int(a, v);
    else if (k === 'evalEpisodes') o.evalEpisodes = int(a, v);
    else if (k === 'testEpisodes') o.testEpisodes = int(a, v);
    else if (k === 'reportOnly') o.reportOnly = v !== '0' && v !== 'false';
    else if (k === 'out') o.out = v;
    else if (k === 'json') o.json = v;
    else if (k === 'cache') o.cache = v;
    else throw new Error(`od3 pixel: unknown argument '${a}' (see bench/od3-pixel-bench.ts)`);
  }
  return o;
}

/**
 * Replaces the rows of `json` with the same (env, method, variant, seed) by `rows` and keeps the
 * others; synchronous read-modify-write under the file's lock and an atomic rename, so benchmark
 * processes run side by side (`npm run bench -- od3`) do not lose each other's rows.
 */
export function upsertOd3Rows(json: string, rows: readonly Od3ResultRow[]): void {
  const key = (r: Od3ResultRow): string => `${r.env}|${r.method}|${r.variant}|${r.seed}`;
  const fresh = new Set(rows.map(key));
  mkdirSync(path.dirname(json), { recursive: true });
  withResultLockSync(json, () => {
    const old: Od3ResultRow[] = existsSync(json)
      ? (JSON.parse(readFileSync(json, 'utf8')) as Od3ResultRow[])
      : [];
    const all = [...old.filter((r) => !fresh.has(key(r))), ...rows];
    all.sort((a, b) => key(a).localeCompare(key(b)));
    const tmp = `${json}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(all, null, 1)}\n`);
    renameSync(tmp, json);
  });
}

/** Figures of the exported student (float vs int8, TS runtime vs C) on held-out observations. */
export interface StudentExportFigures {
  /** Held-out observations compared. */
  observations: number;
  /** Fraction of them on which the int8 runtime picks the float runtime's action. */
  int8Agreement: number;
  /** Largest |int8 output − float output| over them and the actions. */
  int8MaxAbsDiff: number;
  /** Largest |float output| over them (the scale of the difference). */
  floatMaxAbs: number;
  /** Largest |C float output − TS float output| (the C export against the runtime). */
  cFloatMaxAbsDiff: number;
  /** Largest |C int8 output − TS int8 output|. */
  cInt8MaxAbsDiff: number;
  /** Binary artifact bytes, float32 and int8; C source + header bytes, float32 and int8. */
  bytes: { bin: number; int8: number; cFloat: number; cInt8: number };
  /** Median µs per decision (`act`): TS runtime float (default kernel), TS int8, C float, C int8 (gcc -O2). */
  us: { tsFloat: number; tsInt8: number; cFloat: number | null; cInt8: number | null };
}

/** Outputs of the generated C code (`gcc -O2`) on `states`, one row per state; undefined without a compiler. */
function cOutputs(art: PolicyArtifact, states: readonly Float32Array[]): Float32Array[] | undefined {
  if (!hasCc()) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'arbiter-od3-pixel-'));
  try {
    const c = generatePolicyC(art);
    writeFileSync(path.join(dir, c.headerFile), c.header);
    writeFileSync(path.join(dir, c.sourceFile), c.source);
    writeFileSync(path.join(dir, 'harness.c'), generatePolicyCHarness());
    const exe = path.join(dir, 'harness');
    execFileSync('cc', [
      '-std=c99',
      '-Wall',
      '-Wextra',
      '-pedantic',
      '-Werror',
      '-O2',
      '-o',
      exe,
      path.join(dir, 'harness.c'),
      path.join(dir, c.sourceFile),
      '-lm',
    ]);
    const ones = ' 1'.repeat(art.outputDim);
    const input = states
      .map((st) => `${Array.from(st, (v) => v.toPrecision(9)).join(' ')}${ones}`)
      .join('\n');
    const lines = execFileSync(exe, { input: `${input}\n`, maxBuffer: 1 << 28 })
      .toString()
      .trim()
      .split('\n');
    return lines.map((l) => Float32Array.from(l.trim().split(/\s+/).slice(0, art.outputDim).map(Number)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** {@link StudentExportFigures} of `art` on `states` (with their action masks, if any). */
export function studentExportFigures(
  art: FloatPolicyArtifact,
  states: readonly Float32Array[],
  masks: readonly (Uint8Array | undefined)[],
): StudentExportFigures {
  const q8 = quantizeInt8(art);
  const rtF = createPolicyRuntime(art);
  const rt8 = createPolicyRuntime(q8);
  let agree = 0;
  let maxDiff = 0;
  let maxAbs = 0;
  const outF: Float32Array[] = [];
  const out8: Float32Array[] = [];
  states.forEach((s, i) => {
    const f = Float32Array.from(rtF.forward(s));
    const q = Float32Array.from(rt8.forward(s));
    outF.push(f);
    out8.push(q);
    for (let a = 0; a < f.length; a++) {
      maxDiff = Math.max(maxDiff, Math.abs(q[a]! - f[a]!));
      maxAbs = Math.max(maxAbs, Math.abs(f[a]!));
    }
    if (rtF.act(s, masks[i]) === rt8.act(s, masks[i])) agree++;
  });
  const cDiff = (rows: Float32Array[] | undefined, ts: Float32Array[]): number => {
    if (!rows) return Number.NaN;
    let d = 0;
    rows.forEach((r, i) => r.forEach((v, a) => (d = Math.max(d, Math.abs(v - ts[i]![a]!)))));
    return d;
  };
  const sample = states.slice(0, 256);
  const [tsF, ts8] = usPerDecision([(o) => rtF.act(o), (o) => rt8.act(o)], [...sample], [2000, 2000], 7, 3);
  const cF = generatePolicyC(art);
  const c8 = generatePolicyC(q8);
  return {
    observations: states.length,
    int8Agreement: agree / states.length,
    int8MaxAbsDiff: maxDiff,
    floatMaxAbs: maxAbs,
    cFloatMaxAbsDiff: cDiff(cOutputs(art, states), outF),
    cInt8MaxAbsDiff: cDiff(cOutputs(q8, states), out8),
    bytes: {
      bin: encodePolicyArtifact(art).length,
      int8: encodePolicyArtifact(q8).length,
      cFloat: Buffer.byteLength(cF.source) + Buffer.byteLength(cF.header),
      cInt8: Buffer.byteLength(c8.source) + Buffer.byteLength(c8.header),
    },
    us: {
      tsFloat: tsF!.median,
      tsInt8: ts8!.median,
      cFloat: cDecisionUs(art, sample, 2000, 7, 3)?.median ?? null,
      cInt8: cDecisionUs(q8, sample, 2000, 7, 3)?.median ?? null,
    },
  };
}

/** Runs the benchmark (see module doc); returns the Markdown section. */
export async function runOd3PixelBench(options: Od3PixelBenchOptions = {}): Promise<string> {
  const plan = pixelPlan(options.env ?? 'PixelPong-v0', options.points ?? 21);
  const ENV_ID = plan.id;
  const steps = options.steps ?? Math.round(plan.defaultSteps * (options.scale ?? 1));
  const od3Steps = options.od3Steps ?? Math.floor(steps / 3);
  const seeds = options.seeds ?? [1, 2, 3];
  const mbs = options.minibatches ?? [4];
  const ufs = options.updateFreqs ?? [32];
  const envOptions = plan.envOptions;
  const evalEpisodes = options.evalEpisodes ?? plan.defaultEvalEpisodes;
  const testEpisodes = options.testEpisodes ?? 2 * evalEpisodes;
  const cloudEvery = options.evalEvery ?? Math.max(100, Math.round(steps / 12));
  const edgeEvery = options.evalEvery ?? Math.max(100, Math.round(od3Steps / 12));
  const out = options.out ?? 'bench/results/od3.md';
  const jsonOut = options.json ?? 'bench/results/od3.json';
  const cacheDir = options.cache ?? path.join('runs/od3-bench', plan.cacheSub);
  const reportOnly = options.reportOnly ?? false;
  await initTf();
  registerBuiltinEnvs();
  const t0 = performance.now();
  const log = (s: string): void => void process.stderr.write(`[od3 ${plan.rowEnv}] ${s}\n`);
  const makeEnvFn = (): Env => makeEnv(ENV_ID, { options: envOptions });
  const probe = makeEnvFn();
  if (probe.actionSpace.kind !== 'discrete') throw new Error(`od3 pixel: ${ENV_ID} needs Discrete actions`);
  const numActions = probe.actionSpace.n;
  const inputShape = imageShape(probe.observationSpace, 'od3 pixel bench');
  const evalSeed = 7_000_000;
  // Test episodes: reset seeds no evaluation (7_000_000…), export (9_000_000…) or training uses.
  const testSeed = 8_000_000;

  // ε-greedy (ε = 0.05) on the same episodes and the same ε draws at every call; random actions
  // among the allowed ones where the env masks actions.
  const randomAllowed = (rng: Rng, mask: Uint8Array | undefined): number => {
    if (!mask) return rng.int(numActions);
    const allowed: number[] = [];
    for (let a = 0; a < numActions; a++) if (mask[a]) allowed.push(a);
    return allowed[rng.int(allowed.length)]!;
  };
  type Greedy = (o: Float32Array, m: Uint8Array | undefined) => number;
  const evaluatorOn =
    (seed: number, episodes: number, tag: string) =>
    (greedy: Greedy): (() => number) => {
      const env = makeEnvFn();
      return () => {
        const rng = new Rng(seed);
        const act = (o: Float32Array, m: Uint8Array | undefined): number =>
          rng.random() < DQN_PAPER_EVAL_EPSILON ? randomAllowed(rng, m) : greedy(o, m);
        const e0 = performance.now();
        const ret = evaluatePolicy((o, m) => act(o, m as Uint8Array | undefined), env, {
          episodes,
          seed,
        }).meanReturn;
        // Progress of long runs (the log is the only sign of life between finished cells).
        log(
          `${tag} ${ret.toFixed(2)} (${((performance.now() - e0) / 1000).toFixed(1)} s) at ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
        return ret;
      };
    };
  const evaluator = evaluatorOn(evalSeed, evalEpisodes, 'eval');
  const tester = evaluatorOn(testSeed, testEpisodes, 'test');
  // The curve's evaluations double as validation: the best one's weights are kept (a copy) and,
  // with the final policy, run on the test episodes after training.
  const validated = (snapshot: () => FloatPolicyArtifact, steps: () => number) => {
    let best: { ret: number; step: number; art: FloatPolicyArtifact } | undefined;
    return {
      wrap:
        (ev: () => number): (() => number) =>
        () => {
          const ret = ev();
          if (!best || ret > best.ret) best = { ret, step: steps(), art: snapshot() };
          return ret;
        },
      test: (final: Greedy): TestFigures => {
        const rt = createPolicyRuntime(best!.art);
        const start = best!.art.actionSpace.start;
        return {
          finalTest: tester(final)(),
          bestTest: tester((o, m) => rt.act(o, m) + start)(),
          bestStep: best!.step,
          bestEval: best!.ret,
        };
      },
    };
  };
  const runKey = (label: string, seed: number, n: number): string =>
    path.join(cacheDir, 'curves', `${label}-seed${seed}-${n}.json`);
  // A finished cell from the cache; in report-only mode a missing one is skipped.
  const cell = async (file: string, make: () => Promise<RunResult>): Promise<RunResult | undefined> =>
    reportOnly && !existsSync(file) ? undefined : cached(file, make);

  const dqnRun = (
    label: string,
    cfg: Readonly<DqnConfig>,
    seed: number,
    n: number,
    every: number,
    saveDir?: string,
  ): Promise<RunResult | undefined> =>
    cell(runKey(label, seed, n), async () => {
      const model = await DQN.create(makeEnvFn, { ...cfg, seed });
      const greedy: Greedy = (o, m) => model.predict(o, { deterministic: true, mask: m });
      const check = validated(
        () => extractPolicyArtifact(model),
        () => model.counters.numTimesteps,
      );
      const rec = new CurveRecorder(every, check.wrap(evaluator(greedy)));
      await model.learn({ totalTimesteps: n, callbacks: [rec] });
      const wall = rec.trainSeconds();
      const test = check.test(greedy);
      if (saveDir) await model.save(saveDir);
      await model.close();
      log(`${label} seed ${seed}: final ${rec.points.at(-1)!.ret.toFixed(2)}, ${wall.toFixed(0)} s`);
      return { label, seed, points: rec.points, wall, updates: model.counters.numUpdates, test };
    });

  // Rows go to od3.json as soon as their cell is done (a partial run is still useful).
  let target = Number.NaN;
  let teacherParams = 0;
  const row = (
    method: Od3ResultRow['method'],
    variant: string,
    params: number,
    n: number,
    r: RunResult,
  ): Od3ResultRow => {
    const h = reach(r.points, target);
    return {
      env: plan.rowEnv,
      method,
      variant,
      seed: r.seed,
      steps: n,
      decisionParams: params,
      teacherParams,
      finalEval: r.points.at(-1)!.ret,
      stepsToTarget: h ? h.step : null,
      wallSToTarget: h ? Number(h.wall.toFixed(2)) : null,
      trainWallS: Number(r.wall.toFixed(1)),
      finalTest: r.test?.finalTest ?? null,
      bestCheckpointTest: r.test?.bestTest ?? null,
      bestCheckpointStep: r.test?.bestStep ?? null,
    };
  };

  // CLOUD: the first seed's model teaches.
  const teacherDir = path.join(cacheDir, `teacher-${steps}`);
  const cloud: RunResult[] = [];
  for (const seed of seeds) {
    const saveDir = seed === seeds[0] ? teacherDir : undefined;
    if (saveDir && !existsSync(saveDir) && existsSync(runKey('CLOUD', seed, steps)))
      await rm(runKey('CLOUD', seed, steps)); // curve without model: retrain
    const r = await dqnRun('CLOUD', DQN_PAPER_TEACHER, seed, steps, cloudEvery, saveDir);
    if (!r) continue;
    cloud.push(r);
    if (seed === seeds[0]) {
      const ret = r.points.at(-1)!.ret;
      target = ret - 0.05 * Math.abs(ret);
      teacherParams = cnnCost(inputShape, CNN_LARGENET, numActions).params;
    }
    if (teacherParams)
      upsertOd3Rows(
        jsonOut,
        cloud.map((c) => row('CLOUD', 'mb32-uf4', teacherParams, steps, c)),
      );
  }
  if (!existsSync(teacherDir))
    throw new Error(`od3 pixel: no teacher at ${teacherDir} (CLOUD seed ${seeds[0]} unfinished)`);
  const teacherModel = await DQN.load(teacherDir, makeEnvFn);
  const teacher = teacherFromAlgorithm(teacherModel);
  teacherParams = teacher.decisionParams;
  const teacherReturn = cloud[0]!.points.at(-1)!.ret;
  const studentParams = cnnCost(inputShape, CNN_SMALLNET, numActions).params;
  const ratio = studentParams / teacher.decisionParams;
  const generated = generateCnnPolicyNet(
    { maxParams: Math.floor(0.1 * teacher.decisionParams) },
    { inputShape, outputDim: numActions },
  );
  log(
    `teacher ${teacher.decisionParams} params, return ${teacherReturn.toFixed(2)}; smallnet ${(100 * ratio).toFixed(2)} %`,
  );

  let od3DecisionParams = studentParams;
  const studentFile = (seed: number): string => path.join(cacheDir, `student-seed${seed}-${od3Steps}.arbp`);
  const od3Run = (
    label: string,
    cfg: Partial<Od3Config>,
    seed: number,
    keep: boolean,
  ): Promise<RunResult | undefined> =>
    cell(runKey(label, seed, od3Steps), async () => {
      const d = await Od3Distiller.create(teacher, makeEnvFn, { ...cfg, net: CNN_SMALLNET, seed });
      od3DecisionParams = d.studentDecisionParams();
      const greedy: Greedy = (o, m) => d.predict(o, { deterministic: true, mask: m });
      const check = validated(
        () => extractPolicyArtifact(d.student),
        () => d.counters.numTimesteps,
      );
      const rec = new CurveRecorder(edgeEvery, check.wrap(evaluator(greedy)));
      await d.learn({ totalTimesteps: od3Steps, callbacks: [rec] });
      const wall = rec.trainSeconds();
      const test = check.test(greedy);
      const updates = d.counters.numUpdates;
      // The distilled student, for the int8 / C export figures.
      if (keep) {
        await mkdir(cacheDir, { recursive: true });
        await writeFileAtomic(studentFile(seed), encodePolicyArtifact(extractPolicyArtifact(d.student)));
      }
      await d.close();
      log(`${label} seed ${seed}: final ${rec.points.at(-1)!.ret.toFixed(2)}, ${wall.toFixed(0)} s`);
      return { label, seed, points: rec.points, wall, updates, test };
    });

  // Order of the cells: the main comparison first (EDGE-OD3, then EDGE), then the variants.
  const variantCfgs: [string, string, Partial<Od3Config>][] = [
    ['EDGE-OD3', 'mb32-uf4', {}],
    ...mbs.map((mb): [string, string, Partial<Od3Config>] => [
      `EDGE-OD3-MB${mb}`,
      `mb${mb}-uf4`,
      { minibatchSize: mb },
    ]),
    ...ufs.map((uf): [string, string, Partial<Od3Config>] => [
      `EDGE-OD3-UF${uf}`,
      `mb32-uf${uf}`,
      { updateFreq: uf },
    ]),
  ];
  const od3Variants: { label: string; variant: string; runs: RunResult[] }[] = variantCfgs.map(
    ([label, variant]) => ({ label, variant, runs: [] }),
  );
  const od3Rows = (): Od3ResultRow[] =>
    od3Variants.flatMap((v) => v.runs.map((r) => row('EDGE-OD3', v.variant, od3DecisionParams, od3Steps, r)));
  const runVariant = async (k: number): Promise<void> => {
    const [label, , cfg] = variantCfgs[k]!;
    for (const seed of seeds) {
      const r = await od3Run(label, cfg, seed, k === 0);
      if (r) od3Variants[k]!.runs.push(r);
      upsertOd3Rows(jsonOut, od3Rows());
    }
  };
  await runVariant(0);
  const edge: RunResult[] = [];
  for (const seed of seeds) {
    const r = await dqnRun('EDGE', DQN_PAPER_EDGE, seed, od3Steps, edgeEvery);
    if (r) edge.push(r);
    upsertOd3Rows(
      jsonOut,
      edge.map((e) => row('EDGE', 'mb32-uf4', studentParams, od3Steps, e)),
    );
  }
  for (let k = 1; k < variantCfgs.length; k++) await runVariant(k);
  const od3 = od3Variants[0]!.runs;
  await teacherModel.close();

  // ───── int8 and C export of the distilled student ─────
  const exportSeed = seeds.find((s) => existsSync(studentFile(s)));
  let exportMd: string[] = ['No distilled student saved yet: no export figures.'];
  if (exportSeed !== undefined) {
    const art = decodePolicyArtifact(new Uint8Array(await readFile(studentFile(exportSeed))));
    if (isInt8Artifact(art)) throw new Error('od3 pixel: the saved student is not a float artifact');
    // Held-out observations: the float student's own ε-greedy (ε = 0.2) episodes from reset seeds
    // no evaluation or training run uses.
    const rt = createPolicyRuntime(art);
    const env = makeEnvFn();
    const rng = new Rng(9_000_001);
    const states: Float32Array[] = [];
    const masks: (Uint8Array | undefined)[] = [];
    const heldOut = 2000;
    for (let ep = 0; states.length < heldOut; ep++) {
      const r = env.reset({ seed: 9_000_000 + ep });
      let obs = r.obs as Float32Array;
      let mask = (r.info.actionMask ?? env.actionMasks?.()) as Uint8Array | undefined;
      for (let t = 0; t < 5000 && states.length < heldOut; t++) {
        states.push(Float32Array.from(obs));
        masks.push(mask && Uint8Array.from(mask));
        const a = rng.random() < 0.2 ? randomAllowed(rng, mask) : rt.act(obs, mask);
        const s = env.step(a + art.actionSpace.start);
        if (s.terminated || s.truncated) break;
        obs = s.obs as Float32Array;
        mask = (s.info.actionMask ?? env.actionMasks?.()) as Uint8Array | undefined;
      }
    }
    const f = studentExportFigures(art, states, masks);
    await writeFileAtomic(
      path.join(cacheDir, 'export-figures.json'),
      JSON.stringify({ seed: exportSeed, ...f }, null, 1),
    );
    const us = (v: number | null): string => (v === null ? '— (no C compiler)' : v.toFixed(2));
    exportMd = [
      `Student of seed ${exportSeed} (${artifactParamCount(art)} parameters) on ${f.observations} held-out observations (its own ε = 0.2 episodes from reset seeds 9000000…):`,
      '',
      formatMarkdownTable(
        ['form', 'bytes', 'argmax agreement with float', 'max |Δ output| vs float TS', 'µs / decision'],
        [
          ['float32 TS runtime', f.bytes.bin, '—', '—', f.us.tsFloat.toFixed(2)],
          [
            'int8 TS runtime',
            f.bytes.int8,
            `${(100 * f.int8Agreement).toFixed(2)} %`,
            `${f.int8MaxAbsDiff.toPrecision(3)} (float outputs up to ${f.floatMaxAbs.toPrecision(3)})`,
            f.us.tsInt8.toFixed(2),
          ],
          [
            'float32 C (gcc -O2)',
            f.bytes.cFloat,
            '—',
            `${f.cFloatMaxAbsDiff.toPrecision(3)} vs float TS`,
            us(f.us.cFloat),
          ],
          [
            'int8 C (gcc -O2)',
            f.bytes.cInt8,
            '—',
            `${f.cInt8MaxAbsDiff.toPrecision(3)} vs int8 TS`,
            us(f.us.cInt8),
          ],
        ],
      ),
      '',
      'Bytes: the binary artifact (`.arbp`) for the TS runtime, source + header for C. C compiled with `gcc -std=c99 -Wall -Wextra -pedantic -Werror -O2`; µs per decision are medians of 7 rounds of 2000 decisions on 256 of the observations, in one process on the loaded machine (ratios within this table only).',
    ];
  }

  // ───── report ─────
  const summarize = (label: string, runs: RunResult[]): (string | number)[] =>
    summarizeRuns(label, runs, target);
  const od3Hits = od3.map((r) => reach(r.points, target));
  const pass =
    ratio <= 0.1 &&
    od3.length === seeds.length &&
    od3.every((r) => r.points.at(-1)!.ret >= target) &&
    od3Hits.every((h) => h !== undefined && h.step <= steps / 3);
  // The test reading: the best validated checkpoint (what a deployer ships) against the teacher,
  // both on the fresh test episodes, so the pick of the checkpoint cannot flatter it.
  const testSection = (): string[] => {
    const teacherTest = cloud[0]?.test?.finalTest;
    if (teacherTest === undefined) return [];
    const targetTest = teacherTest - 0.05 * Math.abs(teacherTest);
    const tested = od3.filter((r) => r.test);
    const passTest =
      ratio <= 0.1 && tested.length === seeds.length && tested.every((r) => r.test!.bestTest >= targetTest);
    const f = (x: number): string => x.toFixed(2);
    return [
      `### Fresh test episodes (${testEpisodes} from reset seed ${testSeed}, ε = ${DQN_PAPER_EVAL_EPSILON})`,
      '',
      `Each run keeps the checkpoint of its best evaluation above (the validation episodes) and runs it, and its final policy, on ${testEpisodes} test episodes no evaluation or training uses. Teacher (CLOUD seed ${seeds[0]}, final) on them: ${f(teacherTest)} → test target ${f(targetTest)}.`,
      '',
      formatMarkdownTable(
        ['method', 'seed', 'final: validation', 'final: test', 'best checkpoint: step', 'validation', 'test'],
        [
          ...cloud.map((r) => ['CLOUD', r] as const),
          ...edge.map((r) => ['EDGE', r] as const),
          ...od3Variants.flatMap((v) => v.runs.map((r) => [v.label, r] as const)),
        ]
          .filter(([, r]) => r.test)
          .map(([m, r]) => [
            m,
            r.seed,
            f(r.points.at(-1)!.ret),
            f(r.test!.finalTest),
            r.test!.bestStep,
            f(r.test!.bestEval),
            f(r.test!.bestTest),
          ]),
      ),
      '',
      `Acceptance, test reading (every EDGE-OD3 seed's best validated checkpoint, taken within its ${od3Steps} steps = 1/3 of CLOUD's, ≥ 95 % of the teacher on the test episodes; student ≤ 10 %): **${passTest ? 'MET' : 'NOT MET'}** — ${tested.map((r) => f(r.test!.bestTest)).join(' / ')} vs ${f(targetTest)}; final policies ${tested.map((r) => f(r.test!.finalTest)).join(' / ')}.`,
      '',
    ];
  };
  const args = [
    `env=${ENV_ID}`,
    `steps=${steps}`,
    `od3steps=${od3Steps}`,
    `seeds=${seeds.join(',')}`,
    `mb=${mbs.join(',')}`,
    `uf=${ufs.join(',')}`,
    ...(ENV_ID === 'PixelPong-v0' ? [`points=${String(envOptions.pointsToWin)}`] : []),
    `evalEpisodes=${evalEpisodes}`,
    `testEpisodes=${testEpisodes}`,
    ...(options.evalEvery ? [`evalEvery=${options.evalEvery}`] : []),
  ].join(' ');
  const done = (runs: RunResult[]): string =>
    runs.length < seeds.length ? ` (${runs.length}/${seeds.length} seeds done)` : '';
  const md: string[] = [
    `## ${plan.title}`,
    '',
    `- machine: ${describeMachine()}; command: \`nice -n 5 npm run bench -- od3 pixel ${args}\``,
    `- env options \`${JSON.stringify(envOptions)}\`; every method evaluated ε-greedy (ε = ${DQN_PAPER_EVAL_EPSILON}) on ${evalEpisodes} episodes from reset seed ${evalSeed}, every ${cloudEvery} steps (CLOUD) / ${edgeEvery} (EDGE, EDGE-OD3)`,
    `- CLOUD: DQN, largenet (\`DQN_PAPER_TEACHER\`: ε 1 → 0.1 over 10 % of the steps, Adam 2.5e-4 → 5e-5, minibatch 32, update every 4, γ 0.99, memory 100k, target every 1000), ${steps} steps; ${teacher.decisionParams} decision parameters`,
    `- EDGE: DQN, smallnet (\`DQN_PAPER_EDGE\`), ${od3Steps} steps from scratch; EDGE-OD3: smallnet distilled from the seed-${seeds[0]} CLOUD model, ${od3Steps} steps, its own experience, KL to softmax(Q_T/0.01), one Adam step per update`,
    `- student/teacher decision parameters: ${studentParams} / ${teacher.decisionParams} = **${(100 * ratio).toFixed(2)} %**; CnnPolicyNetGenerator at a 10 % budget: ${generated.explanation}`,
    `- teacher converged return (seed ${seeds[0]} last evaluation) ${teacherReturn.toFixed(2)} → target ${target.toFixed(2)}; wall times exclude evaluations; EDGE-OD3's exclude the teacher's training`,
    '',
    formatMarkdownTable(SUMMARY_HEADERS, [
      summarize(`CLOUD${done(cloud)}`, cloud),
      ...(edge.length ? [summarize(`EDGE${done(edge)}`, edge)] : []),
      ...od3Variants
        .filter((v) => v.runs.length > 0)
        .map((v) => summarize(`${v.label} (${v.variant})${done(v.runs)}`, v.runs)),
    ]),
    '',
    `Acceptance (EDGE-OD3 ≥ 95 % of CLOUD in ≤ 1/3 of its steps on every seed, student ≤ 10 %): **${pass ? 'MET' : 'NOT MET'}** — EDGE-OD3 steps to target ${od3Hits.map((h) => h?.step ?? '—').join('/')} (budget ${od3Steps} = 1/3 of CLOUD's ${steps}).`,
    '',
    '<details><summary>per seed</summary>',
    '',
    formatMarkdownTable(
      [
        'method',
        'seed',
        'steps',
        'final eval',
        'best eval',
        'first step ≥ target',
        'wall s then',
        'train wall s',
      ],
      [
        ...cloud.map((r) => ['CLOUD', r, steps] as const),
        ...edge.map((r) => ['EDGE', r, od3Steps] as const),
        ...od3Variants.flatMap((v) => v.runs.map((r) => [v.label, r, od3Steps] as const)),
      ].map(([m, r, n]) => {
        const h = reach(r.points, target);
        return [
          m,
          r.seed,
          n,
          r.points.at(-1)!.ret.toFixed(2),
          Math.max(...r.points.map((p) => p.ret)).toFixed(2),
          h ? h.step : '—',
          h ? h.wall.toFixed(1) : '—',
          r.wall.toFixed(1),
        ];
      }),
    ),
    '',
    '</details>',
    '',
    ...testSection(),
    '### Exported student (int8, C)',
    '',
    ...exportMd,
    '',
  ];
  const plotDir = path.join(path.dirname(out), 'od3');
  const main = [
    ['CLOUD', cloud],
    ['EDGE', edge],
    ['EDGE-OD3', od3],
  ] as const;
  const variants = od3Variants.map((v) => [v.label, v.runs] as const);
  const plots = [
    { file: `${plan.plotPrefix}-steps.svg`, x: 'step' as const, series: main },
    { file: `${plan.plotPrefix}-wall.svg`, x: 'wall' as const, series: main },
    { file: `${plan.plotPrefix}-variants-steps.svg`, x: 'step' as const, series: variants },
    { file: `${plan.plotPrefix}-variants-wall.svg`, x: 'wall' as const, series: variants },
  ];
  md.push('Plots (mean line, min–max band over seeds):', '');
  for (const p of plots) {
    const series = p.series.filter(([, runs]) => runs.length > 0);
    if (series.length === 0) continue;
    const title = `${plan.rowEnv}: evaluation return vs ${p.x === 'step' ? 'environment steps' : 'training wall time'}`;
    await writeFileAtomic(
      path.join(plotDir, p.file),
      await renderLinePlotSvg({
        title,
        xLabel: p.x === 'step' ? 'environment steps' : 'training wall time (s)',
        yLabel: 'mean evaluation return',
        series: series.map(([name, runs]) => meanSeries(name, [...runs], p.x)),
        hline: { y: target, label: `95% of teacher (${target.toFixed(1)})` },
      }),
    );
    md.push(`- [${p.file}](od3/${p.file})`);
  }
  md.push(
    '',
    `Section wall time: ${((performance.now() - t0) / 60_000).toFixed(1)} min (cached runs not re-timed).`,
  );
  const section = md.join('\n');
  await upsertMarkedBlock(out, section, plan.block, OD3_PIXEL_BLOCKS);
  return section;
}
