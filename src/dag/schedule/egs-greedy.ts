/**
 * The `egs-greedy` scheduling method: non-learned edge generation that adds edges inside the current
 * maximum antichain to lower the width while L ≤ D holds, the baseline for the learned EGS policy.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { EdgeGenerationState } from '../edge-generation/edge-generation-state.js';
import { WidthDropProbe } from '../edge-generation/width-drop-probe.js';
import { chainSchedule } from './chain-schedule.js';
import { timetableGuarantees } from './dispatch-guarantee.js';
import type { ScheduleResult } from './schedule-result.js';
import { withinDeadline } from '../time-tolerance.js';
import { TimeBudget } from './time-budget.js';

/** Options of {@link scheduleEgsGreedy}. */
export interface EgsGreedyOptions {
  /** How many of the widest-slack candidate edges are tried per step (lookahead on W). Default 24. */
  lookahead?: number;
  /** Stop once W ≤ this core count. Default: the lower bound. */
  targetCores?: number;
  /**
   * Wall-clock budget in seconds (default {@link DEFAULT_TIME_BUDGET_S}): once spent, no more
   * edges are added and the chain cover of the graph so far is the answer (every prefix of the
   * edge sequence is a valid answer, only with more cores); the result's note says so.
   */
  timeBudgetS?: number;
  /**
   * Called when the budget cut the search short: another valid edge-generation answer (e.g. a
   * list schedule's core sequences), kept instead when it meets D on fewer cores.
   */
  fallback?: () => ScheduleResult;
}

/**
 * `egs-greedy`: non-learned edge generation. While W(G') is above the lower bound,
 * take the valid edges between two nodes of the current maximum antichain (edges elsewhere cannot
 * lower W), try the `lookahead` ones with the most slack `LST(j) − EFT(i)`, and add the first
 * that lowers W (else the one with most slack). Stops when no valid antichain edge is left. The
 * timetable is one chain per core of a minimum chain cover of G', each node at its EST in G';
 * since every added edge satisfies `EFT(i) ≤ LST(j)`, `L(G') ≤ D` always holds.
 * W, the antichain and the lookahead come from one {@link WidthDropProbe} kept up to date as
 * edges are added (a warm matching, no copy of the graph state per tried edge).
 */
export function scheduleEgsGreedy(
  ctx: AnalysisContext,
  lowerBound: number,
  options: EgsGreedyOptions = {},
): ScheduleResult {
  const t0 = performance.now();
  const D = ctx.timing.deadline;
  const lookahead = options.lookahead ?? 24;
  const target = Math.max(lowerBound, options.targetCores ?? lowerBound);
  const state = new EdgeGenerationState(ctx.dag, D);
  const probe = new WidthDropProbe();
  const antichain: number[] = [];
  const budget = new TimeBudget(options.timeBudgetS);
  let width = probe.load(state);
  const top = new TopCandidates(lookahead);
  let outOfTime = false;
  while (width > target) {
    if (budget.expired) {
      outOfTime = true;
      break;
    }
    // Only the `lookahead` best candidates are needed, and an antichain of thousands of nodes
    // has millions of edges. Within an antichain every pair is incomparable, so validity and
    // rank depend on EFT(i) and LST(j) alone: the best k pairs use only the k + 1 earliest-
    // finishing sources and the k + 1 latest-starting targets (ties by index, as the full order).
    probe.antichain(antichain);
    const k = top.capacity + 1;
    const sources = smallest(antichain, k, (a, b) => state.eft[a]! - state.eft[b]! || a - b);
    const targets = smallest(antichain, k, (a, b) => state.lst[b]! - state.lst[a]! || a - b);
    top.clear();
    for (const i of sources)
      for (const j of targets) if (state.isValid(i, j)) top.offer(i, j, state.lst[j]! - state.eft[i]!);
    if (top.size === 0) break;
    // Lookahead: prefer an edge that lowers W right away (merging two antichain nodes may not).
    let chosen = 0;
    while (chosen < top.size && !probe.lowers(top.i[chosen]!, top.j[chosen]!)) chosen++;
    if (chosen === top.size) chosen = 0;
    state.addEdge(top.i[chosen]!, top.j[chosen]!);
    width = probe.load(state, true);
  }
  // The chain cover of the final graph from the probe's matching, maximum for it (no second
  // matching from scratch, which costs seconds at 10,000 nodes).
  const chains = probe.chains();
  const { schedule, makespan } = chainSchedule(ctx.dag, state.est, chains);
  const ids = ctx.dag.ids;
  const feasible = withinDeadline(makespan, D);
  const result: ScheduleResult = {
    method: 'egs-greedy',
    cores: chains.length,
    feasible,
    deadline: D,
    makespan,
    schedule,
    addedEdges: state.added.map(([a, b]) => [ids[a]!, ids[b]!]),
    lowerBound,
    timeMs: performance.now() - t0,
    guarantee: 'structural',
    guarantees: timetableGuarantees(feasible, chains.length, makespan),
  };
  if (!outOfTime) return result;
  const cut =
    `time budget of ${budget.seconds} s reached after ${state.added.length} edges ` +
    `(W = ${chains.length}, lower bound ${lowerBound})`;
  const other = options.fallback?.();
  if (other && other.feasible && other.cores < result.cores)
    return {
      ...other,
      method: 'egs-greedy',
      timeMs: performance.now() - t0,
      note: `${cut}; the fallback's ${other.cores} cores kept: best so far`,
    };
  return { ...result, timeMs: performance.now() - t0, note: `${cut}: best so far` };
}

/**
 * The `k` best candidate edges seen, best first: most slack, then smallest i, then smallest j
 * (the order of a full sort of all candidates), kept by insertion into k slots.
 */
class TopCandidates {
  /** How many candidates are kept. */
  readonly capacity: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  private readonly slack: Float64Array;
  size = 0;

  constructor(k: number) {
    this.capacity = Math.max(1, k);
    this.i = new Int32Array(Math.max(1, k));
    this.j = new Int32Array(Math.max(1, k));
    this.slack = new Float64Array(Math.max(1, k));
  }

  clear(): void {
    this.size = 0;
  }

  offer(i: number, j: number, slack: number): void {
    const cap = this.i.length;
    let p = this.size;
    // Walk up past every kept candidate that ranks below the new one.
    while (p > 0 && this.worse(p - 1, i, j, slack)) p--;
    if (p >= cap) return;
    const last = Math.min(this.size, cap - 1);
    this.i.copyWithin(p + 1, p, last);
    this.j.copyWithin(p + 1, p, last);
    this.slack.copyWithin(p + 1, p, last);
    this.i[p] = i;
    this.j[p] = j;
    this.slack[p] = slack;
    if (this.size < cap) this.size++;
  }

  // Whether kept candidate q ranks below (i, j, slack).
  private worse(q: number, i: number, j: number, slack: number): boolean {
    const s = this.slack[q]!;
    return s < slack || (s === slack && (this.i[q]! > i || (this.i[q] === i && this.j[q]! > j)));
  }
}

/** The `k` first items of `items` under `order`, in that order (a copy; `items` is unchanged). */
function smallest(items: readonly number[], k: number, order: (a: number, b: number) => number): number[] {
  return [...items].sort(order).slice(0, k);
}
