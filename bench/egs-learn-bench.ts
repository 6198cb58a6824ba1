/**
 * `npm run bench -- egs-learn [key=value…]`: the ablation of the EGS learning levers (teachers,
 * seeded search, PPO from scratch) on held-out tight-deadline sets, written to
 * bench/results/egs-learn.md and bench/results/egs-learn.json. Keys: `count` (DAGs per generated
 * set, default 8), `train` (training DAGs, 120), `epochs` (6), `ppo` (PPO steps, 20000), `search`
 * (egs-search seconds per DAG, 0.5), `dagger` (rounds, 2), `hidden` / `layers` (policy size, 16 / 1), `seed` (1), `stg` (folder of STG files with
 * stg-optimal-makespans.csv, examples/dag), `out` (folder of the results, bench/results),
 * `validation` (validation DAGs sampled like the training ones, 0), `finetune` (PPO fine-tune steps
 * of the DAgger policy on the training DAGs, 0), `features` (comma-separated feature sets, v1,v2),
 * `models` (folder to save every trained model in, none), `expert` (expert-iteration search rounds,
 * 0: no expert-iteration variant).
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { egsPolicyModelToJson } from '../src/deploy/egs-policy-model.js';
import type { EgsFeatureSet } from '../src/envs/egs/egs-observation.js';
import { egsAblationSets, runEgsLearnAblation } from '../src/experiments/egs-learn-ablation.js';
import { egsAblationTables, egsAblationTraining } from '../src/report/egs-ablation-report.js';
import { describeMachine } from './machine.js';

const OUT = 'bench/results';

/** Runs the ablation with `key=value` overrides (see the file comment). */
export async function runEgsLearnBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  const num = (k: string, d: number): number => (opt[k] !== undefined ? Number(opt[k]) : d);
  const t0 = performance.now();
  const loadAtStart = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  const stg = opt['stg'] ?? 'examples/dag';
  const out = opt['out'] ?? OUT;
  const sets = await egsAblationSets(num('count', 8), stg);
  const config = {
    trainDags: num('train', 120),
    epochs: num('epochs', 6),
    ppoSteps: num('ppo', 20_000),
    daggerRounds: num('dagger', 2),
    policy: { hiddenDim: num('hidden', 16), numHeads: 4, numLayers: num('layers', 1) },
    searchTimeS: num('search', 0.5),
    seed: num('seed', 1),
    validationDags: num('validation', 0),
    fineTuneSteps: num('finetune', 0),
    expertRounds: num('expert', 0),
    features: (opt['features'] ?? 'v1,v2').split(',') as EgsFeatureSet[],
    onLog: (line: string) => console.log(line),
    ...(opt['models'] !== undefined && {
      onModel: async (name: string, model: Parameters<typeof egsPolicyModelToJson>[0]) => {
        const dir = opt['models']!;
        await mkdir(dir, { recursive: true });
        await writeFileAtomic(
          path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}.json`),
          egsPolicyModelToJson(model),
        );
      },
    }),
  };
  const { rows, training } = await runEgsLearnAblation(sets, config);
  const command = `npm run bench -- egs-learn ${args.join(' ')}`.trim();
  const md = `# EGS learning ablation

Command: \`${command}\`  
Machine: ${describeMachine()}  
Wall time: ${((performance.now() - t0) / 1000).toFixed(0)} s  
Load average (1, 5, 15 min): ${loadAtStart} at the start, ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')} at the end

Held-out sets (declared before tuning, disjoint from training): \`tight-LO-HI-mM\` are sampled
layered / fork-join DAGs at D = the best list-schedule makespan on m cores; \`stg-opt\` the Kasahara
STG graphs at D = the published optimal makespan on m = 2, 4, 8. "On ≤ m cores" counts DAGs
scheduled within the m their deadline was set for. Learned variants are greedy (argmax) episodes
without the heuristic seed, except "+ seeded search" (\`egs-search\`: list-schedule seed, beam
and policy episodes, ${config.searchTimeS} s per DAG). Training: ${config.trainDags} sampled DAGs
(10–40 nodes, tight deadlines on m ∈ [2, 6]), ${config.epochs} epochs of behaviour cloning of a
policy of width ${config.policy.hiddenDim} with ${config.policy.numLayers} layer(s), then
${config.daggerRounds} DAgger rounds, then (\`+ ppo\`) ${config.fineTuneSteps} PPO fine-tune steps on the training DAGs;
\`expert iteration\` (when present): cloning of the best heuristic teacher, then ${config.expertRounds} rounds of
\`egs-search\` with the current policy on ${config.trainDags} fresh DAGs per round, the best answer relabelled along
the policy's own states and cloned (the last round's policy; \`src/experiments/egs-expert-iteration.ts\`);
"shipped small policy" is \`models/egs-graph-policy-small.json\`; PPO from scratch on the env's sampler
(slack deadlines), ${config.ppoSteps} steps, fast learner, no demonstrations. Feature sets: \`v1\` the
original six node features, \`[v2]\` fourteen (EST, slack, t/b-levels, maximum-antichain
membership, list-schedule start and open core neighbours). "seeded greedy" / "seeded search" start
from the list schedule (never worse than it). \`validation\` (when present) is sampled like the
training DAGs from another seed: the set to choose models on, not held out.

${egsAblationTables(rows)}
## Training

${egsAblationTraining(training)}
`;
  await writeFileAtomic(path.join(out, 'egs-learn.md'), md);
  await writeFileAtomic(
    path.join(out, 'egs-learn.json'),
    JSON.stringify({ command, rows, training }, null, 1) + '\n',
  );
}
