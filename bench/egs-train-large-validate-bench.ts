/**
 * `npm run bench -- egs-train-large-validate [key=value…]`: compares two large EGS policies on the
 * validation DAGs of the training (`egsTrainValidationDags`: sampled like the training DAGs from
 * their own seed; never the benchmark's held-out sets of `bench/egs-sets.ts`), so that the
 * retrained policy replaces the shipped one only if `egs-search` is not worse. Per model: mean
 * cores of `egs-search` (seeded with the best heuristic, default options) and of the policy alone
 * (one greedy episode, `heuristicSeed: false`, the learning curve's 20 s budget; an infeasible
 * answer counts as n cores), wall and CPU ms per DAG (the median of `repeats` runs; the cores are
 * the first run's). The shipped small policy runs too, as the reference of the speed. The DAGs
 * alternate which large model runs first; every answer is checked with `checkSchedule`. Writes `validation.md` and `validation.json` into `out`. Keys: `old` (default
 * `bench/results/egs/large-train/previous-model.json`, the large policy shipped before
 * `egs-train-large`), `new` (default `models/egs-graph-policy.json`), `validation` (48), `seed`
 * (1), `repeats` (5), `out` (bench/results/egs/large-train).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { mean } from '../src/core/statistics.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../src/dag/schedule/schedule-result.js';
import {
  SMALL_EGS_MODEL_PATH,
  loadEgsPolicyModel,
  type EgsPolicyModel,
} from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../src/deploy/egs-policy-scheduler.js';
import { egsTrainValidationDags, egsWeightsHash } from '../src/experiments/egs-policy-train.js';
import { describeMachine, loadAverages, median } from './machine.js';

const KEYS = ['old', 'new', 'validation', 'seed', 'repeats', 'out'];

/** Per model and mode: cores, wall ms and CPU ms per DAG, invalid answers, answers by the policy. */
interface Column {
  cores: number[];
  ms: number[];
  cpuMs: number[];
  invalid: number;
  fromPolicy: number;
}

const load = loadAverages;

