/**
 * `npm run bench -- egs-speed [key=value…]`: how long the EGS policy methods take per DAG, against
 * the targets of issue 16 (`egs` ≤ 20 ms per 100-node DAG and ≤ 1 s per 1,000-node DAG;
 * `egs-search` ≤ 1 s per 100-node DAG), written to bench/results/egs-speed.md. The shipped models
 * (`egs`: the small policy, `egs-search`: the large one) on sampled layered / fork-join DAGs, half at
 * a tight deadline (the best list-schedule makespan on 4 cores) and half at slack 0.3; one call per
 * DAG, medians per row.
 *
 * Keys: `count` (100-node DAGs, default 8), `count1k` (1,000-node DAGs, 2), `budget` (seconds of an
 * unseeded 1,000-node episode, 10: it does not end by itself within minutes), `seed` (of the DAGs,
 * 0x5eed), `base` (a checkout of the code before a change, with its node_modules: its schedulers
 * run on the same DAGs in the same run, interleaved, for before/after ratios and a check that the
 * answers are the same), `kinds` (1: DAGs from `generateDag` of the four kinds, same-probability,
 * same-predecessors, layered and fork-join in turn, WCET 1–10, at tight deadlines D = the best
 * list-schedule makespan on m = 4, 2, 8 cores in turn, instead of the sampler's layered / fork-join
 * DAGs at tight m = 4 / slack 0.3), `out` (folder, bench/results).
 */
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { Rng } from '../src/core/rng.js';
import { withDeadline } from '../src/dag/build-dag.js';
import type { Dag } from '../src/dag/dag-task.js';
import { withSlackDeadline } from '../src/dag/generate/deadline.js';
import { generateDag, type DagKind } from '../src/dag/generate/generate-dag.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../src/dag/schedule/schedule-result.js';
import { LARGE_EGS_MODEL_PATH, SMALL_EGS_MODEL_PATH } from '../src/deploy/egs-policy-model.js';
import { DagSampler } from '../src/envs/egs/dag-sampler.js';
import { tightDeadline } from '../src/experiments/egs-benchmark-sets.js';
import { describeMachine, loadAverages, median } from './machine.js';

/** What a variant (this tree, or `base`) offers: its scheduler class and model loader. */
interface Variant {
  name: string;
  make(model: string): Scheduler;
}
interface Scheduler {
  greedy(dag: Dag, options: { heuristicSeed?: boolean; timeBudgetS?: number }): ScheduleResult;
  search(dag: Dag, options: object): ScheduleResult;
}

async function loadVariant(name: string, root: string): Promise<Variant> {
  const sched = (await import(path.resolve(root, 'src/deploy/egs-policy-scheduler.ts'))) as {
    EgsPolicyScheduler: new (model: unknown) => Scheduler;
  };
  const model = (await import(path.resolve(root, 'src/deploy/egs-policy-model.ts'))) as {
    loadEgsPolicyModel(file: string): unknown;
  };
  return { name, make: (file) => new sched.EgsPolicyScheduler(model.loadEgsPolicyModel(file)) };
}

interface Row {
  method: string;
  nodes: number;
  regime: string;
  targetMs: number | undefined;
  ms: Record<string, number[]>;
  cores: Record<string, number[]>;
  same: number;
  calls: number;
  invalid: number;
  notes: Set<string>;
}

// Edges an unseeded episode had added when the budget cut it (from its note), or the answer's.
function edgesOf(r: ScheduleResult): number {
  const m = /after (\d+) edges/.exec(r.note ?? '');
  return m ? Number(m[1]) : r.addedEdges.length;
}

