/**
 * Scheduling with a trained EGS (edge generation scheduling) graph policy, without TensorFlow: the policy network runs
 * on the project's Float32 path ({@link GraphNetF32}) and every edge goes through the `EGS-v0`
 * environment, whose action mask is the guarantee (no cycle, no implied edge, `EFT(i) ≤ LST(j)`,
 * so `L(G') ≤ D`). Whatever the weights, every result is a one-chain-per-core timetable of a graph
 * G' ⊇ G that meets the deadline.
 *
 * Three ways to decide:
 * - `greedy`: the argmax edge at each step (method `egs`);
 * - `sample`: greedy plus K − 1 episodes sampled from the policy, the fewest cores kept (`egs`,
 *   `--samples K`);
 * - `search`: search guided by the policy (method `egs-search`): a beam search (each state expanded
 *   with its `expand` most likely edges, the `beamWidth` likeliest sequences kept) and, by default,
 *   16 policy episodes as in `sample`; the smallest width seen anywhere is the answer. Why both:
 *   on 10–20-node DAGs a likelihood beam stays close to the greedy path, while sampled episodes
 *   reach the proven optimum more often (measured in bench/results/egs.md).
 *
 * Both methods are seeded with the best heuristic (`heuristicSeed`, default on): the fewer-core list
 * schedule, as an edge-generation answer (its per-core orders are edges of a G' ⊇ G), is the answer
 * at once when it reaches the lower bound, and otherwise stays unless the policy does better (its
 * continuation from G'; for `egs-search` also its episodes from G and the beam with G' as a second
 * root; `egs` runs its episodes from G too only with `fromScratch`); so neither method
 * answers worse than list scheduling, and the note's `answer from:` says which part answered.
 * `egs-search` first tries to beat that seed with the list portfolio ({@link fewestCoresListPortfolio}:
 * the orders of `makespanListSchedule` and seeded perturbations, core count by core count), which at
 * tight deadlines often meets D on a core fewer, then the tabu search over core sequences of
 * {@link chainLocalSearch} (which may keep a core idle while a node is ready, as no list schedule
 * does) on fewer cores still; the fewer-core timetable then seeds the policy search.
 *
 * Two speed settings bound the work on large graphs: `refresh` R runs the network only every R
 * steps and after every width drop (in between the last logits are reused under the current mask),
 * and `stallLimit` S ends an episode after S steps without a width drop (any prefix of an episode
 * is a valid answer; this only gives up on drops that would come later).
 */
import { ArbiterError, ValidationError } from '../core/errors.js';
import { argmaxAmong } from '../core/masked-argmax.js';
import { Rng } from '../core/rng.js';
import type { GraphObservation } from '../core/spaces.js';
import type { Dag } from '../dag/dag-task.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { coreLowerBound } from '../dag/analysis/core-lower-bound.js';
import type { WidthResult } from '../dag/analysis/width.js';
import type { EdgeGenerationState } from '../dag/edge-generation/edge-generation-state.js';
import { WidthDropProbe } from '../dag/edge-generation/width-drop-probe.js';
import { PosetWidthTracker } from '../envs/egs/critical-nodes.js';
import { EGS_MAX_NODES, EgsEnv, egsEpisodeEnded } from '../envs/egs/egs-env.js';
import { egsScheduleResult } from '../envs/egs/egs-schedule-result.js';
import { listEgsActions } from '../envs/egs/egs-action-mask.js';
import { declinedResult } from '../dag/schedule/declined-result.js';
import { fallbackBudget, TimeBudget } from '../dag/schedule/time-budget.js';
import { computeTiming } from '../dag/analysis/timing.js';
import { transitiveClosure } from '../dag/analysis/transitive-closure.js';
import {
  incumbentAsEdgeGeneration,
  listScheduleIncumbent,
  type Incumbent,
} from '../dag/optimal/list-schedule-incumbent.js';
import { fewestCoresListPortfolio } from '../dag/optimal/fewest-cores-list-portfolio.js';
import { createAnalysisContext, type AnalysisContext } from '../dag/analysis/analysis-context.js';
import { chainLocalSearch } from '../dag/optimal/chain-local-search.js';
import { chainTimetable } from '../dag/optimal/chain-timetable.js';
import { makespanListSchedule } from '../dag/optimal/makespan-list-schedule.js';
import { listTimetables } from '../envs/egs/egs-best-teacher.js';
import { timetableAsEgsResult } from '../envs/egs/timetable-teacher.js';
import {
  antichainFlags,
  egsFeatureSetOfDim,
  egsNodeFeatureDim,
  egsObservationParts,
  writeEgsNodeFeatures,
  writeEgsRelationCodes,
  addEdgeToRelationCodes,
  type EgsFeatureSet,
} from '../envs/egs/egs-observation.js';
import { bestOfListTimetables, listHintOf, type EgsListHint } from '../envs/egs/egs-list-hint.js';
import { GraphNetF32, type GraphInput } from '../nn/graph-net-f32.js';
import { egsModelFeatures, type EgsPolicyModel } from './egs-policy-model.js';

