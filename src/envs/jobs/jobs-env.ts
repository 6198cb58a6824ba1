/**
 * Jobs-v0: DeepRM-style multi-resource job scheduling (Mao et al., HotNets 2016), the seed
 * article's JobEnv made into a well-posed MDP.
 *
 * ## Description
 *
 * A cluster has R resource types with integer capacities. Jobs arrive over a window of
 * `arrivalSteps` time steps; each needs a demand vector for a fixed duration and runs
 * non-preemptively. The agent picks jobs from a window of the M oldest waiting jobs and starts
 * them now, or lets time advance. Several jobs can start in the same time step. With `autoAdvance`
 * (default) time also advances by itself whenever no waiting job fits, so every decision the agent
 * sees is a real choice.
 *
 * ## Action space
 *
 * `Discrete(M + 1)`: a < M starts the job in window slot a now; a = M advances time by one step.
 * Mask in `info.actionMask` (and `actionMasks()`): slot a is allowed when it holds a job that fits
 * the free capacity now (running jobs never grow, so it then fits for its whole run); advancing is
 * always allowed, unless `workConserving` masks it while some window job fits. A masked action
 * throws `invalid-action`, or advances time with `invalidAction: 'advance'`.
 *
 * ## Observation space
 *
 * `Box(0, 1, [R·T + M·(R + 2) + 2])` of Float32 (62 values with the defaults); the offsets are in
 * {@link JobsEnv.layout}. T = `horizon`, "now" is the current time step:
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | r·T + k | image | units of resource r in use at now + k / capacity_r (k < T) | [0, 1] |
 * | R·T + i·(R + 2) + r | slot demand | demand of window job i for resource r / capacity_r | [0, 1] |
 * | R·T + i·(R + 2) + R | slot duration | duration of window job i / longest duration | (0, 1] |
 * | R·T + i·(R + 2) + R + 1 | slot wait | (now − arrival) / T of window job i, capped at 1 | [0, 1] |
 * | R·T + M·(R + 2) | backlog | min(jobs waiting beyond the window, S) / S, S = `backlogScale` | [0, 1] |
 * | R·T + M·(R + 2) + 1 | arrivals left | fraction of the arrival window still to come | [0, 1] |
 *
 * An empty window slot reads all zeros. Window jobs are oldest first.
 *
 * With `observation: 'image'` the observation is DeepRM's picture instead, as channels of a
 * `Box(0, 1, [T, U, R·(M + 1) + 1])`, U = the largest capacity, every value 0 or 1, row k = now + k,
 * column u = resource unit u ({@link JobsEnv.imageChannels}):
 *
 * | channel | name | meaning |
 * |---|---|---|
 * | r·(M + 1) | cluster | cell (k, u) is 1 when unit u of resource r is in use at now + k |
 * | r·(M + 1) + 1 + i | slot | job of window slot i: rows k < duration, columns u < its demand of r |
 * | R·(M + 1) | backlog | the first min(backlog, T·U) cells in row-major order |
 *
 * Units of a resource are interchangeable, so its first `usage` cells of a row are the busy ones.
 *
 * ## Rewards
 *
 * - `'slowdown'` (default): each time advance gives `−Σ 1/duration` over the jobs in the system
 *   (waiting or running), so the undiscounted return is `−Σ_j slowdown_j` with
 *   `slowdown = (finish − arrival) / duration`. Starting a job earns nothing itself (the step's reward
 *   is that of the advances, if `autoAdvance` then runs time).
 * - `'value'`: a job's value (its work, `duration × Σ_r demand_r / capacity_r`) is paid when it
 *   completes (meaningful with γ < 1, as in the seed).
 *
 * ## Starting state
 *
 * `reset({ seed })` draws a job sequence (arrivals at the rate that offers `load`, see
 * `arrivalRate`; durations and demands from `jobDistribution`) and starts at time 0 with an empty
 * cluster; the jobs arriving at 0 enter the window, and with `autoAdvance` time runs (reward 0, the
 * system is empty) until a job has arrived. `reset({ options: { jobs } })` replays a
 * {@link JobTrace} instead (checked: sorted integer arrivals, durations in range, demands ≤
 * capacity). `reset()` without a seed continues the stream (seed 0 at first).
 *
 * ## Episode end
 *
 * - Termination: every job of the sequence has arrived and finished; `info.meanSlowdown` and
 *   `info.completedJobs` are given on the terminating step.
 * - Truncation: after 5000 steps, by the TimeLimit wrapper that `makeEnv` adds from
 *   {@link JOBS_SPEC}: a policy can postpone jobs forever by always advancing.
 *
 * `step()` after termination without `reset()` throws `step-after-done`.
 *
 * ## Options
 *
 * {@link JobsOptions}, checked by {@link JOBS_OPTIONS_SCHEMA} (strict) and then by the constructor
 * (capacity list length, the distribution against the capacities, a Bernoulli rate ≤ 1):
 *
 * | option | default | rule | meaning |
 * |---|---|---|---|
 * | resources | 2 | integer ≥ 1 | resource types R |
 * | capacity | 10 | integer ≥ 1, or one per type | units of each resource |
 * | horizon | 20 | integer ≥ 1 | time slots T of the cluster image |
 * | windowSize | 5 | integer ≥ 1 | window slots M |
 * | backlogScale | 60 | integer ≥ 1 | backlog count at which the backlog feature reads 1 |
 * | arrivalSteps | 200 | integer ≥ 1 | time steps during which jobs arrive |
 * | load | `'medium'` | > 0, or `low` 0.3 / `medium` 0.6 / `high` 0.9 | offered load of the cluster |
 * | arrivalProcess | `'bernoulli'` | `bernoulli`, `poisson` | at most one or Poisson-many arrivals a step |
 * | jobDistribution | DeepRM's | see below | job durations and demands |
 * | reward | `'slowdown'` | `slowdown`, `value` | reward definition |
 * | autoAdvance | true | boolean | advance time by itself while no waiting job fits |
 * | invalidAction | `'error'` | `error`, `advance` | what a masked action does |
 * | workConserving | false | boolean | mask "advance" while some window job fits |
 * | observation | `'flat'` | `flat`, `image` | the flat features above, or DeepRM's image as channels |
 *
 * `jobDistribution` (strict, each optional): `shortProb` 0.8 ∈ [0, 1], `shortDuration` [1, 3],
 * `longDuration` [10, 15] (time steps), `dominantDemand` [0.5, 1], `otherDemand` [0.1, 0.2]
 * (fractions of capacity); ranges are `[lo, hi]` with lo, hi ≥ 0.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../../core/config-schema.js';
import type { Env, EnvSpec, Info, ResetOptions, ResetResult, StepResult } from '../../core/env.js';
import { ArbiterError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { Box, Discrete } from '../../core/spaces.js';
import {
  DEFAULT_JOB_DISTRIBUTION,
  LOAD_PRESETS,
  arrivalRate,
  generateJobSequence,
  validateJobDistribution,
  type ArrivalProcess,
  type JobDistribution,
  type JobSequence,
  type LoadPreset,
} from './job-arrivals.js';

/** Options of {@link JobsEnv}; every field has a default. */
export interface JobsOptions {
  /** Number of resource types R (default 2). */
  resources?: number;
  /** Capacity of each type in integer units, one for all or one per type (default 10). */
  capacity?: number | readonly number[];
  /** Time slots of the cluster image T (default 20). */
  horizon?: number;
  /** Job window size M (default 5). */
  windowSize?: number;
  /** Backlog count at which the backlog feature saturates to 1 (default 60). */
  backlogScale?: number;
  /** Time steps during which jobs arrive (default 200). */
  arrivalSteps?: number;
  /** Offered load: a preset (low 0.3, medium 0.6, high 0.9) or a number, see `arrivalRate` (default `'medium'`). */
  load?: number | LoadPreset;
  /** Arrival process (default `'bernoulli'`, at most one job per step, as DeepRM). */
  arrivalProcess?: ArrivalProcess;
  /** Job durations and demands (defaults: DeepRM's). */
  jobDistribution?: Partial<JobDistribution>;
  /** Reward definition (default `'slowdown'`). */
  reward?: 'slowdown' | 'value';
  /** Advance time by itself whenever no waiting job fits (default true). */
  autoAdvance?: boolean;
  /** A masked action: throw (`'error'`, default) or treat it as "advance time" (`'advance'`). */
  invalidAction?: 'error' | 'advance';
  /**
   * Mask "advance time" while some window job fits (default false): the policy then only chooses
   * which job starts and never holds resources idle, like the FIFO/SJF/random baselines.
   */
  workConserving?: boolean;
  /**
   * `'flat'` (default): the feature vector of {@link JobsEnv.layout}; `'image'`: DeepRM's
   * occupancy image and job slots as channels of a `[T, U, C]` Box (for CNN policies).
   */
  observation?: 'flat' | 'image';
}

