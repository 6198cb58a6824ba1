/**
 * Tabu search over core sequences toward a deadline: from core sequences (chains) whose ASAP
 * timetable ends after `target`, move one node at a time, off its core into any position of any
 * core, until the makespan is ≤ `target`. Only nodes on a longest path of G' (the DAG plus the
 * sequences' core edges) are moved: no other move can shorten it. Each step takes the best move of
 * a few such nodes (smallest makespan, then fewest nodes on a path longer than `target`), even a
 * worse one, unless its node moved within the last few steps (tabu) and it does not beat the
 * best makespan so far; so the search walks off plateaus instead of stopping at the first local minimum. After
 * `stall` steps without a new best it restarts from the best, kicked by a few random moves.
 *
 * A step times every insertion exactly in O(1): with v taken out, G' − v is timed once (start
 * times and tails), and v right after u and before q on a core gives the makespan
 * max(L(G' − v), max(finish of v's predecessors and of u) + WCET(v) + max(tail of v's successors and
 * of q)), since every path of the new G' either avoids v or runs through it. The insertion closes a
 * cycle exactly when u descends from one of v's successors or q is an ancestor of one of its
 * predecessors, found by one search each way. Only the insertions tied at the smallest makespan
 * (at most 8, sampled) are timed in full for the second criterion. So a step costs
 * O(movers · (n + e + k) + 8 · (n + e)) instead of O(movers · (n + k) · (n + e)), about 7× more
 * steps in the same time on 50 nodes.
 *
 * Unlike a list schedule, a sequence may keep a core idle while a ready node waits for a later
 * one, which the tightest deadlines can need. The answer is plain sequences: the caller builds
 * their ASAP timetable ({@link chainTimetable}) and checks it like any other. Memory is sized
 * up front (O(n + k)).
 */
import { Rng } from '../../core/rng.js';
import type { Dag } from '../dag-task.js';
import { TimeBudget } from '../schedule/time-budget.js';
import { TIME_EPS } from '../time-tolerance.js';

// Insertions at the smallest makespan of a step that are evaluated in full (for the overflow).
const TIE_CAP = 8;

// A move of a step: v onto core c right after u (-1: first), with its makespan and overflow.
interface Move {
  v: number;
  c: number;
  u: number;
  makespan: number;
  overflow: number;
}

/** Options of {@link chainLocalSearch}. */
export interface ChainLocalSearchOptions {
  /** Seed of the choice of nodes to move and of ties (default 0). */
  seed?: number;
  /** Wall-clock cap (default: a `new TimeBudget()`): once spent, the search ends within one core's scan. */
  budget?: TimeBudget;
  /** Most steps (default 100,000: on 50 nodes a budget of a second or less ends the search first). */
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
  const maxSteps = options.maxSteps ?? 100_000;
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
  // Descendants of v's successors and ancestors of its predecessors in G' − v, by stamp.
  const descMark = new Int32Array(n);
  const ancMark = new Int32Array(n);
  const queue = new Int32Array(n);
  let stamp = 0;
  // Marks with `stamp` everything reachable from `from` over `edges` and the chain link `link`.
  const reach = (
    mark: Int32Array,
    from: readonly number[],
    edges: readonly (readonly number[])[],
    link: Int32Array,
  ): void => {
    let len = 0;
    const visit = (w: number): void => {
      if (w < 0 || mark[w] === stamp) return;
      mark[w] = stamp;
      queue[len++] = w;
    };
    for (const w of from) visit(w);
    for (let i = 0; i < len; i++) {
      const x = queue[i]!;
      for (const w of edges[x]!) visit(w);
      visit(link[x]!);
    }
  };
  const markAround = (v: number): void => {
    stamp++;
    reach(descMark, succ[v]!, succ, next);
    reach(ancMark, pred[v]!, pred, prev);
  };
  const reservoir: Move[] = [];
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
    // Pass 1: the exact makespan of every insertion, O(1) each (see the file comment); the
    // insertions at the smallest makespan go to a reservoir of at most TIE_CAP.
    let bestM = Infinity;
    let seen = 0;
    reservoir.length = 0;
    // The budget is checked per mover: one costs O(n + e) plus O(1) per position.
    for (let i = 0; i < tries && !budget.expired; i++) {
      const v = critical[i]!;
      const fromCore = coreOf[v]!;
      const fromPrev = prev[v]!;
      remove(v);
      const without = evaluate();
      markAround(v);
      let predFinish = 0;
      for (const p of pred[v]!) predFinish = Math.max(predFinish, est[p]! + wcet[p]!);
      let succTail = 0;
      for (const w of succ[v]!) succTail = Math.max(succTail, tail[w]!);
      const tabu = tabuUntil[v]! > steps;
      for (let c = 0; c < k; c++) {
        // u: the node v goes right after (-1: first on core c), walking core c.
        for (let u = -1; ;) {
          const q = u < 0 ? head[c]! : next[u]!;
          // v after a descendant of its successors, or before an ancestor of its predecessors,
          // closes a cycle; no other insertion can (G' − v is acyclic).
          if (u >= 0 && descMark[u] === stamp) break;
          if (!(c === fromCore && u === fromPrev) && !(q >= 0 && ancMark[q] === stamp)) {
            const into = Math.max(predFinish, u >= 0 ? est[u]! + wcet[u]! : 0);
            const out = Math.max(succTail, q >= 0 ? tail[q]! : 0);
            const m = Math.max(without, into + wcet[v]! + out);
            // A tabu move only when it beats the best makespan so far (aspiration).
            if (!tabu || m < best.makespan - eps) {
              if (m < bestM - eps) {
                bestM = m;
                seen = 0;
                reservoir.length = 0;
              }
              if (m <= bestM + eps) {
                seen++;
                if (reservoir.length < TIE_CAP) reservoir.push({ v, c, u, makespan: m, overflow: 0 });
                else {
                  const j = Math.floor(rng.random() * seen);
                  if (j < TIE_CAP) reservoir[j] = { v, c, u, makespan: m, overflow: 0 };
                }
              }
            }
          }
          if (q < 0) break;
          u = q;
        }
      }
      insert(v, fromCore, fromPrev);
    }
    // Pass 2: the tied insertions evaluated in full for their overflow; the fewest wins.
    let move: Move | undefined;
    let ties = 0;
    for (const cand of reservoir) {
      const fromCore = coreOf[cand.v]!;
      const fromPrev = prev[cand.v]!;
      remove(cand.v);
      insert(cand.v, cand.c, cand.u);
      cand.makespan = evaluate();
      cand.overflow = overflow;
      remove(cand.v);
      insert(cand.v, fromCore, fromPrev);
      if (cand.makespan === Infinity) continue; // cannot happen after the cycle test; never applied
      if (!move || lessThan(cand.makespan, cand.overflow, move.makespan, move.overflow)) {
        move = cand;
        ties = 1;
      } else if (
        !lessThan(move.makespan, move.overflow, cand.makespan, cand.overflow) &&
        rng.random() * ++ties < 1
      )
        move = cand;
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
