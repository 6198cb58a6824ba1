/**
 * Start windows tightened for a given core count m, and the destructive lower bound they give:
 * m cores are refuted when some node's window closes or some time window holds more work than m
 * cores can do.
 */
import type { BitMatrix } from '../bit-matrix.js';
import type { Dag } from '../dag-task.js';
import { LOWER_BOUND_MARGIN } from '../time-tolerance.js';
import type { TimeGrid } from './time-grid.js';
import { transitiveClosure } from './transitive-closure.js';
import { windowLoadBound } from './window-load-bound.js';

/** Start windows valid for every schedule on at most m cores that meets D. */
export interface MCoreWindows {
  /** Earliest start, by node index. */
  est: Float64Array;
  /** Latest start, by node index. */
  lst: Float64Array;
  /** Why no schedule on m cores meets D (`undefined`: not refuted). */
  refutedBy: 'closed-window' | 'core-profile' | 'window-load' | undefined;
}

/** The DAG's structure and WCETs in the unit the windows are computed in. */
export interface WindowProblem {
  dag: Dag;
  /** WCET by node index (task units, or grid units when `integral`). */
  wcet: ArrayLike<number>;
  /** Deadline in the same unit. */
  deadline: number;
  /** Whether start times may be taken as integers (every WCET and D whole numbers: `timeGrid`). */
  integral: boolean;
  /** Ancestors: bit (v, u) set iff u reaches v. */
  ancestors: BitMatrix;
  /** Descendants: bit (u, v) set iff u reaches v. */
  reach: BitMatrix;
}

/**
 * The window problem of a task for deadline D: in grid units (`integral`) when `grid` is given
 * (`timeGrid(dag, D)`), else in task units.
 */
export function windowProblem(dag: Dag, deadline: number, grid: TimeGrid | undefined): WindowProblem {
  const reach = transitiveClosure(dag);
  return {
    dag,
    wcet: grid ? grid.wcet : dag.wcet,
    deadline: grid ? grid.deadline : deadline,
    integral: grid !== undefined,
    reach,
    ancestors: reach.transpose(),
  };
}

/**
 * Windows for m cores. Heads: every ancestor u of v runs before v starts, and those with head
 * ≥ r all run inside [r, s_v) on ≤ m cores, so `s_v ≥ r + W(r)/m` (W(r): their total WCET) for
 * every r; also `s_v ≥ head_u + C_u` for each predecessor. Tails mirror it on descendants from
 * D. Both only use that the cores number at most m, so they hold for every schedule on ≤ m cores;
 * with integer data they round to integers (integer starts lose nothing, see `timeGrid`) and are
 * then narrowed further by {@link timetablePropagation}. m is refuted when a window closes
 * (`head > latest start`), the cores' profile overflows, or the window load bound
 * ({@link windowLoadBound}) over the tightened windows exceeds m. O(n² log n) plus the
 * propagation.
 */
export function mCoreWindows(p: WindowProblem, m: number): MCoreWindows {
  const { dag, wcet, deadline: D, integral } = p;
  const { n, pred, succ, topoOrder } = dag;
  const up = (x: number): number => (integral ? Math.ceil(x - 1e-9 * Math.max(1, x)) : x);
  const down = (x: number): number => (integral ? Math.floor(x + 1e-9 * Math.max(1, x)) : x);
  const est = new Float64Array(n);
  const lft = new Float64Array(n);
  const list: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = topoOrder[k]!;
    let h = 0;
    for (const u of pred[v]!) h = Math.max(h, est[u]! + wcet[u]!);
    busyOf(p.ancestors.rowIndices(v), wcet, list);
    list.sort((a, b) => est[b]! - est[a]!);
    let W = 0;
    for (const u of list) {
      W += wcet[u]!;
      h = Math.max(h, est[u]! + W / m);
    }
    est[v] = up(h);
  }
  for (let k = n - 1; k >= 0; k--) {
    const u = topoOrder[k]!;
    let f = D;
    for (const w of succ[u]!) f = Math.min(f, lft[w]! - wcet[w]!);
    busyOf(p.reach.rowIndices(u), wcet, list);
    list.sort((a, b) => lft[a]! - lft[b]!);
    let W = 0;
    for (const w of list) {
      W += wcet[w]!;
      f = Math.min(f, lft[w]! - W / m);
    }
    lft[u] = down(f);
  }
  const lst = Float64Array.from(lft, (f, v) => f - wcet[v]!);
  const slackTolerance = integral ? 0 : LOWER_BOUND_MARGIN * Math.max(1, D);
  for (let v = 0; v < n; v++)
    if (est[v]! > lst[v]! + slackTolerance) return { est, lst, refutedBy: 'closed-window' };
  if (integral && !timetablePropagation(dag, wcet, D, m, est, lst))
    return { est, lst, refutedBy: 'core-profile' };
  if (windowLoadBound(wcet, est, lst, D).bound > m) return { est, lst, refutedBy: 'window-load' };
  return { est, lst, refutedBy: undefined };
}