const RANGE = z.tuple([z.number().min(0), z.number().min(0)]);

/** Rules of every {@link JobsOptions} key (strict: unknown keys are refused); the constructor checks the rest. */
export const JOBS_OPTIONS_SCHEMA = z
  .object({
    resources: zc.int(1).optional(),
    capacity: z.union([zc.int(1), z.array(zc.int(1)).min(1)]).optional(),
    horizon: zc.int(1).optional(),
    windowSize: zc.int(1).optional(),
    backlogScale: zc.int(1).optional(),
    arrivalSteps: zc.int(1).optional(),
    load: z.union([zc.positive(), z.enum(['low', 'medium', 'high'])]).optional(),
    arrivalProcess: z.enum(['bernoulli', 'poisson']).optional(),
    jobDistribution: z
      .object({
        shortProb: zc.unit().optional(),
        shortDuration: RANGE.optional(),
        longDuration: RANGE.optional(),
        dominantDemand: RANGE.optional(),
        otherDemand: RANGE.optional(),
      } satisfies ConfigShape<JobDistribution>)
      .strict()
      .optional(),
    reward: z.enum(['slowdown', 'value']).optional(),
    autoAdvance: z.boolean().optional(),
    invalidAction: z.enum(['error', 'advance']).optional(),
    workConserving: z.boolean().optional(),
    observation: z.enum(['flat', 'image']).optional(),
  } satisfies ConfigShape<JobsOptions>)
  .strict();

