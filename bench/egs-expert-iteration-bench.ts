/**
 * `npm run bench -- egs-expert-iteration [key=value…]`: trains an EGS graph policy from scratch by
 * expert iteration (`src/experiments/egs-expert-iteration.ts`) and writes
 * bench/results/egs-expert-iteration.md / .json / .svg (validation mean cores per round, alone
 * and seeded, vs listsched and the shipped policies); with the defaults it is the run recorded in
 * the results file (the shipped large policy, `models/egs-graph-policy.json`, is trained by
 * `npm run bench -- egs-train-large` instead). Into `run` (default runs/egs-expert-iteration) it writes one
 * checkpoint per round (`round-K.json`, atomic), `log.jsonl` (one record per round, also copied to
 * bench/results/egs-expert-iteration-log.jsonl) and `chosen.json` (the round with the fewest
 * validation cores seeded, then alone). Keys: `rounds` (4), `dags` (per round, 48), `hidden` /
 * `layers` (32 / 2), `features` (v2), `search` (s per DAG, 0.5), `samples` / `beam` (training search effort, 48 / 8), `validation` (40), `epochs` (2),
 * `bcEpochs` (6), `maxNodes` (last curriculum range end, 100), `seed` (1), `run`, `out`
 * (bench/results).
 */
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { mean } from '../src/core/statistics.js';
import {
  LARGE_EGS_MODEL_PATH,
  SMALL_EGS_MODEL_PATH,
  egsPolicyModelToJson,
  loadEgsPolicyModel,
} from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../src/deploy/egs-policy-scheduler.js';
import type { EgsFeatureSet } from '../src/envs/egs/egs-observation.js';
import {
  egsExpertCurriculum,
  runEgsExpertIteration,
  scoreEgsPolicy,
  type EgsExpertIterationRound,
  type EgsValidationScore,
} from '../src/experiments/egs-expert-iteration.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import { describeMachine, loadAverages } from './machine.js';

const load = loadAverages;

