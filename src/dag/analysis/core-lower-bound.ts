/**
 * The lower bound on the number of cores for a deadline D (`coreLowerBound`): the larger of the
 * total-work bound ⌈vol/D⌉ and the best load bound over time windows. No schedule on fewer cores
 * can meet D, which is what makes a method's core count provably optimal when it reaches this.
 */
import type { Dag } from '../dag-task.js';
import { ceilLowerBound, LOWER_BOUND_MARGIN } from '../time-tolerance.js';
import { computeTiming, type Timing } from './timing.js';

/** Windows shorter than this fraction of D are skipped: rounding noise dominates their load. */
const MIN_WINDOW = LOWER_BOUND_MARGIN;

/** The core lower bound and the window that gives it. */
export interface CoreLowerBound {
  /** Lower bound on the number of cores any schedule meeting D needs. */
  lowerBound: number;
  /** `⌈vol/D⌉`. */
  volumeBound: number;
  /** Best load (energetic) bound over the windows examined. */
  loadBound: number;
  /** The window `[t1, t2]` of the load bound. */
  window: [number, number];
}

/**
 * Lower bound on cores for deadline D: `max(⌈vol/D⌉, load bound)`. The load bound over a
 * window [t1, t2] is the work that must run inside it whatever the start times within
 * [EST, LST], divided by t2 − t1. Windows start at every EST and LST; for each start, a sweep over
 * the breakpoints of the (piecewise-linear) mandatory work finds the best end, O(n² log n).
 */
export function coreLowerBound(dag: Dag, deadline?: number, timing?: Timing): CoreLowerBound {
  const t = timing ?? computeTiming(dag, deadline);
  const D = t.deadline;
  // No work (every WCET 0, so D may be L = 0): one core meets any deadline.
  if (t.volume === 0) return { lowerBound: 1, volumeBound: 1, loadBound: 1, window: [0, D] };
  const volumeBound = Math.max(1, ceilLowerBound(t.volume / D));
  let best = volumeBound;
  let window: [number, number] = [0, D];
  const { n, wcet } = dag;
  const starts = Array.from(new Set([...t.est, ...t.lst])).sort((a, b) => a - b);
  // Breakpoint events per window start: slope +1 at b, slope −1 at b + a (mandatory work min(a, t2 − b)).
  const pos: number[] = [];
  const delta: number[] = [];
  for (const t1 of starts) {
    pos.length = 0;
    delta.length = 0;
    for (let v = 0; v < n; v++) {
      const a = Math.min(wcet[v]!, t.eft[v]! - t1);
      if (a <= 0) continue;
      const b = Math.max(t1, t.lst[v]!);
      pos.push(b, b + a);
      delta.push(1, -1);
    }
    const order = pos.map((_, i) => i).sort((i, j) => pos[i]! - pos[j]!);
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
  return { lowerBound: best, volumeBound, loadBound: best, window };
}
