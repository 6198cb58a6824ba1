/**
 * `runOd3Bench()`: the OD3 seed's comparison (Jang et al., IEEE Access 2020, §V) on this
 * project's environments → bench/results/od3.md and SVG plots under bench/results/od3/.
 *
 * - CLOUD: a large PPO teacher (hidden 128×128) trained from scratch, one run per seed.
 * - EDGE: PPO from scratch with the student architecture, the same hyper-parameters otherwise.
 * - EDGE-OD3: the student distilled from the seed-1 CLOUD model with `Od3Distiller` (the student
 *   acts ε-greedily, states go to a replay memory, minibatches labeled by the teacher logits
 *   sharpened with τ = 0.01, KL loss), plus the seed's minibatch (32/16/8/4) and update-frequency
 *   (4/8/16/32) variants.
 *
 * The student architecture is what `generatePolicyNet` returns for a budget of 10% of the
 * teacher's decision-network parameters. Every curve point is a deterministic evaluation on the
 * same held-out episodes (fixed reset seed); wall time is training time without the evaluations
 * (the teacher's own training is not counted in EDGE-OD3's time: it happened "in the cloud").
 * "Target" is 95% of the teacher's converged return — for Jobs, where returns are negative
 * (−Σ slowdown), a return at most 5% below the teacher's: `R ≥ R_T − 0.05·|R_T|`.
 *
 * Teachers and every finished run's curve are cached under `runs/od3-bench/` (gitignored), so an
 * interrupted bench resumes and a rerun only redoes what is missing (delete the folder to start
 * over). Run: `npm run bench -- od3`, or `npx tsx bench/od3-bench.ts [--scale 0.5] [--seeds 1,2,3]
 * [--envs CartPole-v1,Jobs-v0] [--no-variants]`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import type { Callback, TrainingContext } from '../src/agents/callbacks.js';
import { teacherFromAlgorithm } from '../src/agents/od3/distillation-teacher.js';
import { evaluatePolicy } from '../src/agents/evaluate-policy.js';
import { Od3Distiller, type Od3Config } from '../src/agents/od3/od3-distiller.js';
import { PPO, type PpoConfig } from '../src/agents/ppo.js';
import type { Env } from '../src/core/env.js';
import { makeEnv } from '../src/core/make-env.js';
import { extractPolicyArtifact } from '../src/deploy/extract-policy-artifact.js';
import { artifactParamCount, encodePolicyArtifact } from '../src/deploy/policy-artifact.js';
import { generatePolicyNet, type PolicyNetChoice } from '../src/deploy/policy-net-generator.js';
import { quantizeInt8 } from '../src/deploy/quantize-int8.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { initTf, tfBackendName } from '../src/nn/tf-backend.js';
import { renderLinePlotSvg, type LinePlotSeries } from '../src/report/line-plot-svg.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { JOBS_ENV_OPTIONS, JOBS_EVAL_SEED, PPO_JOBS } from './jobs-learning.js';
import { describeMachine } from './machine.js';
import { PPO_CARTPOLE } from './rl-learning.js';
import { mean, populationStd as std } from '../src/core/statistics.js';
import { OD3_PIXEL_BLOCKS, rewriteKeepingMarkedSections } from './marked-section.js';

/** How one environment is run. */
interface EnvPlan {
  id: 'CartPole-v1' | 'Jobs-v0';
  envOptions: Record<string, unknown>;
  /** PPO settings of CLOUD and EDGE (the policy's hidden sizes are set per method). */
  ppo: Partial<PpoConfig>;
  teacherHidden: number[];
  /** Steps of CLOUD and EDGE runs. */
  ppoSteps: number;
  /** Evaluate CLOUD and EDGE every this many steps. */
  ppoEvalEvery: number;
  /** Steps of each EDGE-OD3 run. */
  od3Steps: number;
  od3EvalEvery: number;
  /** Distiller overrides. */
  od3: Partial<Od3Config>;
  evalEpisodes: number;
  evalSeed: number;
}

