/**
 * The MILP of the `optimal` method: the minimum number of identical cores on which a DAG task
 * has a non-preemptive schedule with makespan ≤ D, written in CPLEX LP format for HiGHS.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Timing } from '../analysis/timing.js';
import type { TimeBudget } from '../schedule/time-budget.js';
import type { Dag } from '../dag-task.js';
import { timeLeq } from '../time-tolerance.js';
import { binariesSection, wrapLpLines } from './lp-text.js';

/** A candidate "v runs directly after u on the same core" variable. */
export interface SuccessorPair {
  /** Earlier node (index). */
  u: number;
  /** Later node (index). */
  v: number;
  /** Column name of the binary `x_uv`. */
  name: string;
}

/** Options of {@link buildMinCoresMilp}. */
export interface MinCoresMilpOptions {
  /** A proved lower bound on the core count, added as a cut (default 1). */
  lowerBound?: number;
  /** A known achievable core count; solutions above it are cut off (default: none). */
  upperBound?: number;
  /** Checked while building: once spent, the build stops with an `ArbiterError` `time-limit`. */
  budget?: TimeBudget;
}

/**
 * Seconds HiGHS needs per successor variable before its time limit can act (reading, presolve,
 * first LP), measured on the 2-core bench machine: 38,713 pairs 2.4 s, 88,135 pairs 4.5 s,
 * 538,073 pairs 13.9 s (bench/results/scale.md); the larger per-pair figure is kept.
 */
export const MILP_SECONDS_PER_PAIR = 5e-5;

/**
 * Process memory per successor variable while HiGHS holds the model (LP text, model, presolve),
 * measured as above: 4.6 KB per pair at 88,135 pairs, 2.7 KB at 538,073.
 */
export const MILP_BYTES_PER_PAIR = 5000;

/**
 * Most memory the solver may use: the WebAssembly build of HiGHS cannot grow past 2 GiB, and a
 * model that does not fit aborts the whole process.
 */
export const MILP_MEMORY_LIMIT_BYTES = 2 ** 31;

/**
 * The number of successor variables (`x_uv`) of {@link buildMinCoresMilp}'s model, counted without
 * building it, stopping early once the count exceeds `stopAbove` (the count returned is then
 * `stopAbove + 1`). O(n²) bit tests: a cheap check before a model that may not fit.
 */
export function countMilpPairs(dag: Dag, timing: Timing, stopAbove = Infinity): number {
  const { n, wcet } = dag;
  const admissible = admissiblePair(dag, timing, descendants(dag));
  let count = 0;
  for (let u = 0; u < n; u++) {
    if (!(wcet[u]! > 0)) continue;
    for (let v = 0; v < n; v++) if (wcet[v]! > 0 && admissible(u, v) && ++count > stopAbove) return count;
  }
  return count;
}

/**
 * Whether busy nodes u, v get a successor variable `x_uv`: v may run directly after u on one
 * core only if v is not an ancestor of u and u can finish before v's latest start.
 */
function admissiblePair(
  dag: Dag,
  timing: Timing,
  desc: readonly Uint32Array[],
): (u: number, v: number) => boolean {
  const { est, lst } = timing;
  const wcet = dag.wcet;
  return (u, v) =>
    u !== v &&
    ((desc[v]![u >>> 5]! >>> (u & 31)) & 1) === 0 &&
    timeLeq(est[u]! + wcet[u]!, lst[v]!, timing.deadline);
}

/** The model text and what is needed to map solutions to and from it. */
export interface MinCoresMilp {
  /** The model in CPLEX LP format. */
  lp: string;
  /** Nodes with WCET > 0, the only ones that occupy a core (zero-length nodes fit anywhere). */
  busy: number[];
  /** The successor variables, one per admissible ordered pair. */
  pairs: SuccessorPair[];
  /** Column name of the start time of each node, by node index. */
  startNames: string[];
}