/** Options of {@link EgsPolicyScheduler.greedy} and {@link EgsPolicyScheduler.sample}. */
export interface EgsDecodeOptions {
  /** Deadline D (default: the task's own). */
  deadline?: number;
  /** Run the network every R steps and after each width drop (default 1: every step). */
  refresh?: number;
  /** End after this many steps without a width drop (default: never). */
  stallLimit?: number;
  /**
   * Greedy episodes only (sampled ones ignore it): among the `lookahead` likeliest allowed edges,
   * take the first that lowers W right away (checked on a copy of the graph), else the likeliest
   * (default 0: plain argmax).
   */
  lookahead?: number;
  /** Step through the `EGS-v0` env instead of the fast path (slower; the reference in tests). */
  viaEnv?: boolean;
  /**
   * Wall-clock budget in seconds (default 60, `DEFAULT_TIME_BUDGET_S`), over all episodes: past
   * it the running episode stops (any prefix is a valid answer) and no further episode starts;
   * the note says so.
   */
  timeBudgetS?: number;
  /**
   * Seed with the best heuristic (default true): also schedule with list scheduling (the
   * `listsched` orders and the list-schedule incumbent), turn the fewer-core timetable into an
   * edge-generation answer (its per-core orders as edges), let the greedy policy go on from it,
   * and keep the fewest cores; so the answer is never worse than the list schedule. The note says
   * which answer won.
   */
  heuristicSeed?: boolean;
  /**
   * With the heuristic seed: also run the policy's episodes from G itself, not only from the
   * seed's G' (default false). On the development DAGs of `npm run bench -- egs-scratch-dev` the
   * episode from G gave the answer on 3 of 192 tasks (the continuation matched 2 of them) and took
   * most of the time of a seeded call; without the seed it always runs.
   */
  fromScratch?: boolean;
}

/** Options of {@link EgsPolicyScheduler.search}. */
export interface EgsSearchOptions {
  /** Deadline D (default: the task's own). */
  deadline?: number;
  /** States kept per depth (default 4). */
  beamWidth?: number;
  /** Most likely edges expanded per state (default 4). */
  expand?: number;
  /** A beam state stops expanding after this many steps without a width drop (default: never). */
  stallLimit?: number;
  /** Policy episodes (1 greedy + samples − 1 sampled) also tried (default 16; 0 = beam only). */
  samples?: number;
  /** Seed of the sampled episodes (default 0). */
  seed?: number;
  /** Wall-clock budget in seconds of beam and episodes together (default 60); as for `egs`. */
  timeBudgetS?: number;
  /** Seed with the best heuristic (default true; see {@link EgsDecodeOptions.heuristicSeed}). */
  heuristicSeed?: boolean;
  /**
   * Search time in seconds (default 0.5, shortened to what is left of 0.9 s after the seeds, at
   * least 0.1 s): once spent, no further beam depth or policy episode starts and the best answer
   * so far is returned (the seed makes any prefix of the search a good answer). Unlike
   * `timeBudgetS`, reaching it is the normal end of a search, not a cut.
   */
  searchTimeS?: number;
  /**
   * With the heuristic seed: also look for a list schedule on fewer cores than the seed's with the
   * portfolio of {@link fewestCoresListPortfolio} (the orders of `makespanListSchedule` and its
   * random perturbations, seeded by `seed`), before the policy search; the fewer-core one seeds
   * the search (default true).
   */
  portfolio?: boolean;
  /**
   * Wall-clock cap of the portfolio in seconds (default 1, a safety net: its rounds, 400 per core
   * count, end it first on a quiet core); within it the result depends on `seed` only.
   */
  portfolioTimeS?: number;
  /**
   * With the heuristic seed: then try to meet D on fewer cores than the best seed so far with the
   * tabu search over core sequences of {@link chainLocalSearch} (from the best list schedule on
   * one core fewer, then fewer while it succeeds), before the policy search (default true). Its
   * sequences may keep a core idle while a node is ready, which no list schedule does.
   */
  localSearch?: boolean;
  /**
   * Wall-clock cap of the local search in seconds (default 0.6, `DEFAULT_EGS_LOCAL_SEARCH_TIME_S`):
   * runs of 5,000 steps, each from the next seed, until one meets D or the time is spent.
   */
  localSearchTimeS?: number;
}

/** Default of {@link EgsSearchOptions.searchTimeS}. */
export const DEFAULT_EGS_SEARCH_TIME_S = 0.5;

/** Default of {@link EgsSearchOptions.portfolioTimeS}. */
export const DEFAULT_EGS_PORTFOLIO_TIME_S = 1;

/** Default of {@link EgsSearchOptions.localSearchTimeS}. */
export const DEFAULT_EGS_LOCAL_SEARCH_TIME_S = 0.6;

// Steps of one local-search run before a restart with the next seed (≈ 0.2 s on 50 nodes).
const LOCAL_SEARCH_RESTART_STEPS = 5_000;

/** What the default search time is shortened to fit: seeds and search of one call, in seconds. */
const DEFAULT_EGS_TOTAL_TIME_S = 0.9;

/** The least default search time, however long the seeds took. */
const MIN_EGS_SEARCH_TIME_S = 0.1;

/** The best heuristic answer as edge generation, and the graph state G' it ends in. */
export interface HeuristicSeed {
  /** The answer: one chain per core of G', each node at its EST in G'. */
  result: ScheduleResult;
  /** G' (the DAG plus the timetable's per-core orders as edges); do not modify. */
  state: EdgeGenerationState;
  /** Which heuristic gave it. */
  from: string;
}

/** A task loaded for decisions: a private copy of its initial state and its bounds. */
interface LoadedTask {
  state: EdgeGenerationState;
  /** Row stride of actions (the env's maxNodes). */
  N: number;
  /** The env's lower bound. */
  bound: number;
  /** W(G). */
  width: number;
  /** Where episodes stop: the larger of `bound` and the window load bound. */
  stopAt: number;
}

/** A loaded task, or the answer of one that needs no decision. */
type TaskStart = { terminal: ScheduleResult } | LoadedTask;

/** A candidate answer with the part of the method that produced it. */
interface Candidate {
  result: ScheduleResult;
  source: string;
}

// The fewer cores (then fewer added edges); on a tie the earlier candidate stays.
function better(a: ScheduleResult, b: ScheduleResult): boolean {
  return a.cores < b.cores || (a.cores === b.cores && a.addedEdges.length < b.addedEdges.length);
}

