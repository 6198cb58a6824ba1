/**
 * The TF-free scheduling methods by name: one analysis shared by every method of a task, and the
 * fixed order in which `--method all` reports them (the learned EGS methods are added a layer up,
 * in `src/deploy/schedule-method.ts`).
 */
import { ArbiterError, DeadlineInfeasibleError, ValidationError } from '../../core/errors.js';
import { createAnalysisContext, type AnalysisContext } from '../analysis/analysis-context.js';
import { coreLowerBound } from '../analysis/core-lower-bound.js';
import { widthFromClosure } from '../analysis/width.js';
import { deadlineProblem } from '../build-dag.js';
import type { Dag } from '../dag-task.js';
import { scheduleOptimal } from '../optimal/optimal-scheduler.js';
import { scheduleByBound, type BoundedPriorityMethod } from './bound-based-scheduler.js';
import { fallbackBudget, TimeBudget } from './time-budget.js';
import { incumbentAsEdgeGeneration, listScheduleIncumbent } from '../optimal/list-schedule-incumbent.js';
import { declinedResult } from './declined-result.js';
import { scheduleEgsGreedy } from './egs-greedy.js';
import { scheduleGraham } from './graham.js';
import { he2019 } from './he2019.js';
import { he2021 } from './he2021.js';
import { scheduleListSched } from './min-cores-list-schedule.js';
import type { MethodName, ScheduleResult } from './schedule-result.js';
import { zhao2020 } from './zhao2020.js';
import { withinDeadline } from '../time-tolerance.js';

/** The methods {@link scheduleDag} runs, in the order `all` reports them. */
export const SCHEDULE_METHODS = [
  'graham',
  'he2019',
  'zhao2020',
  'he2021',
  'listsched',
  'egs-greedy',
  'optimal',
] as const;

/** A method {@link scheduleDag} can run. */
export type ScheduleMethod = (typeof SCHEDULE_METHODS)[number];

/** The bound-based methods with their priority orders. */
export const BOUND_METHODS: readonly BoundedPriorityMethod[] = [he2019, zhao2020, he2021];

/** Options of {@link scheduleDag}. */
export interface ScheduleOptions {
  /** Deadline D; defaults to the task's own. */
  deadline?: number;
  /** `optimal`: time limit in seconds of the whole method, model building included (default 10). */
  timeLimitS?: number;
  /**
   * Every other method: wall-clock budget in seconds (default 60 s, `DEFAULT_TIME_BUDGET_S`); past
   * it a method returns its best answer so far or declines (`skipped`), as its note says.
   */
  budgetS?: number;
  /** Called before each method of {@link scheduleAllMethods} starts (progress reporting). */
  onMethodStart?: (method: ScheduleMethod, index: number, total: number) => void;
}

/** Whether a string names a method of {@link SCHEDULE_METHODS}. */
export function isScheduleMethod(name: string): name is ScheduleMethod {
  return (SCHEDULE_METHODS as readonly string[]).includes(name);
}

/**
 * Runs one scheduling method on a DAG task and returns its result with a concrete timetable
 * (or `feasible: false` for a bound-based method whose bound cannot prove D). Throws
 * {@link DeadlineInfeasibleError} when L > D and a {@link ValidationError} when there is no deadline.
 */
export async function scheduleDag(
  dag: Dag,
  method: ScheduleMethod,
  options: ScheduleOptions = {},
): Promise<ScheduleResult> {
  const prepared = prepare(dag, options.deadline);
  // `optimal` starts from the best heuristic timetable, so it never answers worse than listsched.
  const warm = method === 'optimal' ? [await runMethod(prepared, 'listsched', options)] : [];
  return runMethod(prepared, method, options, warm);
}

/**
 * Runs every method of {@link SCHEDULE_METHODS} on one task, sharing the analysis. A method that
 * fails with an error does not cost the others' results: its entry declines (`skipped`) with the
 * error's message.
 */
export async function scheduleAllMethods(dag: Dag, options: ScheduleOptions = {}): Promise<ScheduleResult[]> {
  const prepared = prepare(dag, options.deadline);
  const results: ScheduleResult[] = [];
  for (const [k, m] of SCHEDULE_METHODS.entries()) {
    options.onMethodStart?.(m, k, SCHEDULE_METHODS.length);
    const t0 = performance.now();
    try {
      results.push(await runMethod(prepared, m, options, results));
    } catch (e) {
      if (!(e instanceof Error) || e instanceof DeadlineInfeasibleError) throw e;
      results.push(
        declinedResult(
          m,
          prepared.ctx.timing.deadline,
          prepared.lowerBound,
          performance.now() - t0,
          `failed: ${e.message}`,
        ),
      );
    }
  }
  return results;
}

interface Prepared {
  ctx: AnalysisContext;
  lowerBound: number;
  width: number;
}

function prepare(dag: Dag, deadline: number | undefined): Prepared {
  const D = deadline ?? dag.deadline;
  if (D === undefined) {
    throw new ValidationError('deadline', 'the task has no deadline; give one (--deadline D)', {
      ...(dag.source !== undefined && { file: dag.source }),
      item: 'deadline',
    });
  }
  const problem = deadlineProblem(D);
  if (problem !== undefined) throw new ValidationError('deadline', problem, { item: 'deadline' });
  const ctx = createAnalysisContext(dag, D);
  if (!withinDeadline(ctx.timing.criticalPath, D))
    throw new DeadlineInfeasibleError(ctx.timing.criticalPath, D, dag.name);
  const lowerBound = coreLowerBound(dag, D, ctx.timing).lowerBound;
  return { ctx, lowerBound, width: widthFromClosure(ctx.reach).width };
}

/** `earlier`: results of other methods on the task, the warm starts of `optimal`. */
async function runMethod(
  p: Prepared,
  method: MethodName,
  options: ScheduleOptions,
  earlier: readonly ScheduleResult[] = [],
): Promise<ScheduleResult> {
  const { ctx, lowerBound, width } = p;
  const budget = (): TimeBudget => new TimeBudget(options.budgetS);
  switch (method) {
    case 'graham':
      return scheduleGraham(ctx, lowerBound);
    case 'he2019':
      return scheduleByBound(ctx, he2019, lowerBound, budget());
    case 'zhao2020':
      return scheduleByBound(ctx, zhao2020, lowerBound, budget());
    case 'he2021':
      return scheduleByBound(ctx, he2021, lowerBound, budget());
    case 'listsched':
      return scheduleListSched(ctx, lowerBound, width, BOUND_METHODS, budget());
    case 'egs-greedy':
      return scheduleEgsGreedy(ctx, lowerBound, {
        ...(options.budgetS !== undefined && { timeBudgetS: options.budgetS }),
        fallback: () =>
          incumbentAsEdgeGeneration(
            ctx.dag,
            ctx.reach,
            listScheduleIncumbent(ctx.dag, ctx.timing, lowerBound, fallbackBudget(options.budgetS)),
            'egs-greedy',
            lowerBound,
            ctx.timing.deadline,
          ),
      });
    case 'optimal':
      return scheduleOptimal(ctx.dag, {
        deadline: ctx.timing.deadline,
        warmStarts: earlier,
        ...(options.timeLimitS !== undefined && { timeLimitS: options.timeLimitS }),
      });
    default:
      throw new ArbiterError(
        'unknown-method',
        `method '${method}' is not available (use one of ${SCHEDULE_METHODS.join(', ')})`,
      );
  }
}
