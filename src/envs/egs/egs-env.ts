/**
 * EGS-v0: Edge Generation Scheduling as an environment.
 *
 * ## Description
 *
 * The state is a DAG task `(G_t, D)` (WCETs, deadline D, critical path L ≤ D) being extended with
 * edges. Every added edge serialises two nodes that could run in parallel; the width W(G_t) (the
 * largest antichain) is the number of cores its chain schedule needs. The goal is to bring W down
 * to the task's core lower bound while keeping L ≤ D. At the end the graph is scheduled as one
 * chain per core of a minimum chain cover of G_T, each node at its EST in G_T; since every added
 * edge passed the mask, that timetable meets D and respects every edge of the original DAG.
 *
 * ## Action space
 *
 * `Discrete(maxNodes²)`: action `i · maxNodes + j` adds the edge `i → j`. The mask
 * (`info.actionMask` and `actionMasks()`) allows exactly the edges with both nodes present, that
 * keep the graph acyclic, are not implied already, keep `L ≤ D` (`EFT(i) ≤ LST(j)`) and, with
 * `criticalOnly` (default), join two critical nodes (both in some maximum antichain); with
 * `antichainOnly`, both in the one maximum antichain the matching finds, falling back to the
 * critical mask when that antichain has no allowed edge. A masked action throws `invalid-action`.
 *
 * ## Observation space
 *
 * `GraphSpace(6, 4, maxNodes)`: a {@link GraphObservation} of the n nodes of G_t (fresh arrays),
 * written by `buildEgsObservation`. Node features, row-major n × 6 (`EGS_NODE_FEATURES`):
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | 0 | wcet | C(v) / D (0 for a dummy node) | [0, 1] |
 * | 1 | eft | EFT(v) / D in G_t | [0, 1] |
 * | 2 | lst | LST(v) / D in G_t (may dip a few ulps below EST / D at zero slack) | [0, 1] |
 * | 3 | lateralWidth | nodes incomparable with v / n | [0, 1) |
 * | 4 | critical | v lies in some maximum antichain | {0, 1} |
 * | 5 | widthGap | (W(G_t) − lower bound) / n, the same for every node | [0, 1) |
 *
 * With `features: 'v2'` the space is `GraphSpace(14, 4, maxNodes)` and eight more follow
 * (`EGS_NODE_FEATURES_V2`; the list schedule is computed once at reset):
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | 6 | est | EST(v) / D in G_t | [0, 1] |
 * | 7 | slack | max(0, LST(v) − EST(v)) / D | [0, 1] |
 * | 8 | tLevel | EST(v) / L(G_t) | [0, 1] |
 * | 9 | bLevel | (D − LST(v)) / L(G_t) | [0, D / L] |
 * | 10 | inAntichain | v lies in the maximum antichain the matching finds | {0, 1} |
 * | 11 | listStart | start of v in the best list schedule of the task / D | [0, 1] |
 * | 12 | listNextOpen | v's next node on its list-schedule core is incomparable with v in G_t | {0, 1} |
 * | 13 | listPrevOpen | the same for v's previous node on its core | {0, 1} |
 *
 * Relations of the ordered pair (i, j), n × n × 4 at `(i·n + j)·4 + channel` (`EGS_RELATIONS`):
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | 0 | edge | `i → j` is an edge of the transitive reduction of G_t | {0, 1} |
 * | 1 | reaches | j is reachable from i | {0, 1} |
 * | 2 | reachedBy | i is reachable from j | {0, 1} |
 * | 3 | incomparable | i ≠ j and neither reaches the other | {0, 1} |
 *
 * ## Rewards
 *
 * The width drop `W(G_t) − W(G_{t+1})` (0 or more: an edge never widens the graph), so the return
 * of an episode is `W(G_0) − W(G_T)`.
 *
 * ## Starting state
 *
 * `reset({ seed })` samples a task from the {@link DagSampler} and redraws while it needs no
 * decision (at most 100 tries, then `sampler-exhausted`). `reset({ options })` takes
 * {@link EgsResetOptions}: `dag` (≤ maxNodes nodes) with `deadline` (default its own; L > D throws
 * `DeadlineInfeasibleError`), `targetCores` for this episode, `sampler` overrides from now on. A
 * given task that needs no decision returns `info.terminal = true` with the {@link EgsEpisodeInfo}
 * fields, and `step` then throws. The lower bound is computed once on the original task:
 * `max(⌈vol / D⌉, ⌈C(critical) / (max LFT − min EST over the critical nodes)⌉)`
 * ({@link egsLowerBound}), with `lowerBound: 'load'` also the window load bound of `coreLowerBound`.
 *
 * ## Episode end
 *
 * - Termination: no action is allowed, or W reaches the lower bound, or `W ≤ targetCores`.
 * - Truncation: after `maxSteps` steps, inside the env, so that the final information is reported
 *   on truncation too. Every step makes one more pair of nodes comparable, so an episode ends by
 *   itself within `n(n − 1)/2` steps; the registration ({@link EGS_SPEC}) sets no TimeLimit.
 *
 * Every `info` carries `actionMask` and `width`; the last one also {@link EgsEpisodeInfo}: the
 * final width, the lower bound, the added edges and the `egs` {@link ScheduleResult}. `step()`
 * after the end throws `step-after-done`.
 *
 * ## Options
 *
 * {@link EgsEnvOptions}, checked by {@link EGS_OPTIONS_SCHEMA} (strict):
 *
 * | option | default | rule | meaning |
 * |---|---|---|---|
 * | maxNodes | 64 | integer in [2, 1024] | largest DAG; the action space is `Discrete(maxNodes²)` |
 * | criticalOnly | true | boolean | allow only edges between critical nodes |
 * | antichainOnly | false | boolean | allow only edges inside one maximum antichain (see above) |
 * | targetCores | none | integer ≥ 1 | also terminate once `W ≤ targetCores` |
 * | lowerBound | `'egs'` | `egs`, `load` | the bound that ends an episode |
 * | maxSteps | none | integer ≥ 1 | truncate after this many steps |
 * | features | `'v1'` | `v1`, `v2` | the node feature set of the observations (see above) |
 * | sampler | default sampler | a `DagSampler` or its options | training tasks when reset gives none |
 *
 * Sampler options (`DAG_SAMPLER_OPTIONS_SCHEMA`, strict; defaults `DEFAULT_DAG_SAMPLER_OPTIONS`):
 * `nodes` [10, 50] (cut to `maxNodes`; an explicit range must fit), `kinds` layered and fork-join,
 * `edgeProbability` [0.1, 0.5], `layersFactor` [0.6, 1.6], `dummyProbability` 0.25,
 * `nestProbability` [0.3, 0.7], `slack` [0, 0.5], `wcet` [1, 20].
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../../core/config-schema.js';
import type { Env, EnvSpec, Info, ResetOptions, ResetResult, StepResult } from '../../core/env.js';
import { ArbiterError, DeadlineInfeasibleError, ValidationError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { Discrete, GraphSpace, type GraphObservation } from '../../core/spaces.js';
import { coreLowerBound } from '../../dag/analysis/core-lower-bound.js';
import { deadlineProblem } from '../../dag/build-dag.js';
import type { Dag, NodeId } from '../../dag/dag-task.js';
import { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import { withinDeadline } from '../../dag/time-tolerance.js';
import { PosetWidthTracker } from './critical-nodes.js';
import {
  DAG_SAMPLER_OPTIONS_SCHEMA,
  DEFAULT_DAG_SAMPLER_OPTIONS,
  DagSampler,
  type DagSamplerOptions,
} from './dag-sampler.js';
import { decodeEdgeAction, listEgsActions } from './egs-action-mask.js';
import { egsLowerBound } from './egs-lower-bound.js';
import { egsScheduleResult } from './egs-schedule-result.js';
import {
  EGS_FEATURE_SETS,
  EGS_RELATION_DIM,
  antichainFlags,
  buildEgsObservation,
  egsNodeFeatureDim,
  egsObservationParts,
  type EgsFeatureSet,
} from './egs-observation.js';
import { egsListHint, type EgsListHint } from './egs-list-hint.js';

/**
 * Largest DAG the env (and so a learned EGS policy) works on: the action space is
 * `Discrete(maxNodes²)` and each observation holds maxNodes² pair relations.
 */