interface Episode {
  result: ScheduleResult;
  steps: number;
  /** The time budget stopped the episode before it ended by itself. */
  cut?: boolean;
}

/**
 * The declined result of a policy method on a DAG larger than the policy can take, said in user
 * terms; `undefined` when the DAG fits.
 */
function declineTooLarge(
  dag: Dag,
  method: 'egs' | 'egs-search',
  deadline?: number,
): ScheduleResult | undefined {
  if (dag.n <= EGS_MAX_NODES) return undefined;
  const D = deadline ?? dag.deadline;
  if (D === undefined || !(D > 0))
    throw new ValidationError('deadline', 'the task has no deadline > 0; give one (--deadline D)', {
      ...(dag.source !== undefined && { file: dag.source }),
      item: 'deadline',
    });
  const lowerBound = coreLowerBound(dag, D).lowerBound;
  return declinedResult(
    method,
    D,
    lowerBound,
    0,
    `the learned EGS policy handles DAGs of at most ${EGS_MAX_NODES.toLocaleString('en-US')} nodes ` +
      `(this one has ${dag.n.toLocaleString('en-US')}); use egs-greedy or listsched`,
  );
}

/**
 * The fallback of a budget-cut policy method: the core sequences of a list schedule as added
 * edges (`incumbentAsEdgeGeneration`), computed within a quarter of the budget; `undefined` unless
 * it meets D on fewer cores than `answer`.
 */
function listScheduleFallback(dag: Dag, answer: ScheduleResult, budgetS: number): ScheduleResult | undefined {
  const D = answer.deadline;
  const timing = computeTiming(dag, D);
  const incumbent = listScheduleIncumbent(dag, timing, answer.lowerBound, fallbackBudget(budgetS));
  const other = incumbentAsEdgeGeneration(
    dag,
    transitiveClosure(dag),
    incumbent,
    answer.method,
    answer.lowerBound,
    D,
  );
  return other.feasible && other.cores < answer.cores ? other : undefined;
}

// The note of a budget-cut `sample`: how far it got.
function outOfTime(budget: TimeBudget, samples: number, ran: number, best: Episode): string {
  return (
    `time budget of ${budget.seconds} s reached` +
    (ran < samples ? ` after ${ran} of ${samples} episodes` : ', an episode was cut short') +
    `: best so far (W = ${best.result.cores} after ${best.steps} edges)`
  );
}

/** A scheduler around one trained EGS policy (see the file comment). */
export class EgsPolicyScheduler {
  /** The Float32 network. */
  readonly net: GraphNetF32;
  private readonly envs = new Map<number, EgsEnv>();
  private logits = new Float32Array(0);
  // The endpoints of the scored pairs (run's rows for the network) and their marks, reused.
  private rows = new Int32Array(0);
  private rowMark = new Uint8Array(0);
  private featureRows = new Float32Array(0);
  private codes = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private readonly flagNodes: number[] = [];
  // The list hint of the task being scheduled (v2; set by start()).
  private hint: EgsListHint | undefined;
  private lastLists: { dag: Dag; deadline: number; lists: ReturnType<typeof listTimetables> } | undefined;
  private readonly probe = new WidthDropProbe();
  // Nodes whose lateral width a step's edge cannot change (a bitset, reused).
  private keep = new Uint32Array(0);
  private lastStart:
    { dag: Dag; deadline: number; hint: EgsListHint | undefined; start: LoadedTask } | undefined;
  private lastLoadBound: { dag: Dag; deadline: number; bound: number } | undefined;

  /** Whether decisions are restricted to one maximum antichain (the env's `antichainOnly`). */
  readonly antichainOnly: boolean;
  /** The observation feature set the network reads (the model's). */
  readonly features: EgsFeatureSet;

  /**
   * @param model - a trained policy ({@link EgsPolicyModel}) or a ready network
   * @param options - `antichainOnly` (default true): decide among the edges inside one maximum
   *   antichain, as the imitation expert did; false: among all edges between critical nodes
   */
  constructor(model: EgsPolicyModel | GraphNetF32, options: { antichainOnly?: boolean } = {}) {
    this.net = model instanceof GraphNetF32 ? model : new GraphNetF32(model.dims, model.weights);
    this.antichainOnly = options.antichainOnly ?? true;
    const features =
      model instanceof GraphNetF32 ? egsFeatureSetOfDim(model.dims.nodeFeatureDim) : egsModelFeatures(model);
    if (features === undefined)
      throw new ArbiterError(
        'invalid-model',
        `egs: no observation feature set has ${this.net.dims.nodeFeatureDim} node features`,
      );
    this.features = features;
  }

  /**
   * One greedy episode: the argmax edge at every step (method `egs`). Runs on the graph state
   * directly rather than through the env (same mask, same observation, same choices; see
   * {@link EgsPolicyScheduler.fastEpisode}), which is what keeps a decision cheap.
   */
  greedy(dag: Dag, options: EgsDecodeOptions = {}): ScheduleResult {
    return this.sample(dag, 1, 0, options);
  }

