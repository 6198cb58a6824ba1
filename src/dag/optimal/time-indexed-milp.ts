/**
 * The time-indexed MILP of the `optimal` method for integer time grids: the fewest cores such that
 * at every time step at most that many nodes run, with "started by t" step variables. No core
 * labels appear in it, so it has none of the m! symmetric copies of an assignment model.
 */
import type { Dag } from '../dag-task.js';
import { binariesSection, wrapLpLines } from './lp-text.js';

/** Options of {@link buildTimeIndexedMilp}. */
export interface TimeIndexedMilpOptions {
  /** WCETs in grid units (integers), by node index. */
  wcet: ArrayLike<number>;
  /** Earliest start in grid units (integers), by node index. */
  est: ArrayLike<number>;
  /** Latest start in grid units (integers, ≥ est), by node index. */
  lst: ArrayLike<number>;
  /** Horizon: the latest finish, in grid units. */
  deadline: number;
  /** Smallest core count the model may answer (a proved lower bound). */
  minCores: number;
  /** Largest core count the model may answer. */
  maxCores: number;
  /**
   * Pairs `[u, v]` (node indices) that may be ordered `start_u ≤ start_v` without losing every
   * optimum ({@link dominancePairs}).
   */
  ordered?: readonly (readonly [number, number])[];
  /**
   * Minimize the makespan `Cmax ≥ start_v + C_v` (a column named `cmax`, at least this lower bound)
   * instead of the core count, which then stays `maxCores`.
   */
  makespanLowerBound?: number;
}

/** The model text and what is needed to read its solutions. */
export interface TimeIndexedMilp {
  /** The model in CPLEX LP format. */
  lp: string;
  /** Number of binary step variables. */
  variables: number;
  /** Earliest and latest start of each node, grid units (as given). */
  est: ArrayLike<number>;
  lst: ArrayLike<number>;
}

/**
 * Number of step variables and an estimate of the model's nonzeros, computed without building it:
 * a cheap check before a model that may not fit.
 */
export function timeIndexedSize(
  dag: Dag,
  wcet: ArrayLike<number>,
  est: ArrayLike<number>,
  lst: ArrayLike<number>,
): { variables: number; nonzeros: number } {
  let variables = 0;
  let nonzeros = 0;
  for (let v = 0; v < dag.n; v++) {
    const w = lst[v]! - est[v]!;
    variables += w;
    // Monotonicity, capacity (each step variable enters ≤ 2 capacity rows) and precedence rows.
    nonzeros += 2 * w + (wcet[v]! > 0 ? 2 * (w + wcet[v]!) : 0) + 2 * w * dag.succ[v]!.length;
  }
  return { variables, nonzeros };
}

/**
 * Builds the time-indexed model on an integer grid. For node v with window [e, l], binary
 * `x_v_t` (e ≤ t < l) means "v has started by t"; X_v(t) is 0 before e and 1 from l on, so
 * `start_v = l − Σ_t x_v_t`. Rows:
 *
 * - monotone: `x_v_t ≤ x_v_{t+1}`;
 * - precedence u → v: `X_v(t) ≤ X_u(t − C_u)` (v started by t ⇒ u started by t − C_u);
 * - capacity at each step t: `Σ_v X_v(t) − X_v(t − C_v) ≤ cores` (the nodes running in [t, t+1));
 * - minimize `cores ∈ [minCores, maxCores]` (integer).
 *
 * Exact for integer data: a schedule with at most m nodes running at any time is an interval
 * family of clique number ≤ m, and interval graphs are perfect, so the nodes can be put on m cores
 * ({@link chainsFromStarts}); integer starts lose nothing (`timeGrid`). The step variables are
 * a unimodular change of the usual pulse variables, so the LP relaxation is the strong one.
 */
