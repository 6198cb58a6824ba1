/**
 * The HSoC simulator: DAG jobs arrive on a heterogeneous SoC, a non-learned just-in-time
 * scheduler places ready tasks on free PEs, and the PEs share a 100-token power envelope. Time is
 * continuous and jumps from event to event with exact event times:
 *
 * - between events every rate is constant: a running task on PE p holding g % of the token budget
 *   advances at `speed[p][task] · φ(g) · c` work units per time unit. `speed` is the speed table's
 *   entry for the task type, or `wcet / times[type of p]` for a task with a per-type profile (so
 *   its time there is `times[p]`); φ is the power model's speed factor (`(g / 100)^α` by default,
 *   i.e. STOMP's `t = t_nominal · remaining_fraction · (100 / g)^α`; or a DVFS clock); the
 *   congestion factor `c = 1 / (1 + γ · m)` counts the m running memory-intensive tasks (see
 *   `contentionModel` for who suffers it);
 * - the next event is the earliest task completion `t + remaining / rate` or job arrival; at equal
 *   times completions are handled before arrivals (both in index order), then the scheduler runs;
 * - token requests are set at events (by the agents) and granted as asked while their sum fits the
 *   envelope, else scaled down proportionally (`g_p = req_p · 100 / Σ req`); tokens granted to a
 *   PE that is not running a task are wasted.
 *
 * Scheduler: ready tasks, ordered by (high priority first, earliest absolute deadline, longest
 * remaining path, job id, task index), go to the free available PE that is fastest for their type.
 * Limited look-ahead: a task whose parents have all started is reserved on a free PE once its
 * expected ready time is at most `lookahead` time units away, so its siblings learn where it will
 * run; a reserved PE holds the task until its parents finish. With a `plan` (a static assignment,
 * for the ideal-static baseline) every task goes to its planned PE.
 */