export const EGS_MAX_NODES = 1024;

/** Options of {@link EgsEnv}; every field has a default. */
export interface EgsEnvOptions {
  /** Largest DAG the env accepts; the action space is `Discrete(maxNodes²)` (default 64). */
  maxNodes?: number;
  /** Mask out edges unless both endpoints are critical (default true). */
  criticalOnly?: boolean;
  /**
   * Stricter still: both endpoints in the one maximum antichain the matching finds (the EGS rule
   * "both i and j in a maximum antichain", read literally), falling back to the critical mask when
   * that antichain has no allowed edge (default false). Episodes are about three times shorter,
   * which is what inference time needs; `egs-greedy` and the imitation expert choose this way.
   */
  antichainOnly?: boolean;
  /** Also terminate once `W ≤ targetCores` (default: only at the lower bound). */
  targetCores?: number;
  /**
   * Lower bound that ends an episode: `'egs'` (default) the EGS formula
   * ({@link egsLowerBound}); `'load'` the larger of it and the window load bound of
   * `coreLowerBound`, which is never weaker and ends more episodes early. Both are valid
   * bounds for the original task, so neither can stop an episode above a reachable width.
   */
  lowerBound?: 'egs' | 'load';
  /** Truncate after this many steps (default: none; episodes end within n(n − 1)/2 steps). */
  maxSteps?: number;
  /** Node feature set of the observations (default `'v1'`; see the file comment). */
  features?: EgsFeatureSet;
  /**
   * Training DAGs when reset gives none: a sampler, or overrides of its default options (whose
   * node range `[10, 50]` is cut to `maxNodes`).
   */
  sampler?: DagSampler | Partial<DagSamplerOptions>;
}

