import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { soundnessRows } from '../src/experiments/soundness-rows.js';
import { SOUNDNESS_SEED, SOUNDNESS_SLACKS, soundnessDagSet } from '../src/experiments/soundness-dags.js';
import {
  runSoundnessShard,
  SOUNDNESS_DEFAULTS,
  SOUNDNESS_METHODS,
  type SoundnessCounts,
} from '../src/experiments/soundness-shard.js';
import {
  soundnessDynamicTable,
  soundnessShapeTable,
  soundnessStaticTable,
} from '../src/report/soundness-tables.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine } from './machine.js';

const OUT = path.join(import.meta.dirname, 'results');

/** Counts of `npm run bench -- soundness [key=value …]`; the defaults are the committed run. */
type SoundnessOptions = SoundnessCounts;

function parseOptions(args: readonly string[]): SoundnessOptions {
  const o: SoundnessOptions = { ...SOUNDNESS_DEFAULTS };
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

/** `npm run bench -- soundness`: analytic bounds and timetables under execution times ≤ WCET. */
export async function runSoundnessBench(args: readonly string[] = []): Promise<void> {
  const o = parseOptions(args);
  const t0 = performance.now();
  const tasks = soundnessDagSet(o.perShape);
  let done = 0;
  // One shard over the whole set: the same computation a soundness cell sweep splits up.
  const whole = { ...o, seed: SOUNDNESS_SEED, from: 0, to: tasks.length, methods: [...SOUNDNESS_METHODS] };
  const shard = await runSoundnessShard(whole, () => {
    if (++done % 200 === 0)
      process.stderr.write(
        `soundness: ${done}/${tasks.length} tasks, ${Math.round((performance.now() - t0) / 1000)} s\n`,
      );
  });
  const { rows, zhao2020: zhaoAfter, examples } = soundnessRows([shard]);

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
    `- tasks: ${tasks.length} (${o.perShape} per shape: layered, fork-join, sparse, chains), seeds ${SOUNDNESS_SEED} + 100000·shape + k, n = 8 + (k mod 23), slack ${SOUNDNESS_SLACKS.join('/')} cycled (src/experiments/soundness-dags.ts)`,
    `- execution times per node in [0, C]: ${o.draws} draws each of uniform, bimodal {0, C}, some-short, then a hill-climbing adversary (${o.budget} evaluations dynamic, ${o.staticBudget} static-order) maximizing the makespan (src/experiments/execution-time-simulator.ts)`,
    `- **${totalSims.toLocaleString('en-US')} simulated schedules, ${totalViolations} violations**`,
    '',
    '## Analytic bounds, dynamic dispatch on boundCores',
    '',
    "Non-preemptive work-conserving global fixed-priority list scheduling with the method's own priority order on the `boundCores` the bound proved (`graham`: LST order, and a random order per task, since its bound holds for any). Violation: some execution times give a makespan > R (or R > D). Tightness: (worst makespan found − L)/(R − L) per task with R > L (1 = the bound is reached; on one core every work-conserving schedule takes vol, so the max is also given over boundCores ≥ 2).",
    '',
    soundnessDynamicTable(rows),
    '',
    'Per shape (tightness mean):',
    '',
    soundnessShapeTable(rows),
    '',
    '## Timetables, static-order dispatch',
    '',
    `Each core runs its nodes in the timetable's order; a node starts when its predecessors (and added edges) and its core predecessor are done. Violation: a makespan above the WCET makespan, or a timetable rejected by checkSchedule. egs / egs-search (shipped small model) on every ${o.egsEvery}th task, optimal (2 s limit) on every ${o.optimalEvery}th task with n ≤ 14.`,
    '',
    soundnessStaticTable(rows),
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
