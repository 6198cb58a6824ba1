/**
 * Pipelined (asynchronous) rollouts over any {@link RolloutSource}: as soon as rollout i is
 * handed to the learner, the runners start rollout i + 1 with the weights the learner has at that
 * moment, so they step their envs while the learner trains on rollout i. The synchronous design
 * leaves one side idle at any time (the learner waits for the rollout, then the runners wait for
 * the update); here the two overlap, which is what lets runners pay on few cores.
 *
 * The difference from K = 0 (opt-in, `--async-rollouts`): rollout 0 uses the initial weights θ0,
 * and rollout i ≥ 1 the weights θ_{i−1} from before update i − 1, one update behind the learner's
 * θ_i (IMPALA-style lag of one). PPO trains on the stored behaviour log-probs, so its ratio
 * π_θ(a|s) / π_behaviour(a|s) is the correct importance ratio and clipping bounds the lag; the
 * stored values (GAE targets) are also one update old. The action stream and the envs are the
 * same as K = 0's, and a fixed seed still gives one run, bit for bit: rollout i + 1 depends only on
 * θ_{i−1}, the stream's state after rollout i and the envs' state.
 *
 * Requires of the wrapped source that `collect` reads the request's weights before its first
 * `await` (both {@link LocalEnvRunners} and {@link QueueEnvRunners} encode them at once), since the
 * learner starts changing them as soon as this source returns.
 */
import type { CollectedRollout, RolloutRequest, RolloutSource } from '../agents/rollout-source.js';
import { ArbiterError } from '../core/errors.js';
import type { RngState } from '../core/rng.js';

interface Prefetch {
  numSteps: number;
  startState: RngState;
  rollout: Promise<CollectedRollout>;
}

/** A {@link RolloutSource} that collects the next rollout while the learner trains (see the module doc). */
export class PipelinedRollouts implements RolloutSource {
  /** Env copies over all runners (the wrapped source's). */
  readonly numEnvs: number;
  /** Rollouts served from a prefetch (every one after the first, in a run). */
  prefetched = 0;
  private readonly inner: RolloutSource;
  private pending: Prefetch | undefined;
  private closed = false;

  /** Wraps `inner`; closing this closes it. */
  constructor(inner: RolloutSource) {
    this.inner = inner;
    this.numEnvs = inner.numEnvs;
  }

  /**
   * The rollout that continues the learner's action stream: the prefetched one (collected with
   * the previous request's weights), or, at the first call, a fresh one; then starts the next.
   * Throws `rollout-mismatch` when the learner's stream or rollout length moved elsewhere than
   * the prefetch (the runners' envs are already past it, so the run could not continue).
   */
  async collect(request: RolloutRequest): Promise<CollectedRollout> {
    if (this.closed) throw new ArbiterError('invalid-state', 'the env runners are closed');
    const p = this.pending;
    this.pending = undefined;
    let rollout: CollectedRollout;
    if (p === undefined) rollout = await this.inner.collect(request);
    else {
      if (p.numSteps !== request.numSteps || !sameState(p.startState, request.actionRngState)) {
        await p.rollout.catch(() => undefined);
        throw new ArbiterError(
          'rollout-mismatch',
          'pipelined rollouts: the learner asked for a rollout other than the one prefetched (its action stream or numSteps changed); train without --async-rollouts',
        );
      }
      rollout = await p.rollout;
      this.prefetched++;
    }
    // Starts now, with the weights as they are before the learner trains on `rollout`.
    const next = this.inner.collect({ ...request, actionRngState: rollout.actionRngState });
    next.catch(() => undefined); // reported by the next collect
    this.pending = { numSteps: request.numSteps, startState: rollout.actionRngState, rollout: next };
    return rollout;
  }

  /** Waits for a prefetch in flight (its result is dropped), then closes the wrapped source. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    await p?.rollout.catch(() => undefined);
    await this.inner.close();
  }
}

function sameState(a: RngState, b: RngState): boolean {
  return a.s.every((x, i) => x === b.s[i]) && (a.spareNormal ?? null) === (b.spareNormal ?? null);
}