const PLANS: Record<EnvPlan['id'], EnvPlan> = {
  'CartPole-v1': {
    id: 'CartPole-v1',
    envOptions: {},
    ppo: PPO_CARTPOLE,
    teacherHidden: [128, 128],
    ppoSteps: 100_000,
    ppoEvalEvery: 4_000,
    od3Steps: 15_000,
    od3EvalEvery: 500,
    od3: {},
    evalEpisodes: 10,
    evalSeed: 5_000_000,
  },
  'Jobs-v0': {
    id: 'Jobs-v0',
    envOptions: { ...JOBS_ENV_OPTIONS },
    ppo: PPO_JOBS,
    teacherHidden: [128, 128],
    ppoSteps: 300_000,
    ppoEvalEvery: 10_000,
    od3Steps: 30_000,
    od3EvalEvery: 1_000,
    od3: {},
    evalEpisodes: 50,
    evalSeed: JOBS_EVAL_SEED,
  },
};

/** Options of {@link runOd3Bench}. */
export interface Od3BenchOptions {
  /** Environments (default both). */
  envs?: EnvPlan['id'][];
  /** Seeds of every method (default [1, 2, 3]). */
  seeds?: number[];
  /** Run the minibatch and update-frequency variants (default true). */
  variants?: boolean;
  /** Multiplies every step budget and evaluation interval (default 1; e.g. 0.25 for a smoke run). */
  scale?: number;
  /** Cache folder (default `runs/od3-bench`). */
  cacheDir?: string;
  /** Markdown report; `null` writes nothing (default `bench/results/od3.md`). */
  out?: string | null;
}

/** One evaluation of a learning curve. */
export interface CurvePoint {
  /** Environment steps (the nominal grid point; at the end, the steps done). */
  step: number;
  /** Training wall seconds so far, evaluations excluded. */
  wall: number;
  /** Mean evaluation return. */
  ret: number;
}

/** A finished run. */
export interface RunResult {
  label: string;
  seed: number;
  points: CurvePoint[];
  /** Training wall seconds (evaluations excluded). */
  wall: number;
  /** Gradient updates done. */
  updates: number;
  /** Where measured: the final and the best validated policy on fresh test episodes. */
  test?: TestFigures;
}

/**
 * A run's policy on fresh test episodes (never used to pick anything): the final one, and the
 * checkpoint with the best validation return (the curve's evaluations), as a deployer ships it.
 */
export interface TestFigures {
  /** Mean test return of the policy at the end of training. */
  finalTest: number;
  /** Mean test return of the best validated checkpoint. */
  bestTest: number;
  /** Environment steps when that checkpoint was taken. */
  bestStep: number;
  /** Its validation return (the curve's value there). */
  bestEval: number;
}

/**
 * Records the deterministic evaluation return every `every` steps, at 0 and at the last step (once,
 * when the last step is also a grid point).
 */
export class CurveRecorder implements Callback {
  readonly points: CurvePoint[] = [];
  private next = 0;
  private t0 = 0;
  private evalMs = 0;
  /** The actual step count at the last evaluation. */
  private lastAt = -1;

  constructor(
    private readonly every: number,
    private readonly evaluate: () => number,
  ) {}

  onTrainingStart(): void {
    this.t0 = performance.now();
    this.record(0, 0);
    this.next = this.every;
  }

  onStep(ctx: TrainingContext): void {
    if (ctx.numTimesteps < this.next) return;
    this.record(this.next, ctx.numTimesteps);
    while (this.next <= ctx.numTimesteps) this.next += this.every;
  }

  // A budget that is no multiple of `every` would otherwise end on the last grid point before it
  // (e.g. 4,587 of 5,000 steps); none is added when the last step was just evaluated.
  onTrainingEnd(ctx: TrainingContext): void {
    if (this.lastAt !== ctx.numTimesteps) this.record(ctx.numTimesteps, ctx.numTimesteps);
  }

  trainSeconds(): number {
    return (performance.now() - this.t0 - this.evalMs) / 1000;
  }

  private record(step: number, at: number): void {
    this.lastAt = at;
    const wall = this.trainSeconds();
    const e0 = performance.now();
    const ret = this.evaluate();
    this.evalMs += performance.now() - e0;
    this.points.push({ step, wall, ret });
  }
}

/** Mean deterministic return on the plan's held-out episodes (same episodes every call). */
function evaluator(
  plan: EnvPlan,
  env: Env,
  predict: (o: Float32Array, m: Uint8Array | undefined) => number,
): () => number {
  return () =>
    evaluatePolicy((o, m) => predict(o, m), env, { episodes: plan.evalEpisodes, seed: plan.evalSeed })
      .meanReturn;
}

