/**
 * One distillation run as `arbiter distill` does it: load the teacher (a run folder or a
 * checkpoint), let `generatePolicyNet` choose the largest student MLP within the parameter
 * budget, train it with OD3 (or plain policy distillation), and write a run folder like
 * `arbiter train`'s: `config.json`, metrics (CSV, JSONL, TensorBoard), periodic evaluation,
 * checkpoints (`latest` is a PPO checkpoint, so `arbiter eval` and `arbiter export` take the run
 * folder), `policy-net.json` (the architecture choice and why), `final-eval.json` with the
 * teacher's score on the same held-out episodes, and an SVG learning curve.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ArbiterError } from '../core/errors.js';
import { CheckpointCallback, EvalCallback } from '../agents/callbacks.js';
import { teacherFromAlgorithm } from '../agents/od3/distillation-teacher.js';
import { evaluatePolicy } from '../agents/evaluate-policy.js';
import { Od3Distiller, resolveOd3Config, type ResolvedOd3Config } from '../agents/od3/od3-distiller.js';
import { generatePolicyNet, type PolicyNetChoice } from '../deploy/policy-net-generator.js';
import { writeLearningCurve } from '../report/learning-curve.js';
import { createRunDirectory, readRunConfig, runPaths } from '../report/run-directory.js';
import { loadModelTarget } from './load-model-target.js';
import { readJsonObjectOption } from '../core/read-json-object.js';

/** Seed offsets so evaluation episodes never replay training episodes (as `train-run.ts`). */
const EVAL_SEED_OFFSET = 1_000_000;
const FINAL_EVAL_SEED_OFFSET = 2_000_000;

/** Options of {@link distillRun}. */
export interface DistillRunOptions {
  /** Teacher: a run folder (its latest checkpoint) or a checkpoint folder. */
  teacher: string;
  /** Most parameters of the student's decision network. */
  budgetParams: number;
  /** Environment id (default: the teacher run's). */
  env?: string;
  /** Environment options file (default: the teacher run's options). */
  envOptions?: string;
  /** Environment steps (default 50 000). */
  steps?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Temperature τ (default 0.01). */
  tau?: number;
  /** Minibatch size (default 32). */
  minibatch?: number;
  /** Update frequency in env steps (default 4). */
  updateFreq?: number;
  /** `'student'` (OD3, default) or `'teacher'` (plain policy distillation). */
  collector?: 'student' | 'teacher';
  /** Further hyper-parameters of {@link Od3Distiller} (learningRate, exploration, …). */
  config?: Record<string, unknown>;
  /** Where `config` came from, named in validation errors (default `config`). */
  configSource?: string;
  /** Evaluate every this many steps (default steps/20, at least 1000). */
  evalEvery?: number;
  /** Episodes per evaluation (default 10). */
  evalEpisodes?: number;
  /** Folder of run folders (default `runs`). */
  runsRoot?: string;
  /** Run folder name (default `od3-<env>-<seed>-<time>`). */
  name?: string;
  /** Progress after each update. */
  onProgress?: (done: number, total: number, metrics: Readonly<Record<string, number>>) => void;
}

/** What a distillation run's `config.json` records. */
export interface DistillRunConfig {
  /** Always `od3`. */
  algo: 'od3';
  /** Environment id. */
  env: string;
  /** Environment options. */
  envOptions: Record<string, unknown>;
  /** Seed. */
  seed: number;
  /** Environment steps. */
  steps: number;
  /** Teacher folder (absolute). */
  teacher: string;
  /** Teacher algorithm and size. */
  teacherInfo: { algo: string; outputs: string; decisionParams: number; hiddenSizes: number[] };
  /** The budget given. */
  budgetParams: number;
  /** Resolved distiller hyper-parameters (the student's hidden sizes included). */
  config: ResolvedOd3Config;
  /** Evaluate every this many steps. */
  evalEvery: number;
  /** Episodes per evaluation. */
  evalEpisodes: number;
}

/** What {@link distillRun} returns (and `arbiter distill --json` prints). */
export interface DistillRunResult {
  /** The run folder. */
  runDir: string;
  /** Environment id. */
  env: string;
  /** Seed. */
  seed: number;
  /** Environment steps taken. */
  steps: number;
  /** Wall time in seconds. */
  wallSeconds: number;
  /** The student architecture chosen for the budget. */
  student: PolicyNetChoice;
  /** Teacher algorithm and size. */
  teacher: DistillRunConfig['teacherInfo'] & { dir: string };
  /** Student parameters / teacher parameters (decision networks). */
  paramRatio: number;
  /** Final deterministic evaluation of the student on held-out seeds. */
  finalEvalMeanReturn: number;
  /** Its standard deviation over episodes. */
  finalEvalStdReturn: number;
  /** The teacher's mean return on the same held-out episodes. */
  teacherEvalMeanReturn: number;
  /** Episodes of the final evaluations. */
  evalEpisodes: number;
  /** Best periodic evaluation (NaN when none ran). */
  bestEvalMeanReturn: number;
  /** The SVG learning curve, when written. */
  learningCurve?: string;
}

