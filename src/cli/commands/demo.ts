import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { ArbiterError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dag } from '../../dag/dag-task.js';
import { generateDag } from '../../dag/generate/generate-dag.js';
import { writeDagFile } from '../../dag/io/write-dag-file.js';
import { checkSchedule } from '../../dag/schedule/check-schedule.js';
import { scheduleAllMethods } from '../../dag/schedule/schedule-dag.js';
import {
  defaultEgsModelPath,
  egsPolicyModelToJson,
  loadEgsPolicyModel,
} from '../../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../deploy/egs-policy-scheduler.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import { escapeXml } from '../../report/escape-xml.js';
import { renderGanttSvg } from '../../report/gantt-svg.js';
import { formatTable } from '../../report/table.js';
import { parseNumber, parseInteger, parsePositiveInt, parseRange } from '../parse-number.js';
import { startProgress } from '../progress.js';
import { pickBest } from './schedule.js';
import { makeDirs } from '../../core/make-dirs.js';
import { mean } from '../../core/statistics.js';

/** The note that marks the results of the policy the demo trained itself. */
const DEMO_TRAINED = 'policy trained by this demo';

interface DemoOptions {
  count: number;
  nodes: [number, number];
  slack: [number, number];
  seed: number;
  timeLimit: number;
  out: string;
  trainDags: number;
  trainEpochs: number;
}

