/**
 * The one tolerance for comparing times (WCETs, finishes, makespans, critical paths, bounds,
 * deadlines) in every analysis, scheduler and the schedule checker. Times are sums of WCETs, and a
 * sum of k doubles is off by at most about k·2⁻⁵³ relative, so values equal in exact arithmetic may
 * differ in their last bits (`0.1 + 0.2` vs `0.3`). Two times count as equal when they differ by
 * at most {@link TIME_EPS} relative to the larger magnitude involved; the test is exact at 0 and
 * never holds for a non-finite value against a finite one.
 */

/** Relative tolerance of every time comparison (see the module comment). */
export const TIME_EPS = 1e-9;

/**
 * `a ≤ b` up to {@link TIME_EPS}: true when `a ≤ b` or `a − b ≤ TIME_EPS · max(|a|, |b|, scale)`.
 * `scale` widens the tolerance to the horizon the times were computed from (pass D for times
 * obtained by subtracting from D, such as latest start times); it never narrows it, and a
 * non-finite scale is ignored.
 */
export function timeLeq(a: number, b: number, scale = 0): boolean {
  if (a <= b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const s = Number.isFinite(scale) ? Math.abs(scale) : 0;
  return a - b <= TIME_EPS * Math.max(Math.abs(a), Math.abs(b), s);
}

/** `a < b` beyond {@link TIME_EPS}: the negation of `timeLeq(b, a, scale)`. */
export function timeLt(a: number, b: number, scale = 0): boolean {
  return !timeLeq(b, a, scale);
}

/** `a = b` up to {@link TIME_EPS} (see {@link timeLeq}). */
export function timeEq(a: number, b: number, scale = 0): boolean {
  return timeLeq(a, b, scale) && timeLeq(b, a, scale);
}

/** Whether a finish time, makespan, critical path or response-time bound `t` meets deadline `D`. */
export function withinDeadline(t: number, D: number): boolean {
  return timeLeq(t, D);
}

/**
 * `⌈x⌉` of a value computed from times (a core count `vol/D`, a time `I/m`), except that an
 * excess of at most `TIME_EPS · max(1, |x|)` over an integer is rounding noise and is dropped.
 */
export function ceilTolerant(x: number): number {
  return Math.ceil(x - TIME_EPS * Math.max(1, Math.abs(x)));
}

/**
 * Margin of the rounding of a *lower* bound on cores (`⌈load⌉`): 10³ · {@link TIME_EPS}, wider
 * than the time tolerance so that (a) a bound never contradicts a deadline met within TIME_EPS
 * and (b) it covers the error of a load over a short window (work and window length both carry
 * an absolute rounding error of the order of n·2⁻⁵³·D). A lower bound may only be understated.
 */
export const LOWER_BOUND_MARGIN = 1e3 * TIME_EPS;

/**
 * `⌈x⌉` for a lower bound on cores: an excess of at most `LOWER_BOUND_MARGIN · max(1, x)` over an
 * integer is dropped (relative, like the time tolerance, so it holds for any core count).
 */
export function ceilLowerBound(x: number): number {
  return Math.ceil(x - LOWER_BOUND_MARGIN * Math.max(1, Math.abs(x)));
}

/**
 * Largest WCET sum `vol(G)` and deadline Arbiter accepts: 2⁵³ − 1 (`Number.MAX_SAFE_INTEGER`).
 * Below it, integer times and their sums are exact, and products with core counts cannot overflow.
 */
export const MAX_TIME = Number.MAX_SAFE_INTEGER;
