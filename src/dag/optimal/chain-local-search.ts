/**
 * Tabu search over core sequences toward a deadline: from core sequences (chains) whose ASAP
 * timetable ends after `target`, move one node at a time, off its core into any position of any
 * core, until the makespan is ≤ `target`. Only nodes on a longest path of G' (the DAG plus the
 * sequences' core edges) are moved: no other move can shorten it. Each step takes the best move of
 * a few such nodes (smallest makespan, then fewest nodes on a path longer than `target`), even a
 * worse one, unless its node moved within the last few steps (tabu) and it beats nothing found so
 * far; so the search walks off plateaus instead of stopping at the first local minimum. After
 * `stall` steps without a new best it restarts from the best, kicked by a few random moves
 * (on the 20 tasks of 50 nodes of the `egs-search-dev` development set, 20 DAGs per generator,
 * where the list portfolio stays above the lower bound: 12 met D on a core fewer with kicks, 10
 * without, 0.3 s each on a loaded machine; `optimal` 17 in 5 s).
 *
 * Unlike a list schedule, a sequence may keep a core idle while a ready node waits for a later
 * one, which the tightest deadlines can need. The answer is plain sequences: the caller builds
 * their ASAP timetable ({@link chainTimetable}) and checks it like any other. Memory is sized
 * up front (O(n + k)); a step costs O(movers · (n + k) · (n + e)).
 */
import { Rng } from '../../core/rng.js';
import type { Dag } from '../dag-task.js';
import { TimeBudget } from '../schedule/time-budget.js';
import { TIME_EPS } from '../time-tolerance.js';

/** Options of {@link chainLocalSearch}. */
export interface ChainLocalSearchOptions {
  /** Seed of the choice of nodes to move and of ties (default 0). */
  seed?: number;
  /** Wall-clock cap (default: a `new TimeBudget()`): once spent, the search ends within one core's scan. */
  budget?: TimeBudget;
  /** Most steps (default 2,000). */
  maxSteps?: number;
  /** Critical nodes whose moves are tried per step (default 6). */
  movers?: number;
  /** Steps without a new best after which the search restarts from the best, kicked (default 100). */
  stall?: number;
  /** Random moves of a kick (default 3; 0: no restarts). */
  kick?: number;
}

/** What {@link chainLocalSearch} found. */
export interface ChainLocalSearchResult {
  /** The best sequences found (non-empty ones; their nodes in core order). */
  chains: number[][];
  /** Their ASAP makespan. */
  makespan: number;
  /** Whether `makespan ≤ target`. */
  met: boolean;
  /** Steps taken. */
  steps: number;
}

/**
 * Searches sequences on at most `chains.length` cores whose ASAP makespan is ≤ `target` (see the
 * file comment), starting from `chains` (every node of WCET > 0 in exactly one; they must not
 * contradict the DAG). Deterministic for a seed unless `budget` cuts it.
 */
