/**
 * Classical baselines for the Jobs environment, written as policies over the agent's own inputs
 * (observation and action mask), so a learned policy and a heuristic are called the same way.
 * They never advance time while some waiting job fits (work-conserving).
 */
import { Rng } from '../../core/rng.js';
import type { JobsObservationLayout } from './jobs-env.js';

/** A Jobs policy: observation and action mask in, action out (`windowSize` = advance time). */
export type JobPolicy = (obs: Float32Array, mask: Uint8Array) => number;

/** Names of the built-in baselines. */
export type JobBaselineName = 'fifo' | 'sjf' | 'random';

/**
 * First-in first-out: the earliest-arrived waiting job that fits now. The window is ordered by
 * arrival, so that is the lowest allowed slot; advance when none fits.
 */
export function fifoPolicy(layout: JobsObservationLayout): JobPolicy {
  const M = layout.windowSize;
  return (_obs, mask) => {
    for (let i = 0; i < M; i++) if (mask[i]) return i;
    return M;
  };
}

/** Shortest job first: the fitting window job of shortest duration (ties: earliest arrival). */
export function sjfPolicy(layout: JobsObservationLayout): JobPolicy {
  const M = layout.windowSize;
  const durationAt = layout.windowOffset + layout.resources;
  return (obs, mask) => {
    let best = M;
    let bestDuration = Infinity;
    for (let i = 0; i < M; i++) {
      if (!mask[i]) continue;
      const d = obs[durationAt + i * layout.slotFeatures]!;
      if (d < bestDuration) {
        bestDuration = d;
        best = i;
      }
    }
    return best;
  };
}

/** Uniform among the fitting window jobs; advance only when none fits. Seeded. */
export function randomPolicy(layout: JobsObservationLayout, seed = 0): JobPolicy {
  const M = layout.windowSize;
  const rng = new Rng(seed);
  return (_obs, mask) => {
    let count = 0;
    for (let i = 0; i < M; i++) if (mask[i]) count++;
    if (count === 0) return M;
    let k = rng.int(count);
    for (let i = 0; i < M; i++) if (mask[i] && k-- === 0) return i;
    return M;
  };
}

/** The baseline `name` for an environment with this layout (`seed` only matters for random). */
export function jobBaseline(name: JobBaselineName, layout: JobsObservationLayout, seed = 0): JobPolicy {
  switch (name) {
    case 'fifo':
      return fifoPolicy(layout);
    case 'sjf':
      return sjfPolicy(layout);
    case 'random':
      return randomPolicy(layout, seed);
  }
}