  /**
   * The greedy episode and `samples − 1` episodes sampled from the policy (seeded by `seed`); the
   * result with the fewest cores, then the fewest added edges (method `egs`). With the heuristic
   * seed (the default) the episodes start from the seed's G' (see `fromScratch`).
   */
  sample(dag: Dag, samples: number, seed = 0, options: EgsDecodeOptions = {}): ScheduleResult {
    if (!Number.isInteger(samples) || samples < 1)
      throw new ArbiterError('invalid-option', `egs: samples must be an integer ≥ 1, got ${samples}`);
    positiveInt(options.refresh ?? 1, 'refresh'); // checked even when the seed answers
    const t0 = performance.now();
    const tooLarge = declineTooLarge(dag, 'egs', options.deadline);
    if (tooLarge) return tooLarge;
    const budget = new TimeBudget(options.timeBudgetS);
    const seeded = options.heuristicSeed ?? true;
    // The window load bound, where the seeded path computed it: the answer reports it when it is
    // stronger than the env's bound (the one the policy's observation reads).
    let stopAt: number | undefined;
    const done = (answer: Candidate, notes: string[] = []): ScheduleResult => {
      if (seeded) notes.push(`answer from: ${answer.source}`);
      return {
        ...answer.result,
        ...(stopAt !== undefined && { lowerBound: Math.max(answer.result.lowerBound, stopAt) }),
        method: 'egs',
        timeMs: performance.now() - t0,
        ...(notes.length > 0 && { note: notes.join('; ') }),
      };
    };
    let heuristic: HeuristicSeed | undefined;
    if (seeded) {
      const start = this.start(dag, options.deadline);
      if ('terminal' in start) return done({ result: start.terminal, source: AS_GIVEN });
      stopAt = start.stopAt;
      heuristic = this.heuristicSeed(dag, start.state.deadline, start.bound, start.width);
      // At the lower bound already: no episode can do better.
      if (heuristic.result.cores <= start.stopAt)
        return done({ result: heuristic.result, source: `${heuristic.from} seed (at the lower bound)` });
    }
    if (heuristic && !(options.fromScratch ?? false)) {
      // The policy's episodes go on from the seed's G' only (see `fromScratch`).
      const from: Candidate = { result: heuristic.result, source: `${heuristic.from} seed` };
      const answer = this.seeded(dag, from, options, budget, samples, new Rng(seed), heuristic);
      const notes = budget.expired ? [`time budget of ${budget.seconds} s reached`] : [];
      return done(answer, notes);
    }
    const { best, ran, cut } = this.episodes(dag, samples, new Rng(seed), options, budget);
    const notes: string[] = [];
    if (samples > 1) notes.push(`best of ${ran} policy episodes (1 greedy, ${ran - 1} sampled)`);
    let answer: Candidate = {
      result: best.result,
      source: samples > 1 ? 'policy episodes' : 'policy (greedy)',
    };
    if (cut || ran < samples) notes.push(outOfTime(budget, samples, ran, best));
    if (heuristic) answer = this.seeded(dag, answer, options, budget, 1, new Rng(seed + 1), heuristic);
    else if (cut || ran < samples) {
      const other = listScheduleFallback(dag, answer.result, budget.seconds);
      if (other) {
        answer = { result: other, source: 'list schedule fallback' };
        notes.push(`a list schedule's core sequences (${other.cores} cores) kept instead`);
      }
    }
    return done(answer, notes);
  }

  // The greedy episode and samples − 1 sampled ones (fewest cores, then fewest steps), within budget.
  private episodes(
    dag: Dag,
    samples: number,
    rng: Rng,
    options: EgsDecodeOptions,
    budget: TimeBudget,
    from?: EdgeGenerationState,
  ): { best: Episode; ran: number; cut: boolean } {
    const run = (r: Rng | undefined): Episode =>
      options.viaEnv && !from
        ? this.episode(dag, options, r)
        : this.fastEpisode(dag, options, r, budget, from);
    let best = run(undefined);
    let ran = 1;
    let cut = best.cut === true;
    for (let k = 1; k < samples && !budget.expired; k++, ran++) {
      const e = run(rng);
      cut ||= e.cut === true;
      if (
        e.result.cores < best.result.cores ||
        (e.result.cores === best.result.cores && e.steps < best.steps)
      )
        best = e;
    }
    return { best, ran, cut };
  }

  /**
   * The best list-scheduling answer as edge generation (see {@link EgsDecodeOptions.heuristicSeed}):
   * `listsched` or the list-schedule incumbent, whichever needs fewer cores. `width`: W(G) when
   * known (the env's tracker has it), which saves a matching.
   */
  heuristicSeed(dag: Dag, deadline: number, lowerBound: number, width?: number): HeuristicSeed {
    const { listsched, incumbent } = this.listTimetablesOf(dag, deadline, width);
    const [timetable, from] =
      incumbent.feasible && incumbent.cores < listsched.cores
        ? [incumbent, 'list-schedule incumbent']
        : [listsched, 'listsched'];
    return { ...timetableAsEgsResult(dag, timetable, lowerBound, deadline), from };
  }

  // Core sequences that meet D on fewer cores than `seed`, as a seed; otherwise undefined.
  private fewerCoreSeed(
    dag: Dag,
    ctx: AnalysisContext,
    seed: HeuristicSeed,
    found: Incumbent,
    from: string,
  ): HeuristicSeed | undefined {
    const { deadline: D, lowerBound } = seed.result;
    const timetable = incumbentAsEdgeGeneration(dag, ctx.reach, found, 'listsched', lowerBound, D);
    if (!timetable.feasible || timetable.cores >= seed.result.cores) return undefined;
    return { ...timetableAsEgsResult(dag, timetable, lowerBound, D), from };
  }

  // A list schedule of the portfolio on fewer cores than `seed` (as a seed), or undefined.
  private portfolioSeed(
    dag: Dag,
    ctx: AnalysisContext,
    seed: HeuristicSeed,
    stopAt: number,
    options: EgsSearchOptions,
    budget: TimeBudget,
  ): HeuristicSeed | undefined {
    const found = fewestCoresListPortfolio(ctx, stopAt, seed.result.cores, {
      seed: options.seed ?? 0,
      budget: budget.within(options.portfolioTimeS ?? DEFAULT_EGS_PORTFOLIO_TIME_S),
    });
    return found && this.fewerCoreSeed(dag, ctx, seed, found, `list portfolio (${found.by})`);
  }

