/**
 * The error of a rollout whose env runner failed: it names the runner, its env copies and the
 * cause. A runner that was lost (its thread or worker died, its job stalled) is `lost`: the
 * runner pools replace it and replay its slice's history, a bounded number of times. A failure
 * the runner reported itself (its env threw, a malformed request) would repeat on a replacement,
 * so it fails the iteration at once.
 */
import { ArbiterError } from '../core/errors.js';
import type { RunnerSlice } from './env-runner.js';

/** An env runner failed or was lost mid-rollout (code `env-runner-failed`). */
export class EnvRunnerError extends ArbiterError {
  /** The runner's index. */
  readonly runner: number;
  /** Its env copies. */
  readonly slice: RunnerSlice;
  /** What happened to it (the message's middle part). */
  readonly reason: string;
  /** The runner is gone (a replacement may continue its envs), rather than reporting a failure. */
  readonly lost: boolean;

  constructor(runner: number, slice: RunnerSlice, cause: string, lost = false) {
    super(
      'env-runner-failed',
      `env runner ${runner} (env copies ${slice.start}…${slice.start + slice.count - 1} of ${slice.numEnvs}) failed: ${cause}; the training iteration is abandoned, resume from the last checkpoint`,
    );
    this.runner = runner;
    this.slice = slice;
    this.reason = cause;
    this.lost = lost;
  }
}