/** Most rounds of {@link timetablePropagation} (each narrows at least one window). */
const MAX_PROPAGATION_ROUNDS = 50;

/** Longest horizon (grid steps) {@link timetablePropagation} works on; its profile is one slot a step. */
const MAX_PROPAGATION_HORIZON = 100_000;

/**
 * Timetable propagation on an integer grid, in place: node v surely runs in its mandatory part
 * `[lst_v, est_v + C_v)` (non-empty when the window is shorter than C_v), so at no time may more
 * than m mandatory parts overlap, and v may only start at s when every step of `[s, s + C_v)`
 * has at most m − 1 mandatory parts of other nodes. Starts that fail are cut from both ends of
 * each window, precedence (`est_v ≥ est_u + C_u`, `lst_u ≤ lst_v − C_u`) is restored, and this
 * repeats until nothing changes. Every cut holds for every schedule on ≤ m cores within the
 * windows, so the windows stay valid. Returns false when m is refuted (a window closes or the
 * profile exceeds m). Horizons past 10⁵ steps are left alone.
 */
export function timetablePropagation(
  dag: Dag,
  wcet: ArrayLike<number>,
  D: number,
  m: number,
  est: Float64Array,
  lst: Float64Array,
): boolean {
  const { n, succ, topoOrder } = dag;
  const H = Math.max(0, D);
  if (H > MAX_PROPAGATION_HORIZON) return true; // skipping it only leaves the windows wider
  const profile = new Int32Array(H + 1);
  for (let round = 0; round < MAX_PROPAGATION_ROUNDS; round++) {
    profile.fill(0);
    for (let v = 0; v < n; v++) for (let t = lst[v]!; t < est[v]! + wcet[v]!; t++) profile[t]!++;
    for (let t = 0; t < H; t++) if (profile[t]! > m) return false;
    let changed = false;
    for (let v = 0; v < n; v++) {
      const c = wcet[v]!;
      if (!(c > 0)) continue;
      // Step t is full for v when m others surely run there (v's own mandatory part removed).
      const full = (t: number): boolean => profile[t]! - (t >= lst[v]! && t < est[v]! + c ? 1 : 0) >= m;
      const fits = (s: number): number => {
        for (let t = s + c - 1; t >= s; t--) if (full(t)) return t; // the last full step, or −1
        return -1;
      };
      let lo = est[v]!;
      for (let t = fits(lo); t >= 0 && lo <= lst[v]!; t = fits(lo)) lo = t + 1;
      if (lo > lst[v]!) return false;
      let hi = lst[v]!;
      for (let t = firstFull(full, hi, c); t >= 0 && hi >= lo; t = firstFull(full, hi, c)) hi = t - c;
      if (hi < lo) return false;
      if (lo !== est[v] || hi !== lst[v]) {
        est[v] = lo;
        lst[v] = hi;
        changed = true;
      }
    }
    if (!changed) return true;
    for (const u of topoOrder) for (const w of succ[u]!) est[w] = Math.max(est[w]!, est[u]! + wcet[u]!);
    for (let k = n - 1; k >= 0; k--) {
      const u = topoOrder[k]!;
      for (const w of succ[u]!) lst[u] = Math.min(lst[u]!, lst[w]! - wcet[u]!);
    }
    for (let v = 0; v < n; v++) if (est[v]! > lst[v]!) return false;
  }
  return true;
}

/** The first full step of `[s, s + c)`, or −1. */
function firstFull(full: (t: number) => boolean, s: number, c: number): number {
  for (let t = s; t < s + c; t++) if (full(t)) return t;
  return -1;
}

/** The result of {@link mCoreWindowsBound}. */
export interface MCoreWindowsBound {
  /** One more than the largest core count below `to` that {@link mCoreWindows} refutes (≥ `from`). */
  lowerBound: number;
  /** The windows for `to − 1` cores: valid for every schedule that would improve on `to`. */
  belowUpper: MCoreWindows;
}

/**
 * The destructive lower bound between a proved bound `from` and an achievable core count `to`:
 * a refutation of m holds for every schedule on ≤ m cores, so the bound is one more than the
 * largest refuted m. `to − 1` is tried first (refuted: `to` is optimal); then m = from, from + 1, …
 * until one is not refuted. `stop()` is checked between core counts.
 */
export function mCoreWindowsBound(
  p: WindowProblem,
  from: number,
  to: number,
  stop: () => boolean = () => false,
): MCoreWindowsBound {
  const top = Math.max(1, to - 1);
  const belowUpper = mCoreWindows(p, top);
  if (belowUpper.refutedBy !== undefined) return { lowerBound: Math.max(from, top + 1), belowUpper };
  let m = Math.max(1, from);
  while (m < top && !stop() && mCoreWindows(p, m).refutedBy !== undefined) m++;
  return { lowerBound: Math.max(from, m), belowUpper };
}

/** Busy (WCET > 0) nodes of `nodes` into `out`. */
function busyOf(nodes: readonly number[], wcet: ArrayLike<number>, out: number[]): void {
  out.length = 0;
  for (const v of nodes) if (wcet[v]! > 0) out.push(v);
}
