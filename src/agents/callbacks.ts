/**
 * Training callbacks, as in Stable-Baselines3: hooks called by `learn` at training start, after
 * every vector step, after every update and at the end. {@link EvalCallback} evaluates the
 * policy periodically on a separate env; {@link CheckpointCallback} saves periodically.
 */
import path from 'node:path';
import type { Env } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import type { Callback, TrainingContext } from './algorithm.js';
import { evaluatePolicy, type EvaluationResult } from './evaluate-policy.js';

export type { Callback, TrainingContext } from './algorithm.js';

/** Options of {@link EvalCallback}. */
export interface EvalCallbackOptions {
  /** Evaluation env (separate from the training envs), or a factory called once. */
  env: Env | (() => Env);
  /** Evaluate every this many environment steps. Default 10 000. */
  everySteps?: number;
  /** Episodes per evaluation. Default 10. */
  episodes?: number;
  /**
   * Base seed: the evaluation after k × `everySteps` steps resets with seed `seed + k`, so the
   * evaluations of a resumed run are those of the uninterrupted one. Default 0.
   */
  seed?: number;
  /** Greedy actions. Default true. */
  deterministic?: boolean;
  /** Stop training once the mean return reaches this value. */
  stopAboveReturn?: number;
  /** Save the algorithm here whenever the mean return improves. */
  bestModelDir?: string;
  /** Also evaluate at the end of training. Default true. */
  evalAtEnd?: boolean;
  /** Called after each evaluation. */
  onEval?: (step: number, result: EvaluationResult) => void;
}

/** One point of an {@link EvalCallback}'s history. */
export interface EvalPoint {
  /** Environment steps when evaluated. */
  step: number;
  /** Mean episode return. */
  meanReturn: number;
  /** Standard deviation of the episode returns. */
  stdReturn: number;
  /** Mean episode length. */
  meanLength: number;
}

/**
 * Evaluates the policy every `everySteps` steps for `episodes` episodes (deterministic by
 * default), records `eval/mean_return`, `eval/std_return`, `eval/mean_ep_length` in the metrics,
 * keeps the best mean return (optionally saving that model) and can stop training at a threshold.
 */
export class EvalCallback implements Callback {
  /** Every evaluation so far, in order. */
  readonly history: EvalPoint[] = [];
  /** Best mean return so far (−Infinity before the first evaluation). */
  bestMeanReturn = Number.NEGATIVE_INFINITY;
  /** First step at which the mean return reached `stopAboveReturn`, if it did. */
  reachedAt: number | undefined;
  private env: Env | undefined;
  private nextEvalAt = 0;
  private readonly everySteps: number;

  constructor(private readonly options: EvalCallbackOptions) {
    this.everySteps = options.everySteps ?? 10_000;
    if (!(this.everySteps > 0))
      throw new ArbiterError(
        'invalid-config',
        `EvalCallback: everySteps must be > 0, got ${this.everySteps}`,
      );
  }

  /** Evaluates now and records the result; returns it. */
  async evaluate(ctx: TrainingContext): Promise<EvaluationResult> {
    const algo = ctx.algo;
    this.env ??= typeof this.options.env === 'function' ? this.options.env() : this.options.env;
    const deterministic = this.options.deterministic ?? true;
    const result = evaluatePolicy((obs, mask) => algo.predict(obs, { deterministic, mask }), this.env, {
      episodes: this.options.episodes ?? 10,
      deterministic,
      seed: (this.options.seed ?? 0) + Math.floor(ctx.numTimesteps / this.everySteps),
    });
    const meanLength = result.lengths.reduce((a, b) => a + b, 0) / result.lengths.length;
    this.history.push({
      step: ctx.numTimesteps,
      meanReturn: result.meanReturn,
      stdReturn: result.stdReturn,
      meanLength,
    });
    ctx.metrics['eval/mean_return'] = result.meanReturn;
    ctx.metrics['eval/std_return'] = result.stdReturn;
    ctx.metrics['eval/mean_ep_length'] = meanLength;
    if (result.meanReturn > this.bestMeanReturn) {
      this.bestMeanReturn = result.meanReturn;
      if (this.options.bestModelDir) await algo.save(this.options.bestModelDir);
    }
    const threshold = this.options.stopAboveReturn;
    if (threshold !== undefined && result.meanReturn >= threshold) this.reachedAt ??= ctx.numTimesteps;
    this.options.onEval?.(ctx.numTimesteps, result);
    return result;
  }