export function buildTimeIndexedMilp(dag: Dag, o: TimeIndexedMilpOptions): TimeIndexedMilp {
  const { n, succ } = dag;
  const { wcet, est, lst, deadline: H } = o;
  const name = (v: number, t: number): string => `x${v}_${t}`;
  // X_v(t) as a linear term: { constant } or a variable name.
  const X = (v: number, t: number): string | 0 | 1 => (t < est[v]! ? 0 : t >= lst[v]! ? 1 : name(v, t));
  const rows: string[] = [];
  let variables = 0;
  const binaries: string[] = [];
  for (let v = 0; v < n; v++) {
    for (let t = est[v]!; t < lst[v]!; t++) {
      binaries.push(name(v, t));
      variables++;
      if (t + 1 < lst[v]!) rows.push(`m${v}_${t}: ${name(v, t)} - ${name(v, t + 1)} <= 0`);
    }
  }
  for (let u = 0; u < n; u++) {
    for (const v of succ[u]!) {
      const c = wcet[u]!;
      for (let t = est[v]!; t < lst[v]!; t++) {
        const rhs = X(u, t - c);
        if (rhs === 1) break; // later t: u surely started by t − C_u
        rows.push(
          rhs === 0 ? `p${u}_${v}_${t}: ${name(v, t)} <= 0` : `p${u}_${v}_${t}: ${name(v, t)} - ${rhs} <= 0`,
        );
      }
    }
  }
  // Capacity rows: running_v(t) = X_v(t) − X_v(t − C_v).
  const terms: string[][] = Array.from({ length: H }, () => []);
  const constant = new Float64Array(H);
  for (let v = 0; v < n; v++) {
    const c = wcet[v]!;
    if (!(c > 0)) continue;
    for (let t = Math.max(0, est[v]!); t < Math.min(H, lst[v]! + c); t++) {
      const a = X(v, t);
      const b = X(v, t - c);
      if (a === 1) constant[t]!++;
      else if (a !== 0) terms[t]!.push(`+ ${a}`);
      if (b === 1) constant[t]!--;
      else if (b !== 0) terms[t]!.push(`- ${b}`);
    }
  }
  for (let t = 0; t < H; t++) {
    if (terms[t]!.length === 0 && constant[t]! <= o.minCores) continue;
    rows.push(`c${t}: ${terms[t]!.join(' ')} - cores <= ${-constant[t]!}`);
  }
  for (const [u, v] of o.ordered ?? []) {
    // start_u ≤ start_v ⇔ X_u(t) ≥ X_v(t) for every t.
    const lo = Math.min(est[u]!, est[v]!);
    const hi = Math.max(lst[u]!, lst[v]!);
    for (let t = lo; t < hi; t++) {
      const a = X(u, t);
      const b = X(v, t);
      if (a === 1 || b === 0) continue;
      if (a === 0) rows.push(`d${u}_${v}_${t}: ${b} <= 0`);
      else if (b === 1) rows.push(`d${u}_${v}_${t}: ${a} >= 1`);
      else rows.push(`d${u}_${v}_${t}: ${a} - ${b} >= 0`);
    }
  }
  const byMakespan = o.makespanLowerBound !== undefined;
  if (byMakespan) {
    // start_v + C_v = lst_v − Σ_t x_v_t + C_v ≤ cmax, for the sinks (every finish is ≤ some sink's).
    for (let v = 0; v < n; v++) {
      if (succ[v]!.length > 0) continue;
      const steps: string[] = [];
      for (let t = est[v]!; t < lst[v]!; t++) steps.push(` + ${name(v, t)}`);
      rows.push(`f${v}: cmax${steps.join('')} >= ${lst[v]! + wcet[v]!}`);
    }
  }
  const lines = ['Minimize', byMakespan ? ' obj: cmax' : ' obj: cores', 'Subject To'];
  for (const r of rows) lines.push(` ${r}`);
  lines.push(` lo: cores >= ${o.minCores}`);
  lines.push('Bounds', ` ${o.minCores} <= cores <= ${o.maxCores}`);
  if (byMakespan) lines.push(` ${o.makespanLowerBound} <= cmax <= ${H}`);
  lines.push('General', ' cores');
  if (byMakespan) lines.push(' cmax');
  lines.push(...binariesSection(binaries));
  lines.push('End');
  return { lp: wrapLpLines(lines).join('\n'), variables, est, lst };
}

