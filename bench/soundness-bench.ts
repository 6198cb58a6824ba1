import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { createAnalysisContext } from '../src/dag/analysis/analysis-context.js';
import type { Dag } from '../src/dag/dag-task.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import { ranksFromKeys } from '../src/dag/schedule/priority-order.js';
import type { ScheduleResult } from '../src/dag/schedule/schedule-result.js';
import { BOUND_METHODS, SCHEDULE_METHODS, scheduleDag } from '../src/dag/schedule/schedule-dag.js';
import { loadEgsPolicyModel, SMALL_EGS_MODEL_PATH } from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../src/deploy/egs-policy-scheduler.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import {
  adversarialSearch,
  drawExecutionTimes,
  EXECUTION_TIME_MODELS,
  seededRandom,
  simulateDynamic,
  simulateStaticOrder,
} from '../test/helpers/execution-time-simulator.js';
import { describeMachine } from './machine.js';
import { SOUNDNESS_SEED, SOUNDNESS_SLACKS, soundnessDagSet } from './soundness-dags.js';

const OUT = path.join(import.meta.dirname, 'results');

/** Counts of `npm run bench -- soundness [key=value …]`; the defaults are the committed run. */
interface SoundnessOptions {
  /** Tasks per shape (4 shapes). */
  perShape: number;
  /** Random execution-time vectors per model (3 models) per check. */
  draws: number;
  /** Adversarial evaluations per dynamic-dispatch check. */
  budget: number;
  /** Adversarial evaluations per static-order check. */
  staticBudget: number;
  /** egs and egs-search on every k-th task; optimal on every k-th task with n ≤ 14. */
  egsEvery: number;
  optimalEvery: number;
}

const DEFAULTS: SoundnessOptions = {
  perShape: 1000,
  draws: 10,
  budget: 400,
  staticBudget: 150,
  egsEvery: 8,
  optimalEvery: 40,
};

function parseOptions(args: readonly string[]): SoundnessOptions {
  const o = { ...DEFAULTS };
  for (const a of args) {
    const [key, value] = a.split('=');
    if (!(key! in o) || !(Number(value) > 0) || !Number.isInteger(Number(value)))
      throw new Error(
        `bench soundness: expected key=positive-integer with key in ${Object.keys(o).join(', ')}, got '${a}'`,
      );
    o[key as keyof SoundnessOptions] = Number(value);
  }
  return o;
}

/** One row of bench/results/soundness.json. */
interface Row {
  method: string;
  dispatch: 'dynamic' | 'static-order';
  shape: string;
  dags: number;
  simulations: number;
  violations: number;
  /** dynamic: mean boundCores of the tasks the bound proved. */
  meanBoundCores?: number;
  /** dynamic: max and mean of (worst makespan − L)/(R − L) over tasks with R > L. */
  tightnessMax?: number;
  tightnessMean?: number;
  /** dynamic: the same max over tasks with boundCores ≥ 2 (on one core every bound is reached). */
  tightnessMaxMulticore?: number;
  /** static-order: max of worst makespan / WCET makespan. */
  worstRatio?: number;
}

interface Acc {
  dags: number;
  simulations: number;
  violations: number;
  cores: number;
  tight: number[];
  tightMulticore: number[];
  ratio: number;
  examples: string[];
}

const newAcc = (): Acc => ({
  dags: 0,
  simulations: 0,
  violations: 0,
  cores: 0,
  tight: [],
  tightMulticore: [],
  ratio: 0,
  examples: [],
});

/** Worst makespan over random draws of every model and an adversarial search; adds the count. */
function worst(
  wcet: ArrayLike<number>,
  makespan: (x: Float64Array) => number,
  seed: number,
  o: SoundnessOptions,
  budget: number,
  acc: Acc,
): number {
  const rand = seededRandom(seed);
  let w = 0;
  for (const model of EXECUTION_TIME_MODELS) {
    for (let k = 0; k < o.draws; k++) w = Math.max(w, makespan(drawExecutionTimes(wcet, model, rand)));
  }
  const adv = adversarialSearch(wcet, makespan, budget, rand);
  acc.simulations += EXECUTION_TIME_MODELS.length * o.draws + adv.evaluations;
  return Math.max(w, adv.makespan);
}