/** Runs the comparison (see the file comment). */
export async function runEgsTrainLargeValidateBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  for (const k of Object.keys(opt))
    if (!KEYS.includes(k))
      throw new Error(`egs-train-large-validate: unknown key ${k} (${KEYS.map((x) => `${x}=`).join(', ')})`);
  const files = {
    old: opt['old'] ?? 'bench/results/egs/large-train/previous-model.json',
    new: opt['new'] ?? 'models/egs-graph-policy.json',
    small: path.relative(process.cwd(), SMALL_EGS_MODEL_PATH),
  };
  const out = opt['out'] ?? 'bench/results/egs/large-train';
  const count = Number(opt['validation'] ?? 48);
  const seed = Number(opt['seed'] ?? 1);
  const repeats = Math.max(1, Number(opt['repeats'] ?? 5));
  const command = `npm run bench -- egs-train-large-validate ${args.join(' ')}`.trim();
  const loadAtStart = load();
  const t0 = performance.now();
  const dags = egsTrainValidationDags(seed, count);
  // The shipped small policy runs too, as the reference of the speed.
  const names = ['old', 'new', 'small'] as const;
  type Name = (typeof names)[number];
  const models = Object.fromEntries(names.map((m) => [m, loadEgsPolicyModel(files[m])])) as Record<
    Name,
    EgsPolicyModel
  >;
  const schedulers = Object.fromEntries(names.map((m) => [m, new EgsPolicyScheduler(models[m])])) as Record<
    Name,
    EgsPolicyScheduler
  >;
  const modes = {
    'egs-search (seeded)': (s: EgsPolicyScheduler, dag: (typeof dags)[number]) => s.search(dag),
    'policy alone (greedy)': (s: EgsPolicyScheduler, dag: (typeof dags)[number]) =>
      s.greedy(dag, { heuristicSeed: false, timeBudgetS: 20 }),
  };
  type Mode = keyof typeof modes;
  const cols = new Map<string, Column>();
  const col = (m: string, mode: string): Column => {
    const k = `${m}|${mode}`;
    if (!cols.has(k)) cols.set(k, { cores: [], ms: [], cpuMs: [], invalid: 0, fromPolicy: 0 });
    return cols.get(k)!;
  };
  // Warm-up (JIT, buffers) on the first DAG, not counted.
  for (const m of names) for (const run of Object.values(modes)) run(schedulers[m], dags[0]!);
  dags.forEach((dag, i) => {
    const order: Name[] = i % 2 === 0 ? ['old', 'new', 'small'] : ['new', 'old', 'small'];
    for (const mode of Object.keys(modes) as Mode[])
      for (const m of order) {
        const ms: number[] = [];
        const cpuMs: number[] = [];
        let first: ScheduleResult | undefined;
        for (let k = 0; k < repeats; k++) {
          const cpu = process.cpuUsage();
          const t = performance.now();
          const r: ScheduleResult = modes[mode](schedulers[m], dag);
          ms.push(performance.now() - t);
          const used = process.cpuUsage(cpu);
          cpuMs.push((used.user + used.system) / 1000);
          first ??= r;
        }
        const c = col(m, mode);
        const ok = first!.feasible && checkSchedule(dag, first!).ok;
        if (!ok) c.invalid++;
        // `answer from: policy …` (else a heuristic seed; the policy alone has no such note).
        if (/answer from: policy/.test(first!.note ?? '') || mode === 'policy alone (greedy)') c.fromPolicy++;
        c.cores.push(ok ? first!.cores : dag.n);
        c.ms.push(median(ms));
        c.cpuMs.push(median(cpuMs));
      }
  });
  const wallS = (performance.now() - t0) / 1000;
  const fileHash = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
  const info = Object.fromEntries(
    names.map((m) => [
      m,
      {
        file: files[m],
        fileSha256: fileHash(files[m]),
        weightsSha256: egsWeightsHash(models[m].weights),
        features: models[m].features,
        dims: models[m].dims,
        parameters: Object.values(models[m].weights).reduce((s, w) => s + w.length, 0),
        bytes: readFileSync(files[m]).length,
      },
    ]),
  );
  const summary = Object.fromEntries(
    Object.keys(modes).map((mode) => [
      mode,
      Object.fromEntries(
        names.map((m) => {
          const c = col(m, mode);
          return [
            m,
            {
              meanCores: mean(c.cores),
              msPerDag: mean(c.ms),
              cpuMsPerDag: mean(c.cpuMs),
              invalid: c.invalid,
              fromPolicy: c.fromPolicy,
            },
          ];
        }),
      ),
    ]),
  ) as Record<
    Mode,
    Record<
      Name,
      { meanCores: number; msPerDag: number; cpuMsPerDag: number; invalid: number; fromPolicy: number }
    >
  >;
  const search = summary['egs-search (seeded)'];
  const notWorse = search.new.meanCores <= search.old.meanCores;
  await writeFileAtomic(
    path.join(out, 'validation.json'),
    JSON.stringify(
      {
        command,
        machine: describeMachine(),
        wallS,
        load: { start: loadAtStart, end: load() },
        dags: dags.length,
        seed,
        repeats,
        models: info,
        summary,
        notWorse,
      },
      null,
      2,
    ) + '\n',
  );
  const rows = (Object.keys(modes) as Mode[]).flatMap((mode) =>
    names.map((m) => {
      const s = summary[mode][m];
      return `| ${mode} | ${m} | ${s.meanCores.toFixed(3)} | ${s.msPerDag.toFixed(1)} | ${s.cpuMsPerDag.toFixed(1)} | ${s.invalid} | ${s.fromPolicy} |`;
    }),
  );
  const md = `# Large EGS policy: retrained (new) vs previous (old), on the training's validation DAGs

Command: \`${command}\`  
Machine: ${describeMachine()}  
Wall time: ${wallS.toFixed(0)} s  
Load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end

${dags.length} validation DAGs of the training (\`egsTrainValidationDags(${seed}, ${dags.length})\`: 10–40 nodes,
tight deadlines, sampled from their own seed; not the benchmark's held-out sets). \`egs-search\`:
seeded with the best heuristic, default options (0.5 s of search); policy alone: one greedy episode,
\`heuristicSeed: false\`. Every answer checked with \`checkSchedule\` (an invalid or infeasible one
counts as n cores; "answers by the policy": DAGs where \`egs-search\`'s note says \`answer from: policy\`,
the rest are a heuristic seed's). The shipped small policy (\`small\`) is the reference of the speed. ms: wall time per DAG; CPU ms: this process's CPU time per DAG (each the
median of ${repeats} runs; the cores are the first run's).

| model | file | features | parameters | bytes | SHA-256 of the weights |
|---|---|---|---|---|---|
${names.map((m) => `| ${m} | \`${info[m]!.file}\` | ${info[m]!.features} | ${info[m]!.parameters} | ${info[m]!.bytes} | \`${info[m]!.weightsSha256}\` |`).join('\n')}

| mode | model | mean cores | ms / DAG | CPU ms / DAG | invalid | answers by the policy |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Seeded \`egs-search\` with the new model is ${notWorse ? '**not worse**' : '**worse**'} than with the old one
(${search.new.meanCores.toFixed(3)} vs ${search.old.meanCores.toFixed(3)} mean cores).
`;
  await writeFileAtomic(path.join(out, 'validation.md'), md);
  console.log(md);
}