/** Rules of every {@link EgsEnvOptions} key (strict: unknown keys are refused). */
export const EGS_OPTIONS_SCHEMA = z
  .object({
    maxNodes: zc.int(2).max(1024).optional(),
    criticalOnly: z.boolean().optional(),
    antichainOnly: z.boolean().optional(),
    targetCores: zc.int(1).optional(),
    lowerBound: z.enum(['egs', 'load']).optional(),
    maxSteps: zc.int(1).optional(),
    features: z.enum(EGS_FEATURE_SETS).optional(),
    sampler: z.union([z.instanceof(DagSampler), DAG_SAMPLER_OPTIONS_SCHEMA]).optional(),
  } satisfies ConfigShape<EgsEnvOptions>)
  .strict();

/** Environment-specific options of `reset({ options })`. */
export interface EgsResetOptions {
  /** Load this task instead of sampling one (its node count must be ≤ maxNodes). */
  dag?: Dag;
  /** Deadline D for `dag` (default: the task's own). */
  deadline?: number;
  /** Target core count of this episode (overrides the constructor's). */
  targetCores?: number;
  /** Changes the sampler's options from this episode on (e.g. a curriculum stage). */
  sampler?: Partial<DagSamplerOptions>;
}

/** What `info` carries when an episode ends (and at reset, when the task needs no decision). */
export interface EgsEpisodeInfo {
  /** Final width W(G_T) = the core count of the schedule. */
  width: number;
  /** The episode's lower bound on cores (the EGS bound of the original task). */
  lowerBound: number;
  /** Edges added, as user ids, in order. */
  addedEdges: [NodeId, NodeId][];
  /** Cores of the schedule (= width). */
  cores: number;
  /** The `egs` result: one chain per core of G_T, checkable against the original DAG. */
  schedule: ScheduleResult;
}