/** `mean ± std` of `xs` (– when empty). */
export const pm = (xs: readonly number[], digits = 1): string =>
  xs.length === 0 ? '–' : `${mean(xs).toFixed(digits)} ± ${std(xs).toFixed(digits)}`;

/** First point at or above the target, or undefined. */
export function reach(points: readonly CurvePoint[], target: number): CurvePoint | undefined {
  return points.find((p) => p.ret >= target);
}

/** A plot line: the mean return over `runs` at each curve point against steps or wall time, min–max band. */
export function meanSeries(name: string, runs: RunResult[], x: 'step' | 'wall'): LinePlotSeries {
  const n = Math.min(...runs.map((r) => r.points.length));
  const at = (i: number): number[] => runs.map((r) => r.points[i]!.ret);
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    name,
    x: idx.map((i) => mean(runs.map((r) => r.points[i]![x]))),
    y: idx.map((i) => mean(at(i))),
    band: { lo: idx.map((i) => Math.min(...at(i))), hi: idx.map((i) => Math.max(...at(i))) },
  };
}

/** Columns of {@link summarizeRuns}. */
export const SUMMARY_HEADERS = [
  'method',
  'final eval',
  'best eval',
  'steps to target',
  'wall s to target',
  'train wall s',
  'updates',
];

/** One summary table row of `runs` (mean ± std over seeds) against the return `target`. */
export function summarizeRuns(label: string, runs: RunResult[], target: number): (string | number)[] {
  const hits = runs.map((r) => reach(r.points, target)).filter((p): p is CurvePoint => p !== undefined);
  return [
    label,
    pm(
      runs.map((r) => r.points.at(-1)!.ret),
      2,
    ),
    pm(
      runs.map((r) => Math.max(...r.points.map((p) => p.ret))),
      2,
    ),
    `${pm(
      hits.map((h) => h.step),
      0,
    )} (${hits.length}/${runs.length})`,
    pm(
      hits.map((h) => h.wall),
      1,
    ),
    pm(
      runs.map((r) => r.wall),
      1,
    ),
    pm(
      runs.map((r) => r.updates),
      0,
    ),
  ];
}

/** Runs the benchmark (see module doc); returns the Markdown. */
export async function runOd3Bench(options: Od3BenchOptions = {}): Promise<string> {
  const seeds = options.seeds ?? [1, 2, 3];
  const scale = options.scale ?? 1;
  const cacheDir = options.cacheDir ?? 'runs/od3-bench';
  const out = options.out === undefined ? 'bench/results/od3.md' : options.out;
  const plotDir = out === null ? undefined : path.join(path.dirname(out), 'od3');
  const withVariants = options.variants ?? true;
  await initTf();
  registerBuiltinEnvs();
  const t0 = performance.now();
  const md: string[] = [
    '# OD3: on-device DRL with distillation (CLOUD, EDGE, EDGE-OD3)',
    '',
    `- machine: ${describeMachine()}; TF.js backend: ${tfBackendName() ?? 'unknown'}; shared with other work (the load while it ran: the whole benchmark's run, below)`,
    `- command: bench/od3-bench.ts (\`npm run bench -- od3 mlp\`, one part of \`npm run bench -- od3\`; or \`npx tsx bench/od3-bench.ts\`), seeds ${seeds.join(', ')}, scale ${scale}${withVariants ? '' : ', no variants'}`,
    '- CLOUD: PPO teacher, hidden 128×128, trained from scratch (one run per seed; the seed-1 model teaches).',
    '- EDGE: PPO from scratch with the student architecture, same hyper-parameters as CLOUD.',
    '- EDGE-OD3: the student distilled from the seed-1 CLOUD model by `Od3Distiller` (student acts ε-greedily, ε 1 → 0.05 over the first 10% of steps; replay memory of its states; minibatch labeled by `softmax(z_T/τ)`, τ = 0.01; one Adam step (lr 1e-3) on the KL divergence per update).',
    '- student architecture: `generatePolicyNet({ maxParams: ⌊0.1 × teacher decision params⌋ })` (MLP, 2 hidden layers of equal width, widths in steps of 8).',
    '- every curve point: deterministic evaluation on the same held-out episodes; wall time = training time without the evaluations; EDGE-OD3 wall time does not include the teacher’s training.',
    '- target: 95% of the teacher’s converged return (its final evaluation); for negative returns (Jobs: −Σ slowdown) `R ≥ R_T − 0.05·|R_T|`.',
    '- ± is the population standard deviation over seeds; "steps to target" counts only the seeds that reached it (n/N).',
    '- updates: PPO rollouts (each 4 epochs × 4 minibatches) for CLOUD/EDGE; minibatch KL steps for EDGE-OD3.',
    '',
  ];
  const verdicts: string[] = [];
  for (const id of options.envs ?? (['CartPole-v1', 'Jobs-v0'] as const)) {
    const base = PLANS[id];
    const plan: EnvPlan = {
      ...base,
      ppoSteps: Math.round(base.ppoSteps * scale),
      ppoEvalEvery: Math.max(100, Math.round(base.ppoEvalEvery * scale)),
      od3Steps: Math.round(base.od3Steps * scale),
      od3EvalEvery: Math.max(100, Math.round(base.od3EvalEvery * scale)),
    };
    const section = await benchEnv(plan, seeds, withVariants, path.join(cacheDir, id), plotDir);
    md.push(...section.md);
    verdicts.push(section.verdict);
  }
  md.push('## Acceptance', '', ...verdicts.map((v) => `- ${v}`), '');
  md.push(
    `MLP sections: ${((performance.now() - t0) / 60_000).toFixed(1)} min wall (cached runs not re-timed; the whole benchmark's run is stated below).`,
    '',
  );
  const text = md.join('\n');
  if (out !== null) {
    // The pixel sections (bench/od3-pixel-bench.ts) are their own runs: keep them.
    await rewriteKeepingMarkedSections(out, OD3_PIXEL_BLOCKS, () => text);
  }
  return text;
}

