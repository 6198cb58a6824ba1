/**
 * The greedy decision of every masked discrete policy: the allowed action with the largest value,
 * the lowest index on ties. One home for it, low enough for the TF-free paths (the deployed
 * inference runtime, the EGS scheduler, tabular Q-learning) and the TF.js agents alike; an action
 * is allowed when its mask entry is truthy (`1`), as in `Info.actionMask`.
 */
import { ArbiterError } from './errors.js';

/**
 * Index (0…n−1) of the largest allowed value of the row `values[offset … offset+n)` (first one on
 * ties); −1 when the mask allows nothing. `mask` is read at `maskOffset` (default: `offset`);
 * without a mask every action is allowed.
 */
export function maskedArgmaxOrNone(
  values: ArrayLike<number>,
  offset: number,
  n: number,
  mask?: ArrayLike<number>,
  maskOffset = offset,
): number {
  let best = -1;
  let bestV = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++)
    if ((mask === undefined || mask[maskOffset + i]) && (best < 0 || values[offset + i]! > bestV)) {
      best = i;
      bestV = values[offset + i]!;
    }
  return best;
}

/**
 * {@link maskedArgmaxOrNone}, throwing `empty-mask` (naming `who`) when the mask allows nothing.
 */
export function maskedArgmax(
  values: ArrayLike<number>,
  offset: number,
  n: number,
  mask?: ArrayLike<number>,
  maskOffset = offset,
  who = 'masked categorical',
): number {
  const best = maskedArgmaxOrNone(values, offset, n, mask, maskOffset);
  if (best < 0) throw new ArbiterError('empty-mask', `${who}: the action mask allows no action`);
  return best;
}

/**
 * The same decision when the allowed actions come as a list of indices rather than a mask: the
 * action of `allowed` with the largest `values[a]`, the lowest index on ties; −1 for an empty list.
 * Allocates nothing (the EGS scheduler calls it once per added edge).
 */
export function argmaxAmong(values: ArrayLike<number>, allowed: readonly number[]): number {
  let best = -1;
  for (const a of allowed)
    if (best < 0 || values[a]! > values[best]! || (values[a] === values[best] && a < best)) best = a;
  return best;
}