/**
 * The `info` of EGS-v0's `reset` and `step`: the mask and width of every state, and the
 * {@link EgsEpisodeInfo} fields once the episode ends (or at a reset whose task needs no decision,
 * with `terminal`); {@link egsEpisodeEnded} tells which.
 */
export interface EgsInfo extends Info, Partial<EgsEpisodeInfo> {
  /** The mask of the next step (the env's current one). */
  actionMask: Uint8Array;
  /** Current width W(G_t). */
  width: number;
  /** Set by a reset whose task needs no decision (`step` then throws). */
  terminal?: boolean;
}

/** Whether `info` ends the episode, so that it carries the {@link EgsEpisodeInfo} fields. */
export function egsEpisodeEnded(info: EgsInfo): info is EgsInfo & EgsEpisodeInfo {
  return info.schedule !== undefined;
}

/**
 * Registration facts of EGS-v0: no TimeLimit (the env ends every episode within n(n − 1)/2 steps
 * and truncates itself with `maxSteps`).
 */
export const EGS_SPEC: EnvSpec = { id: 'EGS-v0' };

/** The mask after {@link EgsEnv.inspect}: none (every action masked). */
const NO_MASK = new Uint8Array(0);

/** Resampling attempts before giving up on a sampler whose tasks need no decision. */
const MAX_SAMPLE_TRIES = 100;

/** The EGS environment (see the file comment). Observation: {@link GraphObservation}. */
export class EgsEnv implements Env<GraphObservation, number, EgsInfo> {
  /** Graph observations with `egsNodeFeatureDim(features)` features and {@link EGS_RELATION_DIM} relations. */
  readonly observationSpace: GraphSpace;
  /** `Discrete(maxNodes²)`: action `i · maxNodes + j` adds edge `i → j`. */
  readonly actionSpace: Discrete;
  /** Id and limits. */
  readonly spec = EGS_SPEC;
  /** Largest DAG accepted. */
  readonly maxNodes: number;
  /** Whether actions are restricted to pairs of critical nodes. */
  readonly criticalOnly: boolean;
  /** Whether the mask keeps only edges inside one maximum antichain (see {@link EgsEnvOptions}). */
  readonly antichainOnly: boolean;
  /** The sampler of training tasks. */
  readonly sampler: DagSampler;
  /** The node feature set of the observations. */
  readonly features: EgsFeatureSet;

  private readonly boundKind: 'egs' | 'load';
  private readonly targetCoresDefault: number | undefined;
  private readonly maxSteps: number;
  private readonly tracker: PosetWidthTracker;
  private readonly antichainNodes: number[] = [];
  private readonly allowed: number[] = [];
  // Nodes whose lateral width the current step's edge cannot change (a bitset, reused).
  private readonly keptLateral: Uint32Array;
  private rng = new Rng(0);
  private egs: EdgeGenerationState | undefined;
  private bound = 1;
  private stopAt = 1;
  private steps = 0;
  private validCount = 0;
  private startTime = 0;
  private needsReset = true;
  private lastMask: Uint8Array;
  // v2 only: the task's list-schedule hint and the antichain flags (reused).
  private hint: EgsListHint | undefined;
  private hintDag: Dag | undefined;
  private hintDeadline = NaN;
  private hintSource: (dag: Dag, deadline: number) => EgsListHint = egsListHint;
  private readonly flags: Uint8Array;

