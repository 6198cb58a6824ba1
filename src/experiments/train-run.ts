/**
 * One training run as `arbiter train` does it: a run folder with config, metrics (CSV, JSONL,
 * TensorBoard), periodic evaluation and checkpoints, resume, a final held-out evaluation and an
 * SVG learning curve. A library user can call it directly. An env with graph observations (EGS-v0)
 * trains the graph policy on its padded observations (`train-run-policy.ts`), PPO with the EGS
 * settings as defaults.
 */
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { makeFlatEnv } from '../core/make-flat-env.js';
import { envRegistration, validateEnvOptions } from '../core/registry.js';
import { ALGORITHM_NAMES, isAlgorithmName, type AlgorithmName } from '../agents/algorithm-names.js';
import {
  createAlgorithm,
  loadNewestCheckpoint,
  type CountedAlgorithm,
} from '../agents/algorithm-registry.js';
import { CheckpointCallback, EvalCallback } from '../agents/callbacks.js';
import { evaluatePolicy, type EvaluationResult } from '../agents/evaluate-policy.js';
import { OnPolicyAlgorithm, type OnPolicyConfig } from '../agents/on-policy-algorithm.js';
import type { RolloutSource } from '../agents/rollout-source.js';
import { registerBuiltinEnvs } from '../envs/register-envs.js';
import { writeLearningCurve } from '../report/learning-curve.js';
import { runConfigDefaults, runPolicyFactory } from './train-run-policy.js';
import {
  createRunDirectory,
  openRunDirectory,
  readRunConfig,
  type RunDirectory,
} from '../report/run-directory.js';

/** Seed offsets so evaluation episodes never replay training episodes. */
const EVAL_SEED_OFFSET = 1_000_000;
const FINAL_EVAL_SEED_OFFSET = 2_000_000;

/** What a run folder's `config.json` records (enough to resume and to evaluate). */
export interface TrainRunConfig {
  /** Algorithm name. */
  algo: AlgorithmName;
  /** Registered environment id. */
  env: string;
  /** Seed of everything random in the run. */
  seed: number;
  /** Total environment steps of the run. */
  steps: number;
  /** Algorithm hyper-parameters (overrides of its defaults). */
  config: Record<string, unknown>;
  /** Environment options passed to its factory. */
  envOptions: Record<string, unknown>;
  /** Evaluate every this many steps. */
  evalEvery: number;
  /** Episodes per evaluation (periodic and final). */
  evalEpisodes: number;
  /** Save a checkpoint every this many steps. */
  checkpointEvery: number;
  /** Graph policy settings (`GraphPolicyConfig`), for envs with graph observations only. */
  policy?: Record<string, unknown>;
}

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  /** Algorithm (with `resume`: must be the run's, when given). */
  algo?: string;
  /** Environment id (with `resume`: must be the run's, when given). */
  env?: string;
  /** Total steps (default 100 000; with `resume`, the run's own total unless given). */
  steps?: number;
  /** Seed (default 0; with `resume`: must be the run's, when given). */
  seed?: number;
  /** Hyper-parameters: overrides of the algorithm's defaults (with `resume`: must be the run's). */
  config?: Record<string, unknown>;
  /** Where `config` came from, named in validation errors (default `config`). */
  configSource?: string;
  /** Environment options (with `resume`: must be the run's, when given). */
  envOptions?: Record<string, unknown>;
  /** Where `envOptions` came from, named in validation errors (default `envOptions`). */
  envOptionsSource?: string;
  /**
   * Graph policy settings for an env with graph observations (EGS-v0: the graph policy over its
   * padded observations; default sizes when absent). With `resume`: must be the run's.
   */
  policy?: Record<string, unknown>;
  /** Where `policy` came from, named in validation errors (default `policy`). */
  policySource?: string;
  /** Receives warnings (e.g. a skipped corrupt checkpoint). Default: stderr. */
  onWarning?: (message: string) => void;
  /** Evaluate every this many steps (default steps/20, at least 1000). */
  evalEvery?: number;
  /** Episodes per evaluation (default 10). */
  evalEpisodes?: number;
  /** Checkpoint every this many steps (default steps/10, at least 1000). */
  checkpointEvery?: number;
  /** Folder of run folders (default `runs`). */
  runsRoot?: string;
  /** Run folder name (default `<algo>-<env>-<seed>-<time>`). */
  name?: string;
  /** Continue this run folder from its `latest` checkpoint. */
  resume?: string;
  /**
   * Collect the rollouts of an on-policy algorithm from env runners instead of its own envs: called
   * once with the run's env and its number of env copies, its source is closed when the run ends
   * (see `OnPolicyAlgorithm.useRolloutSource`).
   */
  rolloutSource?: (run: RolloutSourceRequest) => Promise<RolloutSource>;
  /** Progress after each update: steps done in the run, total, latest metrics. */
  onProgress?: (done: number, total: number, metrics: Readonly<Record<string, number>>) => void;
}

