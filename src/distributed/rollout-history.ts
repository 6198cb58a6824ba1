/**
 * The learner's record of what its env runners did: the seed of the runners' first reset and the
 * actions of every rollout merged since. From it a lost runner's slice is replayed on a
 * replacement ({@link RunnerReplay}), so a runner killed mid-rollout costs a re-request, not the
 * run. Memory: 4 bytes per env step and action value, as a resumable `SyncVectorEnv`'s action log.
 */
import type { CollectedRollout } from '../agents/rollout-source.js';
import type { RunnerReplay, RunnerSlice } from './env-runner.js';

/** The runners' history (see the module doc). */
export class RolloutHistory {
  private resetSeed: number | undefined;
  private readonly chunks: { numSteps: number; actions: Int32Array | Float32Array }[] = [];

  /**
   * Records a merged rollout of all copies (`resetSeed`: the request's, kept from the first
   * rollout only, as the runners use it).
   */
  record(resetSeed: number, numSteps: number, rollout: CollectedRollout): void {
    this.resetSeed ??= resetSeed;
    this.chunks.push({ numSteps, actions: rollout.actions });
  }

  /** The replay of `slice`'s copies, or undefined before the first rollout (a plain reset then). */
  replayOf(slice: RunnerSlice): RunnerReplay | undefined {
    if (this.resetSeed === undefined) return undefined;
    const { start, count: C, numEnvs: E } = slice;
    const first = this.chunks[0]!.actions;
    const aw = first.length / (this.chunks[0]!.numSteps * E);
    const numSteps = this.chunks.reduce((s, c) => s + c.numSteps, 0);
    const actions =
      first instanceof Int32Array ? new Int32Array(numSteps * C * aw) : new Float32Array(numSteps * C * aw);
    let t = 0;
    for (const c of this.chunks)
      for (let u = 0; u < c.numSteps; u++, t++)
        actions.set(c.actions.subarray((u * E + start) * aw, (u * E + start + C) * aw), t * C * aw);
    return { resetSeed: this.resetSeed, numSteps, actions };
  }
}
