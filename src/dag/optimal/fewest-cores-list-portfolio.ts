/**
 * The fewest cores on which some list schedule of a small portfolio meets D: the priority orders
 * of {@link makespanListSchedule} (LST, HLFET, LFT, EST, longest WCET) and its seeded random
 * perturbations, tried core count by core count. At a tight deadline (D = the best makespan
 * known on m cores) the fixed orders of `listsched` often need m + 1 cores where a perturbed order
 * meets D on m; this is the fewer-cores probe of `optimal`, packaged for the seed of `egs-search`.
 */
import type { AnalysisContext } from '../analysis/analysis-context.js';
import { TimeBudget } from '../schedule/time-budget.js';
import { withinDeadline } from '../time-tolerance.js';
import { makespanListSchedule, type MakespanListSchedule } from './makespan-list-schedule.js';

/** Options of {@link fewestCoresListPortfolio}. */
export interface FewestCoresListPortfolioOptions {
  /** Seed of the random perturbations (default 0; every core count starts from it). */
  seed?: number;
  /** Random rounds per core count (default 400, as `makespanListSchedule`). */
  rounds?: number;
  /** Wall-clock cap (default: a `new TimeBudget()`): once spent, no further schedule starts. */
  budget?: TimeBudget;
}

/** A timetable on `cores` cores that meets D, with the order that gave it. */
export type PortfolioSchedule = MakespanListSchedule;

/**
 * The list schedule on the fewest cores below `upper` that meets `ctx.timing.deadline`, or
 * `undefined` when none below `upper` does. Two passes: the fixed orders on k = lowerBound,
 * lowerBound + 1, … < upper (cheap; the first k found caps the second pass), then the seeded
 * random rounds on k = lowerBound, lowerBound + 1, … below that cap, until one meets D. Upwards,
 * because anomalies make "meets D" non-monotone in k (a descent that stops at the first failure
 * can miss a smaller k). Every k of the random pass draws from `new Rng(seed)` afresh, so with the
 * seed `makespanListSchedule` was given, k = m replays its m-core schedule; a result depends on
 * the seed only, unless `budget` cuts the search (then also on the machine's speed).
 */
export function fewestCoresListPortfolio(
  ctx: AnalysisContext,
  lowerBound: number,
  upper: number,
  options: FewestCoresListPortfolioOptions = {},
): PortfolioSchedule | undefined {
  const D = ctx.timing.deadline;
  const budget = options.budget ?? new TimeBudget();
  const meets = (s: MakespanListSchedule): boolean => withinDeadline(s.makespan, D);
  let best: PortfolioSchedule | undefined;
  const from = Math.max(1, lowerBound);
  for (let k = from; k < upper && !budget.expired; k++) {
    const s = makespanListSchedule(ctx, k, { rounds: 0, target: D, budget });
    if (meets(s)) {
      best = s;
      break;
    }
  }
  for (let k = from; k < (best?.cores ?? upper) && !budget.expired; k++) {
    const s = makespanListSchedule(ctx, k, {
      seed: options.seed ?? 0,
      rounds: options.rounds ?? 400,
      target: D,
      budget,
    });
    if (meets(s)) return s;
  }
  return best;
}
