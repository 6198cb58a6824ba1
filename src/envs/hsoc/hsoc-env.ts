/**
 * HSoC-v0: power sharing on a heterogeneous SoC as an event-driven multi-agent env.
 *
 * ## Description
 *
 * DAG jobs arrive on a SoC of CPUs, GPUs and DSPs; a fixed just-in-time scheduler places their
 * tasks on PEs ({@link HsocSimulator}), and the PEs share a 100-token power envelope. One agent per
 * available PE (`cpu0 … dsp1`) decides, at every event (a task finishes, a job arrives, tasks
 * start), how many tokens its PE asks for until the next event. Every live agent is pending at
 * every event; events where no PE holds a task are skipped (nothing to decide). The structured
 * {@link HsocAgentView} of an agent is `env.view(agent)`.
 *
 * ## Action space
 *
 * `Discrete(11)` per agent: action a requests `10·a` % of the envelope. Requests are granted as
 * asked while they fit the envelope, else scaled down proportionally. Guard rails, as a mask in
 * each agent's `info.actionMask` (1 = allowed) and enforced (a masked action throws
 * `invalid-action`): no 0 % while running a task; no 100 % while a sibling task (same DAG job)
 * runs.
 *
 * ## Observation space
 *
 * `Box(−1, 5, [26])` of Float32 per agent, laid out by `HSOC_OBS_FIELDS` (read it by name,
 * `obs[HSOC_OBS.slack + a]`). L is the critical path of the agent's DAG at reference speed (1 when
 * idle); an idle agent sees zeros except the SoC-wide fields.
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | 0 | taskAssigned | a task is placed on the PE (running or reserved) | {0, 1} |
 * | 1 | parentTasksCompleted | the PE's task runs (its parents are complete) | {0, 1} |
 * | 2 | siblingTasks | another task of the same DAG job runs | {0, 1} |
 * | 3 | tokenNeed | token need / 100 (0 unless running) | [0, 1] |
 * | 4 | highPriorityDag | the task's job is high priority | {0, 1} |
 * | 5 | ownDagShare | PEs running the task's DAG / running PEs (0 if none run) | [0, 1] |
 * | 6 | runningPes | running PEs / PE count | [0, 1] |
 * | 7 | remainingTime | time the task needs at full power / L, capped at 5 | [0, 5] |
 * | 8 | tail | longest path after the task / L, capped at 5 | [0, 5] |
 * | 9 | speed | PE speed on the task's type / 5 (0 when idle) | [0, 1] (default speeds) |
 * | 10 | deadlineSlack | (deadline − now) / L, clipped | [−1, 1] |
 * | 11 | congestion | congestion factor 1 / (1 + γ·m) | (0, 1] |
 * | 12–14 | peType | PE type one-hot (cpu, gpu, accelerator: dsp or fft) | {0, 1} |
 * | 15–25 | slack | `Slack` of token bin a = 0 … 10 (0 unless running) | [0, 1] |
 *
 * ## Rewards
 *
 * Per agent and step: +1 if its task finished at the event, plus the balancing term
 * `−w · |P_i − mean_S P| / L · Δt / L` accrued over the interval Δt to the next event while it
 * runs beside siblings S, where `P = remaining / rate + tail` is a task's predicted path completion
 * at the granted tokens (zero when siblings progress in the ratio of their sub-deadlines) and w is
 * `balanceWeight`.
 *
 * ## Starting state
 *
 * `reset({ seed })` draws an episode: `jobs` workload jobs arrive as a Poisson process at the load
 * preset's rate, the first at time 0 (or at `arrivalTimes`), each high priority with the preset's
 * probability; compute- and memory-intensive other DAGs arrive as a Poisson process until the last
 * workload arrival + L. The env then runs to the first event with a task on some PE. `reset()`
 * without a seed continues the stream of the last seed (0 at first).
 *
 * ## Episode end
 *
 * Termination (every agent at once) when every job has arrived and finished; the last step's
 * observations are zeros and its infos carry the {@link HsocEpisodeMetrics} (`meanCompletion`,
 * `deadlineMissRatio` of the workload jobs after the warm-up). No truncation: a running task always
 * gets tokens, so every episode ends. `step()` after the end throws `episode-over`.
 *
 * ## Options
 *
 * {@link HsocEnvOptions} (not registered with `makeEnv`, so no zod schema; the constructors reject
 * a bad `jobs`, `arrivalTimes`, `available` or `warmupJobs` with `invalid-option`):
 *
 * | option | default | meaning |
 * |---|---|---|
 * | workload | `'5-task'` | workload DAG: `'5-task'`, `'av-42'`, `'5-task-profiled'`, `'av-42-profiled'` or any DAG with typed (or per-type profiled) nodes |
 * | load | `'medium'` | load preset (`light`, `medium`, `heavy`) or a custom preset |
 * | calibration | `'nominal'` | how presets become arrivals, availability and deadlines: `nominal` or `per-type` (bottleneck utilization per PE type, all PEs, deadlines 1.5 × isolated time) |
 * | jobs | 8 | workload jobs per episode |
 * | alpha | 0.5 | concavity α of the progress rate in the tokens |
 * | pes | 4 CPUs, 2 GPUs, 2 DSPs | the PEs (`STOMP_PES`: 3 CPUs, 3 GPUs, 3 FFT accelerators; `peMix`) |
 * | speeds | `DEFAULT_SPEEDS` | speed per PE type and task type |
 * | lookahead | 1 | look-ahead horizon of the scheduler's reservations (time units) |
 * | deadlineFactor | 1.5 | relative deadline of a job, in units of its L |
 * | congestion | 0.1 | congestion γ per running memory-intensive task |
 * | contentionModel | `'all'` | who suffers memory contention: `all` tasks, only `memory`-intensive ones among themselves, `none` |
 * | power | 100 tokens, α-model | token budget, request grid and token-to-speed model (`HsocPowerModelOptions`, DVFS optional) |
 * | available | the preset's | PE availability, one flag per PE |
 * | plan | none | static assignment to follow (ideal-static baseline) |
 * | arrivalTimes | drawn | fixed arrival times of the workload jobs (overrides `jobs`) |
 * | trace | none | workload jobs with their own DAG, arrival, deadline and priority (STOMP trace; overrides `workload`, `jobs`, `arrivalTimes`) |
 * | balanceWeight | 1 | weight w of the balancing reward term |
 * | tokenNeed | `'balanced'` | a running task's token need beside siblings: `balanced` paths or the seed's `sub-deadline` Slack peak |
 * | warmupJobs | 0 | first workload jobs left out of the metrics |
 */
