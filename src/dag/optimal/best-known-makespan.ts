/**
 * PLACEHOLDER of the best makespan known for a DAG on m cores (the tight deadline D of the issue-16
 * EGS benchmark). Another helper writes the real version (an exact min-makespan MILP warm-started
 * from the heuristics); this one keeps its signature and answers with the heuristics alone: the
 * shortest simulated list schedule on m cores over the priority orders `listsched` and the
 * list-schedule incumbent use. Take the other version at merge.
 */
import { createAnalysisContext } from '../analysis/analysis-context.js';
import type { Dag } from '../dag-task.js';
import { he2019 } from '../schedule/he2019.js';
import { he2021 } from '../schedule/he2021.js';
import { listSchedule } from '../schedule/list-scheduler.js';
import { genericPriorities } from '../schedule/min-cores-list-schedule.js';
import { zhao2020 } from '../schedule/zhao2020.js';

/** The best makespan known on m cores, with the lower bound it is measured against. */
export interface BestKnownMakespan {
  /** The shortest makespan found on m cores (a feasible schedule has it). */
  makespan: number;
  /** Whether `makespan` is proved minimal (here: it equals `lowerBound`). */
  proven: boolean;
  /** A lower bound on the makespan on m cores: max(L, ⌈vol/m⌉) for integer WCETs. */
  lowerBound: number;
  /** What found `makespan` (here `list:<order>`, the winning priority order). */
  by: string;
}

/** Options of {@link bestKnownMakespan}. */
export interface BestKnownMakespanOptions {
  /** Solver time limit in seconds (unused by this placeholder). */
  timeLimitS?: number;
  /** Seed of any random choice (unused by this placeholder). */
  seed?: number;
}

/**
 * The best makespan known for `dag` on `m` cores. Placeholder (see the file comment): the
 * shortest list schedule over the LST, HLFET, He 2019, Zhao 2020, He 2021, LFT, EST and
 * longest-WCET-first orders; `proven` when it meets `max(L, ⌈vol/m⌉)` (the ceiling only when all
 * WCETs are integers).
 */
export async function bestKnownMakespan(
  dag: Dag,
  m: number,
  _options: BestKnownMakespanOptions = {},
): Promise<BestKnownMakespan> {
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`bestKnownMakespan: m must be an integer >= 1, got ${m}`);
  const ctx = createAnalysisContext(dag, undefined);
  const { timing } = ctx;
  const negWcet = Float64Array.from(dag.wcet, (c) => -c);
  const orders: { name: string; ranks: ArrayLike<number> }[] = [
    ...genericPriorities(ctx),
    ...[he2019, zhao2020, he2021].map((b) => ({ name: b.method, ranks: b.priority(ctx) })),
    { name: 'lft', ranks: timing.lft },
    { name: 'est', ranks: timing.est },
    { name: 'longest-wcet', ranks: negWcet },
  ];
  let best = { makespan: Infinity, by: '' };
  for (const o of orders) {
    const { makespan } = listSchedule(dag, m, o.ranks);
    if (makespan < best.makespan) best = { makespan, by: `list:${o.name}` };
  }
  const integer = dag.wcet.every((c) => Number.isInteger(c));
  const load = integer ? Math.ceil(timing.volume / m) : timing.volume / m;
  const lowerBound = Math.max(timing.criticalPath, load);
  return { ...best, proven: best.makespan <= lowerBound, lowerBound };
}