import { BinaryHeap } from '../../core/binary-heap.js';
import { ArbiterError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { volume } from '../../dag/analysis/timing.js';
import type { Dag } from '../../dag/dag-task.js';
import {
  DEFAULT_PES,
  DEFAULT_SPEEDS,
  ENVELOPE_TOKENS,
  availablePes,
  hsocLoadPreset,
  isHsocLoad,
  type HsocLoad,
  type HsocLoadPreset,
  type PeType,
} from './hsoc-platform.js';
import { hsocArrivalRates, type HsocArrivalRates } from './hsoc-arrival-rates.js';
import { hsocWorkloadDag, otherDag, type HsocWorkload } from './hsoc-workloads.js';
import {
  hsocProfiledWorkloadDag,
  isHsocProfiledWorkload,
  type HsocProfiledWorkload,
} from './hsoc-profiled-workloads.js';
import { HsocPowerModel, type HsocPowerModelOptions } from './hsoc-power-model.js';
import {
  HSOC_PER_TYPE_LOAD_PRESETS,
  perTypeArrivalRates,
  type HsocLoadCalibration,
} from './hsoc-per-type-load.js';
import { readTaskProfiles, subDeadlineRatios, taskSpeedMatrix } from './hsoc-task-profile.js';

/** Task states. */
export const TASK_WAITING = 0;
/** Parents done, not yet placed. */
export const TASK_READY = 1;
/** Placed on a PE by look-ahead; parents not yet done. */
export const TASK_RESERVED = 2;
/** Running on its PE. */
export const TASK_RUNNING = 3;
/** Finished. */
export const TASK_DONE = 4;

/** What kind of DAG a job is. */
export type HsocJobKind = 'workload' | 'compute' | 'memory';

/** One DAG job in the system. Arrays are indexed by the DAG's node index. */
export interface HsocJob {
  /** Index in arrival order (ties: workload jobs first). */
  readonly id: number;
  /** The job's DAG. */
  readonly dag: Dag;
  /** Workload job (measured) or an other DAG (compute / memory intensive). */
  readonly kind: HsocJobKind;
  /** Arrival time. */
  readonly arrival: number;
  /** Absolute deadline: arrival + deadlineFactor · L. */
  readonly deadline: number;
  /** High-priority DAG (scheduled first). */
  readonly highPriority: boolean;
  /** Critical path L at reference speed (work units). */
  readonly criticalPath: number;
  /** Longest path from each node to the sink, the node included (reference speed). */
  readonly rank: Float64Array;
  /** Speed of task v on PE p at full power, `[v · PEs + p]` (0 = cannot run there). */
  readonly speed: Float64Array;
  /** Sub-deadline ratio of each task (its share of the job's relative deadline). */
  readonly subDeadline: Float64Array;
  /** 1 for a memory-intensive task (all tasks of a `memory` job; profiled `memoryIntensive` nodes). */
  readonly memoryTask: Uint8Array;
  /** Task state (`TASK_*`). */
  readonly state: Uint8Array;
  /** Remaining work per task. */
  readonly remaining: Float64Array;
  /** PE of each task (−1 while unplaced). */
  readonly pe: Int16Array;
  /** Unfinished parents per task. */
  readonly parentsLeft: Int32Array;
  /** Start time per task (NaN before it runs). */
  readonly start: Float64Array;
  /** Finish time per task (NaN before it ends). */
  readonly finish: Float64Array;
  /** Finished tasks. */
  done: number;
  /** Completion time of the whole DAG (NaN while running). */
  completedAt: number;
}

/** A static assignment: the PE of every task of every job, by job id (ideal-static baseline). */
export type HsocAssignmentPlan = ReadonlyMap<number, Int16Array>;

/** Options of {@link HsocSimulator}; every field has a default. */
export interface HsocSimulatorOptions {
  /**
   * Workload DAG: a shipped name (`5-task`, `av-42`, or their per-type profiled versions
   * `5-task-profiled`, `av-42-profiled`) or any DAG with typed (or profiled) nodes. Default `'5-task'`.
   */
  workload?: HsocWorkload | HsocProfiledWorkload | Dag;
  /** Load preset. Default `'medium'`. */
  load?: HsocLoad | HsocLoadPreset;
  /**
   * How a preset becomes arrival rates, availability and deadlines: `nominal` (default; the
   * presets of `HSOC_LOAD_PRESETS`) or `per-type` (`HSOC_PER_TYPE_LOAD_PRESETS`: bottleneck
   * utilization per PE type, every PE available, deadlines from the isolated completion bound).
   */
  calibration?: HsocLoadCalibration;
  /** Workload jobs per episode. Default 8. */
  jobs?: number;
  /** Concavity α of the progress rate in the tokens. Default 0.5. */
  alpha?: number;
  /** The PEs. Default 4 CPUs, 2 GPUs, 2 DSPs. */
  pes?: readonly PeType[];
  /** Speed per PE type and task type. Default `DEFAULT_SPEEDS`. */
  speeds?: Readonly<Partial<Record<PeType, Readonly<Record<string, number>>>>>;
  /** Look-ahead horizon of the scheduler's reservations (time units). Default 1. */
  lookahead?: number;
  /** Relative deadline of a job in units of its critical path L (`per-type`: of its isolated completion bound). Default 1.5. */
  deadlineFactor?: number;
  /** Congestion γ per running memory-intensive task. Default 0.1. */
  congestion?: number;
  /**
   * Who suffers memory contention: `all` (default) — every running task runs at `1 / (1 + γ · m)`
   * with m running memory-intensive tasks; `memory` — contention between memory-intensive tasks
   * only: each runs at `1 / (1 + γ · (m − 1))`, compute tasks at full speed; `none`.
   */
  contentionModel?: HsocContentionModel;
  /** Token budget, request grid and token-to-speed model (token model or DVFS); `alpha` is its α. */
  power?: HsocPowerModelOptions;
  /** Overrides the preset's PE availability (one flag per PE). */
  available?: readonly boolean[];
  /** Static assignment to follow (ideal-static baseline). */
  plan?: HsocAssignmentPlan;
  /** Fixed arrival times of the workload jobs (trace-driven; overrides `jobs` and the draws). */
  arrivalTimes?: readonly number[];
  /**
   * A trace of workload jobs (STOMP's arrival trace): each with its DAG, arrival time and optionally
   * its relative deadline and priority. Overrides `workload` (the first job's DAG sets the arrival
   * rates of the other DAGs), `jobs` and `arrivalTimes`.
   */
  trace?: readonly HsocTraceJob[];
}

/** Who suffers memory contention (see {@link HsocSimulatorOptions.contentionModel}). */
export type HsocContentionModel = 'all' | 'memory' | 'none';

/** One job of a {@link HsocSimulatorOptions.trace}. */
export interface HsocTraceJob {
  /** The job's DAG (tasks may carry per-type profiles). */
  dag: Dag;
  /** Arrival time (non-decreasing along the trace). */
  arrival: number;
  /** Relative deadline; default `deadlineFactor · L`. */
  deadline?: number;
  /** High priority; default drawn with the preset's share. */
  highPriority?: boolean;
}

/** One event handled by {@link HsocSimulator.advance}. */
export interface HsocEvent {
  /** `finish` (a task completed) or `arrival` (a job arrived). */
  kind: 'finish' | 'arrival';
  /** Job id. */
  job: number;
  /** Task index (finish) or −1 (arrival). */
  task: number;
  /** PE that ran the task (finish) or −1. */
  pe: number;
}

/** See the module comment. */
export class HsocSimulator {
  /** Concavity α of the progress rate. */
  readonly alpha: number;
  /** PE types, in agent order. */
  readonly pes: readonly PeType[];
  /** Speed per PE type and task type. */
  readonly speeds: Readonly<Partial<Record<PeType, Readonly<Record<string, number>>>>>;
  /** Look-ahead horizon of reservations (time units). */
  readonly lookahead: number;
  /** Relative deadline in units of L. */
  readonly deadlineFactor: number;
  /** Congestion γ per running memory-intensive task. */
  readonly congestionGamma: number;
  /** Who suffers memory contention. */
  readonly contentionModel: HsocContentionModel;
  /** How granted tokens become speed. */
  readonly power: HsocPowerModel;
  /** The load preset. */
  readonly preset: HsocLoadPreset;
  /** How the preset was calibrated. */
  readonly calibration: HsocLoadCalibration;
  /** The workload DAG. */
  readonly workload: Dag;
  /** Workload jobs per episode. */
  readonly jobCount: number;
  /** Availability per PE (unavailable PEs never get a task). */
  readonly available: readonly boolean[];
  /** Critical path of the workload DAG (reference speed). */
  readonly workloadCriticalPath: number;
  /** Arrival rates of workload and other DAGs that offer the preset's utilization. */
  readonly arrivalRates: HsocArrivalRates;
  private readonly plan: HsocAssignmentPlan | undefined;
  private readonly arrivalTimes: readonly number[] | undefined;
  private readonly trace: readonly HsocTraceJob[] | undefined;
  /** Speed matrix, sub-deadline ratios and memory flags per DAG of the workload (computed once per DAG). */
  private readonly dagTables = new Map<Dag, DagTables>();
  /** Speed factor of each PE's grant (the power model's, updated whenever a grant changes). */
  private readonly clock: Float64Array;

  /** Current time. */
  time = 0;
  /** Jobs in arrival order (including those not yet arrived). */
  jobs: HsocJob[] = [];
  /** Jobs that have arrived. */
  arrived = 0;
  /** Job per PE (−1 = idle). */
  readonly peJob: Int32Array;
  /** Task per PE (−1 = idle). */
  readonly peTask: Int32Array;
  /** Requested tokens per PE (0 … 100). */
  readonly request: Float64Array;
  /** Granted tokens per PE (Σ ≤ 100). */
  readonly granted: Float64Array;
  /** Events of the last {@link advance}. */
  readonly events: HsocEvent[] = [];
  /** Tokens granted to PEs that did not run a task, integrated over time (token·time). */
  wastedTokenTime = 0;
  private readonly arrivalQueue: BinaryHeap;

  constructor(options: HsocSimulatorOptions = {}) {
    this.power = new HsocPowerModel({
      ...options.power,
      alpha: options.power?.alpha ?? options.alpha ?? 0.5,
    });
    this.alpha = this.power.alpha;
    this.contentionModel = options.contentionModel ?? 'all';
    if (!['all', 'memory', 'none'].includes(this.contentionModel))
      throw new ArbiterError(
        'invalid-option',
        `HSoC: contentionModel must be all, memory or none, got '${String(this.contentionModel)}'`,
      );
    this.pes = options.pes ?? DEFAULT_PES;
    this.speeds = options.speeds ?? DEFAULT_SPEEDS;
    this.lookahead = options.lookahead ?? 1;
    this.deadlineFactor = options.deadlineFactor ?? 1.5;
    this.congestionGamma = options.congestion ?? 0.1;
    this.calibration = options.calibration ?? 'nominal';
    if (this.calibration !== 'nominal' && this.calibration !== 'per-type')
      throw new ArbiterError(
        'invalid-option',
        `HSoC: calibration must be nominal or per-type, got '${String(this.calibration)}'`,
      );
    const load = options.load ?? 'medium';
    this.preset = hsocLoadPreset(
      this.calibration === 'per-type' && typeof load === 'string' && isHsocLoad(load)
        ? HSOC_PER_TYPE_LOAD_PRESETS[load]
        : load,
    );
    this.trace = options.trace;
    if (this.trace !== undefined) {
      if (this.trace.length === 0) throw new ArbiterError('invalid-option', 'HSoC: the trace has no jobs');
      this.trace.forEach((j, i) => {
        if (!(j.arrival >= 0) || (i > 0 && j.arrival < this.trace![i - 1]!.arrival))
          throw new ArbiterError(
            'invalid-option',
            `HSoC: trace job ${i}: arrivals must be non-decreasing times ≥ 0`,
          );
        if (j.deadline !== undefined && !(j.deadline > 0))
          throw new ArbiterError(
            'invalid-option',
            `HSoC: trace job ${i}: deadline must be > 0, got ${j.deadline}`,
          );
      });
    }
    const w = this.trace?.[0]!.dag ?? options.workload ?? '5-task';
    this.workload =
      typeof w !== 'string' ? w : isHsocProfiledWorkload(w) ? hsocProfiledWorkloadDag(w) : hsocWorkloadDag(w);
    this.arrivalTimes = this.trace ? this.trace.map((j) => j.arrival) : options.arrivalTimes;
    if (this.arrivalTimes?.some((t, i) => !(t >= 0) || (i > 0 && t < this.arrivalTimes![i - 1]!)))
      throw new ArbiterError('invalid-option', 'HSoC: arrivalTimes must be non-decreasing times ≥ 0');
    this.jobCount = this.arrivalTimes?.length ?? options.jobs ?? 8;
    if (!Number.isInteger(this.jobCount) || this.jobCount < 1)
      throw new ArbiterError('invalid-option', `HSoC: jobs must be an integer ≥ 1, got ${this.jobCount}`);
    this.available = options.available ? [...options.available] : availablePes(this.pes, this.preset);
    if (this.available.length !== this.pes.length)
      throw new ArbiterError(
        'invalid-option',
        `HSoC: available has ${this.available.length} flags for ${this.pes.length} PEs`,
      );
    if (!this.available.some((a, p) => a && this.pes[p] === 'cpu'))
      throw new ArbiterError('invalid-option', 'HSoC: at least one CPU must be available');
    this.plan = options.plan;
    for (const dag of this.trace?.map((j) => j.dag) ?? [this.workload]) this.checkRunnable(dag);
    this.workloadCriticalPath = longestPaths(this.workload).criticalPath;
    this.arrivalRates =
      this.calibration === 'per-type'
        ? perTypeArrivalRates({
            preset: this.preset,
            workload: this.workload,
            workloadSpeed: this.tablesOf(this.workload).speed,
            pes: this.pes,
            available: this.available,
            speeds: this.speeds,
            phi: (share) => this.power.speedFactor(share),
          })
        : hsocArrivalRates(
            this.preset,
            volume(this.workload),
            this.available.filter((a) => a).length,
            this.alpha,
          );
    const n = this.pes.length;
    this.peJob = new Int32Array(n).fill(-1);
    this.peTask = new Int32Array(n).fill(-1);
    this.request = new Float64Array(n);
    this.granted = new Float64Array(n);
    this.clock = new Float64Array(n);
    this.arrivalQueue = new BinaryHeap((a, b) => {
      const ja = this.jobs[a]!;
      const jb = this.jobs[b]!;
      return ja.arrival < jb.arrival || (ja.arrival === jb.arrival && a < b);
    });
  }

  /**
   * Starts an episode: draws the arrival sequence from `rng` (workload jobs at exponential
   * inter-arrival times from t = 0, other DAGs as a Poisson stream over the same window), then
   * runs the first arrival and the scheduler.
   */
  reset(rng: Rng): void {
    this.time = 0;
    this.arrived = 0;
    this.wastedTokenTime = 0;
    this.peJob.fill(-1);
    this.peTask.fill(-1);
    this.request.fill(0);
    this.granted.fill(0);
    this.clock.fill(0);
    const L = this.workloadCriticalPath;
    const { workloadRate, otherRate } = this.arrivalRates;
    const specs: JobSpec[] = [];
    let t = 0;
    for (let j = 0; j < this.jobCount; j++) {
      if (this.arrivalTimes) t = this.arrivalTimes[j]!;
      else if (j > 0) t += exponential(rng, 1 / workloadRate);
      // The draw is kept for traces with a given priority, so that the other DAGs stay the same.
      const drawn = rng.bernoulli(this.preset.highPriorityShare);
      const tj = this.trace?.[j];
      specs.push({
        dag: tj?.dag ?? this.workload,
        kind: 'workload',
        arrival: t,
        highPriority: tj?.highPriority ?? drawn,
        deadline: tj?.deadline,
      });
    }
    const window = t + L;
    if (otherRate > 0) {
      let s = exponential(rng, 1 / otherRate);
      let k = 0;
      while (s < window) {
        const mi = rng.bernoulli(this.preset.memoryIntenseShare);
        specs.push({
          dag: otherDag(rng, mi, k++),
          kind: mi ? 'memory' : 'compute',
          arrival: s,
          highPriority: false,
        });
        s += exponential(rng, 1 / otherRate);
      }
    }
    // Stable order: by arrival, workload jobs first at equal times (they were pushed first).
    const order = specs.map((_, i) => i).sort((a, b) => specs[a]!.arrival - specs[b]!.arrival || a - b);
    while (this.arrivalQueue.size > 0) this.arrivalQueue.pop(); // an interrupted episode's leftovers
    this.jobs = order.map((i, id) => {
      const spec = specs[i]!;
      const tables = this.tablesOf(spec.dag, spec.kind === 'memory');
      if (spec.deadline === undefined && this.calibration === 'per-type')
        spec.deadline = this.deadlineFactor * this.isolatedMakespan(spec.dag, tables);
      return makeJob(id, spec, this.deadlineFactor, tables);
    });
    for (let j = 0; j < this.jobs.length; j++) this.arrivalQueue.push(j);
    this.events.length = 0;
    this.handleArrivals();
    this.schedule();
  }

  /** Whether every job has arrived and finished. */
  get finished(): boolean {
    return this.arrived === this.jobs.length && this.jobs.every((j) => j.done === j.dag.n);
  }

  /** The progress rate (work units per time unit) of PE p now (0 when idle or reserved). */
  rate(p: number): number {
    const j = this.peJob[p]!;
    if (j < 0) return 0;
    const job = this.jobs[j]!;
    const v = this.peTask[p]!;
    if (job.state[v] !== TASK_RUNNING) return 0;
    if (this.granted[p]! <= 0) return 0;
    return job.speed[v * this.pes.length + p]! * this.clock[p]! * this.contentionOf(job, v);
  }

  /** Tokens granted to PE p, in units of the budget (Σ ≤ budget). */
  grantedTokens(p: number): number {
    return this.power.tokens(this.granted[p]!);
  }

  /** Contention factor of running task v of `job` under the contention model. */
  private contentionOf(job: HsocJob, v: number): number {
    if (this.contentionModel === 'all') return this.congestionFactor();
    if (this.contentionModel === 'none' || job.memoryTask[v] === 0) return 1;
    return 1 / (1 + this.congestionGamma * (this.runningMemoryTasks() - 1));
  }

  /** Speed of task v of `job` on PE p at full power, relative to its work (0 = cannot run there). */
  speedOf(job: HsocJob, v: number, p: number): number {
    return job.speed[v * this.pes.length + p]!;
  }

  /** The speed matrix and sub-deadline ratios of a DAG (cached for the workload's DAGs). */
  private tablesOf(dag: Dag, memoryJob = false): DagTables {
    const cached = this.dagTables.get(dag);
    if (cached) return cached;
    const profiles = readTaskProfiles(dag);
    const tables = {
      speed: taskSpeedMatrix(dag, this.pes, this.speeds, profiles),
      subDeadline: subDeadlineRatios(dag, profiles),
      memoryTask: Uint8Array.from(dag.nodeExtras, (e) =>
        memoryJob || e?.['memoryIntensive'] === true ? 1 : 0,
      ),
    };
    if (dag === this.workload || this.trace?.some((j) => j.dag === dag)) this.dagTables.set(dag, tables);
    return tables;
  }

  /**
   * The reference completion time of `dag` alone on the SoC (`per-type` deadlines): this scheduler
   * places its tasks on the available PEs, the running PEs share the budget equally, no other job
   * and no contention. Cached per DAG of the workload.
   */
  isolatedMakespan(dag: Dag, tables: DagTables = this.tablesOf(dag)): number {
    if (tables.isolatedMakespan === undefined) {
      const alone = new HsocSimulator({
        workload: dag,
        load: { ...this.preset, otherShare: 0, highPriorityShare: 0 },
        jobs: 1,
        pes: this.pes,
        speeds: this.speeds,
        lookahead: this.lookahead,
        contentionModel: 'none',
        power: {
          budget: this.power.budget,
          alpha: this.alpha,
          ...(this.power.dvfs && { dvfs: this.power.dvfs }),
        },
        available: this.available,
      });
      alone.reset(new Rng(0));
      const shares = new Float64Array(this.pes.length);
      while (!alone.finished) {
        let running = 0;
        for (let p = 0; p < this.pes.length; p++) if (alone.isPeRunning(p)) running++;
        for (let p = 0; p < this.pes.length; p++)
          shares[p] = alone.isPeRunning(p) ? ENVELOPE_TOKENS / running : 0;
        alone.setRequests(shares);
        alone.advance();
      }
      tables.isolatedMakespan = alone.jobs[0]!.completedAt - alone.jobs[0]!.arrival;
    }
    return tables.isolatedMakespan;
  }

  /** Throws unless every task of `dag` can run on some available PE. */
  private checkRunnable(dag: Dag): void {
    const { speed } = this.tablesOf(dag);
    const n = this.pes.length;
    for (let v = 0; v < dag.n; v++)
      if (!this.available.some((a, p) => a && speed[v * n + p]! > 0))
        throw new ArbiterError(
          'invalid-option',
          `HSoC: task '${String(dag.ids[v])}' of DAG '${dag.name}' can run on no available PE (${this.pes
            .filter((_, p) => this.available[p])
            .join(', ')})`,
        );
  }

  /** Whether PE p runs a task now (whatever its tokens). */
  isPeRunning(p: number): boolean {
    const j = this.peJob[p]!;
    return j >= 0 && this.jobs[j]!.state[this.peTask[p]!] === TASK_RUNNING;
  }

  /** `1 / (1 + γ · m)`, m = running tasks of memory-intensive jobs. */
  congestionFactor(): number {
    return 1 / (1 + this.congestionGamma * this.runningMemoryTasks());
  }

  /** Running memory-intensive tasks. */
  runningMemoryTasks(): number {
    let m = 0;
    for (let p = 0; p < this.pes.length; p++) {
      const j = this.peJob[p]!;
      if (j < 0) continue;
      const job = this.jobs[j]!;
      const v = this.peTask[p]!;
      if (job.memoryTask[v] === 1 && job.state[v] === TASK_RUNNING) m++;
    }
    return m;
  }

  /**
   * Sets the token requests (0 … 100 per PE) and recomputes the grants: as requested while the
   * sum fits the envelope, else scaled down proportionally.
   */
  setRequests(requests: ArrayLike<number>): void {
    this.grantsOf(requests, this.granted, this.request);
    for (let p = 0; p < this.pes.length; p++) this.clock[p] = this.power.speedFactor(this.granted[p]!);
  }

  /**
   * The tokens the power controller grants for these requests (quantized, scaled down together
   * when they exceed the envelope), written into `granted`; `quantized` receives the quantized
   * requests. Changes no state of the simulator (a trace calls it to record the grants).
   */
  grantsOf(
    requests: ArrayLike<number>,
    granted: Float64Array,
    quantized: Float64Array = new Float64Array(this.pes.length),
  ): void {
    let total = 0;
    for (let p = 0; p < this.pes.length; p++) {
      const r = requests[p]!;
      if (!(r >= 0 && r <= ENVELOPE_TOKENS))
        throw new ArbiterError('invalid-action', `HSoC: request of PE ${p} must be in [0, 100], got ${r}`);
      quantized[p] = this.power.quantize(r);
      total += quantized[p]!;
    }
    const scale = total > ENVELOPE_TOKENS ? ENVELOPE_TOKENS / total : 1;
    for (let p = 0; p < this.pes.length; p++) granted[p] = quantized[p]! * scale;
  }

  /** Time of the next event (completion or arrival); Infinity when nothing can happen. */
  nextEventTime(): number {
    let t = Infinity;
    for (let p = 0; p < this.pes.length; p++) {
      const r = this.rate(p);
      if (r > 0) t = Math.min(t, this.time + this.jobs[this.peJob[p]!]!.remaining[this.peTask[p]!]! / r);
    }
    if (this.arrivalQueue.size > 0) t = Math.min(t, this.jobs[this.arrivalQueue.peek()]!.arrival);
    return t;
  }

  /**
   * Runs to the next event: integrates progress exactly, completes the tasks whose finish time is
   * the event time, admits the jobs arriving then, and runs the scheduler. Returns the elapsed
   * time; the handled events are in {@link events}. Throws when no event can ever happen while
   * work remains (every running task holds 0 tokens and no job is due).
   */
  advance(): number {
    this.events.length = 0;
    const tNext = this.nextEventTime();
    if (tNext === Infinity) {
      if (this.finished) return 0;
      throw new ArbiterError(
        'hsoc-stalled',
        `HSoC: at t = ${this.time} no running task has tokens and no job is due: the episode cannot progress`,
      );
    }
    const dt = tNext - this.time;
    const finishing: number[] = [];
    for (let p = 0; p < this.pes.length; p++) {
      const j = this.peJob[p]!;
      if (j < 0) continue;
      const r = this.rate(p);
      if (r === 0) {
        this.wastedTokenTime += this.granted[p]! * dt;
        continue;
      }
      const job = this.jobs[j]!;
      const v = this.peTask[p]!;
      const finishAt = this.time + job.remaining[v]! / r;
      // Equal finish times can differ in the last bits; within 1e-12 relative they are one event.
      if (finishAt <= tNext + 1e-12 * Math.max(1, tNext)) {
        job.remaining[v] = 0;
        finishing.push(p);
      } else job.remaining[v] = Math.max(0, job.remaining[v]! - r * dt);
    }
    for (let p = 0; p < this.pes.length; p++)
      if (this.peJob[p]! < 0) this.wastedTokenTime += this.granted[p]! * dt;
    this.time = tNext;
    for (const p of finishing) this.complete(p);
    this.handleArrivals();
    this.schedule();
    return dt;
  }

  private complete(p: number): void {
    const job = this.jobs[this.peJob[p]!]!;
    const v = this.peTask[p]!;
    job.state[v] = TASK_DONE;
    job.finish[v] = this.time;
    job.done++;
    this.events.push({ kind: 'finish', job: job.id, task: v, pe: p });
    this.peJob[p] = -1;
    this.peTask[p] = -1;
    for (const w of job.dag.succ[v]!) {
      job.parentsLeft[w]!--;
      if (job.parentsLeft[w] === 0) {
        if (job.state[w] === TASK_RESERVED) {
          job.state[w] = TASK_RUNNING;
          job.start[w] = this.time;
        } else job.state[w] = TASK_READY;
      }
    }
    if (job.done === job.dag.n) job.completedAt = this.time;
  }

  private handleArrivals(): void {
    while (this.arrivalQueue.size > 0 && this.jobs[this.arrivalQueue.peek()]!.arrival <= this.time) {
      const job = this.jobs[this.arrivalQueue.pop()]!;
      this.arrived++;
      for (let v = 0; v < job.dag.n; v++) if (job.parentsLeft[v] === 0) job.state[v] = TASK_READY;
      this.events.push({ kind: 'arrival', job: job.id, task: -1, pe: -1 });
    }
  }

  /** Fastest free available PE for a task type (−1 if none), or the planned PE if free. */
  private pickPe(job: HsocJob, v: number): number {
    if (this.plan) {
      const p = this.plan.get(job.id)?.[v] ?? -1;
      if (p < 0)
        throw new ArbiterError('invalid-option', `HSoC: the plan has no PE for task ${v} of job ${job.id}`);
      return this.peJob[p]! < 0 ? p : -1;
    }
    let best = -1;
    let bestSpeed = -1;
    for (let p = 0; p < this.pes.length; p++) {
      if (!this.available[p] || this.peJob[p]! >= 0) continue;
      const s = job.speed[v * this.pes.length + p]!;
      if (s > 0 && s > bestSpeed) {
        best = p;
        bestSpeed = s;
      }
    }
    return best;
  }

  private place(job: HsocJob, v: number, p: number, state: number): void {
    job.state[v] = state;
    job.pe[v] = p;
    if (state === TASK_RUNNING) job.start[v] = this.time;
    this.peJob[p] = job.id;
    this.peTask[p] = v;
    this.request[p] = 0;
    this.granted[p] = 0;
    this.clock[p] = 0;
  }

  /** The just-in-time scheduler with limited look-ahead (module comment). */
  private schedule(): void {
    const ready: [HsocJob, number][] = [];
    const live: HsocJob[] = [];
    for (let j = 0; j < this.arrived; j++) {
      const job = this.jobs[j]!;
      if (job.done === job.dag.n) continue;
      live.push(job);
      for (let v = 0; v < job.dag.n; v++) if (job.state[v] === TASK_READY) ready.push([job, v]);
    }
    const jobOrder = (a: HsocJob, b: HsocJob): number =>
      Number(b.highPriority) - Number(a.highPriority) || a.deadline - b.deadline || a.id - b.id;
    ready.sort(([ja, va], [jb, vb]) => jobOrder(ja, jb) || jb.rank[vb]! - ja.rank[va]! || va - vb);
    for (const [job, v] of ready) {
      const p = this.pickPe(job, v);
      if (p >= 0) this.place(job, v, p, TASK_RUNNING);
    }
    if (this.lookahead <= 0) return;
    live.sort(jobOrder);
    for (const job of live) {
      const order: number[] = [];
      for (let v = 0; v < job.dag.n; v++) {
        if (job.state[v] !== TASK_WAITING) continue;
        let eta = this.time;
        let started = true;
        for (const u of job.dag.pred[v]!) {
          const s = job.state[u]!;
          if (s === TASK_DONE) continue;
          if (s !== TASK_RUNNING) {
            started = false;
            break;
          }
          const r = this.rate(job.pe[u]!);
          eta = Math.max(eta, r > 0 ? this.time + job.remaining[u]! / r : Infinity);
        }
        if (started && eta - this.time <= this.lookahead) order.push(v);
      }
      order.sort((a, b) => job.rank[b]! - job.rank[a]! || a - b);
      for (const v of order) {
        const p = this.pickPe(job, v);
        if (p >= 0) this.place(job, v, p, TASK_RESERVED);
      }
    }
  }
}

/** Longest path from each node to the sink (node included) and the critical path L. */
export function longestPaths(dag: Dag): { rank: Float64Array; criticalPath: number } {
  const rank = new Float64Array(dag.n);
  let L = 0;
  for (let i = dag.n - 1; i >= 0; i--) {
    const v = dag.topoOrder[i]!;
    let tail = 0;
    for (const w of dag.succ[v]!) tail = Math.max(tail, rank[w]!);
    rank[v] = dag.wcet[v]! + tail;
    L = Math.max(L, rank[v]!);
  }
  return { rank, criticalPath: L };
}

/** Per-DAG tables shared by its jobs. */
interface DagTables {
  speed: Float64Array;
  subDeadline: Float64Array;
  memoryTask: Uint8Array;
  /** Isolated reference completion time (`per-type` deadlines), computed on first use. */
  isolatedMakespan?: number;
}

/** What {@link makeJob} needs of one arrival. */
interface JobSpec {
  dag: Dag;
  kind: HsocJobKind;
  arrival: number;
  highPriority: boolean;
  /** Relative deadline (trace); default `deadlineFactor · L`. */
  deadline?: number | undefined;
}

function makeJob(id: number, spec: JobSpec, deadlineFactor: number, tables: DagTables): HsocJob {
  const { dag } = spec;
  const { rank, criticalPath } = longestPaths(dag);
  return {
    id,
    dag,
    kind: spec.kind,
    arrival: spec.arrival,
    deadline: spec.arrival + (spec.deadline ?? deadlineFactor * criticalPath),
    highPriority: spec.highPriority,
    criticalPath,
    rank,
    speed: tables.speed,
    subDeadline: tables.subDeadline,
    memoryTask: tables.memoryTask,
    state: new Uint8Array(dag.n),
    remaining: Float64Array.from(dag.wcet),
    pe: new Int16Array(dag.n).fill(-1),
    parentsLeft: Int32Array.from(dag.pred, (p) => p.length),
    start: new Float64Array(dag.n).fill(NaN),
    finish: new Float64Array(dag.n).fill(NaN),
    done: 0,
    completedAt: NaN,
  };
}

function exponential(rng: Rng, mean: number): number {
  let u = 0;
  while (u === 0) u = rng.random();
  return -Math.log(u) * mean;
}