/** A job sequence given explicitly to `reset({ options: { jobs } })`, sorted by arrival. */
export interface JobTrace {
  /** Arrival time step of each job (non-decreasing integers ≥ 0). */
  arrival: readonly number[];
  /** Duration of each job in time steps (1 … the distribution's longest duration). */
  duration: readonly number[];
  /** Demand units of each job, one value per resource type (≤ capacity). */
  demand: readonly (readonly number[])[];
}

/** Where each feature sits in the flat observation. */
export interface JobsObservationLayout {
  /** Resource types R. */
  resources: number;
  /** Image time slots T. */
  horizon: number;
  /** Window slots M. */
  windowSize: number;
  /** Offset of the R × T cluster image: `usage_r(t + k) / capacity_r` at `r * T + k`. */
  imageOffset: number;
  /**
   * Offset of the M window slots, `slotFeatures` values each: R demands / capacity, then
   * duration / longest duration, then waiting time / T (clipped to 1); all 0 for an empty slot.
   */
  windowOffset: number;
  /** Values per window slot (R + 2). */
  slotFeatures: number;
  /** Offset of the backlog feature: min(backlog, backlogScale) / backlogScale. */
  backlogOffset: number;
  /** Offset of the fraction of the arrival window still to come. */
  arrivalsLeftOffset: number;
  /** Total observation length. */
  size: number;
  /** Longest possible duration (the duration normaliser). */
  maxDuration: number;
}

/** Shape and channel indices of the image observation (`observation: 'image'`). */
export interface JobsImageChannels {
  /** Rows: the horizon T. */
  rows: number;
  /** Columns: the largest capacity U. */
  cols: number;
  /** Channels: R·(M + 1) + 1. */
  channels: number;
  /** Channel of resource r's cluster occupancy: `r * (M + 1)`; of slot i's demand of r: `r * (M + 1) + 1 + i`. */
  perResource: number;
  /** Channel of the backlog. */
  backlog: number;
}