function checkDynamic(
  dag: Dag,
  r: ScheduleResult,
  ranks: Int32Array,
  L: number,
  seed: number,
  o: SoundnessOptions,
  acc: Acc,
): void {
  if (!r.feasible) return;
  const R = r.responseTimeBound!;
  const m = r.boundCores!;
  acc.dags++;
  acc.cores += m;
  const w = worst(dag.wcet, (x) => simulateDynamic(dag, m, ranks, x).makespan, seed, o, o.budget, acc);
  if (w > R * (1 + 1e-9) + 1e-9 || R > r.deadline * (1 + 1e-9)) {
    acc.violations++;
    if (acc.examples.length < 5)
      acc.examples.push(`${dag.name}: m = ${m}, R = ${R}, D = ${r.deadline}, simulated ${w}`);
  }
  if (R - L > 1e-9) {
    acc.tight.push((w - L) / (R - L));
    if (m >= 2) acc.tightMulticore.push((w - L) / (R - L));
  }
}

function checkStatic(dag: Dag, r: ScheduleResult, seed: number, o: SoundnessOptions, acc: Acc): void {
  if (r.schedule.length === 0) return;
  acc.dags++;
  const check = checkSchedule(dag, r);
  const index = (id: string | number): number => dag.indexOf.get(String(id))!;
  const added = r.addedEdges.map(([u, v]) => [index(u), index(v)] as const);
  const run = (x: Float64Array): number => simulateStaticOrder(dag, r.schedule, x, added).makespan;
  const w = worst(dag.wcet, run, seed, o, o.staticBudget, acc);
  if (!check.ok || w > r.makespan * (1 + 1e-9) + 1e-9) {
    acc.violations++;
    if (acc.examples.length < 5)
      acc.examples.push(
        `${dag.name} (${r.method}): WCET makespan ${r.makespan}, static-order ${w}; ${check.violations.join('; ')}`,
      );
  }
  if (r.makespan > 0) acc.ratio = Math.max(acc.ratio, w / r.makespan);
}

