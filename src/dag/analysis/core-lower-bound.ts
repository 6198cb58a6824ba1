/**
 * The lower bound on the number of cores for a deadline D (`coreLowerBound`): the larger of the
 * total-work bound ⌈vol/D⌉ and the best load bound over time windows. No schedule on fewer cores
 * can meet D, which is what makes a method's core count provably optimal when it reaches this.
 */
import type { Dag } from '../dag-task.js';
import { ceilLowerBound } from '../time-tolerance.js';
import { computeTiming, type Timing } from './timing.js';
import { windowLoadBound } from './window-load-bound.js';

/**
 * The name of a lower bound on cores: `volume` — ⌈vol/D⌉; `window-load` — the work forced into a
 * time window ({@link windowLoadBound}); `m-core-windows` — m cores refuted by time windows
 * tightened for m cores (`mCoreWindowsBound`); `solver` — the MILP solver proved it.
 */
export type LowerBoundName = 'volume' | 'window-load' | 'm-core-windows' | 'solver';

/** The core lower bound and the window that gives it. */
export interface CoreLowerBound {
  /** Lower bound on the number of cores any schedule meeting D needs. */
  lowerBound: number;
  /** Which bound gives `lowerBound` (`volume` on ties). */
  by: LowerBoundName;
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
 * [EST, LST], divided by t2 − t1 ({@link windowLoadBound}, O(n² log n)).
 */
export function coreLowerBound(dag: Dag, deadline?: number, timing?: Timing): CoreLowerBound {
  const t = timing ?? computeTiming(dag, deadline);
  const D = t.deadline;
  // No work (every WCET 0, so D may be L = 0): one core meets any deadline.
  if (t.volume === 0) return { lowerBound: 1, by: 'volume', volumeBound: 1, loadBound: 1, window: [0, D] };
  const volumeBound = Math.max(1, ceilLowerBound(t.volume / D));
  const load = windowLoadBound(dag.wcet, t.est, t.lst, D);
  const loadBound = Math.max(volumeBound, load.bound);
  return {
    lowerBound: loadBound,
    by: load.bound > volumeBound ? 'window-load' : 'volume',
    volumeBound,
    loadBound,
    window: load.bound > volumeBound ? load.window : [0, D],
  };
}
