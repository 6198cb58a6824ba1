/**
 * The shared body of `npm run bench -- egs-train-small` and `egs-train-large`: trains one shipped
 * EGS policy's chain alone (`src/experiments/egs-policy-train.ts`: best-teacher cloning, DAgger,
 * PPO fine-tune, the seeds of `egs-learn`) at the network size of its {@link EgsTrainBenchSpec}
 * and writes into `out` (default the spec's folder): the model (`model.json`), checkpoints
 * (`checkpoints/bc.json`, `dagger.json`, `ppo-<steps>.json`, written atomically), the JSONL log
 * (`train.jsonl`), the learning curve (`curve.svg`: greedy validation mean cores against PPO steps)
 * and `README.md` (command, machine, load, wall time, weight hashes and whether they equal those
 * of the shipped file). Keys: `train` (160), `epochs` (8), `dagger` (2), `finetune` (40000),
 * `validation` (48), `seed` (1), `out`, `eval` (validation every N PPO steps, 4096),
 * `checkpoint` (every N PPO steps, 8192).
 */
import { appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { egsPolicyModelToJson, loadEgsPolicyModel } from '../src/deploy/egs-policy-model.js';
import { egsWeightsHash, trainEgsPolicy } from '../src/experiments/egs-policy-train.js';
import type { GraphPolicyConfig } from '../src/nn/graph-policy.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import { describeMachine, loadAverages } from './machine.js';

/** What distinguishes the small and the large policy's run. */
export interface EgsTrainBenchSpec {
  /** The bench key (`egs-train-small`, `egs-train-large`). */
  key: string;
  /** Title of the README and the curve (`Small EGS policy`). */
  title: string;
  /** The network. */
  policy: GraphPolicyConfig;
  /** Default output folder. */
  out: string;
  /** The shipped model file the final weights are compared with. */
  shippedPath: string;
  /** Its name in the README (`models/egs-graph-policy-small.json`). */
  shippedName: string;
}

const load = loadAverages;

/** SHA-256 of a model file's weights, or `(unreadable: …)`. */
function shippedHash(file: string): string {
  try {
    return egsWeightsHash(loadEgsPolicyModel(file).weights);
  } catch (e) {
    return `(unreadable: ${e instanceof Error ? e.message : String(e)})`;
  }
}

/** Runs the training of `spec` with `key=value` overrides (see the file comment). */
export async function runEgsPolicyTrainBench(
  spec: EgsTrainBenchSpec,
  args: readonly string[] = [],
): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  const num = (k: string, d: number): number => (opt[k] !== undefined ? Number(opt[k]) : d);
  const out = opt['out'] ?? spec.out;
  const command = `npm run bench -- ${spec.key} ${args.join(' ')}`.trim();
  const loadAtStart = load();
  const t0 = performance.now();
  await rm(path.join(out, 'checkpoints'), { recursive: true, force: true });
  await mkdir(path.join(out, 'checkpoints'), { recursive: true });
  const jsonl = path.join(out, 'train.jsonl');
  await writeFileAtomic(jsonl, '');
  const result = await trainEgsPolicy({
    trainDags: num('train', 160),
    epochs: num('epochs', 8),
    daggerRounds: num('dagger', 2),
    fineTuneSteps: num('finetune', 40_000),
    validationDags: num('validation', 48),
    evalEvery: num('eval', 4096),
    checkpointEvery: num('checkpoint', 8192),
    seed: num('seed', 1),
    policy: spec.policy,
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
  const shipped = shippedHash(spec.shippedPath);
  const same = shipped === result.hashes.ppo;
  const modelJson = egsPolicyModelToJson({ ...result.model, meta: { ...result.model.meta, command } });
  await writeFileAtomic(path.join(out, 'model.json'), modelJson);
  const d = result.model.dims;
  const params = Object.values(result.model.weights).reduce((s, w) => s + w.length, 0);
  const svg = await renderLinePlotSvg({
    title: `${spec.title}: PPO fine-tune after cloning and DAgger`,
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
  const md = `# ${spec.title} training

Command: \`${command}\`  
Machine: ${describeMachine()}  
Wall time: ${wallS.toFixed(0)} s  
Load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end

The \`bc best teacher + dagger + ppo [v2]\` chain of \`npm run bench -- egs-learn\` alone, with its
seeds (\`src/experiments/egs-policy-train.ts\`), on a network of d = ${d.hiddenDim}, ${d.numHeads} heads,
${d.numLayers} attention layer${d.numLayers === 1 ? '' : 's'} (${params} parameters, ${result.model.features} features,
\`model.json\` ${modelJson.length} bytes). Every stage is bounded by epochs, rounds or steps.

| stage | SHA-256 of the weights |
|---|---|
| behaviour cloning | \`${result.hashes.bc}\` |
| + DAgger | \`${result.hashes.dagger}\` |
| + PPO fine-tune (${result.training.ppoRuns![Object.keys(result.training.ppoRuns!)[0]!]!.steps} steps) | \`${result.hashes.ppo}\` |
| \`${spec.shippedName}\` | \`${shipped}\` |

Final weights ${same ? '**identical** to' : '**differ** from'} the shipped policy.

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
    `wall ${wallS.toFixed(0)} s; weights ${result.hashes.ppo}; ${same ? 'identical to' : 'differ from'} ${spec.shippedName}`,
  );
}