/**
 * Builds the min-cores MILP: a minimum path cover with time windows.
 *
 * - `s_v ∈ [EST_v, LST_v]` (continuous start times; with the DAG edges `s_v ≥ s_u + C_u` this
 *   alone guarantees every finish ≤ D);
 * - binary `x_uv` = "v runs directly after u on the same core", only for busy nodes with v not an
 *   ancestor of u and `EFT_u ≤ LST_v`; each node has ≤ 1 core successor and ≤ 1 core predecessor;
 * - `s_v ≥ s_u + C_u − M_uv (1 − x_uv)` with the tightest `M_uv = LST_u + C_u − EST_v`, written
 *   only where the windows do not already imply it (not when v is a descendant of u);
 * - minimize `cores = |busy| − Σ x` (every core runs one path of x).
 *
 * Cuts: `x_uv + x_vu ≤ 1`, and `Σ x ≤ |busy| − lowerBound`. A cycle of x is impossible because
 * every busy node has C > 0, so an optimal x is a set of chains, one per core. Exactness: any
 * feasible schedule gives such x (each core's nodes in start order) and s; conversely chains
 * plus start times satisfying the rows form a schedule on `cores` cores with makespan ≤ D.
 * Symmetry: no variable names a core, so the m! relabellings of the cores that an assignment
 * model must cut ("core k used only if core k − 1 is") are the same solution here.
 */
export function buildMinCoresMilp(dag: Dag, timing: Timing, options: MinCoresMilpOptions = {}): MinCoresMilp {
  const { n, wcet } = dag;
  const { est, lst } = timing;
  const desc = descendants(dag);
  const reaches = (a: number, b: number): boolean => ((desc[a]![b >>> 5]! >>> (b & 31)) & 1) === 1;
  const admissible = admissiblePair(dag, timing, desc);

  const busy: number[] = [];
  for (let v = 0; v < n; v++) if (wcet[v]! > 0) busy.push(v);
  const startNames = Array.from({ length: n }, (_, v) => `s${v}`);
  const pairs: SuccessorPair[] = [];
  for (const u of busy) {
    if (options.budget?.expired)
      throw new ArbiterError(
        'time-limit',
        `time limit reached while building the MILP (${pairs.length} variables so far)`,
      );
    for (const v of busy) if (admissible(u, v)) pairs.push({ u, v, name: `x${u}_${v}` });
  }

  const rows: string[] = [];
  const outOf = new Map<number, string[]>();
  const into = new Map<number, string[]>();
  const pairName = new Map<string, string>();
  for (const p of pairs) {
    push(outOf, p.u, p.name);
    push(into, p.v, p.name);
    pairName.set(`${p.u},${p.v}`, p.name);
  }
  for (const [u, names] of outOf) if (names.length > 1) rows.push(`out${u}: ${sum(names)} <= 1`);
  for (const [v, names] of into) if (names.length > 1) rows.push(`in${v}: ${sum(names)} <= 1`);
  for (const p of pairs) {
    const back = pairName.get(`${p.v},${p.u}`);
    if (back !== undefined && p.u < p.v) rows.push(`two${p.u}_${p.v}: ${p.name} + ${back} <= 1`);
  }
  for (const [u, v] of dag.edges) {
    // Windows already imply the edge when u's latest finish is ≤ v's earliest start.
    if (lst[u]! + wcet[u]! <= est[v]!) continue;
    rows.push(`e${u}_${v}: ${startNames[v]} - ${startNames[u]} >= ${num(wcet[u]!)}`);
  }
  for (const { u, v, name } of pairs) {
    if (reaches(u, v)) continue; // a descendant starts after u finishes anyway
    const M = lst[u]! + wcet[u]! - est[v]!;
    if (M <= 0) continue;
    rows.push(`q${u}_${v}: ${startNames[v]} - ${startNames[u]} - ${num(M)} ${name} >= ${num(wcet[u]! - M)}`);
  }
  const P = busy.length;
  const allX = pairs.map((p) => p.name);
  const lb = options.lowerBound ?? 1;
  if (allX.length > 0 && lb > 1) rows.push(`lb: ${sum(allX)} <= ${P - lb}`);
  if (allX.length > 0 && options.upperBound !== undefined && options.upperBound < P)
    rows.push(`ub: ${sum(allX)} >= ${P - options.upperBound}`);

  const lines: string[] = ['Minimize', ` obj: ${P}${allX.map((x) => ` - ${x}`).join('')}`, 'Subject To'];
  for (const r of rows) lines.push(` ${r}`);
  // A model needs at least one row for some LP readers; this one is always true.
  if (rows.length === 0) lines.push(` none: ${startNames[0]} >= 0`);
  lines.push('Bounds');
  for (let v = 0; v < n; v++) {
    const lo = est[v]!;
    const hi = Math.max(lo, lst[v]!); // rounding may put LST a few ulps below EST when slack is 0
    lines.push(` ${num(lo)} <= ${startNames[v]} <= ${num(hi)}`);
  }
  lines.push(...binariesSection(allX));
  lines.push('End');
  return { lp: wrapLpLines(lines).join('\n'), busy, pairs, startNames };
}