/** Runs the benchmark (see the file comment). */
export async function runEgsSpeedBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  const num = (k: string, d: number): number => (opt[k] !== undefined ? Number(opt[k]) : d);
  const t0 = performance.now();
  const load = loadAverages;
  const loadAtStart = load();
  // A full collection before each timed call, so that neither variant pays for the other's garbage.
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  const budget = num('budget', 10);
  const variants = [await loadVariant('new', '.')];
  if (opt['base'] !== undefined) variants.unshift(await loadVariant('base', opt['base']));
  const rng = new Rng(num('seed', 0x5eed));
  const kinds = opt['kinds'] === '1';
  const KINDS: DagKind[] = ['same-probability', 'same-predecessors', 'layered', 'fork-join'];
  let drawn = 0;
  const sample = (n: number, count: number): { dag: Dag; regime: string }[] => {
    if (kinds)
      return Array.from({ length: count }, (_, k) => {
        const seed = num('seed', 0x5eed) + drawn++;
        const dag = generateDag({ kind: KINDS[k % 4]!, nodes: n, seed, wcetMin: 1, wcetMax: 10 });
        const m = [4, 2, 8][k % 3]!;
        return { dag: withDeadline(dag, tightDeadline(dag, m)), regime: `tight (m = ${m})` };
      });
    const sampler = new DagSampler({ nodes: [n, n], slack: [0, 0] });
    return Array.from({ length: count }, (_, k) => {
      const dag = sampler.sample(rng);
      return k % 2 === 0
        ? { dag: withDeadline(dag, tightDeadline(dag, 4)), regime: 'tight (m = 4)' }
        : { dag: withSlackDeadline(dag, 0.3), regime: 'slack 0.3' };
    });
  };
  const warm = [...sample(30, 2), ...sample(100, 2)];
  const small = sample(100, num('count', 8));
  const large = sample(1000, num('count1k', 2));
  const rows = new Map<string, Row>();
  const cases: {
    method: string;
    model: string;
    targetMs: number | undefined;
    dags: { dag: Dag; regime: string }[];
    call: (s: Scheduler, dag: Dag) => ScheduleResult;
  }[] = [
    {
      method: 'egs (seeded, default)',
      model: SMALL_EGS_MODEL_PATH,
      targetMs: undefined,
      dags: [...small, ...large],
      call: (s, dag) => s.greedy(dag, {}),
    },
    {
      method: 'egs (unseeded)',
      model: SMALL_EGS_MODEL_PATH,
      targetMs: undefined,
      dags: small,
      call: (s, dag) => s.greedy(dag, { heuristicSeed: false }),
    },
    {
      method: `egs (unseeded, ${budget} s budget)`,
      model: SMALL_EGS_MODEL_PATH,
      targetMs: undefined,
      dags: large,
      call: (s, dag) => s.greedy(dag, { heuristicSeed: false, timeBudgetS: budget }),
    },
    {
      method: 'egs-search',
      model: LARGE_EGS_MODEL_PATH,
      targetMs: 1000,
      dags: small,
      call: (s, dag) => s.search(dag, {}),
    },
  ];
  for (const c of cases) {
    const schedulers = variants.map((v) => v.make(c.model));
    for (const s of schedulers) for (const w of warm) c.call(s, w.dag);
    c.dags.forEach(({ dag, regime }, k) => {
      const key = `${c.method}|${dag.n}|${regime}`;
      const target = c.targetMs ?? (c.method.startsWith('egs (') ? (dag.n <= 100 ? 20 : 1000) : undefined);
      const row =
        rows.get(key) ??
        rows
          .set(key, {
            method: c.method,
            nodes: dag.n,
            regime,
            targetMs: target,
            ms: {},
            cores: {},
            same: 0,
            calls: 0,
            invalid: 0,
            notes: new Set(),
          })
          .get(key)!;
      // Alternate the order of the variants so that drift in the machine's load spreads evenly.
      const order = k % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
      const answers: (ScheduleResult | undefined)[] = [];
      for (const i of order) {
        collect();
        const cpu = process.cpuUsage();
        const t = performance.now();
        const r = c.call(schedulers[i]!, dag);
        const ms = performance.now() - t;
        const used = process.cpuUsage(cpu);
        const name = variants[i]!.name;
        (row.ms[name] ??= []).push(ms);
        (row.ms[`${name} cpu`] ??= []).push((used.user + used.system) / 1000);
        (row.cores[name] ??= []).push(r.cores);
        if (checkSchedule(dag, r).violations.length > 0 || !r.feasible) row.invalid++;
        if (/budget/.test(r.note ?? '')) {
          row.notes.add(`${name}: cut by the time budget (${edgesOf(r)} edges)`);
          (row.ms[`${name} edges/s`] ??= []).push((edgesOf(r) / ms) * 1000);
        }
        answers[i] = r;
      }
      row.calls++;
      const [a, b] = answers;
      if (
        b === undefined ||
        (a!.cores === b.cores && JSON.stringify(a!.addedEdges) === JSON.stringify(b.addedEdges))
      )
        row.same++;
    });
  }
  const hasBase = variants.length > 1;
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    '# EGS policy methods: time per DAG',
    '',
    `Machine: ${describeMachine()}. Command: \`npm run bench -- egs-speed ${args.join(' ')}\`.`.replace(
      ' `.',
      '`.',
    ),
    `Load average at start ${loadAtStart}, at end ${load()}; wall ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
    '',
    kinds
      ? 'One call per DAG (`generateDag` DAGs, same-probability / same-predecessors / layered / fork-join in turn,\n' +
        'WCET 1–10; tight (m): D = the best list-schedule makespan on m cores), median ms per DAG; `egs` with the\n' +
        'small policy, `egs-search`'
      : 'One call per DAG (sampled layered / fork-join DAGs; tight: D = the best list-schedule makespan on\n' +
        '4 cores; slack: D = L + 0.3·(vol − L)), median ms per DAG; `egs` with the small policy, `egs-search`',
    'with the large one (its search time, 0.5 s by default, bounds it). Targets (issue 16): `egs` ≤ 20 ms',
    'per 100-node DAG and ≤ 1 s per 1,000-node DAG; `egs-search` ≤ 1 s per 100-node DAG. The unseeded',
    '1,000-node episode runs until its time budget; its rate is edges decided per second. Wall ms and,',
    'in brackets, the CPU ms of the process (user + system) during the call: on a shared machine the',
    'wall time grows with the load, the CPU time much less, so speed-ups and "met" use the CPU time.',
    hasBase
      ? `\`base\` = the code at \`${opt['base']}\` on the same DAGs in the same run (interleaved); ` +
        '"same answers" counts the DAGs where both gave the same cores and the same added edges.'
      : '',
    '',
    `| method | nodes | deadline | DAGs | ${hasBase ? 'base ms (CPU ms) | ' : ''}ms (CPU ms) | ${hasBase ? 'speed-up (CPU) | ' : ''}target | met (CPU) | mean cores | ${hasBase ? 'same answers | ' : ''}invalid |`,
    `|---|---|---|---|${hasBase ? '---|' : ''}---|${hasBase ? '---|' : ''}---|---|---|${hasBase ? '---|' : ''}---|`,
  ];
  const notes: string[] = [];
  for (const r of rows.values()) {
    const cut = r.ms['new edges/s'] !== undefined;
    const value = (name: string): number => median(r.ms[name] ?? [NaN]);
    const cell = (name: string): string =>
      cut ? `${fmt(value(`${name} edges/s`))} edges/s` : `${fmt(value(name))} (${fmt(value(`${name} cpu`))})`;
    const ratio = cut ? value('new edges/s') / value('base edges/s') : value('base cpu') / value('new cpu');
    const met =
      r.targetMs === undefined ? '' : cut ? 'no (cut)' : value('new cpu') <= r.targetMs ? 'yes' : 'no';
    const cores = (r.cores['new'] ?? []).reduce((a, b) => a + b, 0) / Math.max(1, r.calls);
    lines.push(
      `| ${r.method} | ${r.nodes} | ${r.regime} | ${r.calls} | ${hasBase ? `${cell('base')} | ` : ''}${cell('new')} | ` +
        `${hasBase ? `${ratio.toFixed(2)}× | ` : ''}${r.targetMs === undefined ? '' : `≤ ${r.targetMs} ms`} | ${met} | ` +
        `${cores.toFixed(2)} | ${hasBase ? `${r.same}/${r.calls} | ` : ''}${r.invalid} |`,
    );
    for (const n of r.notes) notes.push(`- ${r.method}, ${r.nodes} nodes, ${r.regime}: ${n}`);
  }
  lines.push('', ...new Set(notes), '');
  const out = opt['out'] ?? 'bench/results';
  await writeFileAtomic(path.join(out, 'egs-speed.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}
