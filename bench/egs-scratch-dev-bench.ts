/**
 * `npm run bench -- egs-scratch-dev [key=value…]`: does the seeded `egs` method need its policy
 * episode from G? On the development set of `egs-search-dev-set.ts` (its own seeds, never the
 * held-out sets or the STG samples), `egs` with `fromScratch: true` (the greedy episode from G, then
 * the continuation from the list seed's G') against the default (the continuation only): mean cores,
 * which part answered, ms per DAG; written to bench/results/egs-scratch-dev.md. Every answer is
 * checked with `checkSchedule`.
 *
 * Keys: `per` (DAGs per generator and size, default 8), `cache` (JSON file of the deadlines,
 * default bench/results/egs-search-dev-deadlines.json), `out` (folder, bench/results).
 */
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import type { Dag } from '../src/dag/dag-task.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../src/dag/schedule/schedule-result.js';
import { loadEgsPolicyModel, SMALL_EGS_MODEL_PATH } from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../src/deploy/egs-policy-scheduler.js';
import { scheduleWithMethod } from '../src/deploy/schedule-method.js';
import { devSetPer, egsSearchDevSet } from './egs-search-dev-set.js';
import { describeMachine, loadAverages } from './machine.js';

interface Cell {
  cores: number[];
  ms: number[];
  invalid: number;
  /** Answers by source (the note's `answer from:`, shortened). */
  sources: Map<string, number>;
}

const KEYS = ['per', 'cache', 'out'];

// The part of a seeded `egs` call that answered.
function sourceOf(r: ScheduleResult): string {
  const from = /answer from: (.*)$/.exec(r.note ?? '')?.[1] ?? 'unknown';
  if (from.startsWith('policy continued')) return 'continuation';
  if (from.startsWith('policy')) return 'episode from G';
  return 'seed';
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** Runs the benchmark (see the file comment). */
export async function runEgsScratchDevBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  for (const k of Object.keys(opt))
    if (!KEYS.includes(k)) throw new Error(`egs-scratch-dev bench: unknown key ${k} (${KEYS.join('=, ')}=)`);
  const load = loadAverages;
  const loadAtStart = load();
  const t0 = performance.now();
  const tasks = await egsSearchDevSet({
    perGenerator: devSetPer(opt['per']),
    cache: opt['cache'] ?? 'bench/results/egs-search-dev-deadlines.json',
  });
  const scheduler = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));
  const variants = [
    { name: 'listsched', run: (dag: Dag) => scheduleWithMethod(dag, 'listsched') },
    {
      name: 'egs, from G too (before)',
      run: (dag: Dag) => Promise.resolve(scheduler.greedy(dag, { fromScratch: true })),
    },
    { name: 'egs (now)', run: (dag: Dag) => Promise.resolve(scheduler.greedy(dag)) },
  ];
  // Warm-up (JIT) on the first task, not counted.
  for (const v of variants) await v.run(tasks[0]!.dag);
  const cells = new Map<string, Cell>();
  let worse = 0;
  for (const t of tasks) {
    const got: number[] = [];
    // Interleaved per task, so the load hits both variants alike.
    for (const v of variants) {
      const key = `${t.set}|${v.name}`;
      const cell =
        cells.get(key) ?? cells.set(key, { cores: [], ms: [], invalid: 0, sources: new Map() }).get(key)!;
      const t1 = performance.now();
      const r = await v.run(t.dag);
      cell.ms.push(performance.now() - t1);
      cell.cores.push(r.feasible ? r.cores : t.dag.n);
      got.push(r.cores);
      if (!r.feasible || !checkSchedule(t.dag, r).ok) cell.invalid++;
      const s = v.name === 'listsched' ? 'listsched' : sourceOf(r);
      cell.sources.set(s, (cell.sources.get(s) ?? 0) + 1);
    }
    if (got[2]! > got[1]!) worse++;
  }
  const sets = [...new Set(tasks.map((t) => t.set))];
  const src = (c: Cell, s: string): number => c.sources.get(s) ?? 0;
  const lines = [
    '# Seeded `egs`: the policy episode from G, or the continuation from the seed only',
    '',
    `Machine: ${describeMachine()}. Command: \`npm run bench -- egs-scratch-dev${args.length ? ' ' + args.join(' ') : ''}\`.`,
    `Load average at start ${loadAtStart}, at end ${load()}; wall ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
    '',
    'Development DAGs of `bench/egs-search-dev-set.ts` (seed base 0x0de50000: no held-out seed, no STG',
    'sample), D = the best known makespan on m cores (cached deadlines). Small policy',
    '(`models/egs-graph-policy-small.json`), greedy, heuristic seed on. "Before": the greedy episode',
    "from G, then the policy's continuation from the list seed's G' (`fromScratch: true`); \"now\": the",
    'continuation only (the default). The variants run one after the other on each task.',
    '',
    '| set | DAGs | listsched mean cores | before mean cores | now mean cores | before: answers from episode from G / continuation / seed | now: continuation / seed | ms per DAG before (mean, p90) | now (mean, p90) | invalid |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const set of sets) {
    const [ls, before, now] = variants.map((v) => cells.get(`${set}|${v.name}`)!) as [Cell, Cell, Cell];
    lines.push(
      `| ${set} | ${now.cores.length} | ${mean(ls.cores).toFixed(2)} | ${mean(before.cores).toFixed(2)} | ${mean(now.cores).toFixed(2)}` +
        ` | ${src(before, 'episode from G')} / ${src(before, 'continuation')} / ${src(before, 'seed')}` +
        ` | ${src(now, 'continuation')} / ${src(now, 'seed')}` +
        ` | ${mean(before.ms).toFixed(1)}, ${quantile(before.ms, 0.9).toFixed(1)} | ${mean(now.ms).toFixed(1)}, ${quantile(now.ms, 0.9).toFixed(1)}` +
        ` | ${before.invalid + now.invalid + ls.invalid} |`,
    );
  }
  const all = (name: string): Cell[] => sets.map((s) => cells.get(`${s}|${name}`)!);
  const flat = (name: string, f: (c: Cell) => number[]): number[] => all(name).flatMap(f);
  lines.push(
    '',
    `All ${tasks.length} tasks: mean cores before ${mean(flat(variants[1]!.name, (c) => c.cores)).toFixed(3)}, ` +
      `now ${mean(flat(variants[2]!.name, (c) => c.cores)).toFixed(3)} (now needs more cores on ${worse}); ` +
      `ms per DAG before ${mean(flat(variants[1]!.name, (c) => c.ms)).toFixed(1)}, now ${mean(flat(variants[2]!.name, (c) => c.ms)).toFixed(1)}.`,
    '',
  );
  const out = path.join(opt['out'] ?? 'bench/results', 'egs-scratch-dev.md');
  await writeFileAtomic(out, lines.join('\n'));
  console.log(lines.join('\n'));
}