/**
 * A MIP start for {@link buildMinCoresMilp}'s model from a timetable: the chains (busy nodes of
 * each core in start order) and the start time of every node by index. Pairs that the model does
 * not have are skipped (the start is then incomplete and HiGHS may reject it, which is harmless).
 */
export function milpStart(
  milp: MinCoresMilp,
  chains: readonly (readonly number[])[],
  start: ArrayLike<number>,
): Map<string, number> {
  const values = new Map<string, number>();
  for (const p of milp.pairs) values.set(p.name, 0);
  const byPair = new Map<string, string>();
  for (const p of milp.pairs) byPair.set(`${p.u},${p.v}`, p.name);
  for (const chain of chains) {
    for (let k = 0; k + 1 < chain.length; k++) {
      const name = byPair.get(`${chain[k]},${chain[k + 1]}`);
      if (name !== undefined) values.set(name, 1);
    }
  }
  milp.startNames.forEach((name, v) => values.set(name, start[v]!));
  return values;
}

/**
 * Reads the chains (one per core, busy nodes in order) from a MILP solution's x values. Returns
 * `undefined` when the values do not form disjoint paths covering every busy node exactly once.
 */
export function chainsFromSolution(
  milp: MinCoresMilp,
  values: ReadonlyMap<string, number>,
): number[][] | undefined {
  const next = new Map<number, number>();
  const hasPrev = new Set<number>();
  for (const p of milp.pairs) {
    if ((values.get(p.name) ?? 0) <= 0.5) continue;
    if (next.has(p.u) || hasPrev.has(p.v)) return undefined;
    next.set(p.u, p.v);
    hasPrev.add(p.v);
  }
  const chains: number[][] = [];
  let covered = 0;
  for (const head of milp.busy) {
    if (hasPrev.has(head)) continue;
    const chain: number[] = [];
    for (let v: number | undefined = head; v !== undefined; v = next.get(v)) chain.push(v);
    covered += chain.length;
    chains.push(chain);
  }
  // Nodes on a cycle are never reached from a chain head.
  return covered === milp.busy.length ? chains : undefined;
}

/** Descendant bitsets (`desc[u]` has bit v when v is reachable from u by a non-empty path). */
function descendants(dag: Dag): Uint32Array[] {
  const words = (dag.n + 31) >>> 5;
  const desc = Array.from({ length: dag.n }, () => new Uint32Array(words));
  for (let k = dag.n - 1; k >= 0; k--) {
    const u = dag.topoOrder[k]!;
    const row = desc[u]!;
    for (const w of dag.succ[u]!) {
      row[w >>> 5]! |= 1 << (w & 31);
      const sub = desc[w]!;
      for (let i = 0; i < words; i++) row[i]! |= sub[i]!;
    }
  }
  return desc;
}

function push(map: Map<number, string[]>, key: number, name: string): void {
  const list = map.get(key);
  if (list) list.push(name);
  else map.set(key, [name]);
}

function sum(names: readonly string[]): string {
  return names.join(' + ');
}

/** A number as LP text: shortest round-trip decimal, never `-0`. */
function num(x: number): string {
  return x === 0 ? '0' : String(x);
}