/** A snapshot of the simulator state, for tests and diagnostics. */
export interface JobsSnapshot {
  /** Current time step. */
  time: number;
  /** Jobs of the episode's sequence. */
  totalJobs: number;
  /** Jobs arrived so far. */
  arrived: number;
  /** Jobs waiting (window + backlog). */
  waiting: number;
  /** Jobs running. */
  running: number;
  /** Jobs finished. */
  completed: number;
  /** Units of each resource in use now. */
  usageNow: number[];
  /** Capacity of each resource. */
  capacity: number[];
  /** Sum of the slowdowns of the finished jobs. */
  slowdownSum: number;
}

/**
 * Registration facts of Jobs-v0. The step limit (5000) only cuts policies that keep postponing
 * jobs: with the defaults a work-conserving policy needs one step per job (≈ 64 at medium load,
 * ≈ 300 without `autoAdvance`). Raise it through `makeEnv(..., { maxEpisodeSteps })` for
 * much longer arrival windows.
 */
export const JOBS_SPEC: EnvSpec = { id: 'Jobs-v0', maxEpisodeSteps: 5_000 };

/** The job-scheduling environment (see the file comment). Observation: Float32Array in [0, 1]. */
export class JobsEnv implements Env<Float32Array, number> {
  /** Box [0, 1]^size; see {@link JobsEnv.layout}. */
  readonly observationSpace: Box;
  /** Discrete(M + 1): start window slot i, or advance time (M). */
  readonly actionSpace: Discrete;
  /** Id and limits. */
  readonly spec = JOBS_SPEC;
  /** Feature offsets of the observation. */
  readonly layout: JobsObservationLayout;
  /** Shape and channels of the image observation (also defined when the observation is flat). */
  readonly imageChannels: JobsImageChannels;
  /** Which observation the env gives. */
  readonly observationKind: 'flat' | 'image';
  /** Expected arrivals per time step. */
  readonly arrivalRate: number;
  /** The load the arrival rate was derived from. */
  readonly load: number;

  private readonly R: number;
  private readonly T: number;
  private readonly M: number;
  private readonly capacity: Int32Array;
  private readonly dist: JobDistribution;
  private readonly arrivalSteps: number;
  private readonly process: ArrivalProcess;
  private readonly rewardKind: 'slowdown' | 'value';
  private readonly autoAdvance: boolean;
  private readonly invalidAction: 'error' | 'advance';
  private readonly workConserving: boolean;
  private readonly backlogScale: number;
  /** Ring length of the usage profile: long enough for the image and for the longest job. */
  private readonly H: number;
  private readonly usage: Int32Array;

  private rng = new Rng(0);
  private seq: JobSequence = {
    count: 0,
    resources: 0,
    arrival: new Int32Array(0),
    duration: new Int32Array(0),
    demand: new Int32Array(0),
  };
  private finish = new Int32Array(0);
  private queue = new Int32Array(0);
  private queueHead = 0;
  private numWaiting = 0;
  private running = new Int32Array(0);
  private numRunning = 0;
  private nextArrival = 0;
  private completed = 0;
  private slowdownSum = 0;
  private inSystemInvDuration = 0;
  private time = 0;
  private needsReset = true;
  /** Scratch mask, recomputed in place while time auto-advances. */
  private readonly mask: Uint8Array;
  /** Copy handed out in `info.actionMask`: callers may keep it, so it is never mutated. */
  private lastMask: Uint8Array;