/** What a {@link TrainRunOptions.rolloutSource} factory is told about the run. */
export interface RolloutSourceRequest {
  /** Registered env id. */
  env: string;
  /** Its (validated) options. */
  envOptions: Record<string, unknown>;
  /** The algorithm's env copies (the runners' copies together). */
  numEnvs: number;
}

/** What {@link trainRun} returns (and `arbiter train --json` prints). */
export interface TrainRunResult {
  /** The run folder. */
  runDir: string;
  /** Algorithm. */
  algo: AlgorithmName;
  /** Environment id. */
  env: string;
  /** Seed. */
  seed: number;
  /** Environment steps taken in total (over resumes). */
  steps: number;
  /** Wall time of this call, in seconds. */
  wallSeconds: number;
  /** Mean return of the final deterministic evaluation on held-out seeds. */
  finalEvalMeanReturn: number;
  /** Its standard deviation over episodes. */
  finalEvalStdReturn: number;
  /** Episodes of the final evaluation. */
  evalEpisodes: number;
  /** Best mean return of the periodic evaluations (NaN when none ran). */
  bestEvalMeanReturn: number;
  /** The SVG learning curve, when the run logged metrics. */
  learningCurve?: string;
}

/** Folder of the newest checkpoint inside a run folder. */
export function latestCheckpointDir(runDir: string): string {
  return path.join(runDir, 'latest');
}

/** Trains (or resumes) one run; see the module doc. */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const t0 = performance.now();
  registerBuiltinEnvs();
  let run: RunDirectory<TrainRunConfig>;
  let algo: CountedAlgorithm;
  let cfg: TrainRunConfig;
  let loadedFrom: string | undefined;
  const warn = options.onWarning ?? ((m: string): void => void process.stderr.write(`warning: ${m}\n`));
  if (options.resume !== undefined) {
    const saved = readRunConfig<TrainRunConfig>(options.resume);
    checkResumeMatches(options, saved);
    cfg = { ...saved, steps: options.steps ?? saved.steps };
    const loaded = await loadNewestCheckpoint(
      options.resume,
      envFactory(cfg),
      (s, next) => warn(`skipping checkpoint ${s.dir}: ${s.reason}${next ? `; trying ${next}` : ''}`),
      runPolicyFactory(cfg, `${options.resume} config.json policy`),
    );
    algo = loaded.algo;
    loadedFrom = loaded.dir;
    run = await openRunDirectory<TrainRunConfig>(options.resume, { resumeStep: algo.counters.numTimesteps });
  } else {
    cfg = resolveConfig(options);
    validateEnvOptions(cfg.env, cfg.envOptions, options.envOptionsSource ?? 'envOptions');
    const makePolicy = runPolicyFactory(cfg, options.policySource ?? 'policy');
    algo = await createAlgorithm(
      cfg.algo,
      envFactory(cfg),
      { ...runConfigDefaults(cfg.algo, cfg.env), ...cfg.config, seed: cfg.seed },
      options.configSource ?? 'config',
      makePolicy,
    );
    run = await createRunDirectory<TrainRunConfig>({
      root: options.runsRoot ?? 'runs',
      ...(options.name !== undefined && { name: options.name }),
      config: cfg,
    });
  }
  const runDir = run.paths.dir;
  const evalCallback = new EvalCallback({
    env: envFactory(cfg),
    everySteps: cfg.evalEvery,
    episodes: cfg.evalEpisodes,
    seed: cfg.seed + EVAL_SEED_OFFSET,
    evalAtEnd: false,
  });
  const checkpoints = new CheckpointCallback({ dir: runDir, everySteps: cfg.checkpointEvery });
  let source: RolloutSource | undefined;
  try {
    if (options.rolloutSource) {
      if (!(algo instanceof OnPolicyAlgorithm))
        throw new ArbiterError(
          'invalid-config',
          `env runners collect rollouts of on-policy algorithms (ppo, a2c, reinforce), not ${cfg.algo}`,
        );
      const onPolicy = algo as OnPolicyAlgorithm<OnPolicyConfig>;
      source = await options.rolloutSource({
        env: cfg.env,
        envOptions: cfg.envOptions,
        numEnvs: onPolicy.config.numEnvs,
      });
      onPolicy.useRolloutSource(source);
    }
    const remaining = cfg.steps - algo.counters.numTimesteps;
    if (cfg.algo === 'q-iteration') {
      await algo.save(latestCheckpointDir(runDir)); // solved exactly at creation: nothing to learn
    } else if (remaining > 0) {
      const start = algo.counters.numTimesteps;
      await algo.learn({
        totalTimesteps: remaining,
        horizon: cfg.steps,
        callbacks: [evalCallback, checkpoints],
        sink: run.sink,
        ...(options.onProgress && {
          progress: (done: number, _total: number, metrics: Readonly<Record<string, number>>) =>
            options.onProgress!(start + done, cfg.steps, metrics),
        }),
      });
    }
  } catch (e) {
    if (e instanceof ArbiterError && e.code === 'non-finite') {
      const last = checkpoints.saved.at(-1) ?? loadedFrom;
      throw new ArbiterError(
        'non-finite',
        `${e.message}; ${last !== undefined ? `the last good checkpoint is ${last}` : 'no checkpoint was written'} (run folder ${runDir})`,
      );
    }
    throw e;
  } finally {
    await source?.close();
    await run.close();
  }

  const final = evaluateAlgorithm(
    algo,
    envFactory(cfg)(),
    cfg.evalEpisodes,
    cfg.seed + FINAL_EVAL_SEED_OFFSET,
  );
  await writeFileAtomic(
    path.join(runDir, 'final-eval.json'),
    JSON.stringify({ step: algo.counters.numTimesteps, ...final }, null, 2) + '\n',
  );
  let learningCurve: string | undefined;
  if (cfg.algo !== 'q-iteration') {
    const curve = await writeLearningCurve({ runDirs: [runDir] });
    if (curve.series.length > 0) learningCurve = curve.path;
  }
  return {
    runDir,
    algo: cfg.algo,
    env: cfg.env,
    seed: cfg.seed,
    steps: algo.counters.numTimesteps,
    wallSeconds: (performance.now() - t0) / 1000,
    finalEvalMeanReturn: final.meanReturn,
    finalEvalStdReturn: final.stdReturn,
    evalEpisodes: final.episodes,
    bestEvalMeanReturn: evalCallback.history.length ? evalCallback.bestMeanReturn : Number.NaN,
    ...(learningCurve !== undefined && { learningCurve }),
  };
}