/** Runs expert iteration with `key=value` overrides (see the file comment). */
export async function runEgsExpertIterationBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  const num = (k: string, d: number): number => (opt[k] !== undefined ? Number(opt[k]) : d);
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = load();
  const out = opt['out'] ?? 'bench/results';
  const run = opt['run'] ?? 'runs/egs-expert-iteration';
  await mkdir(run, { recursive: true });
  await mkdir(out, { recursive: true });
  const rounds = num('rounds', 4);
  const searchTimeS = num('search', 0.5);
  const curriculum = egsExpertCurriculum(rounds, 10, 30, num('maxNodes', 100));
  const logFile = path.join(run, 'log.jsonl');
  await writeFile(logFile, '');
  const lines: string[] = [];
  const {
    rounds: records,
    models,
    validation,
  } = await runEgsExpertIteration({
    rounds,
    curriculum,
    dagsPerRound: num('dags', 48),
    features: (opt['features'] ?? 'v2') as EgsFeatureSet,
    policy: { hiddenDim: num('hidden', 32), numHeads: 4, numLayers: num('layers', 2) },
    searchTimeS,
    searchSamples: num('samples', 48),
    searchBeamWidth: num('beam', 8),
    validationDags: num('validation', 40),
    epochs: num('epochs', 2),
    bcEpochs: num('bcEpochs', 6),
    seed: num('seed', 1),
    onLog: (line) => console.log(line),
    onRound: async (record, model) => {
      await writeFileAtomic(path.join(run, `round-${record.round}.json`), egsPolicyModelToJson(model));
      lines.push(JSON.stringify(record));
      await writeFileAtomic(logFile, lines.join('\n') + '\n');
    },
  });
  // The round chosen on validation: fewest cores seeded, then alone, then the earlier.
  let chosen = records[0]!;
  for (const r of records)
    if (
      r.validation.seeded < chosen.validation.seeded ||
      (r.validation.seeded === chosen.validation.seeded && r.validation.alone < chosen.validation.alone)
    )
      chosen = r;
  await writeFileAtomic(
    path.join(run, 'chosen.json'),
    egsPolicyModelToJson({
      ...models[chosen.round]!,
      meta: { ...models[chosen.round]!.meta, command: commandOf(args) },
    }),
  );
  const shipped: [string, EgsValidationScore][] = [];
  for (const [name, file] of [
    ['shipped large policy', LARGE_EGS_MODEL_PATH],
    ['shipped small policy', SMALL_EGS_MODEL_PATH],
  ] as const) {
    const s = scoreEgsPolicy(new EgsPolicyScheduler(loadEgsPolicyModel(file)), validation, searchTimeS);
    shipped.push([name, s]);
    console.log(`${name}: validation alone ${s.alone.toFixed(2)} seeded ${s.seeded.toFixed(2)}`);
  }
  const list = mean(validation.listsched);
  const xs = records.map((r) => r.round);
  const svg = await renderLinePlotSvg({
    title: 'EGS expert iteration: validation mean cores per round',
    xLabel: 'round (0 = cloning of the heuristic teachers)',
    yLabel: 'mean cores (validation)',
    series: [
      { name: 'policy alone (greedy)', x: xs, y: records.map((r) => r.validation.alone) },
      { name: 'seeded search', x: xs, y: records.map((r) => r.validation.seeded) },
      { name: 'listsched', x: xs, y: xs.map(() => list) },
    ],
  });
  await writeFileAtomic(path.join(out, 'egs-expert-iteration.svg'), svg);
  await writeFileAtomic(path.join(out, 'egs-expert-iteration-log.jsonl'), lines.join('\n') + '\n');
  const n = validation.dags.length;
  const fmt = (s: EgsValidationScore): string =>
    `${s.alone.toFixed(2)} (${s.aloneWithin}/${n}) | ${s.seeded.toFixed(2)} (${s.seededWithin}/${n})`;
  const rows = records.map(
    (r: EgsExpertIterationRound) =>
      `| ${r.round} | ${r.nodes[0]}–${r.nodes[1]} | ${r.targetCores.toFixed(2)} / ${r.listschedCores.toFixed(2)} | ` +
      `${Object.entries(r.wins)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} | ${Number.isFinite(r.policyCores) ? r.policyCores.toFixed(2) : '–'} | ${r.states} | ` +
      `${r.nll.toFixed(3)} | ${fmt(r.validation)} | ${r.validation.invalid} | ` +
      `${r.seconds.targets.toFixed(0)} / ${r.seconds.label.toFixed(0)} / ${r.seconds.train.toFixed(0)} / ${r.seconds.validate.toFixed(0)} |`,
  );
  const md = `# EGS expert iteration

Command: \`${commandOf(args)}\`  
Machine: ${describeMachine()}  
Started ${startedAt}; wall time ${((performance.now() - t0) / 1000).toFixed(0)} s  
Load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end (2 logical cores shared with other sessions)

Expert iteration (\`src/experiments/egs-expert-iteration.ts\`): round 0 clones the best heuristic teacher per DAG
(listsched, its incumbent, the exact method on ≤ 20 nodes with 1 s, egs-greedy); each later round samples
${num('dags', 48)} fresh training DAGs (tight deadlines D = the best list-schedule makespan on m ∈ [2, 8]; node
range per round below), runs \`egs-search\` with the current policy (${searchTimeS} s per DAG, ${num('samples', 48)} policy episodes,
beam ${num('beam', 8)}, seeded with the best heuristic; validation uses the method's defaults), keeps the fewest-core answer of the search and the teachers as the target G', adds the teacher's
episode towards G' and the current policy's own episodes with every visited state relabelled towards G'
(DAgger, β = 0.3), and clones the policy again on the aggregate. Policy: width ${num('hidden', 32)},
${num('layers', 2)} layer(s), features ${opt['features'] ?? 'v2'}. Validation: ${n} DAGs sampled like the last
round's training DAGs from another seed (the set models are chosen on; no held-out set is used here); listsched
${list.toFixed(2)} mean cores. "(k/${n})" = DAGs on ≤ listsched's cores.

Checkpoints, log and chosen model: \`${run}/\` (not committed); the per-round log is
\`bench/results/egs-expert-iteration-log.jsonl\`, the learning curve \`bench/results/egs-expert-iteration.svg\`.

| round | nodes | targets / listsched (train, mean cores) | target from | policy on train before | states | NLL | validation alone | validation seeded | invalid | s targets / label / train / validate |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Chosen (fewest validation cores seeded, then alone): round ${chosen.round}.

| policy | validation alone | validation seeded |
|---|---|---|
| listsched | ${list.toFixed(2)} | ${list.toFixed(2)} |
${shipped.map(([name, s]) => `| ${name} | ${s.alone.toFixed(2)} (${s.aloneWithin}/${n}) | ${s.seeded.toFixed(2)} (${s.seededWithin}/${n}) |`).join('\n')}
| expert iteration, round ${chosen.round} | ${fmt(chosen.validation)} |

![learning curve](egs-expert-iteration.svg)
`;
  await writeFileAtomic(path.join(out, 'egs-expert-iteration.md'), md);
  await writeFileAtomic(
    path.join(out, 'egs-expert-iteration.json'),
    JSON.stringify(
      {
        command: commandOf(args),
        listsched: list,
        rounds: records,
        chosen: chosen.round,
        shipped: Object.fromEntries(shipped),
      },
      null,
      1,
    ) + '\n',
  );
}

function commandOf(args: readonly string[]): string {
  return `npm run bench -- egs-expert-iteration ${args.join(' ')}`.trim();
}