  constructor(options: JobsOptions = {}) {
    parseConfig(JOBS_OPTIONS_SCHEMA, options, { source: 'JobsEnv options', what: 'Jobs-v0' });
    this.R = options.resources ?? 2;
    if (!Number.isInteger(this.R) || this.R < 1)
      throw invalid(`resources must be an integer ≥ 1, got ${this.R}`);
    const cap = options.capacity ?? 10;
    const capList = typeof cap === 'number' ? new Array<number>(this.R).fill(cap) : [...cap];
    if (capList.length !== this.R) throw invalid(`capacity needs ${this.R} values, got ${capList.length}`);
    this.capacity = Int32Array.from(capList);
    this.dist = { ...DEFAULT_JOB_DISTRIBUTION, ...options.jobDistribution };
    validateJobDistribution(capList, this.dist);
    this.T = intOption(options.horizon ?? 20, 'horizon', 1);
    this.M = intOption(options.windowSize ?? 5, 'windowSize', 1);
    this.backlogScale = intOption(options.backlogScale ?? 60, 'backlogScale', 1);
    this.arrivalSteps = intOption(options.arrivalSteps ?? 200, 'arrivalSteps', 1);
    this.process = options.arrivalProcess ?? 'bernoulli';
    if (this.process !== 'bernoulli' && this.process !== 'poisson')
      throw invalid(`arrivalProcess must be 'bernoulli' or 'poisson', got ${String(this.process)}`);
    this.rewardKind = options.reward ?? 'slowdown';
    if (this.rewardKind !== 'slowdown' && this.rewardKind !== 'value')
      throw invalid(`reward must be 'slowdown' or 'value', got ${String(this.rewardKind)}`);
    this.autoAdvance = options.autoAdvance ?? true;
    this.invalidAction = options.invalidAction ?? 'error';
    this.workConserving = options.workConserving ?? false;

    const load = options.load ?? 'medium';
    if (typeof load === 'string') {
      if (!Object.hasOwn(LOAD_PRESETS, load))
        throw invalid(`load must be low, medium, high or a number, got '${load}'`);
      this.load = LOAD_PRESETS[load as LoadPreset];
    } else this.load = load;
    if (!(this.load > 0 && Number.isFinite(this.load)))
      throw invalid(`load must be a positive number, got ${this.load}`);
    this.arrivalRate = arrivalRate(this.load, capList, this.dist);
    if (this.process === 'bernoulli' && this.arrivalRate > 1)
      throw invalid(
        `load ${this.load} needs ${this.arrivalRate.toFixed(2)} arrivals per step, more than a Bernoulli process gives; use arrivalProcess 'poisson'`,
      );

    const maxDuration = Math.max(this.dist.shortDuration[1], this.dist.longDuration[1]);
    this.H = Math.max(this.T, maxDuration);
    this.usage = new Int32Array(this.R * this.H);
    const slotFeatures = this.R + 2;
    const windowOffset = this.R * this.T;
    const backlogOffset = windowOffset + this.M * slotFeatures;
    this.layout = {
      resources: this.R,
      horizon: this.T,
      windowSize: this.M,
      imageOffset: 0,
      windowOffset,
      slotFeatures,
      backlogOffset,
      arrivalsLeftOffset: backlogOffset + 1,
      size: backlogOffset + 2,
      maxDuration,
    };
    const perResource = this.M + 1;
    this.imageChannels = {
      rows: this.T,
      cols: Math.max(...capList),
      channels: this.R * perResource + 1,
      perResource,
      backlog: this.R * perResource,
    };
    this.observationKind = options.observation ?? 'flat';
    const ic = this.imageChannels;
    this.observationSpace =
      this.observationKind === 'image'
        ? new Box(0, 1, [ic.rows, ic.cols, ic.channels])
        : new Box(0, 1, [this.layout.size]);
    this.actionSpace = new Discrete(this.M + 1);
    this.mask = new Uint8Array(this.M + 1);
    this.lastMask = this.mask.slice();
  }