import type { EnvSpec, Info, ResetOptions } from '../../core/env.js';
import { ArbiterError } from '../../core/errors.js';
import type {
  EventDrivenEnv,
  EventDrivenResetResult,
  EventDrivenStepResult,
} from '../../core/multi-agent/event-driven-env.js';
import { Rng } from '../../core/rng.js';
import { Box, Discrete, type Space } from '../../core/spaces.js';
import {
  REFERENCE_SPEED,
  TOKEN_BINS,
  agentView,
  binTokens,
  computeShares,
  type HsocAgentView,
  type HsocTokenNeed,
  type UnplacedSpeed,
} from './hsoc-agent-view.js';
import { HSOC_OBS_DIM, writeHsocObservation } from './hsoc-observation.js';
import { peNames } from './hsoc-platform.js';
import { HsocSimulator, type HsocSimulatorOptions } from './hsoc-simulator.js';

/** Registered id and limits. */
export const HSOC_SPEC: EnvSpec = { id: 'HSoC-v0' };

/** Options of {@link HsocEnv}: the simulator's, plus the reward weight. */
export interface HsocEnvOptions extends HsocSimulatorOptions {
  /** Weight w of the per-step balancing term. Default 1. */
  balanceWeight?: number;
  /**
   * Meaning of a running task's token need beside siblings (the view's `idealShare`, the `Slack`
   * predicate's peak, the need rules' request): `balanced` (default) or the seed's `sub-deadline`.
   */
  tokenNeed?: HsocTokenNeed;
  /**
   * Workload jobs left out of {@link HsocEnv.metrics}, in arrival order: a warm-up, so that the
   * metrics describe the SoC in steady state rather than the start from an empty SoC. Default 0.
   */
  warmupJobs?: number;
}

