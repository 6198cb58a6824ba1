/**
 * The token need of sibling tasks (the "ideal ratio of task times" of SPEC §7), by slack
 * reclamation: under uniform sharing every running PE would get `k0 = 100 / N` tokens (N running
 * PEs on the SoC). Sibling u needs `r_u` more time at full power and is followed by a path of
 * estimated length `tail_u`, so at `k` tokens its path ends at `P_u(k) = r_u / (k / 100)^α + tail_u`.
 * The critical sibling sets the target `T* = max_u P_u(k0)`; every sibling needs only the tokens
 * that end its path by T*: `k_u = 100 · (r_u / (T* − tail_u))^(1/α)`, i.e. the fraction
 * `ρ_u = k_u / k0 ≤ 1` of the uniform share (1 for the critical sibling). Tokens a non-critical
 * sibling leaves go, through the proportional scaling, to everyone else (its critical sibling
 * included) — the classic real-time slack reclamation.
 */

/**
 * Writes into `out` each sibling's fraction ρ_u ∈ (0, 1] of the uniform share, given the time each
 * needs at full power (`remaining`, ≥ 0), its estimated tail (`tail`, ≥ 0), α ∈ (0, 1] and the
 * number of running PEs N. Returns T* (relative to now).
 */
export function neededTokenFractions(
  remaining: ArrayLike<number>,
  tail: ArrayLike<number>,
  alpha: number,
  runningPes: number,
  out: Float64Array,
): number {
  const n = remaining.length;
  const k0 = 1 / Math.max(1, runningPes); // uniform share as a fraction of the envelope
  const slow = Math.pow(k0, -alpha); // time stretch at the uniform share
  let target = 0;
  for (let u = 0; u < n; u++) target = Math.max(target, remaining[u]! * slow + tail[u]!);
  for (let u = 0; u < n; u++) {
    const r = remaining[u]!;
    const room = target - tail[u]!;
    const k = r > 0 && room > 0 ? Math.pow(r / room, 1 / alpha) : 0;
    out[u] = Math.min(1, k / k0);
  }
  return target;
}