/**
 * Start times (grid units) from a solution's step values: `start_v = lst_v − Σ_t x_v_t`.
 */
export function startsFromSolution(
  dag: Dag,
  milp: TimeIndexedMilp,
  values: ReadonlyMap<string, number>,
): Float64Array {
  const start = new Float64Array(dag.n);
  for (let v = 0; v < dag.n; v++) {
    let started = 0;
    for (let t = milp.est[v]!; t < milp.lst[v]!; t++) if ((values.get(`x${v}_${t}`) ?? 0) > 0.5) started++;
    start[v] = milp.lst[v]! - started;
  }
  return start;
}

/**
 * Core sequences for given start times: busy nodes in start order, each on a core free at its
 * start (the one free longest), so the cores used equal the most nodes running at once (interval
 * partitioning). Nodes with WCET 0 are left out (they occupy no core).
 */
export function chainsFromStarts(wcet: ArrayLike<number>, start: ArrayLike<number>): number[][] {
  const nodes: number[] = [];
  for (let v = 0; v < wcet.length; v++) if (wcet[v]! > 0) nodes.push(v);
  nodes.sort((a, b) => start[a]! - start[b]! || a - b);
  const chains: number[][] = [];
  const free: number[] = [];
  for (const v of nodes) {
    let pick = -1;
    for (let c = 0; c < chains.length; c++)
      if (free[c]! <= start[v]! && (pick < 0 || free[c]! < free[pick]!)) pick = c;
    if (pick < 0) {
      pick = chains.length;
      chains.push([]);
      free.push(0);
    }
    chains[pick]!.push(v);
    free[pick] = start[v]! + wcet[v]!;
  }
  return chains;
}

/**
 * Pairs (u, v) of busy nodes that may be ordered `start_u ≤ start_v` together without losing
 * every optimum: equal WCET, `pred(u) ⊆ pred(v)` and `succ(v) ⊆ succ(u)` (ties between twins by
 * index). Why: exchanging u and v in a schedule (each takes the other's start and core) keeps it
 * feasible when u is the one moved earlier, since its predecessors are among v's and its
 * successors include v's. Each such exchange of a pair out of order strictly lowers the number
 * of inversions against a fixed linear extension of this (acyclic) relation, so from any optimal
 * schedule finitely many exchanges reach an equally good one meeting all pairs at once.
 */
export function dominancePairs(dag: Dag, wcet: ArrayLike<number>, maxPairs = 2000): [number, number][] {
  const { n, pred, succ } = dag;
  const predSet = pred.map((p) => new Set(p));
  const succSet = succ.map((s) => new Set(s));
  const subset = (a: ReadonlySet<number>, b: ReadonlySet<number>): boolean => {
    if (a.size > b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  };
  const pairs: [number, number][] = [];
  for (let u = 0; u < n && pairs.length < maxPairs; u++) {
    if (!(wcet[u]! > 0)) continue;
    for (let v = 0; v < n && pairs.length < maxPairs; v++) {
      if (v === u || wcet[v] !== wcet[u]) continue;
      if (!subset(predSet[u]!, predSet[v]!) || !subset(succSet[v]!, succSet[u]!)) continue;
      const back = subset(predSet[v]!, predSet[u]!) && subset(succSet[u]!, succSet[v]!);
      if (back && v < u) continue; // twins: order by index only
      pairs.push([u, v]);
    }
  }
  return pairs;
}

/**
 * A MIP start for {@link buildTimeIndexedMilp}'s model from integer start times (grid units, each
 * within its window): `x_v_t = 1` iff `start_v ≤ t`, plus the given values of other columns.
 */
export function timeIndexedStart(
  dag: Dag,
  milp: TimeIndexedMilp,
  start: ArrayLike<number>,
  extra: Readonly<Record<string, number>> = {},
): Map<string, number> {
  const values = new Map<string, number>(Object.entries(extra));
  for (let v = 0; v < dag.n; v++)
    for (let t = milp.est[v]!; t < milp.lst[v]!; t++) values.set(`x${v}_${t}`, start[v]! <= t ? 1 : 0);
  return values;
}