/** Metrics of a finished episode (workload jobs only). */
export interface HsocEpisodeMetrics {
  /** Mean DAG completion time (finish − arrival) of the workload jobs. */
  meanCompletion: number;
  /** Share of workload jobs finishing after their deadline. */
  deadlineMissRatio: number;
  /** Workload jobs. */
  jobs: number;
  /** Simulated time at the end. */
  makespan: number;
  /** Decisions taken (agent-events). */
  decisions: number;
}

/** See the module comment. */
export class HsocEnv implements EventDrivenEnv<Float32Array, number> {
  /** Id `HSoC-v0`. */
  readonly spec = HSOC_SPEC;
  /** The simulator (policies that are not learned may read it; learned ones use obs / view). */
  readonly sim: HsocSimulator;
  /** One agent per PE (`cpu0 … dsp1`), available or not. */
  readonly possibleAgents: readonly string[];
  private live: string[] = [];
  private pending: string[] = [];
  private readonly agentIndex: Map<string, number>;
  private readonly obsSpace: Box;
  private readonly actSpace = new Discrete(TOKEN_BINS);
  private readonly balanceWeight: number;
  private readonly tokenNeed: HsocTokenNeed;
  private readonly warmupJobs: number;
  private rng = new Rng(0);
  private seeded = false;
  private over = true;
  private decisions = 0;
  private readonly share: Float64Array;
  private readonly remainingTime: Float64Array;
  private readonly tail: Float64Array;
  private readonly views: (HsocAgentView | undefined)[];
  private readonly requests: Float64Array;
  private readonly unplacedSpeed: UnplacedSpeed;

  constructor(options: HsocEnvOptions = {}) {
    this.sim = new HsocSimulator(options);
    const plan = options.plan;
    const sim = this.sim;
    // With a static plan every agent knows where each future task of its DAG will run.
    this.unplacedSpeed = plan
      ? (job, v): number => sim.speedOf(job, v, plan.get(job.id)![v]!)
      : REFERENCE_SPEED;
    this.balanceWeight = options.balanceWeight ?? 1;
    this.tokenNeed = options.tokenNeed ?? 'balanced';
    if (this.tokenNeed !== 'balanced' && this.tokenNeed !== 'sub-deadline')
      throw new ArbiterError(
        'invalid-option',
        `HSoC: tokenNeed must be balanced or sub-deadline, got '${String(this.tokenNeed)}'`,
      );
    this.warmupJobs = options.warmupJobs ?? 0;
    if (!Number.isInteger(this.warmupJobs) || this.warmupJobs < 0 || this.warmupJobs >= this.sim.jobCount)
      throw new ArbiterError(
        'invalid-option',
        `HSoC: warmupJobs must be an integer in [0, jobs − 1] = [0, ${this.sim.jobCount - 1}], got ${this.warmupJobs}`,
      );
    this.possibleAgents = peNames(this.sim.pes);
    this.agentIndex = new Map(this.possibleAgents.map((a, i) => [a, i]));
    const n = this.sim.pes.length;
    this.share = new Float64Array(n);
    this.remainingTime = new Float64Array(n);
    this.tail = new Float64Array(n);
    this.views = new Array(n).fill(undefined);
    this.requests = new Float64Array(n);
    this.obsSpace = new Box(-1, 5, [HSOC_OBS_DIM]);
  }

  /** The available PEs while an episode runs. */
  get agents(): readonly string[] {
    return this.live;
  }

  /** Every live agent at each event (empty once the episode is over). */
  get pendingAgents(): readonly string[] {
    return this.pending;
  }

  /** `Box(−1, 5, [HSOC_OBS_DIM])` for every agent. */
  observationSpace(agent: string): Space {
    this.indexOf(agent);
    return this.obsSpace;
  }