/** Deterministic evaluation of an algorithm's policy (masks honoured). */
export function evaluateAlgorithm(
  algo: CountedAlgorithm,
  env: Env,
  episodes: number,
  seed: number,
  deterministic = true,
): EvaluationResult {
  return evaluatePolicy((obs, mask) => algo.predict(obs, { deterministic, mask }), env, {
    episodes,
    seed,
    deterministic,
  });
}

/**
 * Fresh environments of a run: the registered env with the run's options and step limit, its
 * graph observations padded (`makeFlatEnv`).
 */
export function envFactory(cfg: Pick<TrainRunConfig, 'env' | 'envOptions'>): () => Env {
  return () => makeFlatEnv(cfg.env, { options: cfg.envOptions });
}

/**
 * `--resume` continues the run as it was configured: an algorithm, env, seed, config or env
 * options given as well must be the run's own (a `resume-mismatch` error names both).
 */
function checkResumeMatches(options: TrainRunOptions, saved: TrainRunConfig): void {
  const differ = (what: string, given: unknown, own: unknown): void => {
    if (given === undefined || canonicalJson(given) === canonicalJson(own)) return;
    throw new ArbiterError(
      'resume-mismatch',
      `${options.resume}: cannot resume with ${what} ${JSON.stringify(given)}: the run was trained with ${what} ${JSON.stringify(own)} (omit it, or start a new run)`,
    );
  };
  differ('algo', options.algo, saved.algo);
  differ('env', options.env, saved.env);
  differ('seed', options.seed, saved.seed);
  differ('config', options.config, saved.config);
  differ('envOptions', options.envOptions, saved.envOptions);
  differ('policy', options.policy, saved.policy ?? {});
}

function resolveConfig(options: TrainRunOptions): TrainRunConfig {
  const algo = options.algo ?? '';
  if (!isAlgorithmName(algo))
    throw new ArbiterError(
      'unknown-algorithm',
      `unknown algorithm '${algo}': use one of ${ALGORITHM_NAMES.join(', ')}`,
    );
  if (options.env === undefined) throw new ArbiterError('invalid-config', 'give an environment id (--env)');
  envRegistration(options.env); // fails early, listing the known ids
  const steps = options.steps ?? 100_000;
  const positive = (name: string, x: number): number => {
    if (!Number.isInteger(x) || x < 1)
      throw new ArbiterError('invalid-config', `${name} must be an integer ≥ 1, got ${x}`);
    return x;
  };
  return {
    algo,
    env: options.env,
    seed: options.seed ?? 0,
    steps: positive('steps', steps),
    config: options.config ?? {},
    envOptions: options.envOptions ?? {},
    evalEvery: positive('evalEvery', options.evalEvery ?? Math.max(1000, Math.round(steps / 20))),
    evalEpisodes: positive('evalEpisodes', options.evalEpisodes ?? 10),
    checkpointEvery: positive(
      'checkpointEvery',
      options.checkpointEvery ?? Math.max(1000, Math.round(steps / 10)),
    ),
    ...(options.policy !== undefined && { policy: options.policy }),
  };
}