  constructor(options: EgsEnvOptions = {}) {
    parseConfig(EGS_OPTIONS_SCHEMA, options, { source: 'EgsEnv options', what: 'EGS-v0' });
    const maxNodes = options.maxNodes ?? 64;
    if (!Number.isInteger(maxNodes) || maxNodes < 2 || maxNodes > EGS_MAX_NODES)
      throw invalid(`maxNodes must be an integer in [2, ${EGS_MAX_NODES}], got ${maxNodes}`);
    this.maxNodes = maxNodes;
    this.criticalOnly = options.criticalOnly ?? true;
    this.antichainOnly = options.antichainOnly ?? false;
    this.boundKind = options.lowerBound ?? 'egs';
    if (this.boundKind !== 'egs' && this.boundKind !== 'load')
      throw invalid(`lowerBound must be 'egs' or 'load', got ${String(this.boundKind)}`);
    if (options.targetCores !== undefined) checkTarget(options.targetCores);
    this.targetCoresDefault = options.targetCores;
    this.maxSteps = options.maxSteps ?? Infinity;
    if (!(this.maxSteps >= 1)) throw invalid(`maxSteps must be ≥ 1, got ${this.maxSteps}`);
    if (options.sampler instanceof DagSampler) this.sampler = options.sampler;
    else {
      // The default size range is cut to maxNodes; an explicit range must fit.
      const [lo, hi] = DEFAULT_DAG_SAMPLER_OPTIONS.nodes;
      const nodes: [number, number] = [Math.min(lo, maxNodes), Math.min(hi, maxNodes)];
      this.sampler = new DagSampler({ nodes, ...options.sampler });
    }
    this.checkSamplerSize();
    this.features = options.features ?? 'v1';
    this.observationSpace = new GraphSpace(egsNodeFeatureDim(this.features), EGS_RELATION_DIM, maxNodes);
    this.flags = new Uint8Array(this.features === 'v2' ? maxNodes : 0);
    this.actionSpace = new Discrete(maxNodes * maxNodes);
    // Witnesses spare most lateral matchings of a step (keptByEdge; the same widths).
    this.tracker = new PosetWidthTracker(maxNodes, { witnesses: true });
    this.keptLateral = new Uint32Array((maxNodes + 31) >>> 5);
    this.lastMask = new Uint8Array(maxNodes * maxNodes);
  }

  /**
   * Starts an episode on `options.dag` (with `options.deadline`) or on a sampled task. Throws
   * `DeadlineInfeasibleError` when L > D. A given task that needs no decision (W already at the
   * bound or target, or no allowed edge) gives `info.terminal = true` with the
   * {@link EgsEpisodeInfo} fields, and `step` then throws; sampled tasks are redrawn instead.
   */
  reset(options: ResetOptions = {}): ResetResult<GraphObservation, EgsInfo> {
    this.needsReset = true; // stays so if loading the task throws
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    const o = (options.options ?? {}) as EgsResetOptions;
    if (o.sampler !== undefined) {
      this.sampler.configure(o.sampler);
      this.checkSamplerSize();
    }
    const target = o.targetCores ?? this.targetCoresDefault;
    if (target !== undefined) checkTarget(target);
    this.startTime = performance.now();
    if (o.dag !== undefined) {
      this.load(o.dag, this.deadlineOf(o.dag, o.deadline), target);
    } else {
      if (o.deadline !== undefined) throw invalid('options.deadline needs options.dag');
      let tries = 0;
      do {
        if (++tries > MAX_SAMPLE_TRIES)
          throw new ArbiterError(
            'sampler-exhausted',
            `EGS: ${MAX_SAMPLE_TRIES} sampled tasks in a row needed no decision; widen the sampler's ranges`,
          );
        const dag = this.sampler.sample(this.rng);
        this.load(dag, dag.deadline!, target);
      } while (this.isTerminal());
    }
    const info: EgsInfo = { actionMask: this.lastMask, width: this.tracker.width };
    if (this.isTerminal()) {
      info.terminal = true;
      Object.assign(info, this.episodeInfo());
    } else this.needsReset = false;
    return { obs: this.observation(), info };
  }

