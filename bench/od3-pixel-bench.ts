/**
 * `runOd3PixelBench()`: OD3 as the paper ran it (Jang et al., IEEE Access 2020, §V) on pixels —
 * a CNN teacher trained with DQN, a budgeted CNN student — on `PixelPong-v0`
 * → the PixelPong section of bench/results/od3.md (the CartPole/Jobs sections of `runOd3Bench`
 * are kept) and one row per (env, method, variant, seed) in bench/results/od3.json.
 *
 * - CLOUD: DQN with the paper's largenet (`DQN_PAPER_TEACHER`), `steps` steps per seed; the
 *   first seed's model teaches.
 * - EDGE: DQN with the paper's smallnet (`DQN_PAPER_EDGE`) from scratch, `od3steps` steps (the
 *   same as EDGE-OD3).
 * - EDGE-OD3: the smallnet distilled from the teacher by `Od3Distiller` on its own experience
 *   (KL to the teacher's Q-values sharpened with τ = 0.01, one step per update), `od3steps`
 *   steps, plus the paper's minibatch (32 → `mb`) and update-frequency (4 → `uf`) variants.
 *
 * Every method is evaluated as the paper evaluates its DQN, ε-greedy with ε = 0.05, on the same
 * episodes (fixed reset and ε seeds). Target: 95 % of CLOUD's converged return (its last
 * evaluation), `R ≥ R_T − 0.05·|R_T|` for any sign. Finished runs are cached under `cache`.
 *
 * Run: `npm run bench -- od3 pixel [steps=60000] [od3steps=steps/3] [seeds=1,2,3] [mb=4]
 * [uf=32] [points=21] [evalEvery=…] [evalEpisodes=5] [out=…] [json=…] [cache=…]`; `mb=16,8,4
 * uf=8,16,32` gives the paper's full variant grid. Time is CLOUD's: the largenet DQN trained at
 * 30–65 environment steps/s here (3 000 steps in 46–93 s on two shared cores), so the default
 * (3 × 60 000 CLOUD steps) takes about 1–1.5 h; smaller `steps` are quicker but the teacher may
 * not converge (the paper's saw 3M Atari frames).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
import { generateCnnPolicyNet } from '../src/deploy/cnn-policy-net-generator.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { CNN_SMALLNET, cnnCost, imageShape } from '../src/nn/cnn-architecture.js';
import { initTf } from '../src/nn/tf-backend.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine } from './machine.js';
import { withMarkedSection } from './marked-section.js';
import {
  cached,
  CurveRecorder,
  meanSeries,
  reach,
  SUMMARY_HEADERS,
  summarizeRuns,
  type RunResult,
} from './od3-bench.js';

const ENV_ID = 'PixelPong-v0';

/** Settings of one run of the pixel benchmark (`key=value` arguments). */
export interface Od3PixelBenchOptions {
  /** CLOUD steps per seed. Default 60 000. */
  steps?: number;
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
  /** Evaluation interval in steps. Default steps / 20 for CLOUD, od3Steps / 20 for the others. */
  evalEvery?: number;
  /** Episodes per evaluation. Default 5. */
  evalEpisodes?: number;
  /** Markdown report (the marked PixelPong section is replaced). Default bench/results/od3.md. */
  out?: string;
  /** JSON rows (PixelPong rows replaced, others kept). Default bench/results/od3.json. */
  json?: string;
  /** Cache folder. Default runs/od3-bench/PixelPong-v0. */
  cache?: string;
}

/** One row of bench/results/od3.json. */
export interface Od3ResultRow {
  env: string;
  method: 'CLOUD' | 'EDGE' | 'EDGE-OD3';
  /** Minibatch and update frequency, e.g. `mb32-uf4`. */
  variant: string;
  seed: number;
  decisionParams: number;
  teacherParams: number;
  finalEval: number;
  /** First evaluated step at or above the target; null if never. */
  stepsToTarget: number | null;
  wallSToTarget: number | null;
}

