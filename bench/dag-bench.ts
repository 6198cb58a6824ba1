import { writeFileAtomic } from '../src/core/atomic-write.js';
import { analyzeDag } from '../src/dag/analysis/analyze-dag.js';
import { coreLowerBound } from '../src/dag/analysis/core-lower-bound.js';
import { computeTiming } from '../src/dag/analysis/timing.js';
import { transitiveClosure } from '../src/dag/analysis/transitive-closure.js';
import { dagWidth } from '../src/dag/analysis/width.js';
import type { Dag } from '../src/dag/dag-task.js';
import { generateDag } from '../src/dag/generate/generate-dag.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import { scheduleDag, SCHEDULE_METHODS, type ScheduleMethod } from '../src/dag/schedule/schedule-dag.js';
import { buildMinCoresMilp } from '../src/dag/optimal/min-cores-milp.js';
import { solveLp } from '../src/dag/optimal/highs-solver.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine, median, timeIt } from './machine.js';
import { mean } from '../src/core/statistics.js';

const SEED = 2026;

/** Slack factors cycled over a DAG set: tight to moderate deadlines. */
const SLACKS = [0.1, 0.2, 0.3, 0.4, 0.5];

function dagsOf(
  n: number,
  count: number,
  slack: number | readonly number[],
  kind: 'layered' | 'fork-join' = 'layered',
): Dag[] {
  return Array.from({ length: count }, (_, k) =>
    generateDag({
      kind,
      nodes: n,
      seed: SEED + 1000 * n + k + (kind === 'fork-join' ? 500 : 0),
      slack: typeof slack === 'number' ? slack : slack[k % slack.length]!,
    }),
  );
}