  /**
   * Loads `options.dag` as `reset({ options })` does (the same checks, state, width, lower bound and
   * list hint) but builds neither an observation nor the maxNodes² mask array: for a caller that
   * reads `state`, `width`, `lowerBound` and `listHint` and steps its own copy of the state (the
   * EGS policy scheduler, where those arrays were most of a 1,000-node reset). Returns the
   * {@link EgsEpisodeInfo} when the task needs no decision, else undefined. `step` throws until the
   * next reset, and `actionMasks()` is empty.
   */
  inspect(options: Pick<EgsResetOptions, 'dag' | 'deadline' | 'targetCores'>): EgsEpisodeInfo | undefined {
    this.needsReset = true;
    const { dag } = options;
    if (dag === undefined) throw invalid('inspect needs options.dag');
    const target = options.targetCores ?? this.targetCoresDefault;
    if (target !== undefined) checkTarget(target);
    this.startTime = performance.now();
    this.load(dag, this.deadlineOf(dag, options.deadline), target, false);
    return this.isTerminal() ? this.episodeInfo() : undefined;
  }

  /** Adds the edge of `action`; throws `invalid-action` for a masked action. */
  step(action: number): StepResult<GraphObservation, EgsInfo> {
    if (this.needsReset)
      throw new ArbiterError('step-after-done', 'EGS: call reset() before step() (episode ended)');
    if (!this.actionSpace.contains(action) || !this.lastMask[action])
      throw new ArbiterError(
        'invalid-action',
        `EGS: action ${String(action)} (edge ${decodeEdgeAction(Number(action), this.maxNodes).join(' -> ')}) is masked`,
      );
    const egs = this.egs!;
    const [i, j] = decodeEdgeAction(action, this.maxNodes);
    const before = this.tracker.width;
    const keep = this.tracker.keptByEdge(egs.reach, egs.ancestors, i, j, this.keptLateral);
    egs.addEdge(i, j);
    this.tracker.update(egs.reach, egs.ancestors, keep);
    this.steps++;
    this.writeMask();
    const reward = before - this.tracker.width;
    const terminated = this.isTerminal();
    const truncated = !terminated && this.steps >= this.maxSteps;
    const info: EgsInfo = { actionMask: this.lastMask, width: this.tracker.width };
    if (terminated || truncated) {
      this.needsReset = true;
      Object.assign(info, this.episodeInfo());
    }
    return { obs: this.observation(), reward, terminated, truncated, info };
  }

  /** The current mask (the array of the last `info.actionMask`; never mutated afterwards). */
  actionMasks(): Uint8Array {
    return this.lastMask;
  }

  /** The edge-generation state of the episode (closure, windows, added edges); do not modify. */
  get state(): EdgeGenerationState {
    if (!this.egs) throw new ArbiterError('no-episode', 'EGS: call reset() first');
    return this.egs;
  }

  /** `features: 'v2'`: the list-schedule hint of the episode's task (undefined before a reset or with v1). */
  get listHint(): EgsListHint | undefined {
    return this.hint;
  }

  /**
   * Where `features: 'v2'` takes the list-schedule hint of a task from (default `egsListHint`: the
   * best list schedule, computed at reset): a caller that computes the list schedules anyway (a
   * scheduler's heuristic seed) hands them over instead of having them computed twice. The source
   * must answer as `egsListHint` does, or the observations differ from the env's own.
   */
  useListHints(source: (dag: Dag, deadline: number) => EgsListHint): void {
    this.hintSource = source;
    this.hintDag = undefined;
  }

  /** Current width W(G_t). */
  get width(): number {
    return this.tracker.width;
  }

  /** The episode's lower bound on cores (the EGS bound of the original task). */
  get lowerBound(): number {
    return this.bound;
  }

  /** Critical flags of the current graph (copy, length n). */
  criticalNodes(): Uint8Array {
    return this.tracker.critical.slice(0, this.state.dag.n);
  }

  /** Lateral widths of the current graph (copy, length n). */
  lateralWidths(): Int32Array {
    return this.tracker.lateralWidth.slice(0, this.state.dag.n);
  }

  /**
   * The `egs` result of the current graph G_t (any time in the episode): one chain per core of a
   * minimum chain cover, each node at its EST in G_t; `timeMs` is the wall time since reset.
   */
  currentResult(): ScheduleResult {
    return egsScheduleResult(
      this.state,
      this.tracker.chains(),
      this.bound,
      performance.now() - this.startTime,
    );
  }

