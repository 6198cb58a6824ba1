/**
 * The error of a rollout whose env runner failed: it names the runner, its env copies and the
 * cause. The iteration fails rather than retrying: the runner's envs were mid-episode, and a fresh
 * runner could only restart them, which would silently change the run.
 */
import { ArbiterError } from '../core/errors.js';
import type { RunnerSlice } from './env-runner.js';

/** An env runner failed or was lost mid-rollout (code `env-runner-failed`). */
export class EnvRunnerError extends ArbiterError {
  /** The runner's index. */
  readonly runner: number;
  /** Its env copies. */
  readonly slice: RunnerSlice;

  constructor(runner: number, slice: RunnerSlice, cause: string) {
    super(
      'env-runner-failed',
      `env runner ${runner} (env copies ${slice.start}…${slice.start + slice.count - 1} of ${slice.numEnvs}) failed: ${cause}; the training iteration is abandoned (a restarted runner could not continue its episodes), resume from the last checkpoint`,
    );
    this.runner = runner;
    this.slice = slice;
  }
}