/** Parses `key=value` arguments into {@link Od3PixelBenchOptions}. */
export function parseOd3PixelArgs(args: readonly string[]): Od3PixelBenchOptions {
  const o: Od3PixelBenchOptions = {};
  const list = (v: string): number[] => v.split(',').filter(Boolean).map(Number);
  for (const a of args) {
    const [k, v = ''] = a.split('=');
    if (k === 'steps') o.steps = Number(v);
    else if (k === 'od3steps') o.od3Steps = Number(v);
    else if (k === 'seeds') o.seeds = list(v);
    else if (k === 'mb') o.minibatches = list(v);
    else if (k === 'uf') o.updateFreqs = list(v);
    else if (k === 'points') o.points = Number(v);
    else if (k === 'evalEvery') o.evalEvery = Number(v);
    else if (k === 'evalEpisodes') o.evalEpisodes = Number(v);
    else if (k === 'out') o.out = v;
    else if (k === 'json') o.json = v;
    else if (k === 'cache') o.cache = v;
    else throw new Error(`od3 pixel: unknown argument '${a}' (see bench/od3-pixel-bench.ts)`);
  }
  return o;
}

/** Runs the benchmark (see module doc); returns the Markdown section. */
export async function runOd3PixelBench(options: Od3PixelBenchOptions = {}): Promise<string> {
  const steps = options.steps ?? 60_000;
  const od3Steps = options.od3Steps ?? Math.floor(steps / 3);
  const seeds = options.seeds ?? [1, 2, 3];
  const mbs = options.minibatches ?? [4];
  const ufs = options.updateFreqs ?? [32];
  const envOptions = { pointsToWin: options.points ?? 21 };
  const evalEpisodes = options.evalEpisodes ?? 5;
  const cloudEvery = options.evalEvery ?? Math.max(100, Math.round(steps / 20));
  const edgeEvery = options.evalEvery ?? Math.max(100, Math.round(od3Steps / 20));
  const out = options.out ?? 'bench/results/od3.md';
  const jsonOut = options.json ?? 'bench/results/od3.json';
  const cacheDir = options.cache ?? path.join('runs/od3-bench', ENV_ID, `points${envOptions.pointsToWin}`);
  await initTf();
  registerBuiltinEnvs();
  const t0 = performance.now();
  const log = (s: string): void => void process.stderr.write(`[od3 ${ENV_ID}] ${s}\n`);
  const makeEnvFn = (): Env => makeEnv(ENV_ID, { options: envOptions });
  const numActions = 6;
  const inputShape = imageShape(makeEnvFn().observationSpace, 'od3 pixel bench');
  const evalSeed = 7_000_000;

  // ε-greedy (ε = 0.05) on the same episodes and the same ε draws at every call.
  const evaluator = (greedy: (o: Float32Array) => number): (() => number) => {
    const env = makeEnvFn();
    return () => {
      const rng = new Rng(evalSeed);
      const act = (o: Float32Array): number =>
        rng.random() < DQN_PAPER_EVAL_EPSILON ? rng.int(numActions) : greedy(o);
      return evaluatePolicy((o) => act(o), env, { episodes: evalEpisodes, seed: evalSeed }).meanReturn;
    };
  };
  const runKey = (label: string, seed: number, n: number): string =>
    path.join(cacheDir, 'curves', `${label}-seed${seed}-${n}.json`);

  const dqnRun = (
    label: string,
    cfg: Readonly<DqnConfig>,
    seed: number,
    n: number,
    every: number,
    saveDir?: string,
  ): Promise<RunResult> =>
    cached(runKey(label, seed, n), async () => {
      const model = await DQN.create(makeEnvFn, { ...cfg, seed });
      const rec = new CurveRecorder(
        every,
        evaluator((o) => model.predict(o, { deterministic: true })),
      );
      await model.learn({ totalTimesteps: n, callbacks: [rec] });
      const wall = rec.trainSeconds();
      if (saveDir) await model.save(saveDir);
      await model.close();
      log(`${label} seed ${seed}: final ${rec.points.at(-1)!.ret.toFixed(2)}, ${wall.toFixed(0)} s`);
      return { label, seed, points: rec.points, wall, updates: model.counters.numUpdates };
    });

  // CLOUD: the first seed's model teaches.
  const teacherDir = path.join(cacheDir, `teacher-${steps}`);
  const cloud: RunResult[] = [];
  for (const seed of seeds) {
    const saveDir = seed === seeds[0] ? teacherDir : undefined;
    if (saveDir && !existsSync(saveDir) && existsSync(runKey('CLOUD', seed, steps)))
      (await import('node:fs/promises')).rm(runKey('CLOUD', seed, steps)); // curve without model: retrain
    cloud.push(await dqnRun('CLOUD', DQN_PAPER_TEACHER, seed, steps, cloudEvery, saveDir));
  }
  const teacherModel = await DQN.load(teacherDir, makeEnvFn);
  const teacher = teacherFromAlgorithm(teacherModel);
  const teacherReturn = cloud[0]!.points.at(-1)!.ret;
  const target = teacherReturn - 0.05 * Math.abs(teacherReturn);
  const studentParams = cnnCost(inputShape, CNN_SMALLNET, numActions).params;
  const ratio = studentParams / teacher.decisionParams;
  const generated = generateCnnPolicyNet(
    { maxParams: Math.floor(0.1 * teacher.decisionParams) },
    { inputShape, outputDim: numActions },
  );
  log(
    `teacher ${teacher.decisionParams} params, return ${teacherReturn.toFixed(2)}; smallnet ${(100 * ratio).toFixed(2)} %`,
  );

  const edge: RunResult[] = [];
  for (const seed of seeds) edge.push(await dqnRun('EDGE', DQN_PAPER_EDGE, seed, od3Steps, edgeEvery));

  let od3DecisionParams = studentParams;
  const od3Run = (label: string, cfg: Partial<Od3Config>, seed: number): Promise<RunResult> =>
    cached(runKey(label, seed, od3Steps), async () => {
      const d = await Od3Distiller.create(teacher, makeEnvFn, { ...cfg, net: CNN_SMALLNET, seed });
      od3DecisionParams = d.studentDecisionParams();
      const rec = new CurveRecorder(
        edgeEvery,
        evaluator((o) => d.predict(o, { deterministic: true })),
      );
      await d.learn({ totalTimesteps: od3Steps, callbacks: [rec] });
      const wall = rec.trainSeconds();
      const updates = d.counters.numUpdates;
      await d.close();
      log(`${label} seed ${seed}: final ${rec.points.at(-1)!.ret.toFixed(2)}, ${wall.toFixed(0)} s`);
      return { label, seed, points: rec.points, wall, updates };
    });
  const od3Variants: { label: string; variant: string; runs: RunResult[] }[] = [];
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
  for (const [label, variant, cfg] of variantCfgs) {
    const runs: RunResult[] = [];
    for (const seed of seeds) runs.push(await od3Run(label, cfg, seed));
    od3Variants.push({ label, variant, runs });
  }
  const od3 = od3Variants[0]!.runs;
  await teacherModel.close();

  // ───── rows ─────
  const row = (
    method: Od3ResultRow['method'],
    variant: string,
    params: number,
    r: RunResult,
  ): Od3ResultRow => {
    const h = reach(r.points, target);
    return {
      env: ENV_ID,
      method,
      variant,
      seed: r.seed,
      decisionParams: params,
      teacherParams: teacher.decisionParams,
      finalEval: r.points.at(-1)!.ret,
      stepsToTarget: h ? h.step : null,
      wallSToTarget: h ? Number(h.wall.toFixed(2)) : null,
    };
  };
  const rows: Od3ResultRow[] = [
    ...cloud.map((r) => row('CLOUD', 'mb32-uf4', teacher.decisionParams, r)),
    ...edge.map((r) => row('EDGE', 'mb32-uf4', studentParams, r)),
    ...od3Variants.flatMap((v) => v.runs.map((r) => row('EDGE-OD3', v.variant, od3DecisionParams, r))),
  ];
  const oldRows: Od3ResultRow[] = existsSync(jsonOut)
    ? (JSON.parse(await readFile(jsonOut, 'utf8')) as Od3ResultRow[])
    : [];
  await writeFileAtomic(
    jsonOut,
    `${JSON.stringify([...oldRows.filter((r) => r.env !== ENV_ID), ...rows], null, 1)}\n`,
  );

  // ───── report ─────
  const summarize = (label: string, runs: RunResult[]): (string | number)[] =>
    summarizeRuns(label, runs, target);
  const headers = SUMMARY_HEADERS;
  const od3Hits = od3.map((r) => reach(r.points, target));
  const pass =
    ratio <= 0.1 &&
    od3.every((r) => r.points.at(-1)!.ret >= target) &&
    od3Hits.every((h) => h !== undefined && h.step <= steps / 3);
  const md: string[] = [
    `## ${ENV_ID} (pixels: DQN CNN teacher, CNN students)`,
    '',
    `- machine: ${describeMachine()}; command: \`npm run bench -- od3 pixel steps=${steps} od3steps=${od3Steps} seeds=${seeds.join(',')} mb=${mbs.join(',')} uf=${ufs.join(',')} points=${envOptions.pointsToWin}\``,
    `- env options \`${JSON.stringify(envOptions)}\`; every method evaluated ε-greedy (ε = ${DQN_PAPER_EVAL_EPSILON}) on ${evalEpisodes} episodes from reset seed ${evalSeed}, every ${cloudEvery} steps (CLOUD) / ${edgeEvery} (EDGE, EDGE-OD3)`,
    `- CLOUD: DQN, largenet (\`DQN_PAPER_TEACHER\`: ε 1 → 0.1, Adam 2.5e-4 → 5e-5, minibatch 32, update every 4, γ 0.99), ${steps} steps; ${teacher.decisionParams} decision parameters`,
    `- EDGE: DQN, smallnet (\`DQN_PAPER_EDGE\`), ${od3Steps} steps from scratch; EDGE-OD3: smallnet distilled from the seed-${seeds[0]} CLOUD model, ${od3Steps} steps, its own experience, KL to softmax(Q_T/0.01), one Adam step per update`,
    `- student/teacher decision parameters: ${studentParams} / ${teacher.decisionParams} = **${(100 * ratio).toFixed(2)} %**; CnnPolicyNetGenerator at a 10 % budget: ${generated.explanation}`,
    `- teacher converged return (seed ${seeds[0]} last evaluation) ${teacherReturn.toFixed(2)} → target ${target.toFixed(2)}; wall times exclude evaluations; EDGE-OD3's exclude the teacher's training`,
    '',
    formatMarkdownTable(headers, [
      summarize('CLOUD', cloud),
      summarize('EDGE', edge),
      ...od3Variants.map((v) => summarize(`${v.label} (${v.variant})`, v.runs)),
    ]),
    '',
    `Acceptance (EDGE-OD3 ≥ 95 % of CLOUD in ≤ 1/3 of its steps, student ≤ 10 %): **${pass ? 'MET' : 'NOT MET'}** — steps to target ${od3Hits.map((h) => h?.step ?? '—').join('/')} of ${steps}.`,
    '',
  ];
  const plotDir = path.join(path.dirname(out), 'od3');
  const plots = [
    {
      file: 'pixelpong-steps.svg',
      x: 'step' as const,
      series: [
        ['CLOUD', cloud],
        ['EDGE', edge],
        ['EDGE-OD3', od3],
      ] as const,
    },
    {
      file: 'pixelpong-wall.svg',
      x: 'wall' as const,
      series: [
        ['CLOUD', cloud],
        ['EDGE', edge],
        ['EDGE-OD3', od3],
      ] as const,
    },
    {
      file: 'pixelpong-variants-steps.svg',
      x: 'step' as const,
      series: od3Variants.map((v) => [v.label, v.runs] as const),
    },
    {
      file: 'pixelpong-variants-wall.svg',
      x: 'wall' as const,
      series: od3Variants.map((v) => [v.label, v.runs] as const),
    },
  ];
  md.push('Plots (mean line, min–max band over seeds):', '');
  for (const p of plots) {
    const title = `${ENV_ID}: evaluation return vs ${p.x === 'step' ? 'environment steps' : 'training wall time'}`;
    await writeFileAtomic(
      path.join(plotDir, p.file),
      await renderLinePlotSvg({
        title,
        xLabel: p.x === 'step' ? 'environment steps' : 'training wall time (s)',
        yLabel: 'mean evaluation return',
        series: p.series.map(([name, runs]) => meanSeries(name, [...runs], p.x)),
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
  const old = existsSync(out) ? await readFile(out, 'utf8') : '';
  await writeFileAtomic(out, withMarkedSection(old, section));
  return section;
}
