/**
 * Job arrival sequences of the Jobs environment (DeepRM-style, Mao et al. 2016): each job has a
 * duration (80% short 1–3, 20% long 10–15 time steps by default) and a demand vector with one
 * dominant resource (half to all of its capacity) and small demands of the others (10–20%).
 * Jobs arrive by a Bernoulli or Poisson process whose rate follows from a target load.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

/** Distribution of job durations and demands. Ranges are inclusive `[lo, hi]`. */
export interface JobDistribution {
  /** Probability that a job is short (default 0.8). */
  shortProb: number;
  /** Duration range of short jobs, in time steps (default [1, 3]). */
  shortDuration: readonly [number, number];
  /** Duration range of long jobs, in time steps (default [10, 15]). */
  longDuration: readonly [number, number];
  /** Demand of the dominant resource as fractions of its capacity (default [0.5, 1]). */
  dominantDemand: readonly [number, number];
  /** Demand of every other resource as fractions of its capacity (default [0.1, 0.2]). */
  otherDemand: readonly [number, number];
}

/** DeepRM's job distribution. */
export const DEFAULT_JOB_DISTRIBUTION: JobDistribution = {
  shortProb: 0.8,
  shortDuration: [1, 3],
  longDuration: [10, 15],
  dominantDemand: [0.5, 1],
  otherDemand: [0.1, 0.2],
};

/**
 * Named loads (offered utilisation of the cluster, see {@link arrivalRate}). Dominant demands of
 * half to all of a resource pack poorly, so the cluster saturates well below load 1: with the
 * default distribution FIFO's mean slowdown is ≈ 2.5 at `low`, ≈ 8.5 at `medium`, ≈ 25 at `high`
 * (SJF ≈ 1.9, 3.9, 13).
 */
export const LOAD_PRESETS = { low: 0.3, medium: 0.6, high: 0.9 } as const;

/** A load preset name. */
export type LoadPreset = keyof typeof LOAD_PRESETS;

/** How many jobs arrive per time step: at most one (Bernoulli) or Poisson-many. */
export type ArrivalProcess = 'bernoulli' | 'poisson';

/**
 * Jobs of one episode in struct-of-arrays form, sorted by arrival time. Demands are integer units
 * of each resource (`demand[j * R + r]`).
 */
export interface JobSequence {
  /** Number of jobs. */
  count: number;
  /** Number of resource types R. */
  resources: number;
  /** Arrival time step of each job (non-decreasing). */
  arrival: Int32Array;
  /** Duration in time steps (≥ 1). */
  duration: Int32Array;
  /** Demand units, count × R row-major. */
  demand: Int32Array;
}

/** Integer demand range `[lo, hi]` in units for a capacity and a fraction range. */
export function demandRange(capacity: number, fractions: readonly [number, number]): [number, number] {
  const lo = Math.min(capacity, Math.max(1, Math.round(fractions[0] * capacity)));
  const hi = Math.min(capacity, Math.max(lo, Math.round(fractions[1] * capacity)));
  return [lo, hi];
}

/**
 * Expected work of one job as a fraction of the whole cluster per time step:
 * `E[duration] · (1/R) Σ_r E[demand_r] / capacity_r` (duration and demands are independent).
 */
export function expectedJobWork(capacity: readonly number[], dist: JobDistribution): number {
  const R = capacity.length;
  const mean = ([lo, hi]: readonly [number, number]): number => (lo + hi) / 2;
  const meanDuration =
    dist.shortProb * mean(dist.shortDuration) + (1 - dist.shortProb) * mean(dist.longDuration);
  let share = 0;
  for (const cap of capacity) {
    const dominant = mean(demandRange(cap, dist.dominantDemand)) / cap;
    const other = mean(demandRange(cap, dist.otherDemand)) / cap;
    // The dominant resource is uniform over the R types.
    share += R === 1 ? dominant : dominant / R + ((R - 1) / R) * other;
  }
  return (meanDuration * share) / R;
}

/**
 * Expected number of arrivals per time step for a target load: `load / expectedJobWork`. Load is
 * the offered utilisation of the cluster (1 = on average as much work arrives per step as the
 * cluster can serve).
 */
export function arrivalRate(load: number, capacity: readonly number[], dist: JobDistribution): number {
  return load / expectedJobWork(capacity, dist);
}

/** Checks a distribution and the capacities; throws `invalid-env-options`. */
export function validateJobDistribution(capacity: readonly number[], dist: JobDistribution): void {
  const bad = (msg: string): never => {
    throw new ArbiterError('invalid-env-options', `Jobs: ${msg}`);
  };
  if (!(dist.shortProb >= 0 && dist.shortProb <= 1))
    bad(`shortProb must be in [0, 1], got ${dist.shortProb}`);
  for (const [name, [lo, hi]] of [
    ['shortDuration', dist.shortDuration],
    ['longDuration', dist.longDuration],
  ] as const)
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo)
      bad(`${name} must be integers 1 ≤ lo ≤ hi, got [${lo}, ${hi}]`);
  for (const [name, [lo, hi]] of [
    ['dominantDemand', dist.dominantDemand],
    ['otherDemand', dist.otherDemand],
  ] as const)
    if (!(lo > 0 && hi >= lo && hi <= 1))
      bad(`${name} must be fractions 0 < lo ≤ hi ≤ 1, got [${lo}, ${hi}]`);
  for (const c of capacity)
    if (!Number.isInteger(c) || c < 1) bad(`capacities must be integers ≥ 1, got ${c}`);
}

/**
 * Draws the jobs arriving during time steps `0 … steps − 1` at `rate` expected arrivals per step.
 * An episode always has at least one job: if none arrived, one job arrives at time 0.
 */
export function generateJobSequence(
  rng: Rng,
  steps: number,
  rate: number,
  process: ArrivalProcess,
  capacity: readonly number[],
  dist: JobDistribution,
): JobSequence {
  const R = capacity.length;
  const arrivals: number[] = [];
  for (let t = 0; t < steps; t++) {
    const k = process === 'bernoulli' ? (rng.bernoulli(rate) ? 1 : 0) : poisson(rng, rate);
    for (let i = 0; i < k; i++) arrivals.push(t);
  }
  if (arrivals.length === 0) arrivals.push(0);
  const count = arrivals.length;
  const seq: JobSequence = {
    count,
    resources: R,
    arrival: Int32Array.from(arrivals),
    duration: new Int32Array(count),
    demand: new Int32Array(count * R),
  };
  const dominantRanges = capacity.map((c) => demandRange(c, dist.dominantDemand));
  const otherRanges = capacity.map((c) => demandRange(c, dist.otherDemand));
  for (let j = 0; j < count; j++) {
    const [lo, hi] = rng.bernoulli(dist.shortProb) ? dist.shortDuration : dist.longDuration;
    seq.duration[j] = rng.intBetween(lo, hi);
    const dominant = rng.int(R);
    for (let r = 0; r < R; r++) {
      const [dlo, dhi] = (r === dominant ? dominantRanges : otherRanges)[r]!;
      seq.demand[j * R + r] = rng.intBetween(dlo, dhi);
    }
  }
  return seq;
}

/** Poisson sample by inversion of the CDF (fine for the small rates used here). */
function poisson(rng: Rng, rate: number): number {
  let k = 0;
  let p = Math.exp(-rate);
  let cdf = p;
  const u = rng.random();
  while (u > cdf && k < 1000) {
    k++;
    p *= rate / k;
    cdf += p;
  }
  return k;
}