/** Distills one student (see module doc). */
export async function distillRun(options: DistillRunOptions): Promise<DistillRunResult> {
  const t0 = performance.now();
  const positive = (name: string, x: number): number => {
    if (!Number.isInteger(x) || x < 1)
      throw new ArbiterError('invalid-config', `distill: ${name} must be an integer ≥ 1, got ${x}`);
    return x;
  };
  positive('budget-params', options.budgetParams);
  const steps = positive('steps', options.steps ?? 50_000);
  const seed = options.seed ?? 0;
  const loaded = await loadModelTarget(options.teacher, {
    ...(options.env !== undefined && { env: options.env }),
    ...(options.envOptions !== undefined && { envOptions: options.envOptions }),
  });
  const teacher = teacherFromAlgorithm(loaded.algo);
  const student = generatePolicyNet(
    { maxParams: options.budgetParams },
    { inputDim: teacher.obsDim, outputDim: teacher.numActions },
  );
  const config = resolveOd3Config(
    {
      ...(options.config ?? {}),
      hiddenSizes: student.hiddenSizes,
      seed,
      ...(options.tau !== undefined && { tau: options.tau }),
      ...(options.minibatch !== undefined && { minibatchSize: options.minibatch }),
      ...(options.updateFreq !== undefined && { updateFreq: options.updateFreq }),
      ...(options.collector !== undefined && { collector: options.collector }),
    },
    options.configSource ?? 'config',
  );
  const runConfig: DistillRunConfig = {
    algo: 'od3',
    env: loaded.env,
    envOptions: await runEnvOptions(options),
    seed,
    steps,
    teacher: path.resolve(options.teacher),
    teacherInfo: {
      algo: teacher.algo,
      outputs: teacher.outputs,
      decisionParams: teacher.decisionParams,
      hiddenSizes: [...teacher.hiddenSizes],
    },
    budgetParams: options.budgetParams,
    config,
    evalEvery: positive('eval-every', options.evalEvery ?? Math.max(1000, Math.round(steps / 20))),
    evalEpisodes: positive('eval-episodes', options.evalEpisodes ?? 10),
  };
  const run = await createRunDirectory<DistillRunConfig>({
    root: options.runsRoot ?? 'runs',
    ...(options.name !== undefined && { name: options.name }),
    config: runConfig,
  });
  const runDir = run.paths.dir;
  await writeFileAtomic(path.join(runDir, 'policy-net.json'), JSON.stringify(student, null, 2) + '\n');
  const distiller = await Od3Distiller.create(teacher, loaded.makeEnv, config);
  const evalCallback = new EvalCallback({
    env: loaded.makeEnv,
    everySteps: runConfig.evalEvery,
    episodes: runConfig.evalEpisodes,
    seed: seed + EVAL_SEED_OFFSET,
    evalAtEnd: false,
  });
  try {
    await distiller.learn({
      totalTimesteps: steps,
      callbacks: [
        evalCallback,
        new CheckpointCallback({ dir: runDir, everySteps: Math.max(1000, Math.round(steps / 10)) }),
      ],
      sink: run.sink,
      ...(options.onProgress && { progress: options.onProgress }),
    });
  } finally {
    await run.close();
  }
  const evalOpts = { episodes: runConfig.evalEpisodes, seed: seed + FINAL_EVAL_SEED_OFFSET };
  const final = evaluatePolicy(
    (obs, mask) => distiller.predict(obs, { deterministic: true, ...(mask && { mask }) }),
    loaded.makeEnv(),
    evalOpts,
  );
  const teacherFinal = evaluatePolicy(
    (obs, mask) => loaded.algo.predict(obs, { deterministic: true, ...(mask && { mask }) }),
    loaded.makeEnv(),
    evalOpts,
  );
  await writeFileAtomic(
    path.join(runDir, 'final-eval.json'),
    JSON.stringify(
      {
        step: distiller.counters.numTimesteps,
        ...final,
        teacher: { meanReturn: teacherFinal.meanReturn, stdReturn: teacherFinal.stdReturn },
      },
      null,
      2,
    ) + '\n',
  );
  const curve = await writeLearningCurve({ runDirs: [runDir] });
  const result: DistillRunResult = {
    runDir,
    env: loaded.env,
    seed,
    steps: distiller.counters.numTimesteps,
    wallSeconds: (performance.now() - t0) / 1000,
    student,
    teacher: { ...runConfig.teacherInfo, dir: runConfig.teacher },
    paramRatio: distiller.studentDecisionParams() / teacher.decisionParams,
    finalEvalMeanReturn: final.meanReturn,
    finalEvalStdReturn: final.stdReturn,
    teacherEvalMeanReturn: teacherFinal.meanReturn,
    evalEpisodes: final.episodes,
    bestEvalMeanReturn: evalCallback.history.length ? evalCallback.bestMeanReturn : Number.NaN,
    ...(curve.series.length > 0 && { learningCurve: curve.path }),
  };
  await distiller.close();
  return result;
}

/** The environment options the teacher was loaded with: the file given, or the teacher run's. */
async function runEnvOptions(options: DistillRunOptions): Promise<Record<string, unknown>> {
  if (options.envOptions !== undefined)
    return (await readJsonObjectOption(options.envOptions, '--env-options')).value;
  if (existsSync(runPaths(options.teacher).config))
    return readRunConfig<{ envOptions?: Record<string, unknown> }>(options.teacher).envOptions ?? {};
  return {};
}
