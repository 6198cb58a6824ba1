/**
 * The incumbent of the exact and search methods: the fewest cores on which simulated list scheduling
 * meets D over a few priority orders, as core chains. It is the MIP start of `optimal` and the
 * fallback of methods whose budget runs out.
 */
import type { Timing } from '../analysis/timing.js';
import type { BitMatrix } from '../bit-matrix.js';
import type { Dag, NodeId } from '../dag-task.js';
import { listSchedule } from '../schedule/list-scheduler.js';
import type { MethodName, ScheduleResult } from '../schedule/schedule-result.js';
import type { TimeBudget } from '../schedule/time-budget.js';
import { timetableGuarantees } from '../schedule/dispatch-guarantee.js';
import { withinDeadline } from '../time-tolerance.js';
import { chainTimetable, type ChainTimetable } from './chain-timetable.js';

/** A timetable with the core sequences it came from. */
export interface Incumbent extends ChainTimetable {
  /** Busy nodes of each core, in start order. */
  chains: number[][];
}

/**
 * The fewest cores on which simulated list scheduling meets D, over a few priority orders
 * (LST, LFT, EST ascending; longest WCET first), as core chains with their ASAP timetable.
 * Starts from one core per busy node (always meets D since L ≤ D); m is scanned from `lowerBound`
 * while `budget` lasts (then the best found so far).
 */
export function listScheduleIncumbent(
  dag: Dag,
  timing: Timing,
  lowerBound: number,
  budget: TimeBudget,
): Incumbent {
  const { n, wcet } = dag;
  const D = timing.deadline;
  const singles: number[][] = [];
  for (let v = 0; v < n; v++) if (wcet[v]! > 0) singles.push([v]);
  let best = withChains(dag, singles);
  const negWcet = Float64Array.from(wcet, (c) => -c);
  for (const key of [timing.lst, timing.lft, timing.est, negWcet]) {
    // Anomalies make "meets D" non-monotone in m, so scan upwards.
    for (let m = Math.max(1, lowerBound); m < best.cores && !budget.expired; m++) {
      const sim = listSchedule(dag, m, key);
      if (!withinDeadline(sim.makespan, D)) continue;
      const chains = chainsOf(dag, sim.core, sim.start, m);
      const table = withChains(dag, chains);
      if (table.cores < best.cores && withinDeadline(table.makespan, D)) best = table;
      break;
    }
  }
  return best;
}

function withChains(dag: Dag, chains: number[][]): Incumbent {
  const table = chainTimetable(dag, chains);
  // Chains read from a valid schedule never contradict the DAG.
  if (!table) throw new Error('optimal: internal error, incumbent chains contradict the DAG');
  return { ...table, chains };
}

/** Busy nodes of each core of a simulated schedule, in start order; empty cores dropped. */
function chainsOf(dag: Dag, core: Int32Array, start: Float64Array, m: number): number[][] {
  const chains: number[][] = Array.from({ length: m }, () => []);
  for (let v = 0; v < dag.n; v++) if (dag.wcet[v]! > 0) chains[core[v]!]!.push(v);
  for (const c of chains) c.sort((a, b) => start[a]! - start[b]! || a - b);
  return chains.filter((c) => c.length > 0);
}

/**
 * An incumbent as the answer of an edge-generation method (`structural`): its core sequences are
 * edges added to G (the consecutive pairs not already ordered by `reach`, the closure of G), and
 * its ASAP timetable is the one-chain-per-core schedule of that G′, so `L(G′) ≤ D` exactly when
 * the timetable meets D. The fallback of `egs-greedy`, `egs` and `egs-search` when their budget
 * cuts the search short far above a list schedule's core count.
 */
export function incumbentAsEdgeGeneration(
  dag: Dag,
  reach: BitMatrix,
  incumbent: Incumbent,
  method: MethodName,
  lowerBound: number,
  deadline: number,
): ScheduleResult {
  const ids = dag.ids;
  const addedEdges: [NodeId, NodeId][] = [];
  for (const chain of incumbent.chains)
    for (let k = 0; k + 1 < chain.length; k++)
      if (!reach.has(chain[k]!, chain[k + 1]!)) addedEdges.push([ids[chain[k]!]!, ids[chain[k + 1]!]!]);
  const feasible = withinDeadline(incumbent.makespan, deadline);
  return {
    method,
    cores: incumbent.cores,
    feasible,
    deadline,
    makespan: incumbent.makespan,
    schedule: incumbent.schedule,
    addedEdges,
    lowerBound,
    timeMs: 0,
    guarantee: 'structural',
    guarantees: timetableGuarantees(feasible, incumbent.cores, incumbent.makespan),
  };
}
