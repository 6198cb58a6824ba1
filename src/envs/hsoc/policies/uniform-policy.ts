/**
 * Uniform sharing, the control of the seed: "power tokens are shared equally between concurrent
 * tasks at all times". Every PE holding a task — running it, or holding it reserved by the
 * scheduler's look-ahead while its parents finish — asks for the same request (100 % when it is the
 * only one, `UNIFORM_REQUEST` = 50 % otherwise); with ≥ 2 equal requests the proportional scaling
 * gives each exactly 100 / n tokens. Idle PEs ask for nothing. The control does not know whether a
 * task's parents are done: that is what the seed's learned `NeedTokens_0` rule adds.
 *
 * `readinessAware: true` gives the stronger variant reported beside it (`uniform-running`): only
 * running PEs share the envelope, reserved and idle PEs ask for nothing.
 */
import type { HsocEnv } from '../hsoc-env.js';
import type { HsocPolicy } from './hsoc-policy.js';

/** Bin of the uniform request among `sharingPes` PEs: 10 alone, 5 beside others. */
export function uniformBin(sharingPes: number): number {
  return sharingPes <= 1 ? 10 : 5;
}

/** The uniform-sharing control (and its readiness-aware variant). */
export class UniformPolicy implements HsocPolicy {
  /** Table name: `uniform` (the seed's control) or `uniform-running`. */
  readonly name: string;
  /** Only running PEs share (reserved PEs ask for nothing). */
  readonly readinessAware: boolean;

  /** @param options - `readinessAware` (default false: the seed's control) */
  constructor(options: { readinessAware?: boolean } = {}) {
    this.readinessAware = options.readinessAware ?? false;
    this.name = this.readinessAware ? 'uniform-running' : 'uniform';
  }

  /** 0 when idle (or reserved, readiness-aware); else {@link uniformBin} of the sharing PEs. */
  act(env: HsocEnv, agent: number): number {
    const v = env.view(agent);
    if (this.readinessAware) return v.parentTasksCompleted ? uniformBin(v.runningPes) : 0;
    return v.taskAssigned ? uniformBin(v.assignedPes) : 0;
  }
}
