import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ArbiterError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dag } from '../../dag/dag-task.js';
import { generateDag } from '../../dag/generate/generate-dag.js';
import { writeDagFile } from '../../dag/io/write-dag-file.js';
import { checkSchedule } from '../../dag/schedule/check-schedule.js';
import { scheduleAllMethods, SCHEDULE_METHODS } from '../../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import { renderGanttSvg } from '../../report/gantt-svg.js';
import { formatTable } from '../../report/table.js';
import { parseNumber, parseInteger, parsePositiveInt, parseRange } from '../parse-number.js';
import { startProgress } from '../progress.js';
import { pickBest } from './schedule.js';

interface DemoOptions {
  count: number;
  nodes: [number, number];
  slack: [number, number];
  seed: number;
  timeLimit: number;
  out: string;
}

/** `arbiter demo`: the main job on embedded defaults (what `npm run demo` runs). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'generate a small DAG set, run every scheduling method, compare cores, and draw a Gantt chart',
    )
    .option('--count <k>', 'number of DAG tasks', parsePositiveInt, 12)
    .option('--nodes <lo:hi>', 'node count range', parseRange, [10, 18] as [number, number])
    .option('--slack <lo:hi>', 'slack factor range s in D = L + s·(vol − L)', parseRange, [0.1, 0.3] as [
      number,
      number,
    ])
    .option('--seed <s>', 'seed of the whole demo', parseInteger, 1)
    .option('--time-limit <seconds>', 'optimal (MILP) time limit per task', parseNumber, 5)
    .option('--out <dir>', 'output folder', 'runs/demo')
    .action(async (opts: DemoOptions) => runDemo(opts));
}

async function runDemo(opts: DemoOptions): Promise<void> {
  const rng = new Rng(opts.seed);
  const dags: Dag[] = [];
  for (let k = 0; k < opts.count; k++) {
    dags.push(
      generateDag({
        kind: k % 2 === 0 ? 'layered' : 'fork-join',
        nodes: rng.intBetween(Math.round(opts.nodes[0]), Math.round(opts.nodes[1])),
        seed: rng.nextUint32(),
        slack: rng.uniform(opts.slack[0], opts.slack[1]),
      }),
    );
  }
  await mkdir(path.join(opts.out, 'dags'), { recursive: true });
  for (const dag of dags) await writeDagFile(path.join(opts.out, 'dags', `${dag.name}.json`), dag, 'json');
  process.stdout.write(
    `Arbiter demo: ${dags.length} DAG tasks (${opts.nodes[0]}–${opts.nodes[1]} nodes, slack ${opts.slack[0]}–${opts.slack[1]}, seed ${opts.seed}) in ${opts.out}/dags\n`,
  );

  const progress = startProgress(dags.length, 'scheduling');
  const all: ScheduleResult[][] = [];
  let checked = 0;
  for (const dag of dags) {
    const results = await scheduleAllMethods(dag, { timeLimitS: opts.timeLimit });
    for (const r of results) {
      const c = checkSchedule(dag, r);
      if (!c.ok)
        throw new ArbiterError('invalid-schedule', `${dag.name}/${r.method}: ${c.violations.join('; ')}`);
      if (r.schedule.length > 0) checked++;
    }
    all.push(results);
    progress.tick(dag.name);
  }
  progress.stop();

  const rows = SCHEDULE_METHODS.map((method, k) => {
    const rs = all.map((results) => results[k]!);
    const ok = rs.filter((r) => r.feasible);
    const gaps: number[] = [];
    all.forEach((results) => {
      const opt = results.find((r) => r.method === 'optimal');
      const r = results[k]!;
      if (opt?.optimal && r.feasible) gaps.push((r.cores - opt.cores) / opt.cores);
    });
    return [
      method,
      ok.length > 0 ? mean(ok.map((r) => r.cores)) : NaN,
      `${ok.length}/${rs.length}`,
      gaps.length > 0 ? `${(mean(gaps) * 100).toFixed(1)}%` : '-',
      mean(rs.map((r) => r.timeMs)),
    ];
  });
  const proved = all.filter((results) => results.find((r) => r.method === 'optimal')?.optimal).length;
  process.stdout.write(
    '\n' +
      formatTable(
        ['method', 'mean cores', 'timetable', 'gap to optimal', 'mean time ms'],
        rows.map((r) => r.map((c) => (typeof c === 'number' ? round(c) : c))),
      ) +
      '\n',
  );
  process.stdout.write(
    `\nmean cores over the tasks each method could schedule; gap = mean (cores − optimal)/optimal over the ${proved}/${dags.length} tasks where optimal was proved.\n` +
      `All ${checked} timetables passed the schedule checker.\n`,
  );

  const first = all[0]!;
  const best = pickBest(first)!;
  const ganttPath = path.join(opts.out, 'gantt.svg');
  await writeFile(
    ganttPath,
    renderGanttSvg(best, { title: `${dags[0]!.name}: ${best.method}, ${best.cores} cores` }),
  );
  await writeFile(path.join(opts.out, 'results.json'), JSON.stringify(all, null, 2) + '\n');
  process.stdout.write(
    `Gantt chart of ${dags[0]!.name} (${best.method}): ${ganttPath}\nAll results: ${path.join(opts.out, 'results.json')}\n`,
  );
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