  /** `Discrete(11)`: token bins 0, 10, …, 100 %. */
  actionSpace(agent: string): Space {
    this.indexOf(agent);
    return this.actSpace;
  }

  /** PE index of an agent name; throws for an unknown name. */
  indexOf(agent: string): number {
    const p = this.agentIndex.get(agent);
    if (p === undefined) throw new ArbiterError('unknown-agent', `HSoC: no agent '${agent}'`);
    return p;
  }

  /** Draws a new episode (seeded) and runs to its first event with a task on some PE. */
  reset(options: ResetOptions = {}): EventDrivenResetResult<Float32Array> {
    if (options.seed !== undefined || !this.seeded) {
      this.rng = new Rng(options.seed ?? 0);
      this.seeded = true;
    }
    this.sim.reset(this.rng.fork());
    this.live = this.possibleAgents.filter((_, p) => this.sim.available[p]);
    this.over = false;
    this.decisions = 0;
    this.skipIdleEvents();
    this.refresh();
    const obs: Record<string, Float32Array> = {};
    const infos: Record<string, Info> = {};
    for (const a of this.pending) {
      obs[a] = this.observe(this.indexOf(a));
      infos[a] = { actionMask: this.actionMasks(a) };
    }
    return { obs, infos, pendingAgents: [...this.pending], time: this.sim.time };
  }

  /** The agent state of a pending agent at the current event. */
  view(agent: string | number): HsocAgentView {
    const p = typeof agent === 'number' ? agent : this.indexOf(agent);
    const v = this.views[p];
    if (v === undefined) throw new ArbiterError('not-pending', `HSoC: agent ${agent} has no decision now`);
    return v;
  }

  /** Guard-rail mask of a pending agent (1 = allowed). */
  actionMasks(agent: string): Uint8Array {
    const v = this.view(agent);
    const mask = new Uint8Array(TOKEN_BINS).fill(1);
    if (v.parentTasksCompleted) mask[0] = 0; // no 0 % while running
    if (v.parentTasksCompleted && v.siblingTasks) mask[TOKEN_BINS - 1] = 0; // no 100 % beside a sibling
    return mask;
  }

  /** Applies every pending agent's request, runs to the next event and pays the rewards. */
  step(actions: Readonly<Record<string, number>>): EventDrivenStepResult<Float32Array> {
    if (this.over)
      throw new ArbiterError('episode-over', 'HSoC: step() after the episode ended; call reset()');
    // Validate everything before changing state.
    for (const a of Object.keys(actions))
      if (!this.pending.includes(a))
        throw new ArbiterError('invalid-action', `HSoC: '${a}' has no decision now`);
    this.requests.fill(0);
    for (const a of this.pending) {
      const x = actions[a];
      if (x === undefined)
        throw new ArbiterError('invalid-action', `HSoC: no action for pending agent '${a}'`);
      if (!this.actSpace.contains(x))
        throw new ArbiterError(
          'invalid-action',
          `HSoC: action of '${a}' must be an integer in 0…10, got ${x}`,
        );
      if (this.actionMasks(a)[x] === 0)
        throw new ArbiterError('invalid-action', `HSoC: action ${x} of '${a}' is masked by a guard rail`);
      this.requests[this.indexOf(a)] = binTokens(x);
    }
    this.decisions += this.pending.length;
    this.sim.setRequests(this.requests);
    const rewards: Record<string, number> = {};
    for (const a of this.live) rewards[a] = 0;
    this.accrueBalance(rewards);
    this.sim.advance();
    for (const e of this.sim.events) if (e.kind === 'finish') rewards[this.possibleAgents[e.pe]!]! += 1;
    this.skipIdleEvents();
    const before = this.live;
    const ended = this.sim.finished;
    const terminations: Record<string, boolean> = {};
    const truncations: Record<string, boolean> = {};
    for (const a of before) {
      terminations[a] = ended;
      truncations[a] = false;
    }
    const obs: Record<string, Float32Array> = {};
    const infos: Record<string, Info> = {};
    if (ended) {
      this.over = true;
      const metrics = this.metrics();
      for (const a of before) {
        obs[a] = new Float32Array(HSOC_OBS_DIM);
        infos[a] = { metrics };
      }
      this.live = [];
      this.pending = [];
      this.views.fill(undefined);
    } else {
      this.refresh();
      for (const a of this.pending) {
        obs[a] = this.observe(this.indexOf(a));
        infos[a] = { actionMask: this.actionMasks(a) };
      }
    }
    return {
      obs,
      rewards,
      terminations,
      truncations,
      infos,
      pendingAgents: [...this.pending],
      time: this.sim.time,
    };
  }