  // Sequences on fewer cores than `seed` that meet D, found by the chain local search (as a
  // seed), or undefined.
  private localSearchSeed(
    dag: Dag,
    ctx: AnalysisContext,
    seed: HeuristicSeed,
    stopAt: number,
    options: EgsSearchOptions,
    budget: TimeBudget,
  ): HeuristicSeed | undefined {
    const D = seed.result.deadline;
    const time = budget.within(options.localSearchTimeS ?? DEFAULT_EGS_LOCAL_SEARCH_TIME_S);
    let found: { chains: number[][]; from: string } | undefined;
    for (let k = seed.result.cores - 1; k >= Math.max(1, stopAt) && !time.expired; k--) {
      const start = makespanListSchedule(ctx, k, { rounds: 0 });
      // Restarts from fresh seeds: on the development set whether one seed meets D is luck
      // (5 of 16 seeds within 1.5 s, the rest never), so several short runs beat one long one.
      let r: ReturnType<typeof chainLocalSearch> | undefined;
      for (let restart = 0; !time.expired && !r?.met; restart++)
        r = chainLocalSearch(dag, start.chains, D, {
          seed: (options.seed ?? 0) + restart,
          budget: time,
          maxSteps: LOCAL_SEARCH_RESTART_STEPS,
        });
      if (!r?.met) break;
      found = { chains: r.chains, from: `chain local search (from ${start.by} on ${k} cores)` };
      k = r.chains.length; // it may have emptied a core
    }
    const table = found && chainTimetable(dag, found.chains);
    return table && this.fewerCoreSeed(dag, ctx, seed, { ...table, chains: found!.chains }, found!.from);
  }

  // `answer` or, when fewer cores, the heuristic seed or the policy's continuation of it
  // (`samples` episodes from G' of the seed: the greedy one and samples − 1 sampled).
  private seeded(
    dag: Dag,
    answer: Candidate,
    options: EgsDecodeOptions,
    budget: TimeBudget,
    samples: number,
    rng: Rng = new Rng(0),
    seed: HeuristicSeed = this.heuristicSeed(dag, answer.result.deadline, answer.result.lowerBound),
  ): Candidate {
    let best = answer;
    // Below the load bound no edge helps: an episode from there would end at once.
    const stopAt = Math.max(seed.result.lowerBound, this.loadBound(dag, seed.result.deadline));
    if (better(seed.result, best.result))
      best = {
        result: seed.result,
        source: `${seed.from} seed${seed.result.cores <= stopAt ? ' (at the lower bound)' : ''}`,
      };
    if (seed.result.cores <= best.result.cores && seed.result.cores > stopAt && !budget.expired) {
      // Going on from G' can only add edges; stop after a few steps that lower nothing.
      const stallLimit = options.stallLimit ?? CONTINUATION_STALL_LIMIT;
      const { best: cont } = this.episodes(dag, samples, rng, { ...options, stallLimit }, budget, seed.state);
      if (better(cont.result, best.result))
        best = { result: cont.result, source: `policy continued from the ${seed.from} seed` };
    }
    return best;
  }