  onTrainingStart(ctx: TrainingContext): void {
    // Next multiple of everySteps after the current count (so resumed runs keep the same grid).
    this.nextEvalAt = (Math.floor(ctx.numTimesteps / this.everySteps) + 1) * this.everySteps;
  }

  async onStep(ctx: TrainingContext): Promise<boolean> {
    if (ctx.numTimesteps < this.nextEvalAt) return true;
    while (this.nextEvalAt <= ctx.numTimesteps) this.nextEvalAt += this.everySteps;
    const r = await this.evaluate(ctx);
    const threshold = this.options.stopAboveReturn;
    return !(threshold !== undefined && r.meanReturn >= threshold);
  }

  async onTrainingEnd(ctx: TrainingContext): Promise<void> {
    const last = this.history[this.history.length - 1];
    if ((this.options.evalAtEnd ?? true) && last?.step !== ctx.numTimesteps) await this.evaluate(ctx);
  }
}

/** Options of {@link CheckpointCallback}. */
export interface CheckpointCallbackOptions {
  /** Run directory; checkpoints go to `dir/checkpoints/step-N` and `dir/latest`. */
  dir: string;
  /** Save every this many environment steps. Default 50 000. */
  everySteps?: number;
  /** Keep step-N copies (else only `latest`). Default true. */
  keepAll?: boolean;
  /** Also save at the end of training. Default true. */
  saveAtEnd?: boolean;
}

/**
 * Saves the algorithm via its `save` at the first update end after every `everySteps` steps
 * (SB3's `CheckpointCallback`).
 */
export class CheckpointCallback implements Callback {
  /** Directories written so far, in order. */
  readonly saved: string[] = [];
  private nextSaveAt = 0;
  private readonly everySteps: number;

  constructor(private readonly options: CheckpointCallbackOptions) {
    this.everySteps = options.everySteps ?? 50_000;
    if (!(this.everySteps > 0))
      throw new ArbiterError(
        'invalid-config',
        `CheckpointCallback: everySteps must be > 0, got ${this.everySteps}`,
      );
  }

  /** Saves now to `latest` (and `checkpoints/step-N` when keeping all). */
  async saveNow(ctx: TrainingContext): Promise<void> {
    const algo = ctx.algo;
    if (this.options.keepAll ?? true) {
      const d = path.join(this.options.dir, 'checkpoints', `step-${ctx.numTimesteps}`);
      await algo.save(d);
      this.saved.push(d);
    }
    const latest = path.join(this.options.dir, 'latest');
    await algo.save(latest);
    this.saved.push(latest);
  }

  onTrainingStart(ctx: TrainingContext): void {
    this.nextSaveAt = (Math.floor(ctx.numTimesteps / this.everySteps) + 1) * this.everySteps;
  }

  // After an update, not mid-rollout: that state resumes exactly (no half-filled buffer).
  async onUpdateEnd(ctx: TrainingContext): Promise<boolean> {
    if (ctx.numTimesteps < this.nextSaveAt) return true;
    while (this.nextSaveAt <= ctx.numTimesteps) this.nextSaveAt += this.everySteps;
    await this.saveNow(ctx);
    return true;
  }

  async onTrainingEnd(ctx: TrainingContext): Promise<void> {
    if (this.options.saveAtEnd ?? true) await this.saveNow(ctx);
  }
}
