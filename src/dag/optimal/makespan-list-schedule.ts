/**
 * The shortest list schedule found on m cores: every generic priority order plus seeded random
 * perturbations of them, each as the ASAP timetable of its core sequences. The upper bound of
 * `bestKnownMakespan` and the fewer-cores probe of `optimal`.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { Rng } from '../../core/rng.js';
import { listSchedule } from '../schedule/list-scheduler.js';
import { genericPriorities } from '../schedule/min-cores-list-schedule.js';
import { ranksFromKeys } from '../schedule/priority-order.js';
import { TimeBudget } from '../schedule/time-budget.js';
import { timeLeq } from '../time-tolerance.js';
import { chainMakespan, chainTimetable, type ChainTimetable } from './chain-timetable.js';

/** Most randomised list schedules tried by default. */
const RANDOM_ROUNDS = 400;

/** Options of {@link makespanListSchedule}. */
export interface MakespanListScheduleOptions {
  /** Seed of the random perturbations (default 0). */
  seed?: number;
  /** Most random rounds (default 400). */
  rounds?: number;
  /** Wall-clock limit of the random rounds, in seconds (default: none beyond `budget`). */
  randomBudgetS?: number;
  /** The caller's budget: once spent, no further round starts. */
  budget?: TimeBudget;
  /** Stop as soon as a timetable's makespan is ≤ this (default: run every round). */
  target?: number;
}

/** A timetable with its core sequences and the order that gave it. */
export interface MakespanListSchedule extends ChainTimetable {
  /** Busy nodes of each core, in start order. */
  chains: number[][];
  /** `list:<order>` or `list:random`. */
  by: string;
}

/**
 * The list schedule with the smallest makespan on m cores over: the generic orders (`lst`,
 * `hlfet` of `genericPriorities`), LFT and EST ascending, longest WCET first, then up to `rounds`
 * random perturbations (seeded): HLFET or LST keys plus uniform noise of a random amplitude up to
 * 0.3·L, so ties and near-ties are broken every way. Each simulated schedule is replaced by the
 * ASAP timetable of its core sequences, which is never longer. O(rounds · (n + e) log n).
 */
export function makespanListSchedule(
  ctx: AnalysisContext,
  m: number,
  options: MakespanListScheduleOptions = {},
): MakespanListSchedule {
  const { dag, timing } = ctx;
  const orders = genericPriorities(ctx);
  orders.push(
    { name: 'lft', ranks: ranksFromKeys(timing.lft, 'ascending') },
    { name: 'est', ranks: ranksFromKeys(timing.est, 'ascending') },
    { name: 'wcet', ranks: ranksFromKeys(dag.wcet, 'descending') },
  );
  let best: MakespanListSchedule | undefined;
  const reached = (): boolean =>
    best !== undefined && options.target !== undefined && timeLeq(best.makespan, options.target);
  const offer = (ranks: Int32Array, by: string): void => {
    const sim = listSchedule(dag, m, ranks);
    const chains: number[][] = Array.from({ length: m }, () => []);
    const order = Array.from({ length: dag.n }, (_, v) => v).sort(
      (a, b) => sim.start[a]! - sim.start[b]! || a - b,
    );
    for (const v of order) if (dag.wcet[v]! > 0) chains[sim.core[v]!]!.push(v);
    const used = chains.filter((c) => c.length > 0);
    // The makespan first: most rounds lose, and building a timetable costs more than timing it.
    const makespan = chainMakespan(dag, used);
    if (makespan === undefined || (best && !(makespan < best.makespan))) return;
    const table = chainTimetable(dag, used);
    if (table) best = { ...table, chains: used, by };
  };
  for (const o of orders) {
    offer(o.ranks, `list:${o.name}`);
    if (reached()) return best!;
  }
  const rng = new Rng(options.seed ?? 0);
  const tail = Float64Array.from(timing.lst, (l) => timing.deadline - l);
  const randomEnd = new TimeBudget(options.randomBudgetS ?? Infinity);
  const key = new Float64Array(dag.n);
  const rounds = options.rounds ?? RANDOM_ROUNDS;
  for (let r = 0; r < rounds && !reached() && !randomEnd.expired && !options.budget?.expired; r++) {
    const noise = rng.uniform(0, 0.3) * Math.max(1, timing.criticalPath);
    const useTail = r % 2 === 0;
    for (let v = 0; v < dag.n; v++) key[v] = (useTail ? -tail[v]! : timing.lst[v]!) + noise * rng.random();
    offer(ranksFromKeys(key, 'ascending'), 'list:random');
  }
  return best!;
}