  /** Search guided by the policy (method `egs-search`; see the file comment). */
  search(dag: Dag, options: EgsSearchOptions = {}): ScheduleResult {
    const t0 = performance.now();
    const beamWidth = positiveInt(options.beamWidth ?? 4, 'beamWidth');
    const expand = positiveInt(options.expand ?? 4, 'expand');
    const stallLimit = options.stallLimit ?? Infinity;
    const tooLarge = declineTooLarge(dag, 'egs-search', options.deadline);
    if (tooLarge) return tooLarge;
    const budget = new TimeBudget(options.timeBudgetS);
    const start = this.start(dag, options.deadline);
    if ('terminal' in start)
      return {
        ...start.terminal,
        method: 'egs-search',
        timeMs: performance.now() - t0,
        note: `answer from: ${AS_GIVEN}`,
      };
    const { N, bound, stopAt } = start;
    const seeded = options.heuristicSeed ?? true;
    let seed = seeded ? this.heuristicSeed(dag, start.state.deadline, bound, start.width) : undefined;
    if (seed && seed.result.cores > stopAt) {
      const ctx = createAnalysisContext(dag, seed.result.deadline);
      if (options.portfolio ?? true)
        seed = this.portfolioSeed(dag, ctx, seed, stopAt, options, budget) ?? seed;
      if (seed.result.cores > stopAt && (options.localSearch ?? true))
        seed = this.localSearchSeed(dag, ctx, seed, stopAt, options, budget) ?? seed;
    }
    // The search's own time; the hard budget still caps it.
    const searchTime = budget.within(
      options.searchTimeS ??
        Math.min(
          DEFAULT_EGS_SEARCH_TIME_S,
          Math.max(MIN_EGS_SEARCH_TIME_S, DEFAULT_EGS_TOTAL_TIME_S - (performance.now() - t0) / 1000),
        ),
    );
    const tracker = new PosetWidthTracker(dag.n);

    interface BeamNode {
      state: EdgeGenerationState;
      w: WidthResult;
      logp: number;
      stall: number;
      done: boolean;
    }
    // Answers compare by width; the beam itself ranks by likelihood (standard beam search).
    const betterNode = (a: BeamNode, b: BeamNode): boolean =>
      a.w.width < b.w.width ||
      (a.w.width === b.w.width &&
        (a.logp > b.logp || (a.logp === b.logp && a.state.added.length < b.state.added.length)));
    const likelier = (a: BeamNode, b: BeamNode): number => b.logp - a.logp || a.w.width - b.w.width;
    const rootOf = (state: EdgeGenerationState): BeamNode => {
      const w = state.width();
      return { state, w, logp: 0, stall: 0, done: w.width <= stopAt };
    };
    const root = rootOf(start.state);
    let best = root;
    // The seed's G' is a second root: the beam may lower W further from there.
    let beam = seed && seed.result.cores > stopAt ? [root, rootOf(seed.state.clone())] : [root];
    if (seed && seed.result.cores <= stopAt) beam = []; // at the lower bound: nothing to search
    const allowed: number[] = [];
    while (beam.some((b) => !b.done) && !searchTime.expired) {
      const children: BeamNode[] = [];
      for (const node of beam) {
        if (!node.done) {
          tracker.reset(node.state.reach, node.state.ancestors);
          this.allowedActions(node.state, node.w.antichain, tracker.critical, N, allowed);
          if (allowed.length === 0) node.done = true;
        }
        if (node.done) {
          children.push(node);
          continue;
        }
        this.observeAndForward(node.state, tracker, bound, N, allowed);
        const logZ = logSumExpOver(this.logits, allowed);
        const top = [...allowed].sort((x, y) => this.logits[y]! - this.logits[x]! || x - y).slice(0, expand);
        for (const a of top) {
          const state = node.state.clone();
          state.addEdge(Math.floor(a / N), a % N);
          const w = state.width();
          const stall = w.width < node.w.width ? 0 : node.stall + 1;
          children.push({
            state,
            w,
            logp: node.logp + this.logits[a]! - logZ,
            stall,
            done: w.width <= stopAt || stall >= stallLimit,
          });
        }
      }
      children.sort(likelier);
      beam = children.slice(0, beamWidth);
      for (const c of beam) if (betterNode(c, best)) best = c;
    }
    const beamCut = budget.expired;
    let answer: Candidate = {
      result: egsScheduleResult(best.state, best.w.chains, bound, 0),
      source: 'policy beam',
    };
    let fallbackNote = '';
    if (beamCut && !seeded) {
      const other = listScheduleFallback(dag, answer.result, budget.seconds);
      if (other) {
        answer = { result: other, source: 'list schedule fallback' };
        fallbackNote = `; a list schedule's core sequences (${other.cores} cores) kept instead`;
      }
    }
    const samples = options.samples ?? 16;
    let sampleNote = '';
    const reached = (): boolean =>
      answer.result.cores <= stopAt || (seed !== undefined && seed.result.cores <= stopAt);
    if (samples > 0 && !searchTime.expired && !reached()) {
      const decode: EgsDecodeOptions = {
        ...(options.deadline !== undefined && { deadline: options.deadline }),
        ...(options.stallLimit !== undefined && { stallLimit: options.stallLimit }),
      };
      const { best: e, ran } = this.episodes(dag, samples, new Rng(options.seed ?? 0), decode, searchTime);
      if (ran < samples)
        sampleNote = `; search time of ${searchTime.seconds} s reached after ${ran} of ${samples} episodes`;
      if (better(e.result, answer.result)) answer = { result: e.result, source: 'policy episodes' };
    }
    if (seed) {
      const decode: EgsDecodeOptions = {
        ...(options.stallLimit !== undefined && { stallLimit: options.stallLimit }),
      };
      const seededSamples = Math.max(1, Math.ceil(samples / 4));
      const rng = new Rng((options.seed ?? 0) + 1);
      answer = this.seeded(dag, answer, decode, searchTime, seededSamples, rng, seed);
    }
    return {
      ...answer.result,
      lowerBound: Math.max(answer.result.lowerBound, stopAt),
      method: 'egs-search',
      timeMs: performance.now() - t0,
      note:
        `beam ${beamWidth}×${expand}${samples > 0 ? ` and ${samples} policy episodes` : ''}` +
        `${seed ? `, seeded with ${seed.from} (${seed.result.cores} cores)` : ''}, best width kept` +
        (beamCut
          ? `; time budget of ${budget.seconds} s reached during the beam search: best so far${fallbackNote}`
          : sampleNote) +
        (seed ? `; answer from: ${answer.source}` : ''),
    };
  }

  /**
   * Reference episode through the `EGS-v0` env, one `env.step` per edge (used with `viaEnv`; the
   * fast path below must make the same choices, which a test checks).
   */
  private episode(dag: Dag, options: EgsDecodeOptions, rng: Rng | undefined): Episode {
    const refresh = positiveInt(options.refresh ?? 1, 'refresh');
    const stallLimit = options.stallLimit ?? Infinity;
    const lookahead = options.lookahead ?? 0;
    const env = this.envFor(dag.n);
    const N = env.maxNodes;
    let r = env.reset({
      options: { dag, ...(options.deadline !== undefined && { deadline: options.deadline }) },
    });
    if (egsEpisodeEnded(r.info)) return { result: r.info.schedule, steps: 0 };
    let steps = 0;
    let since = refresh;
    let stall = 0;
    for (;;) {
      if (since >= refresh) {
        const obs = r.obs as GraphObservation;
        this.run({ numNodes: obs.numNodes, nodeFeatures: obs.nodeFeatures, relations: obs.relations }, N);
        since = 0;
      }
      const mask = env.actionMasks();
      const allowed: number[] = [];
      for (let a = 0; a < N * N; a++) if (mask[a]) allowed.push(a);
      const a = this.choose(allowed, rng, lookahead, env.state, N);
      const s = env.step(a);
      steps++;
      if (egsEpisodeEnded(s.info)) return { result: s.info.schedule, steps };
      if (s.reward > 0) {
        stall = 0;
        since = refresh;
      } else {
        stall++;
        since++;
      }
      if (stall >= stallLimit) return { result: env.currentResult(), steps };
      r = { obs: s.obs, info: s.info };
    }
  }

