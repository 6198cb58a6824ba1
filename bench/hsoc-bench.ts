/**
 * `npm run bench -- hsoc`: the issue 7 experiment (SPEC §7) written to bench/results/hsoc.md with
 * the bar chart bench/results/hsoc/completion.svg.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import type { KnowledgeBaseSpec } from '../src/logic/knowledge-base-spec.js';
import { runHsocBenchmark } from '../src/experiments/hsoc-benchmark.js';
import { renderHsocBarChartSvg } from '../src/report/hsoc-bar-chart.js';
import { hsocBenchmarkMarkdown } from '../src/report/hsoc-benchmark-markdown.js';
import { describeMachine } from './machine.js';

const OUT = 'bench/results';
const SEEDS = 20;

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
  await writeFileAtomic(path.join(OUT, 'hsoc', 'completion.svg'), await renderHsocBarChartSvg(result.rows));
  await writeFileAtomic(
    path.join(OUT, 'hsoc', 'lnn-rules.json'),
    JSON.stringify(result.policy.toJSON(), null, 1) + '\n',
  );
  const md = `# HSoC power-sharing benchmark (issue 7)

Machine: ${describeMachine()}  
Command: \`npm run bench -- hsoc\` (${((performance.now() - t0) / 1000).toFixed(0)} s, one process).

Policies: \`uniform\` (the seed's control, "tokens shared equally between concurrent tasks at all times": equal
share for every PE holding a task, running it or holding it reserved by the scheduler's look-ahead while its parents
finish), \`uniform-running\` (a stronger readiness-aware variant, reported for transparency: only running PEs
share), \`seed-rules\` (the seed's rules written by hand: 0 % unless running, 100 % without siblings, else the
\`Slack\` peak = the siblings' uniform shares split so that their paths end together, future tasks at reference
speed until placed), \`lnn-rules\` (3 LNN rules learned with REINFORCE on the 5-task DAG, 2000 episodes per training, training
seeds ≥ 100 000; 8 independent trainings, the best on validation seeds ≥ 200 000 is evaluated, see "LNN rule
selection"), \`dynamic-rules\` (LNN rules; uniform sharing among the running PEs when the PLNN on
\`examples/logic/light-load.json\` predicts light load), \`ideal-static\` (assignments of the control's run
fixed up front and known to every agent; token split optimized offline on that schedule with hindsight: best of 5
split rules, then per-task coordinate descent), \`ppo-shared\`
(deep MARL baseline: one PPO MLP shared by all agents, 60 000 decisions of training on the 5-task DAG). Evaluation seeds
1000–${1000 + SEEDS - 1} (unseen arrivals and PE assignments); the AV DAG is never trained on. 12 workload jobs
per 5-task episode, 4 per AV episode, plus the preset's other DAGs. Times in reference time units
(a task's WCET is its time on a CPU holding all 100 tokens).

Load presets (first table below): a preset is a nominal utilization ρ (offered work over m^(1−α), the throughput
of the m usable PEs at CPU speed sharing the envelope equally) with its accelerators and its share of background
DAGs, so one preset means the same pressure for both DAGs, and every preset keeps ρ < 1: queues stay bounded and the
mean completion time is a property of the load rather than of the episode length. The earlier presets fixed
arrivals per critical path L; their heavy load offered about 1.9× the capacity (AV medium 1.5×), and the control's
mean completion at 5-task heavy grew from 46 to 106 time units between 12 and 48 jobs per episode (now 26 → 30).

Notes: \`ideal-static\` is an oracle optimized per episode with hindsight (it keeps the best of about 130
replays of the same episode), a target rather than a runnable policy. \`ppo-shared\` has a small budget (about 20 s
of training) and no reward shaping for idle PEs. Learned rules: \`bench/results/hsoc/lnn-rules.json\`.

Statistics: the tables use seeds 1000–${1000 + SEEDS - 1} for every policy. The acceptance checks use the
"powered comparison": the runnable policies on 200 further seeds (2000–2199; declared in commit 436e239 before
its first run, after the 20-seed checks had come out non-significant in three cells). On validation seeds the paired
differences spread with a std of up to 8 % (5-task DAG, medium load), so 20 seeds resolve only effects above about
5 %, 200 seeds about 1.6 % (80 % power). Both sets of checks are printed.

Where the margins come from (read with the tables): the selected rules say 0 % unless the task runs and the
uniform request among the running PEs when it runs (50 %, or 100 % as the only running PE), which is exactly
\`uniform-running\`: their rows are equal seed by seed. So the learned rules beat the seed's control only by not
powering PEs whose task still waits for its parents (the control gives every PE holding a task an equal share), by
0.6–3.4 % on the 200 seeds; at heavy load almost every usable PE runs a task and few wait, so the margin is smallest
there. Balancing siblings by \`Slack\` (\`seed-rules\`) loses up to 9 %: with α = 0.5 the best split of two
siblings saves at most about 8 % of their time even in isolation, any unequal split lowers the SoC's total progress
rate (it is highest with equal shares), a slowed sibling holds its PE while ready tasks queue, and future tasks are
estimated at CPU speed until the scheduler places them. Trainings whose \`NeedTokens_x\` leans on \`Slack\`
without \`FairShare\` (seeds 3 and 5 in the selection table) are 4–9 % slower than the control on validation at
medium and heavy load. Because the selected rules already ask for the uniform share whenever the PLNN predicts light
load, \`dynamic-rules\` equals \`lnn-rules\` (the last column of the PLNN table counts changed bins).
\`ideal-static\` replays the control's PE assignment as a fixed plan (a task waits for its planned PE even when
another is free).

![completion](hsoc/completion.svg)

${hsocBenchmarkMarkdown(result, SEEDS)}`;
  await writeFileAtomic(path.join(OUT, 'hsoc.md'), md);
  console.log(`wrote ${OUT}/hsoc.md`);
}