  private episodeInfo(): EgsEpisodeInfo {
    const schedule = this.currentResult();
    return {
      width: this.tracker.width,
      lowerBound: this.bound,
      addedEdges: schedule.addedEdges,
      cores: schedule.cores,
      schedule,
    };
  }

  private load(dag: Dag, deadline: number, target: number | undefined, withMask = true): void {
    if (dag.n > this.maxNodes)
      throw new ArbiterError(
        'too-many-nodes',
        `EGS: task '${dag.name}' has ${dag.n} nodes, the env accepts at most maxNodes = ${this.maxNodes}`,
      );
    const egs = new EdgeGenerationState(dag, deadline);
    const L = egs.criticalPath;
    if (!withinDeadline(L, deadline)) throw new DeadlineInfeasibleError(L, deadline, dag.name);
    this.egs = egs;
    this.tracker.reset(egs.reach, egs.ancestors);
    this.bound = egsLowerBound(dag, deadline, this.tracker.critical, egs).lowerBound;
    if (this.boundKind === 'load')
      this.bound = Math.max(this.bound, coreLowerBound(dag, deadline).lowerBound);
    this.stopAt = Math.max(this.bound, target ?? 0);
    // The same task again (a scheduler's episodes and beam each reset): the same list schedule.
    if (this.features === 'v2' && (this.hintDag !== dag || this.hintDeadline !== deadline)) {
      this.hint = this.hintSource(dag, deadline);
      this.hintDag = dag;
      this.hintDeadline = deadline;
    }
    this.steps = 0;
    if (withMask) this.writeMask();
    else {
      this.lastMask = NO_MASK;
      this.validCount = this.listAllowed().length;
    }
  }

  private isTerminal(): boolean {
    return this.validCount === 0 || this.tracker.width <= this.stopAt;
  }

  /** A fresh mask array (callers may keep the previous one). */
  private writeMask(): void {
    this.lastMask = new Uint8Array(this.maxNodes * this.maxNodes);
    const allowed = this.listAllowed();
    for (const a of allowed) this.lastMask[a] = 1;
    this.validCount = allowed.length;
  }

  // The allowed actions of the current state (ascending, into a reused list).
  private listAllowed(): number[] {
    const egs = this.egs!;
    return listEgsActions(
      egs,
      this.maxNodes,
      this.allowed,
      this.criticalOnly ? this.tracker.critical : undefined,
      this.antichainOnly ? this.tracker.antichain(egs.reach, this.antichainNodes) : undefined,
    );
  }

  private observation(): GraphObservation {
    const egs = this.egs!;
    if (this.features === 'v1')
      return buildEgsObservation(egs, egsObservationParts(this.tracker, this.bound));
    const inAntichain = antichainFlags(
      this.tracker.antichain(egs.reach, this.antichainNodes),
      egs.dag.n,
      this.flags,
    );
    const extra = { inAntichain, ...(this.hint && { listHint: this.hint }) };
    return buildEgsObservation(egs, egsObservationParts(this.tracker, this.bound, extra), 'v2');
  }

  private deadlineOf(dag: Dag, deadline: number | undefined): number {
    const D = deadline ?? dag.deadline;
    if (D === undefined)
      throw new ValidationError('deadline', 'the task has no deadline; give options.deadline', {
        ...(dag.source !== undefined && { file: dag.source }),
        item: 'deadline',
      });
    const problem = deadlineProblem(D);
    if (problem !== undefined) throw new ValidationError('deadline', problem, { item: 'deadline' });
    return D;
  }

  private checkSamplerSize(): void {
    const hi = this.sampler.options.nodes[1];
    if (hi > this.maxNodes)
      throw invalid(`the sampler draws up to ${hi} nodes but maxNodes is ${this.maxNodes}`);
  }
}

function checkTarget(t: number): void {
  if (!Number.isInteger(t) || t < 1) throw invalid(`targetCores must be an integer ≥ 1, got ${t}`);
}

function invalid(message: string): ArbiterError {
  return new ArbiterError('bad-option', `EGS: ${message}`);
}
