/**
 * `npm run bench -- hsoc`: the issue 7 experiment (SPEC §7) written to bench/results/hsoc.md with
 * the bar chart bench/results/hsoc/completion.svg.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KnowledgeBaseSpec } from '../src/logic/knowledge-base.js';
import {
  hsocBenchmarkMarkdown,
  renderHsocBarChartSvg,
  runHsocBenchmark,
} from '../src/report/hsoc-benchmark.js';
import { describeMachine } from './machine.js';

const OUT = 'bench/results';
const SEEDS = 10;

/** Runs the HSoC benchmark and writes bench/results/hsoc.md. */
export async function runHsocBench(): Promise<void> {
  const t0 = performance.now();
  const kb = JSON.parse(await readFile('examples/logic/light-load.json', 'utf8')) as KnowledgeBaseSpec;
  const result = await runHsocBenchmark({
    seeds: SEEDS,
    knowledgeBase: kb,
    onCell: (d, t) => process.stdout.write(`\rhsoc bench: ${d}/${t} cells`),
  });
  process.stdout.write('\n');
  await mkdir(path.join(OUT, 'hsoc'), { recursive: true });
  await writeFile(path.join(OUT, 'hsoc', 'completion.svg'), await renderHsocBarChartSvg(result.rows));
  await writeFile(
    path.join(OUT, 'hsoc', 'lnn-rules.json'),
    JSON.stringify(result.policy.toJSON(), null, 1) + '\n',
  );
  const md = `# HSoC power-sharing benchmark (issue 7)

Machine: ${describeMachine()}  
Command: \`npm run bench -- hsoc\` (${((performance.now() - t0) / 1000).toFixed(0)} s, one process).

Policies: \`uniform\` (the control: equal tokens among active PEs), \`seed-rules\` (the seed's rules written by hand:
0 % unless running, 100 % without siblings, else the \`Slack\` peak = slack-reclaiming token need), \`lnn-rules\` (3 LNN rules learned with
REINFORCE on the 5-task DAG, 2000 episodes, training seeds ≥ 100 000), \`dynamic-rules\` (LNN rules, uniform when
the PLNN on \`examples/logic/light-load.json\` predicts light load), \`ideal-static\` (assignments of the uniform run
fixed up front and known to every agent; token split optimized offline on that schedule with hindsight: best of 5 split rules, then per-task coordinate descent), \`ppo-shared\`
(deep MARL baseline: one PPO MLP shared by all agents, 60 000 decisions of training on the 5-task DAG). Evaluation seeds
1000–${1000 + SEEDS - 1} (unseen arrivals and PE assignments); the AV DAG is never trained on. 12 workload jobs
per 5-task episode, 4 per AV episode, plus the preset's other DAGs. Times in reference time units
(a task's WCET is its time on a CPU holding all 100 tokens).

Notes: at heavy load (4 CPUs + 1 GPU, dense arrivals) the offered work exceeds the SoC's capacity over the
episode window, so queues build up and completion times are several critical paths long. \`ideal-static\` is
an oracle optimized per episode with hindsight, a target rather than a runnable policy. \`ppo-shared\` has a
small budget (about 20 s of training) and no reward shaping for idle PEs. Learned rules: \`bench/results/hsoc/lnn-rules.json\`.

![completion](hsoc/completion.svg)

${hsocBenchmarkMarkdown(result, SEEDS)}`;
  await writeFile(path.join(OUT, 'hsoc.md'), md);
  console.log(`wrote ${OUT}/hsoc.md`);
}
