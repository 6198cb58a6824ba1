/**
 * `npm run bench -- egs-train-small [key=value…]`: trains the shipped small EGS policy's chain
 * alone (`src/experiments/egs-small-train.ts`: best-teacher cloning, DAgger, PPO fine-tune, the
 * seeds of `egs-learn`) and writes into `out` (default bench/results/egs/small-train): the model
 * (`model.json`), checkpoints (`checkpoints/bc.json`, `dagger.json`, `ppo-<steps>.json`, written
 * atomically), the JSONL log (`train.jsonl`), the learning curve (`curve.svg`: greedy validation
 * mean cores against PPO steps) and `README.md` (command, machine, load, wall time, weight hashes
 * and whether they equal those of `models/egs-graph-policy-small.json`). Keys: `train` (160),
 * `epochs` (8), `dagger` (2), `finetune` (40000), `validation` (48), `seed` (1), `out`,
 * `eval` (validation every N PPO steps, 4096), `checkpoint` (every N PPO steps, 8192).
 */
import { appendFile, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import {
  SMALL_EGS_MODEL_PATH,
  egsPolicyModelToJson,
  loadEgsPolicyModel,
} from '../src/deploy/egs-policy-model.js';
import { egsWeightsHash, trainEgsSmallPolicy } from '../src/experiments/egs-small-train.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import { describeMachine } from './machine.js';

const load = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

/** Runs the training with `key=value` overrides (see the file comment). */
export async function runEgsTrainSmallBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  const num = (k: string, d: number): number => (opt[k] !== undefined ? Number(opt[k]) : d);
  const out = opt['out'] ?? 'bench/results/egs/small-train';
  const command = `npm run bench -- egs-train-small ${args.join(' ')}`.trim();
  const loadAtStart = load();
  const t0 = performance.now();
  await rm(path.join(out, 'checkpoints'), { recursive: true, force: true });
  await mkdir(path.join(out, 'checkpoints'), { recursive: true });
  const jsonl = path.join(out, 'train.jsonl');
  await writeFileAtomic(jsonl, '');
  const result = await trainEgsSmallPolicy({
    trainDags: num('train', 160),
    epochs: num('epochs', 8),
    daggerRounds: num('dagger', 2),
    fineTuneSteps: num('finetune', 40_000),
    validationDags: num('validation', 48),
    evalEvery: num('eval', 4096),
    checkpointEvery: num('checkpoint', 8192),
    seed: num('seed', 1),
    onLog: (line) => console.log(line),
    onRecord: (r) =>
      appendFile(jsonl, JSON.stringify({ t: +((performance.now() - t0) / 1000).toFixed(2), ...r }) + '\n'),
    onCheckpoint: (name, model) =>
      writeFileAtomic(
        path.join(out, 'checkpoints', `${name}.json`),
        egsPolicyModelToJson({ ...model, meta: { ...model.meta, command } }),
      ),
  });
  const wallS = (performance.now() - t0) / 1000;
  const shipped = egsWeightsHash(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH).weights);
  const same = shipped === result.hashes.ppo;
  await writeFileAtomic(
    path.join(out, 'model.json'),
    egsPolicyModelToJson({ ...result.model, meta: { ...result.model.meta, command } }),
  );
  const svg = await renderLinePlotSvg({
    title: 'Small EGS policy: PPO fine-tune after cloning and DAgger',
    xLabel: 'PPO steps',
    yLabel: `greedy mean cores, ${num('validation', 48)} validation DAGs`,
    series: [
      {
        name: 'policy (greedy, unseeded)',
        x: result.curve.map((p) => p.step),
        y: result.curve.map((p) => p.meanCores),
      },
    ],
    hline: { y: result.listschedCores, label: `listsched ${result.listschedCores.toFixed(3)}` },
  });
  await writeFileAtomic(path.join(out, 'curve.svg'), svg);
  const md = `# Small EGS policy training

Command: \`${command}\`  
Machine: ${describeMachine()}  
Wall time: ${wallS.toFixed(0)} s  
Load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end

The \`bc best teacher + dagger + ppo [v2]\` chain of \`npm run bench -- egs-learn\` alone, with its
seeds (\`src/experiments/egs-small-train.ts\`). Every stage is bounded by epochs, rounds or steps.

| stage | SHA-256 of the weights |
|---|---|
| behaviour cloning | \`${result.hashes.bc}\` |
| + DAgger | \`${result.hashes.dagger}\` |
| + PPO fine-tune (${result.training.ppoRuns![Object.keys(result.training.ppoRuns!)[0]!]!.steps} steps) | \`${result.hashes.ppo}\` |
| \`models/egs-graph-policy-small.json\` | \`${shipped}\` |

Final weights ${same ? '**identical** to' : '**differ** from'} the shipped small policy.

Learning curve (\`curve.svg\`): greedy mean cores on the validation DAGs (sampled like the training
DAGs from another seed) against PPO steps; listsched ${result.listschedCores.toFixed(3)}.

| PPO steps | mean cores |
|---|---|
${result.curve.map((p) => `| ${p.step} | ${p.meanCores.toFixed(3)} |`).join('\n')}

Files: \`model.json\`, \`checkpoints/\` (after cloning, after DAgger, every ${num('checkpoint', 8192)} PPO
steps), \`train.jsonl\` (one record per epoch, round, PPO update and validation), \`curve.svg\`.
`;
  await writeFileAtomic(path.join(out, 'README.md'), md);
  console.log(
    `wall ${wallS.toFixed(0)} s; final weights ${same ? 'identical to' : 'differ from'} the shipped small policy`,
  );
}