export function chainLocalSearch(
  dag: Dag,
  chains: readonly (readonly number[])[],
  target: number,
  options: ChainLocalSearchOptions = {},
): ChainLocalSearchResult {
  const { n, wcet, succ, pred } = dag;
  const k = chains.length;
  const budget = options.budget ?? new TimeBudget();
  const maxSteps = options.maxSteps ?? 2000;
  const movers = options.movers ?? 6;
  const rng = new Rng(options.seed ?? 0);
  const eps = TIME_EPS * Math.max(1, target);

  const stall = options.stall ?? 100;
  const kick = options.kick ?? 3;

  // Sequences as linked lists: the one structure a move changes in O(1).
  const prev = new Int32Array(n);
  const next = new Int32Array(n);
  const coreOf = new Int32Array(n);
  const head = new Int32Array(k);
  const load = (from: readonly (readonly number[])[]): void => {
    prev.fill(-1);
    next.fill(-1);
    coreOf.fill(-1);
    head.fill(-1);
    for (let c = 0; c < from.length; c++) {
      const chain = from[c]!;
      for (let i = 0; i < chain.length; i++) {
        const v = chain[i]!;
        if (coreOf[v] !== -1) throw new Error(`chainLocalSearch: node ${dag.ids[v]} is on two cores`);
        coreOf[v] = c;
        if (i === 0) head[c] = v;
        else {
          prev[v] = chain[i - 1]!;
          next[chain[i - 1]!] = v;
        }
      }
    }
  };
  load(chains);
  for (let v = 0; v < n; v++)
    if (coreOf[v] === -1 && wcet[v]! > 0)
      throw new Error(`chainLocalSearch: node ${dag.ids[v]} (WCET > 0) is on no core`);

  const indeg = new Int32Array(n);
  const order = new Int32Array(n);
  const est = new Float64Array(n);
  const tail = new Float64Array(n);
  // ASAP makespan of the current sequences and how many nodes lie on a path longer than target;
  // makespan Infinity when the sequences contradict the DAG (a cycle).
  let overflow = 0;
  const evaluate = (): number => {
    let len = 0;
    for (let v = 0; v < n; v++) {
      indeg[v] = pred[v]!.length + (prev[v]! >= 0 ? 1 : 0);
      est[v] = 0;
      if (indeg[v] === 0) order[len++] = v;
    }
    let makespan = 0;
    for (let i = 0; i < len; i++) {
      const v = order[i]!;
      const finish = est[v]! + wcet[v]!;
      if (finish > makespan) makespan = finish;
      for (const w of succ[v]!) {
        if (finish > est[w]!) est[w] = finish;
        if (--indeg[w]! === 0) order[len++] = w;
      }
      const w = next[v]!;
      if (w >= 0) {
        if (finish > est[w]!) est[w] = finish;
        if (--indeg[w]! === 0) order[len++] = w;
      }
    }
    if (len < n) return Infinity;
    overflow = 0;
    for (let i = n - 1; i >= 0; i--) {
      const v = order[i]!;
      let after = 0;
      for (const w of succ[v]!) if (tail[w]! > after) after = tail[w]!;
      if (next[v]! >= 0 && tail[next[v]!]! > after) after = tail[next[v]!]!;
      tail[v] = wcet[v]! + after;
      if (est[v]! + tail[v]! > target + eps) overflow++;
    }
    return makespan;
  };
  const remove = (v: number): void => {
    const p = prev[v]!;
    const q = next[v]!;
    if (p >= 0) next[p] = q;
    else head[coreOf[v]!] = q;
    if (q >= 0) prev[q] = p;
    prev[v] = next[v] = -1;
  };
  // Puts v on core c right after u (u = -1: first).
  const insert = (v: number, c: number, u: number): void => {
    const q = u >= 0 ? next[u]! : head[c]!;
    prev[v] = u;
    next[v] = q;
    coreOf[v] = c;
    if (u >= 0) next[u] = v;
    else head[c] = v;
    if (q >= 0) prev[q] = v;
  };
  const snapshot = (): number[][] => {
    const out: number[][] = [];
    for (let c = 0; c < k; c++) {
      const chain: number[] = [];
      for (let v = head[c]!; v >= 0; v = next[v]!) chain.push(v);
      if (chain.length > 0) out.push(chain);
    }
    return out;
  };
  const lessThan = (m1: number, o1: number, m2: number, o2: number): boolean =>
    m1 < m2 - eps || (m1 <= m2 + eps && o1 < o2);

  let makespan = evaluate();
  if (makespan === Infinity) throw new Error('chainLocalSearch: the sequences contradict the DAG');
  let best = { chains: snapshot(), makespan, overflow };
  const tabuUntil = new Int32Array(n);
  const critical: number[] = [];
  let steps = 0;
  let lastBest = 0;
  const busy: number[] = [];
  for (let v = 0; v < n; v++) if (wcet[v]! > 0) busy.push(v);
  while (best.makespan > target + eps && steps < maxSteps && !budget.expired) {
    steps++;
    if (kick > 0 && steps - lastBest > stall) {
      // Back to the best, then a few random moves that keep the sequences acyclic.
      load(best.chains);
      for (let i = 0; i < kick; i++) {
        const v = busy[Math.floor(rng.random() * busy.length)]!;
        const c = Math.floor(rng.random() * k);
        const fromCore = coreOf[v]!;
        const fromPrev = prev[v]!;
        remove(v);
        let u = -1;
        for (
          let w = head[c]!, skip = Math.floor(rng.random() * (n + 1));
          w >= 0 && skip > 0;
          w = next[w]!, skip--
        )
          u = w;
        insert(v, c, u);
        if (evaluate() === Infinity) {
          remove(v);
          insert(v, fromCore, fromPrev);
        }
      }
      tabuUntil.fill(0);
      makespan = evaluate();
      lastBest = steps;
    }
    critical.length = 0;
    for (let v = 0; v < n; v++) if (wcet[v]! > 0 && est[v]! + tail[v]! >= makespan - eps) critical.push(v);
    // A few critical nodes in random order (Fisher–Yates prefix).
    const tries = Math.min(movers, critical.length);
    for (let i = 0; i < tries; i++) {
      const j = i + Math.floor(rng.random() * (critical.length - i));
      [critical[i], critical[j]] = [critical[j]!, critical[i]!];
    }
    let move: { v: number; c: number; u: number; makespan: number; overflow: number } | undefined;
    let ties = 0;
    // The budget is checked per core scanned: one scan is O(n · (n + e)), long on large DAGs.
    for (let i = 0; i < tries && !budget.expired; i++) {
      const v = critical[i]!;
      const fromCore = coreOf[v]!;
      const fromPrev = prev[v]!;
      remove(v);
      for (let c = 0; c < k && !budget.expired; c++) {
        // u: the node v goes right after (-1: first on core c), walking core c.
        for (let u = -1; ;) {
          if (!(c === fromCore && u === fromPrev)) {
            insert(v, c, u);
            const m = evaluate();
            const o = overflow;
            remove(v);
            const allowed = tabuUntil[v]! <= steps || lessThan(m, o, best.makespan, best.overflow);
            if (m !== Infinity && allowed) {
              if (!move || lessThan(m, o, move.makespan, move.overflow)) {
                move = { v, c, u, makespan: m, overflow: o };
                ties = 1;
              } else if (!lessThan(move.makespan, move.overflow, m, o) && rng.random() * ++ties < 1)
                move = { v, c, u, makespan: m, overflow: o };
            }
          }
          const after = u < 0 ? head[c]! : next[u]!;
          if (after < 0) break;
          u = after;
        }
      }
      insert(v, fromCore, fromPrev);
    }
    if (!move) {
      makespan = evaluate();
      continue;
    }
    remove(move.v);
    insert(move.v, move.c, move.u);
    tabuUntil[move.v] = steps + 3 + Math.floor(rng.random() * 5);
    makespan = evaluate();
    if (lessThan(makespan, overflow, best.makespan, best.overflow)) {
      best = { chains: snapshot(), makespan, overflow };
      lastBest = steps;
    }
  }
  return {
    chains: best.chains,
    makespan: best.makespan,
    met: best.makespan <= target + eps,
    steps,
  };
}
