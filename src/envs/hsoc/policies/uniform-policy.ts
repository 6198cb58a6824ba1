/**
 * Uniform sharing, the control of the seed: the envelope is split equally among the active PEs.
 * A running agent asks for 100 % when it is the only active PE and for 90 % otherwise (the most
 * the guard rails always allow); with ≥ 2 requests of 90 % the proportional scaling gives each
 * active PE exactly 100 / n tokens. Idle and waiting PEs ask for nothing.
 */
import type { HsocEnv } from '../hsoc-env.js';
import type { HsocPolicy } from './hsoc-policy.js';

/** Bin of the uniform request of a running agent: 10 alone, 9 beside other active PEs. */
export function uniformBin(runningPes: number): number {
  return runningPes <= 1 ? 10 : 9;
}

/** The uniform-sharing control. */
export class UniformPolicy implements HsocPolicy {
  /** Table name. */
  readonly name = 'uniform';

  /** 0 unless running; else {@link uniformBin}. */
  act(env: HsocEnv, agent: number): number {
    const v = env.view(agent);
    return v.parentTasksCompleted ? uniformBin(v.runningPes) : 0;
  }
}
