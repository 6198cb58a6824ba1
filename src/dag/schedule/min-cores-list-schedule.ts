/**
 * The `listsched` scheduling method: the fewest cores on which simulated list scheduling meets D with
 * the best of several priority orders. It proves its timetable under static-order dispatch only,
 * not under dynamic list dispatch (see {@link scheduleListSched}).
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import type { BoundedPriorityMethod } from './bound-based-scheduler.js';
import { staticOrderGuarantee } from './dispatch-guarantee.js';
import { listSchedule, type SimulatedSchedule } from './list-scheduler.js';
import { ranksFromKeys } from './priority-order.js';
import type { ScheduleResult } from './schedule-result.js';
import { withinDeadline } from '../time-tolerance.js';
import { TimeBudget } from './time-budget.js';

/** A named priority order tried by {@link scheduleListSched}. */
export interface NamedPriority {
  name: string;
  ranks: Int32Array;
}

/**
 * The generic priority orders: earliest LST first (deadline-monotonic on the node windows) and
 * longest remaining path first (HLFET).
 */
export function genericPriorities(ctx: AnalysisContext): NamedPriority[] {
  const { timing } = ctx;
  const tail = new Float64Array(ctx.dag.n);
  for (let v = 0; v < ctx.dag.n; v++) tail[v] = timing.deadline - timing.lst[v]!; // = C(v) + longest path after v
  return [
    { name: 'lst', ranks: ranksFromKeys(timing.lst, 'ascending') },
    { name: 'hlfet', ranks: ranksFromKeys(tail, 'descending') },
  ];
}

/**
 * `listsched`: the minimum M for which *simulated* non-preemptive list scheduling under
 * WCETs meets D with the best of several priority orders (the generic ones and those of the
 * bound-based methods). What it proves: its timetable dispatched in static order meets D for any
 * execution times ≤ WCET (M cores). What it does not: dynamic list dispatch with the same order
 * on M cores was only simulated at WCET (timing anomalies possible). M = W(G) always works, since
 * the running and ready nodes of a list schedule always form an antichain. Once `budget` is
 * spent the scan jumps to m = W (the answer so far; the note says so).
 */
export function scheduleListSched(
  ctx: AnalysisContext,
  lowerBound: number,
  width: number,
  methods: readonly BoundedPriorityMethod[] = [],
  budget: TimeBudget = new TimeBudget(),
): ScheduleResult {
  const t0 = performance.now();
  const { dag, timing } = ctx;
  const D = timing.deadline;
  const orders = [
    ...genericPriorities(ctx),
    ...methods.map((m) => ({ name: m.method, ranks: m.priority(ctx) })),
  ];
  let found: { sim: SimulatedSchedule; order: string } | undefined;
  let outOfTime = false;
  for (let m = Math.max(1, Math.min(lowerBound, width)); m <= width && !found; m++) {
    if (budget.expired && m < width) {
      // W cores always suffice, whatever the order: the answer so far.
      outOfTime = true;
      m = width;
    }
    for (const o of orders) {
      const sim = listSchedule(dag, m, o.ranks);
      if (withinDeadline(sim.makespan, D)) {
        found = { sim, order: o.name };
        break;
      }
    }
  }
  if (!found) throw new Error(`listsched: no order met D on W = ${width} cores (internal error)`);
  return {
    method: 'listsched',
    cores: found.sim.coresUsed,
    feasible: true,
    deadline: D,
    makespan: found.sim.makespan,
    schedule: found.sim.schedule,
    addedEdges: [],
    lowerBound,
    timeMs: performance.now() - t0,
    guarantee: 'structural',
    guarantees: [staticOrderGuarantee(found.sim.coresUsed, found.sim.makespan)],
    note:
      `list schedule under WCETs with the '${found.order}' order: proved for static-order dispatch; under dynamic list dispatch only simulated at WCET (timing anomalies possible)` +
      (outOfTime ? `; time budget of ${budget.seconds} s reached, so W = ${width} cores (best so far)` : ''),
  };
}