  /**
   * Draws a new job sequence (seeded by `seed`) and starts at time 0. `options.jobs` (a
   * {@link JobTrace}) replays a given sequence instead, e.g. a recorded trace or a test case.
   */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    const trace = options.options?.['jobs'];
    const seq =
      trace !== undefined
        ? this.traceSequence(trace as JobTrace)
        : generateJobSequence(
            this.rng,
            this.arrivalSteps,
            this.arrivalRate,
            this.process,
            [...this.capacity],
            this.dist,
          );
    this.seq = seq;
    if (this.finish.length < seq.count) {
      this.finish = new Int32Array(seq.count);
      this.queue = new Int32Array(seq.count);
      this.running = new Int32Array(seq.count);
    }
    this.usage.fill(0);
    this.queueHead = 0;
    this.numWaiting = 0;
    this.numRunning = 0;
    this.nextArrival = 0;
    this.completed = 0;
    this.slowdownSum = 0;
    this.inSystemInvDuration = 0;
    this.time = 0;
    this.needsReset = false;
    this.admitArrivals();
    // Before the first job arrives the system is empty, so these advances carry no reward.
    if (this.autoAdvance) this.advanceWhileNothingFits();
    else this.updateMask();
    this.lastMask = this.mask.slice();
    return { obs: this.observation(), info: { actionMask: this.lastMask } };
  }

  /** Starts a window job now (`a < M`) or advances time (`a = M`); see the file comment. */
  step(action: number): StepResult<Float32Array> {
    if (this.needsReset)
      throw new ArbiterError('step-after-done', 'Jobs: call reset() before step() (episode ended)');
    if (!this.actionSpace.contains(action))
      throw new ArbiterError(
        'invalid-action',
        `Jobs: action must be an integer in [0, ${this.M}], got ${String(action)}`,
      );
    let reward = 0;
    if (action < this.M && this.mask[action]) this.startJob(action);
    else if (this.mask[action] || this.invalidAction === 'advance') reward += this.advance();
    else
      throw new ArbiterError(
        'invalid-action',
        action === this.M
          ? `Jobs: advancing time is masked while a window job fits (workConserving)`
          : `Jobs: action ${action} is masked (window slot empty or its job does not fit now)`,
      );
    if (this.autoAdvance) reward += this.advanceWhileNothingFits();
    else this.updateMask();
    const terminated = this.isDone();
    this.lastMask = this.mask.slice();
    const info: Info = { actionMask: this.lastMask };
    if (terminated) {
      this.needsReset = true;
      info['meanSlowdown'] = this.slowdownSum / this.completed;
      info['completedJobs'] = this.completed;
    }
    return { obs: this.observation(), reward, terminated, truncated: false, info };
  }

  /** The mask of the current state (`1` = allowed); the same array as the last `info.actionMask`. */
  actionMasks(): Uint8Array {
    return this.lastMask;
  }

  /** Counters and current usage, for tests and diagnostics. */
  snapshot(): JobsSnapshot {
    const now = this.time % this.H;
    return {
      time: this.time,
      totalJobs: this.seq.count,
      arrived: this.nextArrival,
      waiting: this.numWaiting,
      running: this.numRunning,
      completed: this.completed,
      usageNow: Array.from({ length: this.R }, (_, r) => this.usage[r * this.H + now]!),
      capacity: [...this.capacity],
      slowdownSum: this.slowdownSum,
    };
  }

  /**
   * Mean slowdown of the jobs arrived so far, counting an unfinished job's time in the system up
   * to now (a lower bound on its final slowdown); equals `info.meanSlowdown` once the episode ends.
   */
  meanSlowdownSoFar(): number {
    if (this.nextArrival === 0) return 0;
    let sum = this.slowdownSum;
    const cap = this.queue.length;
    for (let i = 0; i < this.numWaiting; i++) {
      const job = this.queue[(this.queueHead + i) % cap]!;
      sum += (this.time - this.seq.arrival[job]!) / this.seq.duration[job]!;
    }
    for (let i = 0; i < this.numRunning; i++) {
      const job = this.running[i]!;
      sum += (this.time - this.seq.arrival[job]!) / this.seq.duration[job]!;
    }
    return sum / this.nextArrival;
  }

  /** The job sequence of the current episode (read-only view, for baselines and tests). */
  get jobs(): Readonly<JobSequence> {
    return this.seq;
  }

  /** Job index in window slot `i`, or −1 when the slot is empty. */
  windowJob(i: number): number {
    return i < this.numWaiting && i < this.M ? this.queue[(this.queueHead + i) % this.queue.length]! : -1;
  }

  private traceSequence(trace: JobTrace): JobSequence {
    const n = trace?.arrival?.length;
    if (!n || trace.duration?.length !== n || trace.demand?.length !== n)
      throw invalid('options.jobs needs arrival, duration and demand arrays of the same non-zero length');
    const seq: JobSequence = {
      count: n,
      resources: this.R,
      arrival: Int32Array.from(trace.arrival),
      duration: Int32Array.from(trace.duration),
      demand: new Int32Array(n * this.R),
    };
    for (let j = 0; j < n; j++) {
      const a = trace.arrival[j]!;
      const d = trace.duration[j]!;
      if (!Number.isInteger(a) || a < 0 || (j > 0 && a < trace.arrival[j - 1]!))
        throw invalid(`options.jobs: arrival times must be non-decreasing integers ≥ 0 (job ${j})`);
      if (!Number.isInteger(d) || d < 1 || d > this.layout.maxDuration)
        throw invalid(
          `options.jobs: job ${j} duration must be an integer in [1, ${this.layout.maxDuration}]`,
        );
      const dem = trace.demand[j]!;
      if (dem.length !== this.R) throw invalid(`options.jobs: job ${j} needs ${this.R} demands`);
      for (let r = 0; r < this.R; r++) {
        const u = dem[r]!;
        if (!Number.isInteger(u) || u < 0 || u > this.capacity[r]!)
          throw invalid(
            `options.jobs: job ${j} demand of resource ${r} must be an integer in [0, ${this.capacity[r]}]`,
          );
        seq.demand[j * this.R + r] = u;
      }
    }
    return seq;
  }

  private isDone(): boolean {
    return this.nextArrival === this.seq.count && this.numWaiting === 0 && this.numRunning === 0;
  }

  private fitsNow(job: number): boolean {
    const now = this.time % this.H;
    for (let r = 0; r < this.R; r++)
      if (this.usage[r * this.H + now]! + this.seq.demand[job * this.R + r]! > this.capacity[r]!)
        return false;
    return true;
  }

  /**
   * Recomputes the mask; returns whether some window job fits. Every running job started at or
   * before now, so usage never rises in the future: fitting now means fitting for the whole run.
   */
  private updateMask(): boolean {
    let any = false;
    for (let i = 0; i < this.M; i++) {
      const j = this.windowJob(i);
      const ok = j >= 0 && this.fitsNow(j);
      this.mask[i] = ok ? 1 : 0;
      any ||= ok;
    }
    this.mask[this.M] = this.workConserving && any ? 0 : 1;
    return any;
  }

  private advanceWhileNothingFits(): number {
    let reward = 0;
    while (!this.isDone() && !this.updateMask()) reward += this.advance();
    if (this.isDone()) this.updateMask();
    return reward;
  }

  private startJob(slot: number): void {
    const cap = this.queue.length;
    const job = this.queue[(this.queueHead + slot) % cap]!;
    // Remove slot `slot` from the ring by shifting the older entries one place towards it.
    for (let k = slot; k > 0; k--)
      this.queue[(this.queueHead + k) % cap] = this.queue[(this.queueHead + k - 1) % cap]!;
    this.queueHead = (this.queueHead + 1) % cap;
    this.numWaiting--;
    const d = this.seq.duration[job]!;
    for (let r = 0; r < this.R; r++) {
      const units = this.seq.demand[job * this.R + r]!;
      const row = r * this.H;
      for (let k = 0; k < d; k++) this.usage[row + ((this.time + k) % this.H)]! += units;
    }
    this.finish[job] = this.time + d;
    this.running[this.numRunning++] = job;
  }

  /** Time t → t + 1: charge the jobs in the system, finish jobs, admit arrivals. Returns the reward. */
  private advance(): number {
    let reward = this.rewardKind === 'slowdown' ? -this.inSystemInvDuration : 0;
    const old = this.time % this.H;
    for (let r = 0; r < this.R; r++) this.usage[r * this.H + old] = 0;
    this.time++;
    for (let i = 0; i < this.numRunning;) {
      const job = this.running[i]!;
      if (this.finish[job]! <= this.time) {
        const d = this.seq.duration[job]!;
        this.slowdownSum += (this.finish[job]! - this.seq.arrival[job]!) / d;
        this.completed++;
        this.inSystemInvDuration -= 1 / d;
        if (this.rewardKind === 'value') reward += this.jobValue(job);
        this.running[i] = this.running[--this.numRunning]!;
      } else i++;
    }
    this.admitArrivals();
    // Rounding drift of the running sum must not survive an empty system.
    if (this.numWaiting === 0 && this.numRunning === 0) this.inSystemInvDuration = 0;
    return reward;
  }

  private jobValue(job: number): number {
    let share = 0;
    for (let r = 0; r < this.R; r++) share += this.seq.demand[job * this.R + r]! / this.capacity[r]!;
    return this.seq.duration[job]! * share;
  }

  private admitArrivals(): void {
    const cap = this.queue.length;
    while (this.nextArrival < this.seq.count && this.seq.arrival[this.nextArrival]! <= this.time) {
      const job = this.nextArrival++;
      this.queue[(this.queueHead + this.numWaiting) % cap] = job;
      this.numWaiting++;
      this.inSystemInvDuration += 1 / this.seq.duration[job]!;
    }
  }

  private observation(): Float32Array {
    return this.observationKind === 'image' ? this.imageObservation() : this.flatObservation();
  }

  private imageObservation(): Float32Array {
    const { rows: T, cols: U, channels: C, perResource, backlog: backlogChannel } = this.imageChannels;
    const obs = new Float32Array(T * U * C);
    for (let r = 0; r < this.R; r++) {
      const cluster = r * perResource;
      for (let k = 0; k < T; k++) {
        const used = this.usage[r * this.H + ((this.time + k) % this.H)]!;
        for (let u = 0; u < used; u++) obs[(k * U + u) * C + cluster] = 1;
      }
      for (let i = 0; i < this.M; i++) {
        const job = this.windowJob(i);
        if (job < 0) continue;
        const ch = cluster + 1 + i;
        const rowsUsed = Math.min(T, this.seq.duration[job]!);
        const units = this.seq.demand[job * this.R + r]!;
        for (let k = 0; k < rowsUsed; k++) for (let u = 0; u < units; u++) obs[(k * U + u) * C + ch] = 1;
      }
    }
    const backlog = Math.min(Math.max(0, this.numWaiting - this.M), T * U);
    for (let p = 0; p < backlog; p++) obs[p * C + backlogChannel] = 1;
    return obs;
  }

  private flatObservation(): Float32Array {
    const L = this.layout;
    const obs = new Float32Array(L.size);
    for (let r = 0; r < this.R; r++) {
      const inv = 1 / this.capacity[r]!;
      for (let k = 0; k < this.T; k++)
        obs[L.imageOffset + r * this.T + k] = this.usage[r * this.H + ((this.time + k) % this.H)]! * inv;
    }
    for (let i = 0; i < this.M; i++) {
      const job = this.windowJob(i);
      if (job < 0) continue;
      const o = L.windowOffset + i * L.slotFeatures;
      for (let r = 0; r < this.R; r++) obs[o + r] = this.seq.demand[job * this.R + r]! / this.capacity[r]!;
      obs[o + this.R] = this.seq.duration[job]! / L.maxDuration;
      obs[o + this.R + 1] = Math.min(1, (this.time - this.seq.arrival[job]!) / this.T);
    }
    const backlog = Math.max(0, this.numWaiting - this.M);
    obs[L.backlogOffset] = Math.min(backlog, this.backlogScale) / this.backlogScale;
    obs[L.arrivalsLeftOffset] = Math.max(0, this.arrivalSteps - this.time) / this.arrivalSteps;
    return obs;
  }
}

function invalid(message: string): ArbiterError {
  return new ArbiterError('invalid-env-options', `Jobs: ${message}`);
}

function intOption(x: number, name: string, min: number): number {
  if (!Number.isInteger(x) || x < min) throw invalid(`${name} must be an integer ≥ ${min}, got ${x}`);
  return x;
}
