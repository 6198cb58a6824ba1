/**
 * The token need of sibling tasks (the "ideal ratio of task times" of the HSoC design): the peak of the
 * agents' `Slack` predicate. Siblings of one DAG job split their own uniform shares so that their
 * paths end together (the seed's sub-deadline balancing). Plain slack reclamation (a non-critical
 * sibling asks less, the rest goes to every running PE by the proportional scaling) was tried
 * first and dropped: the freed tokens leaked to other DAGs and the learned rules could not use it.
 */

/**
 * The seed's `Slack` peak (sub-deadline balancing) for the n running siblings of one DAG job: they
 * hold n uniform shares (`n / N` of the envelope, N running PEs) and split them so that every
 * sibling's path ends at the same time T, `r_u / k_u^α + N^α · tail_u = T` with `Σ k_u = n / N`
 * (k as fractions of the envelope; the path after a sibling is assumed to run at the uniform share,
 * hence its full-power time stretched by `N^α`): the completion times stand in the ratio of their
 * sub-deadlines. Unlike plain slack reclamation, the tokens a non-critical sibling gives up go
 * to its critical sibling instead of leaking to every running PE. Writes each sibling's multiple
 * `k_u · N` of the uniform share into `out` (may exceed 1; at least `minShare`) and returns T
 * (time from now).
 *
 * @param remaining - time each sibling needs at full power on its PE (≥ 0)
 * @param fullPowerTail - estimated path after each sibling at full power (≥ 0, same units)
 * @param alpha - concavity α ∈ (0, 1]
 * @param runningPes - running PEs on the SoC (N ≥ 1): a uniform share is 1/N of the envelope
 * @param out - per sibling, the multiple of the uniform share it needs
 * @param minShare - floor of each running sibling's multiple (default 0)
 */
export function balancedTokenFractions(
  remaining: ArrayLike<number>,
  fullPowerTail: ArrayLike<number>,
  alpha: number,
  runningPes: number,
  out: Float64Array,
  minShare = 0,
): number {
  const n = remaining.length;
  const k0 = 1 / Math.max(1, runningPes);
  const budget = n * k0; // the siblings' uniform shares, as fractions of the envelope
  // Later tasks will run at about the uniform share too: their full-power times stretch by N^α.
  const stretch = Math.pow(k0, -alpha);
  const tail = Array.from(fullPowerTail, (t) => t * stretch);
  // Σ_u (r_u / (T − tail_u))^(1/α) is decreasing in T: bisect for the T that spends the budget.
  const need = (T: number): number => {
    let s = 0;
    for (let u = 0; u < n; u++) {
      const r = remaining[u]!;
      if (r <= 0) continue;
      const room = T - tail[u]!;
      if (room <= 0) return Infinity;
      s += Math.pow(r / room, 1 / alpha);
    }
    return s;
  };
  let lo = 0;
  let hi = 0;
  for (let u = 0; u < n; u++) {
    lo = Math.max(lo, remaining[u]! > 0 ? tail[u]! : 0);
    hi = Math.max(hi, remaining[u]! * Math.pow(budget / n, -alpha) + tail[u]!); // equal split spends ≤ budget
  }
  if (hi <= lo) {
    out.fill(1, 0, n);
    return hi;
  }
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (need(mid) > budget) lo = mid;
    else hi = mid;
  }
  for (let u = 0; u < n; u++) {
    const r = remaining[u]!;
    const room = hi - tail[u]!;
    const k = r > 0 && room > 0 ? Math.pow(r / room, 1 / alpha) : 0;
    out[u] = Math.max(minShare, k / k0);
  }
  return hi;
}