  /**
   * One episode (greedy, or sampled with `rng`) without the env's per-step allocations: the env
   * builds a fresh n² mask and a fresh observation after every edge. Here a step costs one closure
   * update and one warm tracker update (W, the antichain, critical nodes and lateral widths from one
   * matching; the nodes the edge cannot touch keep theirs), and the relation codes are updated on
   * the pairs the edge adds only; the allowed edges are listed from the antichain, and the node
   * features are written into reused buffers only when the network runs. The env still loads the
   * task (`inspect`: deadline checks, lower bound, the same features), the mask is the env's rule,
   * and the episode also ends once W reaches the window load bound (`coreLowerBound`), below which
   * no edge can go.
   *
   * The network's last layer runs on the allowed edges' endpoints only (a few antichain nodes:
   * O(W·n) attention instead of O(n²), same logits), and the tracker keeps a witness antichain per
   * node, so most lateral matchings of a step are skipped (same widths). Where the time goes
   * (bench/results/egs-speed.md): on 100-node DAGs the network (key/value projections of every
   * node, the antichain rows' attention) and the tracker share a step; on wide 1,000-node DAGs
   * (W in the hundreds) the lateral matchings of the nodes whose witness an edge breaks dominate.
   */
  private fastEpisode(
    dag: Dag,
    options: EgsDecodeOptions,
    rng?: Rng,
    budget: TimeBudget = new TimeBudget(options.timeBudgetS),
    from?: EdgeGenerationState,
  ): Episode {
    const refresh = positiveInt(options.refresh ?? 1, 'refresh');
    const stallLimit = options.stallLimit ?? Infinity;
    const lookahead = options.lookahead ?? 0;
    const start = this.start(dag, from?.deadline ?? options.deadline);
    if ('terminal' in start) return { result: start.terminal, steps: 0 };
    const { N, bound, stopAt } = start;
    // From a given G' (a heuristic's answer), on a copy of it.
    const state = from ? from.clone() : start.state;
    // As in the env: one warm-started matching serves W, the antichain and the critical nodes;
    // the witnesses spare the lateral matchings an edge provably leaves alone (keptByEdge).
    const tracker = new PosetWidthTracker(dag.n, { witnesses: true });
    tracker.reset(state.reach, state.ancestors);
    if (this.keep.length < state.reach.words) this.keep = new Uint32Array(state.reach.words);
    // The relation codes follow the state edge by edge (this.codes is the episode's until it ends).
    this.ensureBuffers(dag.n);
    writeEgsRelationCodes(state, this.codes);
    const allowed: number[] = [];
    const antichain: number[] = [];
    let since = refresh;
    let stall = 0;
    let steps = 0;
    while (tracker.width > stopAt && !budget.expired) {
      tracker.antichain(state.reach, antichain);
      this.allowedActions(state, antichain, tracker.critical, N, allowed);
      if (allowed.length === 0) break;
      // A single allowed edge is taken whatever the logits say: no network run (a sampled
      // episode still draws its number, so the draws stay aligned with the env path).
      if (since >= refresh && !(refresh === 1 && allowed.length === 1)) {
        // Reused logits (refresh > 1) must cover the later steps' edges too.
        this.observeAndForward(
          state,
          tracker,
          bound,
          N,
          refresh === 1 ? allowed : undefined,
          antichain,
          true,
        );
        since = 0;
      }
      const width = tracker.width;
      const a = this.choose(allowed, rng, lookahead, state, N);
      const i = Math.floor(a / N);
      const j = a % N;
      // Nodes whose lateral width the edge cannot change keep it (no matching): those the env
      // skips too, and those whose witness antichain survives the edge (same widths either way).
      const keep = tracker.keptByEdge(state.reach, state.ancestors, i, j, this.keep);
      addEdgeToRelationCodes(state, i, j, this.codes);
      state.addEdge(i, j);
      steps++;
      tracker.update(state.reach, state.ancestors, keep);
      if (tracker.width < width) {
        stall = 0;
        since = refresh;
      } else {
        stall++;
        since++;
      }
      if (stall >= stallLimit) break;
    }
    return {
      result: egsScheduleResult(state, tracker.chains(), bound, 0),
      steps,
      cut: budget.expired && tracker.width > stopAt,
    };
  }

  // Loads the task through the env (deadline checks, lower bound); a terminal result or a private
  // copy of the initial graph state. The loaded task is kept: a search's episodes and the seed's
  // continuation all start from it (each on its own copy of the state).
  private start(dag: Dag, deadline: number | undefined): TaskStart {
    const D = deadline ?? dag.deadline;
    const last = this.lastStart;
    if (last && last.dag === dag && last.deadline === D) {
      this.hint = last.hint;
      return { ...last.start, state: last.start.state.clone() };
    }
    const env = this.envFor(dag.n);
    const ended = env.inspect({ dag, ...(deadline !== undefined && { deadline }) });
    if (ended) return { terminal: ended.schedule };
    const state = env.state.clone();
    const bound = env.lowerBound;
    this.hint = env.listHint;
    const start = {
      state,
      N: env.maxNodes,
      bound,
      width: env.width,
      stopAt: Math.max(bound, this.loadBound(dag, state.deadline)),
    };
    this.lastStart = {
      dag,
      deadline: state.deadline,
      hint: this.hint,
      start: { ...start, state: state.clone() },
    };
    return start;
  }

  // coreLowerBound(dag, D).lowerBound, kept for the last task (a window scan per call otherwise).
  private loadBound(dag: Dag, deadline: number): number {
    const last = this.lastLoadBound;
    if (last && last.dag === dag && last.deadline === deadline) return last.bound;
    const bound = coreLowerBound(dag, deadline).lowerBound;
    this.lastLoadBound = { dag, deadline, bound };
    return bound;
  }

  // The env's rule (listEgsActions) with this scheduler's env settings: critical endpoints, and
  // first the maximum antichain when antichainOnly.
  private allowedActions(
    state: EdgeGenerationState,
    antichain: readonly number[],
    critical: Uint8Array,
    N: number,
    out: number[],
  ): void {
    listEgsActions(state, N, out, critical, this.antichainOnly ? antichain : undefined);
  }

