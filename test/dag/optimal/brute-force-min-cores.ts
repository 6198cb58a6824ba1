import { computeTiming } from '../../../src/dag/analysis/timing.js';
import type { Dag } from '../../../src/dag/dag-task.js';

const EPS = 1e-9;

/**
 * Exact minimum number of identical cores for a non-preemptive schedule with makespan ≤ D, by
 * exhaustive search; for tiny DAGs only (test oracle of the `optimal` method).
 *
 * Why it is exact: take any feasible schedule and list its nodes by start time. Replaying that
 * list, placing each node at the end of its own core at `max(pred finishes, core free time)`,
 * starts every node no later than the schedule did (induction), so it also meets D. The search
 * enumerates every such list (every ready node next) and every core for it, so it finds a
 * feasible replay whenever any feasible schedule exists. Idle time is allowed implicitly: a node
 * waits for its predecessors, never for "work conservation". Cores are interchangeable, so only
 * cores with distinct free times are tried; states already refuted are memoized.
 */
export function bruteForceMinCores(dag: Dag, deadline: number): number {
  let busy = 0;
  for (let v = 0; v < dag.n; v++) if (dag.wcet[v]! > 0) busy++;
  for (let m = 1; m < Math.max(1, busy); m++) if (feasibleOnCores(dag, deadline, m)) return m;
  return Math.max(1, busy);
}

/** Whether some non-preemptive schedule on `m` cores meets `deadline` (exhaustive search). */
export function feasibleOnCores(dag: Dag, deadline: number, m: number): boolean {
  const { n, wcet, pred, succ } = dag;
  const { lst } = computeTiming(dag, deadline);
  const tol = EPS * Math.max(1, deadline);
  const placed = new Uint8Array(n);
  const finish = new Float64Array(n);
  const coreFree = new Float64Array(m);
  const refuted = new Set<string>();

  const stateKey = (): string => {
    const live: string[] = [];
    for (let v = 0; v < n; v++)
      if (placed[v] && succ[v]!.some((w) => !placed[w])) live.push(`${v}:${finish[v]}`);
    const free = Array.from(coreFree).sort((a, b) => a - b);
    return `${Array.from(placed).join('')}|${free.join(',')}|${live.join(',')}`;
  };

  const search = (count: number): boolean => {
    if (count === n) return true;
    const key = stateKey();
    if (refuted.has(key)) return false;
    for (let v = 0; v < n; v++) {
      if (placed[v] || pred[v]!.some((u) => !placed[u])) continue;
      let ready = 0;
      for (const u of pred[v]!) ready = Math.max(ready, finish[u]!);
      placed[v] = 1;
      if (wcet[v]! === 0) {
        // A zero-length node occupies no core time.
        if (ready <= lst[v]! + tol) {
          finish[v] = ready;
          if (search(count + 1)) return true;
        }
      } else {
        const tried = new Set<number>();
        for (let c = 0; c < m; c++) {
          const free = coreFree[c]!;
          if (tried.has(free)) continue;
          tried.add(free);
          const start = Math.max(ready, free);
          if (start > lst[v]! + tol) continue; // finishing after LFT misses D on some path
          finish[v] = start + wcet[v]!;
          coreFree[c] = finish[v]!;
          const ok = search(count + 1);
          coreFree[c] = free;
          if (ok) return true;
        }
      }
      placed[v] = 0;
    }
    refuted.add(key);
    return false;
  };
  return search(0);
}
