/**
 * The set `{x ∈ [0, 1] : g(x) ≥ target}` of a monotone function g, found by bisection and rounded
 * outwards so that the interval returned always contains the exact one (sound inference).
 */

/** Bisection steps: 2^-52 of the unit interval, the resolution of a double near 1. */
const STEPS = 52;
/** Slack on the comparison, so that rounding in g never excludes the true value. */
const SLACK = 1e-12;

/**
 * Writes into `out = [lo, hi]` the interval of x ∈ [0, 1] where `g(x) ≥ target` (or `≤ target`
 * when `atMost`), for g monotone on [0, 1] (either direction). An empty set is written as
 * `[1, 0]`.
 */
export function monotoneThreshold(
  g: (x: number) => number,
  target: number,
  atMost: boolean,
  out: Float64Array,
): void {
  const ok = atMost
    ? (x: number): boolean => g(x) <= target + SLACK
    : (x: number): boolean => g(x) >= target - SLACK;
  const at0 = ok(0);
  const at1 = ok(1);
  if (at0 && at1) {
    out[0] = 0;
    out[1] = 1;
    return;
  }
  if (!at0 && !at1) {
    out[0] = 1;
    out[1] = 0;
    return;
  }
  // Invariant: ok(good) && !ok(bad); the boundary lies between them.
  let good = at0 ? 0 : 1;
  let bad = at0 ? 1 : 0;
  for (let s = 0; s < STEPS; s++) {
    const mid = 0.5 * (good + bad);
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  // Round outwards: keep the bad end, which lies beyond the true boundary.
  if (at0) {
    out[0] = 0;
    out[1] = bad;
  } else {
    out[0] = bad;
    out[1] = 1;
  }
}