/** `npm run bench dag`: analysis, scheduler and exact-solver timings → bench/results/dag.md. */
export async function runDagBench(): Promise<void> {
  const out: string[] = [];
  const log = (s: string): void => {
    out.push(s);
    process.stderr.write(s + '\n');
  };
  log('# DAG layer benchmark');
  log('');
  log(`- machine: ${describeMachine()}`);
  log(
    `- command: \`npm run bench\` (bench/dag-bench.ts), seed ${SEED}, ${new Date().toISOString().slice(0, 10)}`,
  );
  log(
    '- layered random DAGs from `generateDag`; times are medians in ms (wall clock, shared machine: compare ratios within this file).',
  );
  log('');

  log('## Analysis time vs size');
  log('');
  log(
    'Full `analyzeDag` = timing + transitive closure + reduction + width (Hopcroft–Karp, antichain, chain cover) + core lower bound. Target: ≤ 20 ms at 300 nodes.',
  );
  log('');
  const analysisRows: (string | number)[][] = [];
  for (const n of [50, 100, 300, 1000]) {
    const dags = dagsOf(n, 5, 0.3);
    const per = async (fn: (d: Dag) => unknown): Promise<number> => {
      const ts: number[] = [];
      for (const d of dags) ts.push(median(await timeIt(() => fn(d), n >= 1000 ? 3 : 10, 2)));
      return median(ts);
    };
    analysisRows.push([
      n,
      Math.round(median(dags.map((d) => d.edges.length))),
      await per((d) => computeTiming(d)),
      await per((d) => transitiveClosure(d)),
      await per((d) => dagWidth(d)),
      await per((d) => coreLowerBound(d)),
      await per((d) => analyzeDag(d)),
    ]);
  }
  log(
    formatMarkdownTable(
      ['nodes', 'edges', 'timing', 'closure', 'width', 'lower bound', 'analyzeDag total'],
      analysisRows.map(roundRow),
    ),
  );
  log('');

  log('## Scheduler time and cores vs size');
  log('');
  log(
    'Slack factors 0.1–0.5 (two DAGs each), 10 layered DAGs per size; `optimal` with a 10 s limit, only up to 30 nodes. Every timetable passed `checkSchedule`. Mean cores are over the DAGs a method could schedule (column "timetable"). Note that the Graham bound with `D = L + s·(vol − L)` needs exactly `⌈1/s⌉` cores by construction.',
  );
  log('');
  const schedRows: (string | number)[][] = [];
  for (const n of [20, 50, 100]) {
    const dags = dagsOf(n, 10, SLACKS);
    for (const method of SCHEDULE_METHODS) {
      if (method === 'optimal' && n > 30) continue;
      const times: number[] = [];
      const cores: number[] = [];
      let feasible = 0;
      for (const d of dags) {
        const r = await scheduleDag(d, method as ScheduleMethod, { timeLimitS: 10 });
        const c = checkSchedule(d, r);
        if (!c.ok) throw new Error(`${d.name}/${method}: ${c.violations.join('; ')}`);
        times.push(r.timeMs);
        if (r.feasible) {
          feasible++;
          cores.push(r.cores);
        }
      }
      schedRows.push([
        n,
        method,
        cores.length ? mean(cores) : '-',
        `${feasible}/${dags.length}`,
        median(times),
      ]);
    }
  }
  log(
    formatMarkdownTable(
      ['nodes', 'method', 'mean cores', 'timetable', 'median time ms'],
      schedRows.map(roundRow),
    ),
  );
  log('');

  log('## Exact optimum (HiGHS MILP) vs size');
  log('');
  log(
    'Per size 10 layered + 10 fork-join DAGs, slack factors 0.1–0.5, time limit 10 s, HiGHS loaded before timing. `optimal` first tries list scheduling against the SPEC §2 lower bound; only when they differ does it build and solve the MILP. The bare-MILP columns solve the same model with only `⌈vol/D⌉` as a cut, no start solution and no shortcut: the time HiGHS itself needs to prove the optimum. Target: proves optimality on 20-node DAGs in ≤ 5 s.',
  );
  log('');
  await scheduleDag(dagsOf(10, 1, 0.2)[0]!, 'optimal'); // load the WASM solver once
  const optRows: (string | number)[][] = [];
  for (const n of [10, 15, 20, 25, 30]) {
    const dags = [...dagsOf(n, 10, SLACKS), ...dagsOf(n, 10, SLACKS, 'fork-join')];
    const times: number[] = [];
    const milpTimes: number[] = [];
    const bareTimes: number[] = [];
    let proved = 0;
    let bareProved = 0;
    for (const d of dags) {
      const r = await scheduleDag(d, 'optimal', { timeLimitS: 10 });
      const c = checkSchedule(d, r);
      if (!c.ok) throw new Error(`${d.name}/optimal: ${c.violations.join('; ')}`);
      times.push(r.timeMs);
      if (r.note?.startsWith('HiGHS')) milpTimes.push(r.timeMs);
      if (r.optimal) proved++;
      // The bare MILP, without the list-scheduling shortcut, start or SPEC §2 bound: the solver's own work.
      const timing = computeTiming(d);
      const milp = buildMinCoresMilp(d, timing, {
        lowerBound: Math.ceil(timing.volume / timing.deadline - 1e-6),
      });
      const sol = await solveLp(milp.lp, { timeLimitS: 10, mipRelGap: 0, mipAbsGap: 0.999 });
      bareTimes.push(sol.timeMs);
      if (sol.status === 'optimal') bareProved++;
    }
    optRows.push([
      n,
      `${proved}/${dags.length}`,
      `${milpTimes.length}/${dags.length}`,
      median(times),
      milpTimes.length ? median(milpTimes) : '-',
      Math.max(...times),
      `${bareProved}/${dags.length}`,
      median(bareTimes),
      Math.max(...bareTimes),
    ]);
  }
  log(
    formatMarkdownTable(
      [
        'nodes',
        'proved optimal',
        'needed the MILP',
        'median ms (all)',
        'median ms (MILP cases)',
        'max ms',
        'bare MILP proved',
        'bare MILP median ms',
        'bare MILP max ms',
      ],
      optRows.map(roundRow),
    ),
  );
  log('');

  await writeFileAtomic('bench/results/dag.md', out.join('\n'));
  process.stderr.write('wrote bench/results/dag.md\n');
}

function roundRow(row: (string | number)[]): (string | number)[] {
  return row.map((c) => (typeof c === 'number' ? Math.round(c * 100) / 100 : c));
}
