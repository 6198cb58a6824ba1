/**
 * The HSoC env seen by one shared-parameter learner (the deep MARL baseline): every agent decision
 * is one step of a single-agent env.
 *
 * ## Description
 *
 * Wraps an {@link HsocEnv}. At an event the pending agents are served one after the other, in the
 * order of `pendingAgents`; the joint action is applied when the last one has acted. The agent
 * whose decision is due is `dueAgent`.
 *
 * ## Action space
 *
 * `Discrete(11)`: the due agent's token bin (10·a % of the envelope), masked by its guard rails
 * exactly as in {@link HsocEnv} (`info.actionMask` and `actionMasks()`; a masked action throws
 * when the joint action is applied).
 *
 * ## Observation space
 *
 * The due agent's observation of {@link HsocEnv}: `Box(−1, 5, [26])` laid out by
 * `HSOC_OBS_FIELDS` (the table is in `hsoc-env.ts`). A copy per step.
 *
 * ## Rewards
 *
 * The team objective `−(time spent in the system by all jobs, workload and other DAGs, during the
 * interval) / L` (L = the workload's critical path), paid on the step that completes the joint
 * action; the other agents' decisions of the same event get 0. By Little's law the undiscounted
 * return is −Σ_jobs (completion − arrival) / L.
 *
 * ## Starting state
 *
 * As {@link HsocEnv}'s `reset`: the first pending agent of the first event with a task is due.
 *
 * ## Episode end
 *
 * Termination with the multi-agent episode (every job arrived and finished); the terminating
 * step's observation is zeros and its info carries `metrics` (`HsocEpisodeMetrics`). No
 * truncation. `step()` after the end throws `episode-over`.
 *
 * ## Options
 *
 * {@link HsocEnvOptions}, passed to the {@link HsocEnv} underneath (see its table).
 */
import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../../core/env.js';
import { ArbiterError } from '../../core/errors.js';
import { Box, Discrete } from '../../core/spaces.js';
import { TOKEN_BINS } from './hsoc-agent-view.js';
import { HsocEnv, type HsocEnvOptions } from './hsoc-env.js';
import { HSOC_OBS_DIM } from './hsoc-observation.js';

/** See the module comment. */
export class HsocSingleAgentEnv implements Env<Float32Array, number> {
  /** As {@link HsocEnv}'s per-agent space. */
  readonly observationSpace = new Box(-1, 5, [HSOC_OBS_DIM]);
  /** Token bins 0 … 10. */
  readonly actionSpace = new Discrete(TOKEN_BINS);
  /** The multi-agent env underneath. */
  readonly env: HsocEnv;
  private queue: string[] = [];
  private obs: Record<string, Float32Array> = {};
  private infos: Record<string, Info> = {};
  private next = 0;
  private readonly actions: Record<string, number> = {};
  private over = true;

  constructor(options: HsocEnvOptions = {}) {
    this.env = new HsocEnv(options);
  }

  /** Resets the multi-agent env; the first pending agent's decision is due. */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    const r = this.env.reset(options);
    this.load(r.pendingAgents, r.obs, r.infos);
    this.over = false;
    return { obs: this.current(), info: { actionMask: this.actionMasks() } };
  }

  /** The agent whose decision is due (undefined once the episode is over). */
  get dueAgent(): string | undefined {
    return this.over ? undefined : this.queue[this.next];
  }

  /** Mask of the agent whose decision is due (all ones once the episode is over). */
  actionMasks(): Uint8Array {
    if (this.over) return new Uint8Array(TOKEN_BINS).fill(1);
    return (this.infos[this.queue[this.next]!]!.actionMask as Uint8Array).slice();
  }

  /** The due agent's action; the joint action is applied after the event's last agent. */
  step(action: number): StepResult<Float32Array> {
    if (this.over)
      throw new ArbiterError('episode-over', 'HSoC single-agent: step() after the end; call reset()');
    const agent = this.queue[this.next]!;
    this.actions[agent] = action;
    this.next++;
    if (this.next < this.queue.length)
      return {
        obs: this.current(),
        reward: 0,
        terminated: false,
        truncated: false,
        info: { actionMask: this.actionMasks() },
      };
    const sim = this.env.sim;
    const t0 = sim.time;
    const s = this.env.step(this.actions);
    for (const k of Object.keys(this.actions)) delete this.actions[k];
    const t1 = sim.time;
    let inSystem = 0;
    for (const job of sim.jobs) {
      const end = Number.isNaN(job.completedAt) ? t1 : job.completedAt;
      const overlap = Math.min(t1, end) - Math.max(t0, job.arrival);
      if (overlap > 0) inSystem += overlap;
    }
    const reward = -inSystem / sim.workloadCriticalPath;
    if (s.pendingAgents.length === 0) {
      this.over = true;
      return {
        obs: new Float32Array(HSOC_OBS_DIM),
        reward,
        terminated: true,
        truncated: false,
        info: { metrics: this.env.metrics() },
      };
    }
    this.load(s.pendingAgents, s.obs, s.infos);
    return {
      obs: this.current(),
      reward,
      terminated: false,
      truncated: false,
      info: { actionMask: this.actionMasks() },
    };
  }

  private load(
    pending: readonly string[],
    obs: Record<string, Float32Array>,
    infos: Record<string, Info>,
  ): void {
    this.queue = [...pending];
    this.obs = obs;
    this.infos = infos;
    this.next = 0;
  }

  private current(): Float32Array {
    return this.obs[this.queue[this.next]!]!.slice();
  }
}
