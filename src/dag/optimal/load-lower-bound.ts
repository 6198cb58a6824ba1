import type { Timing } from '../analysis/timing.js';
import type { Dag } from '../dag-task.js';

/** Windows shorter than this fraction of D are skipped: float noise dominates their load. */
const MIN_WINDOW = 1e-6;
/** Slack under an integer before rounding a load ratio up (guards ratios like 2 + 1e-12). */
const CEIL_EPS = 1e-6;
/** Above this many nodes only `⌈vol/D⌉` is used (the window scan is O(n³)). */
const MAX_WINDOW_NODES = 150;

/**
 * A proved lower bound on the cores of any schedule meeting D (SPEC §2):
 * `max(⌈vol/D⌉, max over windows [t1, t2] of ⌈mandatory work in it / (t2 − t1)⌉)`, where a node's
 * mandatory work in the window is `max(0, min(C, t2 − t1, EFT − t1, t2 − LST))` (what it must run
 * there whatever its start in [EST, LST]). Windows start at an EST or LST and end where some
 * node's mandatory work stops growing (the ratio's local maxima). Rounding is conservative so float noise can only weaken the bound, never overstate it.
 */
export function loadLowerBound(dag: Dag, timing: Timing): number {
  const { n, wcet } = dag;
  const { est, eft, lst, volume, deadline: D } = timing;
  let best = Math.max(1, Math.ceil(volume / D - CEIL_EPS));
  if (n > MAX_WINDOW_NODES) return best;
  const starts = [...new Set([...est, ...lst])].sort((a, b) => a - b);
  const ends: number[] = [];
  for (const t1 of starts) {
    // v's mandatory work grows with slope 1 from max(t1, LST) for a = min(C, EFT − t1), then stays
    // flat, so work/(t2 − t1) peaks where such a ramp ends.
    ends.length = 0;
    for (let v = 0; v < n; v++) {
      const a = Math.min(wcet[v]!, eft[v]! - t1);
      if (a > 0) ends.push(Math.max(t1, lst[v]!) + a);
    }
    for (const t2 of ends) {
      const len = t2 - t1;
      if (len < MIN_WINDOW * D) continue;
      let work = 0;
      for (let v = 0; v < n; v++) {
        const w = Math.min(wcet[v]!, len, eft[v]! - t1, t2 - lst[v]!);
        if (w > 0) work += w;
      }
      const bound = Math.ceil(work / len - CEIL_EPS);
      if (bound > best) best = bound;
    }
  }
  return best;
}