/** `npm run bench -- soundness`: analytic bounds and timetables under execution times ≤ WCET. */
export async function runSoundnessBench(args: readonly string[] = []): Promise<void> {
  const o = parseOptions(args);
  const t0 = performance.now();
  const tasks = soundnessDagSet(o.perShape);
  const egs = new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));
  const acc = new Map<string, Acc>(); // key: method|dispatch|shape
  const get = (method: string, dispatch: string, shape: string): Acc => {
    const key = `${method}|${dispatch}|${shape}`;
    if (!acc.has(key)) acc.set(key, newAcc());
    return acc.get(key)!;
  };
  const zhaoAfter: (number | null)[] = [];
  let done = 0;
  for (const [k, { shape, seed, dag }] of tasks.entries()) {
    const ctx = createAnalysisContext(dag);
    const L = ctx.timing.criticalPath;
    const withOptimal = k % o.optimalEvery === 0 && dag.n <= 14;
    const results: ScheduleResult[] = [];
    for (const method of SCHEDULE_METHODS)
      if (method !== 'optimal' || withOptimal)
        results.push(await scheduleDag(dag, method, { timeLimitS: 2 }));
    const byName = new Map(results.map((r) => [r.method, r]));
    // Dynamic dispatch on boundCores with each method's own order (graham: LST and a random order).
    const graham = byName.get('graham')!;
    checkDynamic(
      dag,
      graham,
      ranksFromKeys(ctx.timing.lst, 'ascending'),
      L,
      seed * 8 + 1,
      o,
      get('graham', 'dynamic', shape),
    );
    const rand = seededRandom(seed * 8 + 2);
    const shuffled = Int32Array.from({ length: dag.n }, () => Math.floor(rand() * dag.n));
    checkDynamic(dag, graham, shuffled, L, seed * 8 + 3, o, get('graham (random order)', 'dynamic', shape));
    BOUND_METHODS.forEach((method, q) => {
      const r = byName.get(method.method)!;
      checkDynamic(
        dag,
        r,
        method.priority(ctx),
        L,
        seed * 8 + 4 + q,
        o,
        get(method.method, 'dynamic', shape),
      );
    });
    zhaoAfter.push(byName.get('zhao2020')!.feasible ? byName.get('zhao2020')!.boundCores! : null);
    // Static order: every timetable (optimal and the learned ones on a subset).
    const timetables = results.filter(
      (r) => r.method !== 'optimal' || (k % o.optimalEvery === 0 && dag.n <= 14),
    );
    if (k % o.egsEvery === 0) timetables.push(egs.greedy(dag), egs.search(dag, { beamWidth: 2, expand: 2 }));
    for (const r of timetables) checkStatic(dag, r, seed * 8 + 7, o, get(r.method, 'static-order', shape));
    if (++done % 200 === 0)
      process.stderr.write(
        `soundness: ${done}/${tasks.length} tasks, ${Math.round((performance.now() - t0) / 1000)} s\n`,
      );
  }

  const rows: Row[] = [];
  const keys = [...new Set([...acc.keys()].map((k) => k.split('|').slice(0, 2).join('|')))];
  for (const key of keys) {
    const [method, dispatch] = key.split('|') as [string, Row['dispatch']];
    const shapes = [...acc.keys()].filter((k) => k.startsWith(key + '|')).map((k) => k.split('|')[2]!);
    const all = newAcc();
    for (const shape of [...shapes, 'all']) {
      const a = shape === 'all' ? all : acc.get(`${key}|${shape}`)!;
      if (shape !== 'all') {
        all.dags += a.dags;
        all.simulations += a.simulations;
        all.violations += a.violations;
        all.cores += a.cores;
        all.tight.push(...a.tight);
        all.tightMulticore.push(...a.tightMulticore);
        all.ratio = Math.max(all.ratio, a.ratio);
        all.examples.push(...a.examples);
      }
      const row: Row = {
        method,
        dispatch,
        shape,
        dags: a.dags,
        simulations: a.simulations,
        violations: a.violations,
      };
      if (dispatch === 'dynamic') {
        row.meanBoundCores = round(a.cores / Math.max(1, a.dags));
        row.tightnessMax = round(Math.max(0, ...a.tight));
        row.tightnessMean = round(a.tight.reduce((s, x) => s + x, 0) / Math.max(1, a.tight.length));
        row.tightnessMaxMulticore = round(Math.max(0, ...a.tightMulticore));
      } else row.worstRatio = round(a.ratio);
      rows.push(row);
    }
  }

  // zhao2020 boundCores before (commit 30554a5, recorded on this set) and after the issue-13 fix.
  const before = JSON.parse(await readFile(path.join(OUT, 'soundness-zhao2020-before.json'), 'utf8')) as {
    perShape: number;
    zhao2020: (number | null)[];
  };
  const cmp = { both: 0, sumBefore: 0, sumAfter: 0, looser: 0, tighter: 0, same: 0, lost: 0, gained: 0 };
  const perShapeBefore = before.perShape;
  tasks.forEach((t, i) => {
    const s = Math.floor(i / o.perShape);
    const k = i % o.perShape;
    if (k >= perShapeBefore) return;
    const b = before.zhao2020[s * perShapeBefore + k]!;
    const a = zhaoAfter[i]!;
    if (b !== null && a !== null) {
      cmp.both++;
      cmp.sumBefore += b;
      cmp.sumAfter += a;
      if (a > b) cmp.looser++;
      else if (a < b) cmp.tighter++;
      else cmp.same++;
    } else if (b !== null) cmp.lost++;
    else if (a !== null) cmp.gained++;
  });

  const seconds = Math.round((performance.now() - t0) / 1000);
  const totalSims = rows.filter((r) => r.shape === 'all').reduce((s, r) => s + r.simulations, 0);
  const totalViolations = rows.filter((r) => r.shape === 'all').reduce((s, r) => s + r.violations, 0);
  const argText = args.length ? ' ' + args.join(' ') : '';
  const md: string[] = [
    '# Soundness benchmark (issue 13 §1)',
    '',
    `- machine: ${describeMachine()}`,
    `- command: \`npm run bench -- soundness${argText}\` (bench/soundness-bench.ts), ${new Date().toISOString().slice(0, 10)}, ${seconds} s`,
    `- tasks: ${tasks.length} (${o.perShape} per shape: layered, fork-join, sparse, chains), seeds ${SOUNDNESS_SEED} + 100000·shape + k, n = 8 + (k mod 23), slack ${SOUNDNESS_SLACKS.join('/')} cycled (bench/soundness-dags.ts)`,
    `- execution times per node in [0, C]: ${o.draws} draws each of uniform, bimodal {0, C}, some-short, then a hill-climbing adversary (${o.budget} evaluations dynamic, ${o.staticBudget} static-order) maximizing the makespan (test/helpers/execution-time-simulator.ts)`,
    `- **${totalSims.toLocaleString('en-US')} simulated schedules, ${totalViolations} violations**`,
    '',
    '## Analytic bounds, dynamic dispatch on boundCores',
    '',
    "Non-preemptive work-conserving global fixed-priority list scheduling with the method's own priority order on the `boundCores` the bound proved (`graham`: LST order, and a random order per task, since its bound holds for any). Violation: some execution times give a makespan > R (or R > D). Tightness: (worst makespan found − L)/(R − L) per task with R > L (1 = the bound is reached; on one core every work-conserving schedule takes vol, so the max is also given over boundCores ≥ 2).",
    '',
    formatMarkdownTable(
      [
        'method',
        'tasks proved',
        'simulations',
        'violations',
        'mean boundCores',
        'tightness max',
        'max, boundCores ≥ 2',
        'tightness mean',
      ],
      rows
        .filter((r) => r.dispatch === 'dynamic' && r.shape === 'all')
        .map((r) => [
          r.method,
          r.dags,
          r.simulations,
          r.violations,
          r.meanBoundCores!,
          r.tightnessMax!,
          r.tightnessMaxMulticore!,
          r.tightnessMean!,
        ]),
    ),
    '',
    'Per shape (tightness mean):',
    '',
    formatMarkdownTable(
      ['method', ...['layered', 'fork-join', 'sparse', 'chains']],
      rows
        .filter((r) => r.dispatch === 'dynamic' && r.shape === 'all')
        .map((r) => [
          r.method,
          ...['layered', 'fork-join', 'sparse', 'chains'].map((s) => {
            const x = rows.find((y) => y.method === r.method && y.dispatch === 'dynamic' && y.shape === s);
            return x ? `${x.tightnessMean} (${x.dags} tasks)` : '–';
          }),
        ]),
    ),
    '',
    '## Timetables, static-order dispatch',
    '',
    `Each core runs its nodes in the timetable's order; a node starts when its predecessors (and added edges) and its core predecessor are done. Violation: a makespan above the WCET makespan, or a timetable rejected by checkSchedule. egs / egs-search (shipped small model) on every ${o.egsEvery}th task, optimal (2 s limit) on every ${o.optimalEvery}th task with n ≤ 14.`,
    '',
    formatMarkdownTable(
      ['method', 'timetables', 'simulations', 'violations', 'max worst/WCET makespan'],
      rows
        .filter((r) => r.dispatch === 'static-order' && r.shape === 'all')
        .map((r) => [r.method, r.dags, r.simulations, r.violations, r.worstRatio!]),
    ),
    '',
    '## zhao2020 before and after the fix',
    '',
    `boundCores of zhao2020 on the first ${Math.min(perShapeBefore, o.perShape)} tasks per shape, before (commit 30554a5, unsound: EST-filtered blockers, and its s_i ≥ Σ L_j argument had a gap; recorded in bench/results/soundness-zhao2020-before.json) and after:`,
    '',
    formatMarkdownTable(
      [
        'tasks proved by both',
        'mean boundCores before',
        'mean after',
        'after > before',
        'after < before',
        'equal',
        'proved before only',
        'proved after only',
      ],
      [
        [
          cmp.both,
          round(cmp.sumBefore / Math.max(1, cmp.both)),
          round(cmp.sumAfter / Math.max(1, cmp.both)),
          cmp.looser,
          cmp.tighter,
          cmp.same,
          cmp.lost,
          cmp.gained,
        ],
      ],
    ),
    '',
  ];
  const examples = [...acc.values()].flatMap((a) => a.examples);
  if (examples.length) md.push('## Violations (first few)', '', ...examples.map((e) => `- ${e}`), '');
  const text = md.join('\n');
  process.stderr.write(text + '\n');
  await writeFileAtomic(path.join(OUT, 'soundness.md'), text);
  await writeFileAtomic(
    path.join(OUT, 'soundness.json'),
    JSON.stringify(
      { options: o, seed: SOUNDNESS_SEED, tasks: tasks.length, seconds, zhao2020BeforeAfter: cmp, rows },
      null,
      1,
    ) + '\n',
  );
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
