/**
 * The load (energetic) bound over time windows: for given start windows [EST, LST] of the nodes,
 * the most cores that the work forced into some window [t1, t2] needs.
 */
import { ceilLowerBound, LOWER_BOUND_MARGIN } from '../time-tolerance.js';

/** Windows shorter than this fraction of D are skipped: rounding noise dominates their load. */
const MIN_WINDOW = LOWER_BOUND_MARGIN;

/** The best window load bound and the window that gives it. */
export interface WindowLoad {
  /** `⌈work forced into [t1, t2] / (t2 − t1)⌉`, maximised over the windows examined (≥ 0). */
  bound: number;
  /** The window `[t1, t2]` of `bound` (`[0, D]` when no window forces any work). */
  window: [number, number];
}

/**
 * Window load bound for start windows `[est_v, lst_v]` of nodes with WCETs `wcet` and deadline D.
 * Whatever the start s_v ∈ [est_v, lst_v], node v runs at least
 * `max(0, min(C_v, t2 − t1, est_v + C_v − t1, t2 − lst_v))` inside [t1, t2] (its overlap is
 * smallest when it is shifted fully left or fully right), so any schedule needs
 * `⌈Σ_v overlap / (t2 − t1)⌉` cores. Windows start at every est and lst; for each start, a sweep
 * over the breakpoints of the (piecewise-linear) forced work finds the best end: O(n² log n).
 */
export function windowLoadBound(
  wcet: ArrayLike<number>,
  est: ArrayLike<number>,
  lst: ArrayLike<number>,
  D: number,
): WindowLoad {
  const n = wcet.length;
  let best = 0;
  let window: [number, number] = [0, D];
  const starts = new Set<number>();
  for (let v = 0; v < n; v++) starts.add(est[v]!).add(lst[v]!);
  const sorted = Array.from(starts).sort((a, b) => a - b);
  // Breakpoint events per window start: slope +1 at b, slope −1 at b + a (forced work min(a, t2 − b)).
  const pos: number[] = [];
  const delta: number[] = [];
  const order: number[] = [];
  for (const t1 of sorted) {
    pos.length = 0;
    delta.length = 0;
    for (let v = 0; v < n; v++) {
      const a = Math.min(wcet[v]!, est[v]! + wcet[v]! - t1);
      if (a <= 0) continue;
      const b = Math.max(t1, lst[v]!);
      pos.push(b, b + a);
      delta.push(1, -1);
    }
    order.length = pos.length;
    for (let i = 0; i < pos.length; i++) order[i] = i;
    order.sort((i, j) => pos[i]! - pos[j]!);
    let work = 0;
    let slope = 0;
    let x = t1;
    for (const i of order) {
      const p = pos[i]!;
      work += slope * (p - x);
      x = p;
      slope += delta[i]!;
      if (p - t1 >= MIN_WINDOW * D) {
        const bound = ceilLowerBound(work / (p - t1));
        if (bound > best) {
          best = bound;
          window = [t1, p];
        }
      }
    }
  }
  return { bound: best, window };
}