/** `arbiter demo`: the main job on embedded defaults (what `npm run demo` runs). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'train EGS briefly from scratch, then compare every scheduling method (the shipped pretrained EGS policy included) on a fresh DAG set, with an HTML report and a Gantt chart',
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
    .option(
      '--train-dags <k>',
      'EGS training from scratch: expert demonstrations on k DAGs (0 = skip)',
      parseInteger,
      400,
    )
    .option('--train-epochs <e>', 'EGS training: behaviour-cloning epochs', parsePositiveInt, 6)
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
  await makeDirs(path.join(opts.out, 'dags'));
  for (const dag of dags) await writeDagFile(path.join(opts.out, 'dags', `${dag.name}.json`), dag, 'json');
  process.stdout.write(
    `Arbiter demo: ${dags.length} DAG tasks (${opts.nodes[0]}–${opts.nodes[1]} nodes, slack ${opts.slack[0]}–${opts.slack[1]}, seed ${opts.seed}) in ${opts.out}/dags\n`,
  );

  // 1. A short EGS training run from scratch (the shipped policy is the long one).
  let demoScheduler: EgsPolicyScheduler | undefined;
  if (opts.trainDags > 0) {
    const { quickTrainEgs } = await import('../../experiments/egs-quick-train.js'); // loads TensorFlow.js
    const t0 = performance.now();
    const bar = startProgress(opts.trainDags * 2, 'training EGS');
    const trained = await quickTrainEgs({
      dags: opts.trainDags,
      epochs: opts.trainEpochs,
      seed: opts.seed,
      onProgress: (done, total, phase) => bar.update((done / total) * opts.trainDags * 2, phase),
    });
    bar.stop();
    await writeFileAtomic(path.join(opts.out, 'egs-demo-policy.json'), egsPolicyModelToJson(trained.model));
    demoScheduler = new EgsPolicyScheduler(trained.model);
    process.stdout.write(
      `EGS trained from scratch in ${((performance.now() - t0) / 1000).toFixed(0)} s: behaviour cloning on ${trained.states} expert decisions ` +
        `(${opts.trainDags} DAGs, expert mean cores ${trained.expertCores.toFixed(2)}), final NLL ${trained.finalNll.toFixed(3)} → ${path.join(opts.out, 'egs-demo-policy.json')}\n`,
    );
  }

  // 2. Every method, the shipped pretrained policy included, on every task.
  const shipped = new EgsPolicyScheduler(loadEgsPolicyModel(defaultEgsModelPath('egs')));
  const shippedSearch = new EgsPolicyScheduler(loadEgsPolicyModel(defaultEgsModelPath('egs-search')));
  const progress = startProgress(dags.length, 'scheduling');
  const all: ScheduleResult[][] = [];
  let checked = 0;
  for (const dag of dags) {
    const results = await scheduleAllMethods(dag, { timeLimitS: opts.timeLimit });
    const at = results.findIndex((r) => r.method === 'egs-greedy') + 1;
    const learned = [shipped.greedy(dag), shippedSearch.search(dag)];
    if (demoScheduler) learned.push({ ...demoScheduler.greedy(dag), note: DEMO_TRAINED });
    results.splice(at, 0, ...learned);
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

  const methods = all[0]!.map((r) => (r.note === DEMO_TRAINED ? 'egs (demo-trained)' : r.method));
  const rows = methods.map((method, k) => {
    const rs = all.map((results) => results[k]!);
    const ok = rs.filter((r) => r.feasible);
    const gaps: number[] = [];
    all.forEach((results) => {
      const opt = results.find((r) => r.method === 'optimal');
      const r = results[k]!;
      if (opt?.optimal && r.feasible) gaps.push((r.cores - opt.cores) / opt.cores);
    });
    const dynamic = ok.flatMap((r) => r.guarantees.filter((g) => g.dispatch === 'fixed-priority-list'));
    return [
      method,
      ok.length > 0 ? mean(ok.map((r) => r.cores)) : NaN,
      dynamic.length > 0 ? mean(dynamic.map((g) => g.cores)) : '-',
      `${ok.length}/${rs.length}`,
      gaps.length > 0 ? `${(mean(gaps) * 100).toFixed(1)}%` : '-',
      mean(rs.map((r) => r.timeMs)),
    ];
  });
  const proved = all.filter((results) => results.find((r) => r.method === 'optimal')?.optimal).length;
  process.stdout.write(
    '\n' +
      formatTable(
        ['method', 'mean cores', 'list-dispatch cores', 'timetable', 'gap to optimal', 'mean time ms'],
        rows.map((r) => r.map((c) => (typeof c === 'number' ? round(c) : c))),
      ) +
      '\n',
  );
  process.stdout.write(
    `\nmean cores over the tasks each method could schedule, proved for static-order dispatch of its timetable; list-dispatch cores: proved by the response-time bound for fixed-priority list dispatch (analytic methods only); gap = mean (cores − optimal)/optimal over the ${proved}/${dags.length} tasks where optimal was proved.\n` +
      `All ${checked} timetables passed the schedule checker.\n`,
  );

  const first = all[0]!;
  const shown = first.find((r) => r.method === 'egs' && r.feasible) ?? pickBest(first)!;
  const ganttPath = path.join(opts.out, 'gantt.svg');
  const gantt = renderGanttSvg(shown, { title: `${dags[0]!.name}: ${shown.method}, ${shown.cores} cores` });
  await writeFileAtomic(ganttPath, gantt);
  await writeFileAtomic(path.join(opts.out, 'results.json'), JSON.stringify(all, null, 2) + '\n');
  const reportPath = path.join(opts.out, 'report.html');
  await writeFileAtomic(
    reportPath,
    demoReportHtml({
      title: `Arbiter demo: ${dags.length} DAG tasks, seed ${opts.seed}`,
      head: ['method', 'mean cores', 'list-dispatch cores', 'timetable', 'gap to optimal', 'mean time ms'],
      rows: rows.map((r) => r.map((c) => String(typeof c === 'number' ? round(c) : c))),
      note: `Mean cores over the tasks each method could schedule, proved for static-order dispatch of its timetable (each core runs its nodes in the timetable's order); list-dispatch cores: proved by the response-time bound for fixed-priority list dispatch with the method's priority order (analytic methods only). Gap over the ${proved}/${dags.length} tasks where optimal was proved. All ${checked} timetables passed the schedule checker. egs / egs-search use the shipped pretrained policies (small / large).`,
      gantt,
      ganttCaption: `${dags[0]!.name}: ${shown.method}, ${shown.cores} cores, makespan ${round(shown.makespan)} ≤ D = ${shown.deadline}`,
    }),
  );
  process.stdout.write(
    `Gantt chart of ${dags[0]!.name} (${shown.method}): ${ganttPath}\nReport: ${reportPath}\nAll results: ${path.join(opts.out, 'results.json')}\n`,
  );
}

function demoReportHtml(r: {
  title: string;
  head: string[];
  rows: string[][];
  note: string;
  gantt: string;
  ganttCaption: string;
}): string {
  const th = r.head.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const trs = r.rows
    .map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeXml(r.title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>${escapeXml(r.title)}</h1>
<table><thead><tr>${th}</tr></thead><tbody>
${trs}
</tbody></table>
<p>${escapeXml(r.note)}</p>
<h2>Gantt chart</h2>
<p>${escapeXml(r.ganttCaption)}</p>
${r.gantt}
</body></html>
`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