/**
 * Parses the `key=value` arguments of `npm run bench -- od3 mlp` (`scale=`, `seeds=`, `envs=`,
 * `variants=0`, `out=`, `cache=`) into {@link Od3BenchOptions}; an unknown key or a bad value is
 * an error naming the argument.
 */
export function parseOd3MlpArgs(args: readonly string[]): Od3BenchOptions {
  const o: Od3BenchOptions = {};
  for (const a of args) {
    const [k, v = ''] = a.split('=');
    if (k === 'scale') {
      o.scale = Number(v);
      if (!(o.scale > 0) || !Number.isFinite(o.scale))
        throw new Error(`od3 mlp: '${a}': the value must be a number > 0, got '${v}'`);
    } else if (k === 'seeds') {
      o.seeds = v.split(',').map(Number);
      if (o.seeds.length === 0 || o.seeds.some((x) => !Number.isInteger(x) || x < 0))
        throw new Error(`od3 mlp: '${a}': seeds are integers ≥ 0, got '${v}'`);
    } else if (k === 'envs') {
      const envs = v.split(',');
      const bad = envs.filter((e) => !(e in PLANS));
      if (bad.length > 0)
        throw new Error(`od3 mlp: '${a}': envs are ${Object.keys(PLANS).join(', ')}, got '${v}'`);
      o.envs = envs as EnvPlan['id'][];
    } else if (k === 'variants') o.variants = v !== '0' && v !== 'false';
    else if (k === 'out' && v) o.out = v;
    else if (k === 'cache' && v) o.cacheDir = v;
    else throw new Error(`od3 mlp: unknown argument '${a}' (scale=, seeds=, envs=, variants=, out=, cache=)`);
  }
  return o;
}

/** `make()`'s value, cached as JSON in `file`. */
export async function cached<T>(file: string, make: () => Promise<T>): Promise<T> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as T;
  const v = await make();
  await writeFileAtomic(file, JSON.stringify(v));
  return v;
}

