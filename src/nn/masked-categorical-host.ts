/**
 * Categorical distribution over `n` actions with an action mask (1 = allowed): masked actions
 * get probability exactly 0, are never sampled, and do not count in the entropy. This file: the
 * Float32 functions on one row of logits for rollouts (seeded {@link Rng}, no TensorFlow, so env
 * runners can load it); the tensor functions of the loss are in `masked-categorical.ts`.
 *
 * Masked logits are replaced by {@link MASKED_LOGIT} (−1e9) rather than −Infinity: the softmax
 * still gives exactly 0 there, while `p · log p = 0 · (−1e9) = 0` keeps entropy and gradients
 * free of NaN (−Infinity would give `0 · −∞ = NaN`).
 */
import { ArbiterError } from '../core/errors.js';
import { argmaxAmong, maskedArgmax } from '../core/masked-argmax.js';
import type { Rng } from '../core/rng.js';

// The greedy decision lives in core (TF-free users need it too); re-exported for the RL callers.
export { maskedArgmax, maskedArgmaxOrNone } from '../core/masked-argmax.js';

/** Logit given to masked actions. */
export const MASKED_LOGIT = -1e9;

function assertAnyAllowed(mask: Uint8Array, off: number, n: number): void {
  for (let i = 0; i < n; i++) if (mask[off + i]) return;
  throw new ArbiterError('empty-mask', 'masked categorical: the action mask allows no action');
}

/** Whether action i of the row is allowed (no mask = all allowed). */
function allowed(mask: Uint8Array | undefined, maskOffset: number, i: number): boolean {
  return mask === undefined || mask[maskOffset + i] !== 0;
}

/**
 * Log-normaliser `log Σ_allowed exp(logit)` of row `logits[offset … offset+n)`, stable (max
 * subtracted). `mask` is read at `maskOffset` (default: same as `offset`).
 */
export function maskedLogSumExp(
  logits: ArrayLike<number>,
  offset: number,
  n: number,
  mask?: Uint8Array,
  maskOffset = offset,
): number {
  if (mask) assertAnyAllowed(mask, maskOffset, n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++)
    if (allowed(mask, maskOffset, i) && logits[offset + i]! > max) max = logits[offset + i]!;
  let s = 0;
  for (let i = 0; i < n; i++) if (allowed(mask, maskOffset, i)) s += Math.exp(logits[offset + i]! - max);
  return max + Math.log(s);
}

/**
 * Samples an action index from the row's masked softmax with one `rng.random()` draw (or the
 * allowed argmax when `deterministic`, without drawing). Never returns a masked action.
 */
export function sampleMaskedCategorical(
  logits: ArrayLike<number>,
  offset: number,
  n: number,
  rng: Rng,
  deterministic: boolean,
  mask?: Uint8Array,
  maskOffset = offset,
): number {
  if (deterministic) return maskedArgmax(logits, offset, n, mask, maskOffset);
  const lse = maskedLogSumExp(logits, offset, n, mask, maskOffset);
  const u = rng.random();
  let cum = 0;
  let lastAllowed = -1;
  for (let i = 0; i < n; i++) {
    if (!allowed(mask, maskOffset, i)) continue;
    lastAllowed = i;
    cum += Math.exp(logits[offset + i]! - lse);
    if (u < cum) return i;
  }
  // Rounding may leave cum slightly below 1; the last allowed action takes the remainder.
  return lastAllowed;
}

/**
 * {@link maskedLogSumExp} when the allowed actions come as an ascending list of indices into
 * `logits` rather than a mask (same operations in the same order, so the same value): O(allowed)
 * instead of O(n). Throws `empty-mask` for an empty list.
 */
export function logSumExpAmong(logits: ArrayLike<number>, allowed: readonly number[]): number {
  if (allowed.length === 0)
    throw new ArbiterError('empty-mask', 'masked categorical: the action mask allows no action');
  let max = Number.NEGATIVE_INFINITY;
  for (const a of allowed) if (logits[a]! > max) max = logits[a]!;
  let s = 0;
  for (const a of allowed) s += Math.exp(logits[a]! - max);
  return max + Math.log(s);
}

/**
 * {@link sampleMaskedCategorical} over an ascending list of allowed indices into `logits`: the same
 * action for the same `rng` state (one `rng.random()` draw, none when `deterministic`), reading
 * only the listed logits. Throws `empty-mask` for an empty list.
 */
export function sampleCategoricalAmong(
  logits: ArrayLike<number>,
  allowed: readonly number[],
  rng: Rng,
  deterministic: boolean,
): number {
  if (deterministic) {
    if (allowed.length === 0)
      throw new ArbiterError('empty-mask', 'masked categorical: the action mask allows no action');
    return argmaxAmong(logits, allowed);
  }
  const lse = logSumExpAmong(logits, allowed);
  const u = rng.random();
  let cum = 0;
  for (const a of allowed) {
    cum += Math.exp(logits[a]! - lse);
    if (u < cum) return a;
  }
  // Rounding may leave cum slightly below 1; the last allowed action takes the remainder.
  return allowed[allowed.length - 1]!;
}

/** log π(action) under the row's masked softmax; −Infinity for a masked action. */
export function maskedLogProb(
  logits: ArrayLike<number>,
  offset: number,
  n: number,
  action: number,
  mask?: Uint8Array,
  maskOffset = offset,
): number {
  if (!Number.isInteger(action) || action < 0 || action >= n)
    throw new ArbiterError('invalid-action', `masked categorical: action ${action} is outside 0…${n - 1}`);
  if (!allowed(mask, maskOffset, action)) return Number.NEGATIVE_INFINITY;
  return logits[offset + action]! - maskedLogSumExp(logits, offset, n, mask, maskOffset);
}

/** Entropy (nats) of the row's masked softmax, summed over allowed actions only. */
export function maskedEntropy(
  logits: ArrayLike<number>,
  offset: number,
  n: number,
  mask?: Uint8Array,
  maskOffset = offset,
): number {
  const lse = maskedLogSumExp(logits, offset, n, mask, maskOffset);
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (!allowed(mask, maskOffset, i)) continue;
    const lp = logits[offset + i]! - lse;
    h -= Math.exp(lp) * lp;
  }
  return h;
}