  /** The PE every task of every job ran on (after an episode): a static plan for the ideal baseline. */
  assignmentPlan(): Map<number, Int16Array> {
    return new Map(this.sim.jobs.map((j) => [j.id, Int16Array.from(j.pe)]));
  }

  /** Metrics of the workload jobs after the warm-up (meaningful once the episode has ended). */
  metrics(): HsocEpisodeMetrics {
    let sum = 0;
    let missed = 0;
    let n = 0;
    let seen = 0;
    for (const job of this.sim.jobs) {
      if (job.kind !== 'workload' || seen++ < this.warmupJobs) continue;
      n++;
      sum += job.completedAt - job.arrival;
      if (job.completedAt > job.deadline + 1e-9) missed++;
    }
    return {
      meanCompletion: sum / n,
      deadlineMissRatio: missed / n,
      jobs: n,
      makespan: this.sim.time,
      decisions: this.decisions,
    };
  }

  /** Advances past events at which no PE holds a task (no decision to make). */
  private skipIdleEvents(): void {
    while (!this.sim.finished && !this.sim.peJob.some((j) => j >= 0)) {
      this.sim.setRequests(this.requests.fill(0));
      this.sim.advance();
    }
  }

  /** Recomputes shares and views for the current event; every live agent is pending. */
  private refresh(): void {
    computeShares(this.sim, this.unplacedSpeed, this.share, this.remainingTime, this.tail, this.tokenNeed);
    this.views.fill(undefined);
    for (const a of this.live) {
      const p = this.indexOf(a);
      this.views[p] = agentView(this.sim, p, this.share, this.remainingTime, this.tail);
    }
    this.pending = this.sim.finished ? [] : [...this.live];
  }

  /** Balancing term over the interval to the next event, added to `rewards`. */
  private accrueBalance(rewards: Record<string, number>): void {
    if (this.balanceWeight === 0) return;
    const sim = this.sim;
    const dt = sim.nextEventTime() - sim.time;
    if (!(dt > 0 && Number.isFinite(dt))) return;
    const n = sim.pes.length;
    const pred = new Float64Array(n).fill(NaN);
    for (let p = 0; p < n; p++) {
      const r = sim.rate(p);
      if (r > 0) {
        const job = sim.jobs[sim.peJob[p]!]!;
        pred[p] = job.remaining[sim.peTask[p]!]! / r + this.tail[p]!;
      }
    }
    for (let p = 0; p < n; p++) {
      if (Number.isNaN(pred[p]!)) continue;
      const j = sim.peJob[p]!;
      let sum = 0;
      let k = 0;
      for (let q = 0; q < n; q++)
        if (sim.peJob[q] === j && !Number.isNaN(pred[q]!)) {
          sum += pred[q]!;
          k++;
        }
      if (k < 2) continue;
      const L = sim.jobs[j]!.criticalPath;
      rewards[this.possibleAgents[p]!]! -= (this.balanceWeight * Math.abs(pred[p]! - sum / k) * dt) / (L * L);
    }
  }

  /** The observation vector of PE p (fresh array). */
  private observe(p: number): Float32Array {
    const o = new Float32Array(HSOC_OBS_DIM);
    writeHsocObservation(this.views[p]!, this.sim.pes[p]!, this.sim.pes.length, o);
    return o;
  }
}