async function benchEnv(
  plan: EnvPlan,
  seeds: number[],
  withVariants: boolean,
  cacheDir: string,
  plotDir: string | undefined,
): Promise<{ md: string[]; verdict: string }> {
  const makeEnvFn = (): Env => makeEnv(plan.id, { options: plan.envOptions });
  const log = (s: string): void => void process.stderr.write(`[od3 ${plan.id}] ${s}\n`);
  const runKey = (label: string, seed: number, steps: number): string =>
    path.join(cacheDir, 'curves', `${label}-seed${seed}-${steps}.json`);

  const ppoRun = async (
    label: string,
    hidden: number[],
    seed: number,
    saveDir?: string,
  ): Promise<RunResult> =>
    cached(runKey(label, seed, plan.ppoSteps), async () => {
      const model = await PPO.create(makeEnvFn, {
        ...plan.ppo,
        seed,
        policy: { ...plan.ppo.policy, hiddenSizes: hidden },
      });
      const rec = new CurveRecorder(
        plan.ppoEvalEvery,
        evaluator(
          plan,
          makeEnvFn(),
          (o, m) => model.predict(o, { deterministic: true, ...(m && { mask: m }) }) as number,
        ),
      );
      await model.learn({ totalTimesteps: plan.ppoSteps, callbacks: [rec] });
      const wall = rec.trainSeconds();
      if (saveDir) await model.save(saveDir);
      await model.close();
      log(`${label} seed ${seed}: final ${rec.points.at(-1)!.ret.toFixed(1)}, ${wall.toFixed(0)} s`);
      return { label, seed, points: rec.points, wall, updates: model.counters.numUpdates };
    });

  // CLOUD: the seed-1 (first seed) model is saved and teaches every student.
  const teacherDir = path.join(cacheDir, `teacher-${plan.ppoSteps}`);
  const cloud: RunResult[] = [];
  for (const seed of seeds)
    cloud.push(await ppoRun('CLOUD', plan.teacherHidden, seed, seed === seeds[0] ? teacherDir : undefined));
  if (!existsSync(teacherDir)) {
    // The curve was cached but the model folder is gone: retrain it.
    const { rm } = await import('node:fs/promises');
    await rm(runKey('CLOUD', seeds[0]!, plan.ppoSteps));
    cloud[0] = await ppoRun('CLOUD', plan.teacherHidden, seeds[0]!, teacherDir);
  }
  const teacherModel = await PPO.load(teacherDir, makeEnvFn);
  const teacher = teacherFromAlgorithm(teacherModel);
  const teacherReturn = cloud[0]!.points.at(-1)!.ret;
  const target = teacherReturn - 0.05 * Math.abs(teacherReturn);
  const budget = Math.floor(0.1 * teacher.decisionParams);
  const student: PolicyNetChoice = generatePolicyNet(
    { maxParams: budget },
    { inputDim: teacher.obsDim, outputDim: teacher.numActions },
  );
  log(`teacher ${teacher.decisionParams} params, return ${teacherReturn.toFixed(2)}; ${student.explanation}`);

  const edge: RunResult[] = [];
  for (const seed of seeds) edge.push(await ppoRun('EDGE', student.hiddenSizes, seed));

  const od3Run = async (label: string, cfg: Partial<Od3Config>, seed: number): Promise<RunResult> =>
    cached(runKey(label, seed, plan.od3Steps), async () => {
      const d = await Od3Distiller.create(teacher, makeEnvFn, {
        ...plan.od3,
        ...cfg,
        hiddenSizes: student.hiddenSizes,
        seed,
      });
      const rec = new CurveRecorder(
        plan.od3EvalEvery,
        evaluator(plan, makeEnvFn(), (o, m) => d.predict(o, { deterministic: true, ...(m && { mask: m }) })),
      );
      await d.learn({ totalTimesteps: plan.od3Steps, callbacks: [rec] });
      const wall = rec.trainSeconds();
      const updates = d.counters.numUpdates;
      await d.close();
      log(`${label} seed ${seed}: final ${rec.points.at(-1)!.ret.toFixed(1)}, ${wall.toFixed(0)} s`);
      return { label, seed, points: rec.points, wall, updates };
    });
  const od3: RunResult[] = [];
  for (const seed of seeds) od3.push(await od3Run('EDGE-OD3', {}, seed));

  const variants: { label: string; runs: RunResult[] }[] = [];
  if (withVariants) {
    for (const mb of [16, 8, 4]) {
      const label = `EDGE-OD3-MB${mb}`;
      const runs: RunResult[] = [];
      for (const seed of seeds) runs.push(await od3Run(label, { minibatchSize: mb }, seed));
      variants.push({ label, runs });
    }
    for (const uf of [8, 16, 32]) {
      const label = `EDGE-OD3-LF${uf}`;
      const runs: RunResult[] = [];
      for (const seed of seeds) runs.push(await od3Run(label, { updateFreq: uf }, seed));
      variants.push({ label, runs });
    }
  }

  // ───── sizes ─────
  const teacherArt = extractPolicyArtifact(teacherModel);
  const studentModel = await PPO.create(makeEnvFn, {
    ...plan.ppo,
    policy: { ...plan.ppo.policy, hiddenSizes: student.hiddenSizes },
  });
  const studentArt = extractPolicyArtifact(studentModel);
  const sizeRow = (
    name: string,
    art: ReturnType<typeof extractPolicyArtifact>,
    total: number,
  ): (string | number)[] => [
    name,
    [art.inputDim, ...art.layers.map((l) => l.outputDim)].join('→'),
    artifactParamCount(art),
    total,
    encodePolicyArtifact(art).length,
    encodePolicyArtifact(quantizeInt8(art)).length,
  ];
  const studentActorParams = artifactParamCount(studentArt);
  const sizeRows = [
    sizeRow('CLOUD (teacher)', teacherArt, teacher.totalParams),
    sizeRow('EDGE', studentArt, (studentModel.policy as unknown as { numParams(): number }).numParams()),
    sizeRow('EDGE-OD3 (student)', studentArt, studentActorParams),
  ];
  await studentModel.close();
  const paramRatio = studentActorParams / artifactParamCount(teacherArt);

  // ───── tables ─────
  const summarize = (label: string, runs: RunResult[]): (string | number)[] =>
    summarizeRuns(label, runs, target);
  const perSeed = (runs: RunResult[]): (string | number)[][] =>
    runs.map((r) => {
      const h = reach(r.points, target);
      return [
        r.label,
        r.seed,
        r.points.at(-1)!.step,
        r.points.at(-1)!.ret,
        h ? h.step : 'not reached',
        h ? h.wall.toFixed(1) : '–',
        r.wall.toFixed(1),
      ];
    });
  const headers = SUMMARY_HEADERS;

  const od3Hits = od3.map((r) => reach(r.points, target));
  const edgeHits = edge.map((r) => reach(r.points, target));
  const od3AllReach = od3Hits.every((h) => h !== undefined);
  const od3FinalOk = od3.every((r) => r.points.at(-1)!.ret >= target);
  const od3Steps = od3Hits.map((h) => h?.step ?? Number.POSITIVE_INFINITY);
  const edgeSteps = edgeHits.map((h) => h?.step ?? Number.POSITIVE_INFINITY);
  const fewer = od3Steps.every((s, i) => s < edgeSteps[i]!) && mean(od3Steps) < mean(edgeSteps);
  const pass = od3AllReach && od3FinalOk && paramRatio <= 0.1 && fewer;
  const verdict =
    `${plan.id}: ${pass ? 'MET' : 'NOT MET'} — EDGE-OD3 student has ${(100 * paramRatio).toFixed(1)}% of the teacher's parameters; ` +
    `reached the target (${target.toFixed(2)}) in ${od3Hits.filter(Boolean).length}/${od3.length} seeds, final eval ≥ target in ${od3.filter((r) => r.points.at(-1)!.ret >= target).length}/${od3.length}; ` +
    `steps to target EDGE-OD3 ${od3Steps.map((s) => (Number.isFinite(s) ? s : '—')).join('/')} vs EDGE ${edgeSteps.map((s) => (Number.isFinite(s) ? s : `>${plan.ppoSteps}`)).join('/')}.`;

  const md: string[] = [
    `## ${plan.id}`,
    '',
    `- env options: \`${JSON.stringify(plan.envOptions)}\`; evaluation: ${plan.evalEpisodes} deterministic episodes from reset seed ${plan.evalSeed}`,
    `- PPO (CLOUD, EDGE): \`${JSON.stringify({ ...plan.ppo, policy: undefined })}\`, ${plan.ppoSteps} steps, evaluated every ${plan.ppoEvalEvery}`,
    `- EDGE-OD3: ${plan.od3Steps} steps, evaluated every ${plan.od3EvalEvery}; distiller overrides \`${JSON.stringify(plan.od3)}\``,
    `- teacher converged return (seed ${seeds[0]} final evaluation): ${teacherReturn.toFixed(2)} → target ${target.toFixed(2)}`,
    `- PolicyNetGenerator: ${student.explanation}`,
    '',
    formatMarkdownTable(
      ['policy', 'network', 'decision params', 'trained params', 'float32 bin B', 'int8 bin B'],
      sizeRows,
    ),
    '',
    `Student/teacher decision parameters: ${(100 * paramRatio).toFixed(1)}% (the EDGE-OD3 student trains only its actor; PPO's EDGE also trains a critic of the same size).`,
    '',
    formatMarkdownTable(headers, [
      summarize('CLOUD', cloud),
      summarize('EDGE', edge),
      summarize('EDGE-OD3', od3),
    ]),
    '',
    '<details><summary>per seed</summary>',
    '',
    formatMarkdownTable(
      ['method', 'seed', 'steps', 'final eval', 'first step ≥ target', 'wall s then', 'train wall s'],
      [...perSeed(cloud), ...perSeed(edge), ...perSeed(od3)],
    ),
    '',
    '</details>',
    '',
  ];
  if (variants.length > 0)
    md.push(
      `### Minibatch and update-frequency variants (${plan.od3Steps} steps each)`,
      '',
      formatMarkdownTable(headers, [
        summarize('EDGE-OD3 (MB32, LF4)', od3),
        ...variants.map((v) => summarize(v.label, v.runs)),
      ]),
      '',
    );

  // ───── plots ─────
  if (plotDir) {
    const slug = plan.id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const series = meanSeries;
    const hline = { y: target, label: `95% of teacher (${target.toFixed(1)})` };
    const plots: { file: string; title: string; xLabel: string; series: LinePlotSeries[] }[] = [
      {
        file: `${slug}-steps.svg`,
        title: `${plan.id}: evaluation return vs environment steps (mean, min–max over ${seeds.length} seeds)`,
        xLabel: 'environment steps',
        series: [
          series('CLOUD', cloud, 'step'),
          series('EDGE', edge, 'step'),
          series('EDGE-OD3', od3, 'step'),
        ],
      },
      {
        file: `${slug}-wall.svg`,
        title: `${plan.id}: evaluation return vs training wall time`,
        xLabel: 'training wall time (s)',
        series: [
          series('CLOUD', cloud, 'wall'),
          series('EDGE', edge, 'wall'),
          series('EDGE-OD3', od3, 'wall'),
        ],
      },
    ];
    if (variants.length > 0) {
      const mbs = [{ label: 'EDGE-OD3-MB32', runs: od3 }, ...variants.filter((v) => v.label.includes('MB'))];
      const lfs = [{ label: 'EDGE-OD3-LF4', runs: od3 }, ...variants.filter((v) => v.label.includes('LF'))];
      plots.push(
        {
          file: `${slug}-minibatch.svg`,
          title: `${plan.id}: EDGE-OD3 minibatch size (32/16/8/4) vs environment steps`,
          xLabel: 'environment steps',
          series: mbs.map((v) => series(v.label, v.runs, 'step')),
        },
        {
          file: `${slug}-update-freq-steps.svg`,
          title: `${plan.id}: EDGE-OD3 update frequency (4/8/16/32) vs environment steps`,
          xLabel: 'environment steps',
          series: lfs.map((v) => series(v.label, v.runs, 'step')),
        },
        {
          file: `${slug}-update-freq-wall.svg`,
          title: `${plan.id}: EDGE-OD3 update frequency vs training wall time`,
          xLabel: 'training wall time (s)',
          series: lfs.map((v) => series(v.label, v.runs, 'wall')),
        },
      );
    }
    md.push('Plots (mean line, min–max band over seeds; dashed: the target):', '');
    for (const p of plots) {
      await writeFileAtomic(
        path.join(plotDir, p.file),
        await renderLinePlotSvg({
          title: p.title,
          xLabel: p.xLabel,
          yLabel: 'mean evaluation return',
          series: p.series,
          hline,
        }),
      );
      md.push(`- [${p.title}](od3/${p.file})`);
    }
    md.push('');
  }
  await teacherModel.close();
  return { md, verdict };
}

// Direct run: `npx tsx bench/od3-bench.ts [--scale S] [--seeds 1,2,3] [--envs A,B] [--no-variants] [--out F]`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seeds: { type: 'string' },
      envs: { type: 'string' },
      'no-variants': { type: 'boolean' },
      out: { type: 'string' },
      cache: { type: 'string' },
    },
  });
  await runOd3Bench({
    ...(values.scale !== undefined && { scale: Number(values.scale) }),
    ...(values.seeds !== undefined && { seeds: values.seeds.split(',').map(Number) }),
    ...(values.envs !== undefined && { envs: values.envs.split(',') as EnvPlan['id'][] }),
    ...(values['no-variants'] && { variants: false }),
    ...(values.out !== undefined && { out: values.out }),
    ...(values.cache !== undefined && { cacheDir: values.cache }),
  });
}
