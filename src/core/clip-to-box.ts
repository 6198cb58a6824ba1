/**
 * Clipping of sampled actions to a Box's bounds, as the env receives them (the rollout keeps the
 * sampled, unclipped ones): one rule for the algorithms' own rollouts and the env runners'.
 */
import type { Box } from './spaces.js';

/**
 * Writes `actions` (rows of `box.size` values) clipped to `[box.low, box.high]` per dimension
 * into `out` and returns it.
 */
export function clipToBox(actions: Float32Array, box: Box, out: Float32Array): Float32Array {
  const k = box.size;
  for (let i = 0; i < actions.length; i++) {
    const j = i % k;
    const a = actions[i]!;
    out[i] = a < box.low[j]! ? box.low[j]! : a > box.high[j]! ? box.high[j]! : a;
  }
  return out;
}
