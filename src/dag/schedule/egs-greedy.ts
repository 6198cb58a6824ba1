import type { AnalysisContext } from '../analysis/analysis-context.js';
import { EdgeGenerationState } from '../edge-generation/edge-generation-state.js';
import { WidthDropProbe } from '../edge-generation/width-drop-probe.js';
import { chainSchedule } from './chain-schedule.js';
import { timetableGuarantees } from './dispatch-guarantee.js';
import type { ScheduleResult } from './schedule-result.js';
import { withinDeadline } from '../time-tolerance.js';

/** Options of {@link scheduleEgsGreedy}. */
export interface EgsGreedyOptions {
  /** How many of the widest-slack candidate edges are tried per step (lookahead on W). Default 24. */
  lookahead?: number;
  /** Stop once W ≤ this core count. Default: the lower bound. */
  targetCores?: number;
}

/**
 * `egs-greedy` (SPEC §3/§4): non-learned edge generation. While W(G') is above the lower bound,
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
  let width = probe.load(state);
  while (width > target) {
    const candidates: { i: number; j: number; slack: number }[] = [];
    for (const i of probe.antichain(antichain)) {
      for (const j of antichain) {
        if (state.isValid(i, j)) candidates.push({ i, j, slack: state.lst[j]! - state.eft[i]! });
      }
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => b.slack - a.slack || a.i - b.i || a.j - b.j);
    // Lookahead: prefer an edge that lowers W right away (merging two antichain nodes may not).
    const chosen = candidates.slice(0, lookahead).find((c) => probe.lowers(c.i, c.j)) ?? candidates[0]!;
    state.addEdge(chosen.i, chosen.j);
    width = probe.load(state, true);
  }
  const w = state.width(); // the chain cover of the final graph (as before: one Hopcroft–Karp)
  const { schedule, makespan } = chainSchedule(ctx.dag, state.est, w.chains);
  const ids = ctx.dag.ids;
  const feasible = withinDeadline(makespan, D);
  return {
    method: 'egs-greedy',
    cores: w.chains.length,
    feasible,
    deadline: D,
    makespan,
    schedule,
    addedEdges: state.added.map(([a, b]) => [ids[a]!, ids[b]!]),
    lowerBound,
    timeMs: performance.now() - t0,
    guarantee: 'structural',
    guarantees: timetableGuarantees(feasible, w.chains.length, makespan),
  };
}
