/**
 * Wall-clock budgets of the scheduling methods, checked between units of work so that a method past
 * its budget returns its best answer so far (or declines) instead of running on.
 */
import { ArbiterError } from '../../core/errors.js';

/** Default wall-clock budget of one scheduling method, in seconds (`arbiter schedule --budget`). */
export const DEFAULT_TIME_BUDGET_S = 60;

/**
 * A method's wall-clock budget, checked between units of work (one core count, one edge, one
 * episode): past it a method returns its best answer so far, or declines with `skipped`.
 */
export class TimeBudget {
  /** The budget in seconds. */
  readonly seconds: number;
  private readonly endMs: number;

  /** @param seconds - budget (≥ 0, 0: spent at once; default {@link DEFAULT_TIME_BUDGET_S}), counted from now */
  constructor(seconds: number = DEFAULT_TIME_BUDGET_S) {
    if (!(seconds >= 0))
      throw new ArbiterError(
        'invalid-option',
        `a time budget must be a number of seconds ≥ 0, got ${seconds}`,
      );
    this.seconds = seconds;
    this.endMs = performance.now() + seconds * 1000;
  }

  /** Whether the budget is spent. */
  get expired(): boolean {
    return performance.now() >= this.endMs;
  }

  /** Seconds left (0 once spent). */
  get remainingS(): number {
    return Math.max(0, (this.endMs - performance.now()) / 1000);
  }

  /** A budget of `seconds` from now that ends no later than this one (a stage's share of it). */
  within(seconds: number): TimeBudget {
    return new TimeBudget(Math.min(seconds, this.remainingS));
  }
}

/**
 * The budget of the fallback a search method computes once its own budget is spent (a list
 * schedule's core sequences): a quarter of the method's budget, at least 0.5 s, so a cut-short
 * method ends within 1.25× its budget.
 */
export function fallbackBudget(methodBudgetS: number = DEFAULT_TIME_BUDGET_S): TimeBudget {
  return new TimeBudget(Math.max(0.5, 0.25 * methodBudgetS));
}