  // Builds the observation of `state` (as the env does, into reused buffers, relations coded per
  // pair) and runs the network on it (logits of `only`, or of every pair).
  private observeAndForward(
    state: EdgeGenerationState,
    tracker: PosetWidthTracker,
    bound: number,
    N: number,
    only: readonly number[] | undefined,
    antichain?: readonly number[],
    codesReady = false,
  ): void {
    const n = state.dag.n;
    this.ensureBuffers(n);
    const parts =
      this.features === 'v1'
        ? egsObservationParts(tracker, bound)
        : egsObservationParts(tracker, bound, {
            inAntichain: antichainFlags(
              antichain ?? tracker.antichain(state.reach, this.flagNodes),
              n,
              this.flags,
            ),
            ...(this.hint && { listHint: this.hint }),
          });
    writeEgsNodeFeatures(state, parts, this.featureRows, this.features);
    if (!codesReady) writeEgsRelationCodes(state, this.codes);
    this.run({ numNodes: n, nodeFeatures: this.featureRows, relationCodes: this.codes }, N, only);
  }

  // Observation buffers for n nodes (grown with the largest graph).
  private ensureBuffers(n: number): void {
    if (this.codes.length >= n * n) return;
    this.featureRows = new Float32Array(n * egsNodeFeatureDim(this.features));
    this.codes = new Uint8Array(n * n);
    this.flags = new Uint8Array(n);
  }

  // Picks among `allowed` from the current logits: a sample (rng), the first W-lowering one of the
  // `lookahead` likeliest, or the argmax (ties: lowest action index).
  private choose(
    allowed: readonly number[],
    rng: Rng | undefined,
    lookahead: number,
    state: EdgeGenerationState,
    N: number,
  ): number {
    if (allowed.length === 0)
      throw new ArbiterError('empty-mask', 'egs: no allowed edge in a running episode');
    const z = this.logits;
    if (rng) {
      const lse = logSumExpOver(z, allowed);
      let u = rng.random();
      for (const a of allowed) {
        u -= Math.exp(z[a]! - lse);
        if (u <= 0) return a;
      }
      return allowed[allowed.length - 1]!; // rounding left a sliver of probability
    }
    if (lookahead > 0) {
      const order = [...allowed].sort((x, y) => z[y]! - z[x]! || x - y).slice(0, lookahead);
      this.probe.load(state);
      return order.find((a) => this.probe.lowers(Math.floor(a / N), a % N)) ?? order[0]!;
    }
    return argmaxAmong(z, allowed);
  }

  // Logits of the graph `g` into this.logits (row stride N = env.maxNodes): of the listed actions
  // only, or of every pair (when the logits are reused for later steps).
  // With `only`, the network's last layer runs on the listed pairs' endpoints alone (the same
  // logits for them at a fraction of the attention; see GraphNetF32.encode).
  private run(g: GraphInput, N: number, only?: readonly number[]): void {
    if (this.logits.length < N * N) this.logits = new Float32Array(N * N);
    if (!only) {
      this.net.encode(g);
      this.net.pairLogits(g.numNodes, this.logits, N, 0);
      return;
    }
    const n = g.numNodes;
    if (this.rowMark.length < n) {
      this.rowMark = new Uint8Array(n);
      this.rows = new Int32Array(n);
    }
    const mark = this.rowMark;
    const rows = this.rows;
    let count = 0;
    for (const a of only) {
      const i = Math.floor(a / N);
      const j = a - i * N;
      if (!mark[i]) {
        mark[i] = 1;
        rows[count++] = i;
      }
      if (!mark[j]) {
        mark[j] = 1;
        rows[count++] = j;
      }
    }
    for (let p = 0; p < count; p++) mark[rows[p]!] = 0;
    this.net.encode(g, rows, count);
    this.net.pairLogitsAt(n, only, N, this.logits);
  }

  // listTimetables of the last task asked (the seed and the v2 list hint both need them; W only
  // saves a matching, so it is no part of the key).
  private listTimetablesOf(dag: Dag, deadline: number, width?: number): ReturnType<typeof listTimetables> {
    const last = this.lastLists;
    if (last && last.dag === dag && last.deadline === deadline) return last.lists;
    const lists = listTimetables(dag, deadline, width, this.loadBound(dag, deadline));
    this.lastLists = { dag, deadline, lists };
    return lists;
  }

  // One env per node count: the action space is Discrete(n²), so any DAG size works.
  private envFor(n: number): EgsEnv {
    let env = this.envs.get(n);
    if (!env) {
      env = new EgsEnv({
        maxNodes: Math.max(2, n),
        antichainOnly: this.antichainOnly,
        features: this.features,
      });
      // egsListHint's answer, from the timetables the heuristic seed uses too.
      env.useListHints((d, D) => listHintOf(d, bestOfListTimetables(this.listTimetablesOf(d, D))));
      this.envs.set(n, env);
    }
    return env;
  }
}

/** The source of an answer to a task that needed no decision. */
const AS_GIVEN = 'the task as given (no decision needed)';

/** Steps without a width drop after which the policy's continuation of a heuristic seed stops. */
const CONTINUATION_STALL_LIMIT = 16;

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new ArbiterError('invalid-option', `egs: ${name} must be an integer ≥ 1, got ${v}`);
  return v;
}

function logSumExpOver(logits: Float32Array, actions: readonly number[]): number {
  let max = -Infinity;
  for (const a of actions) if (logits[a]! > max) max = logits[a]!;
  let sum = 0;
  for (const a of actions) sum += Math.exp(logits[a]! - max);
  return max + Math.log(sum);
}
