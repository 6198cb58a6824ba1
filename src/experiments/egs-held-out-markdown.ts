/**
 * The report of the issue-16 EGS benchmark (`egs.md`), as `npm run bench -- egs` and
 * `arbiter bench egs --sets FILE` write it: how it ran, the declared regime of the set file, the
 * methods and limits, the acceptance table, mean cores per set × method, per-set tables, and
 * whatever extra sections the caller measured (the bench adds inference times and a learning curve).
 */
import path from 'node:path';
import { egsModelFeatures, type EgsPolicyModel } from '../deploy/egs-policy-model.js';
import {
  egsAcceptance,
  egsAcceptanceTable,
  egsHeldOutSetTables,
  egsHeldOutSummaryTable,
  egsRowWasCut,
} from '../report/egs-held-out-report.js';
import { EGS_HELD_OUT_METHODS, type EgsHeldOutOptions } from './egs-held-out-benchmark.js';
import type { EgsHeldOutDagRow, EgsHeldOutSummaryRow } from './egs-held-out-benchmark.js';
import type { EgsHeldOutPolicies } from './egs-held-out-run.js';
import type { EgsSetFile } from './egs-set-file.js';

/** Everything the report says. */
export interface EgsHeldOutReportInput {
  /** The machine, in words. */
  machine: string;
  /** The command that ran, as the reader would type it. */
  command: string;
  /** Wall time of the whole command and of the held-out sets alone, in seconds. */
  wallS: number;
  benchS: number;
  /** `uptime` before and after. */
  loadStart: string;
  loadEnd: string;
  /** A sentence about the machine's load, after the load lines (optional). */
  machineNote?: string;
  /** The set file as named in the report, and its content. */
  setFilePath: string;
  file: EgsSetFile;
  /** The run's per-DAG rows and summary, and the options it ran with. */
  rows: readonly EgsHeldOutDagRow[];
  summary: readonly EgsHeldOutSummaryRow[];
  options: EgsHeldOutOptions & { optimalTimeLimitS: number; budgetS: number };
  policies: EgsHeldOutPolicies;
  /** Sets of the file that did not run (a chosen slice), named in the report. */
  skippedSets?: readonly string[];
  /** Extra `## ` sections placed before "Training runs" (title → body). */
  sections?: readonly { title: string; body: string }[];
  /** Where the per-DAG rows are, relative to the report (default `egs/rows.json`). */
  rowsFile?: string;
  /** The learning curve's image path, shown under "Training runs". */
  curve?: string;
  /** Whether each shipped policy equals its committed training run's output (see `EgsAcceptanceOptions`). */
  reproduced?: { small: boolean; large: boolean };
}

// "d = 8, 1 attention layer(s), features v1" for the text.
function describeDims(m: EgsPolicyModel): string {
  return `d = ${m.dims.hiddenDim}, ${m.dims.numLayers} attention layer(s), features ${egsModelFeatures(m)}`;
}

/** The report's Markdown (see the module doc). */
export function egsHeldOutMarkdown(r: EgsHeldOutReportInput): string {
  const { file, rows, summary, options, policies } = r;
  const smallModel = policies.small;
  const meta = policies.large.meta;
  const decl = file.declaration;
  const items = file.sets.flatMap((s) => s.items);
  const provenD = items.filter((i) => i.proven).length;
  const invalid = rows.filter((x) => !x.valid).length;
  const cut = rows.filter(egsRowWasCut);
  const ran = new Set(summary.map((s) => s.method));
  const methods = EGS_HELD_OUT_METHODS.filter((m) => ran.has(m));
  const slice =
    (r.skippedSets?.length ? `\nThis run covers a slice: sets not run: ${r.skippedSets.join(', ')}.` : '') +
    (methods.length < EGS_HELD_OUT_METHODS.length ? `\nMethods run: ${methods.join(', ')}.` : '');
  const extra = (r.sections ?? []).map((s) => `## ${s.title}\n\n${s.body}\n\n`).join('');
  return `# EGS benchmark (issue 16: tight deadlines, 50 to 1,000 nodes)

Machine: ${r.machine}  
Command: \`${r.command}\`; wall time ${r.wallS.toFixed(0)} s (the held-out sets ${r.benchS.toFixed(0)} s).  
Load at start: \`${r.loadStart}\`  
Load at end: \`${r.loadEnd}\`${r.machineNote !== undefined ? `  \n${r.machineNote}` : ''}

Policies: \`egs\` and \`egs-policy\` use the small one, \`${path.relative(process.cwd(), policies.smallPath)}\` (${describeDims(smallModel)},
${JSON.stringify({ steps: smallModel.meta['steps'], validationMeanCores: smallModel.meta['validationMeanCores'] })});
\`egs-search\` the large one, \`${path.relative(process.cwd(), policies.largePath)}\` (${describeDims(policies.large)},
${JSON.stringify({ steps: meta['steps'], bcEpoch: meta['bcEpoch'], heldOutMeanCores: meta['heldOutMeanCores'] })}).

## Regime (declared before tuning, disjoint from training)

Sets: \`${r.setFilePath}\` (format version ${decl.version}), made by \`${file.generatedBy.command}\` and only read here
(regenerate with \`npm run bench -- egs-sets [timeLimit=S]\`; this benchmark refuses a missing or stale file).${slice}
- Generated DAGs (WCETs integers ${decl.wcet[0]}–${decl.wcet[1]}), a mix of four generators: Kasahara-style *same probability*
  (every pair i < j an edge with one probability, set for a mean of 2 or 4 predecessors per node) and *same predecessors*
  (each node draws 0…2·mean predecessors among the earlier ones, mean 2 or 4), layered (edge probability 0.15 or 0.3) and
  fork-join (nesting 0.5 or 0.7). Per size: ${decl.sizes.map((s) => `${s.nodes} nodes ${4 * s.perGenerator} DAGs (${s.perGenerator} per generator) at m = ${s.cores.join(', ')}`).join('; ')}.
  The same DAGs serve every m of their size. Seeds \`${decl.seedBase} + 100·n + 10·generator + i\` (\`isEgsHeldOutSeed\`); training
  draws from \`seed·7919 + 17\`, \`seed·7919 + 3\`, \`seed·7919 + 104729\`, 0x5eede65 and the PPO env seeds, never these, and
  never used the Kasahara-style generators or WCETs 1–10 (its DAGs have WCETs 1–20).
- The two STG samples (\`${decl.stg.map((s) => s.file).join('`, `')}\`) at m = 2, 4, 8, with D = the published optimal makespan on m cores.
- Counts are modest so the whole benchmark fits about 25 minutes on this loaded 2-core machine.
- D = the best makespan known on m cores, from \`bestKnownMakespan\` (src/dag/optimal/best-known-makespan.ts): ${file.generatedBy.makespanMethod}.
  ${provenD} of ${items.length} deadlines are proved minimal makespans.

Methods (all through \`scheduleWithMethod\`, every timetable through the shared checker: **${invalid}** of ${rows.length} invalid):
\`egs\` = greedy small policy (continuing from the seed's G'), \`egs-search\` = beam 4×4 plus 16 episodes of the large policy (0.5 s search time), both
**seeded with the best heuristic answer by default** (the fewer-core list schedule as an edge-generation answer, kept unless the
policy does better), so they are never worse than \`listsched\`. \`egs-search\` first runs the **list portfolio**
(\`fewestCoresListPortfolio\`: the orders and seeded random perturbations of \`makespanListSchedule\`, core count by core
count, 400 rounds each, ≤ 1 s), which is **the same portfolio, with the same default seed 0, that set D here** wherever D came from a list schedule:
there it replays the m-core schedule that defined D, so its gains over \`listsched\` at these deadlines are the portfolio's, not
the policy's; then, where that seed is above the lower bound, the **chain local search** (\`chainLocalSearch\`: tabu search over
core sequences from the fixed-order list schedule on one core fewer, runs of 5,000 steps from successive seeds, ≤ 0.6 s in all), whose gains are not the policy's either (the note's \`answer from:\` says which part answered; bench/results/egs-search-dev.md has the ablation). \`egs-policy\` = the learned small policy **alone** (greedy,
\`heuristicSeed: false\`), so nothing is hidden by the seed. \`optimal\` (exact MILP, warm-started from listsched) runs on the
50-node sets only, ${options.optimalTimeLimitS} s per DAG (\`optimalLimit=\`). Every other method has a ${options.budgetS} s budget per DAG (\`budget=\`);
past it a method returns its best answer so far (the "budget cut" column counts these, ${cut.length} rows in all). Cut short,
\`egs-policy\` would answer with a list schedule's core sequences (the scheduler's fallback), which is not the policy's answer:
its rows then count **the policy's own width when cut** (from the scheduler's note; that partial answer's timetable is not
returned, so only the fallback's was checked), and "fallback answered" counts them (${rows.filter((x) => x.fallbackCores !== undefined).length} rows). The 1,000-node set runs only the fast methods (${options.largeMethods!.join(', ')}).
A bound-based method (zhao2020, graham, he2021, he2019) that cannot prove D counts as n cores.

Columns: *proven optimal* = DAGs where the answer equals a proven lower bound on the cores (the core lower bound at D, or
\`optimal\`'s proved minimum); *mean gap to best* = mean over DAGs of (cores − the fewest cores any method found) / that best.
\`egs.json\` holds these per (set, method); \`${r.rowsFile ?? 'egs/rows.json'}\` every (DAG, method).

## Acceptance (issue 16 targets)

${egsAcceptanceTable(egsAcceptance(summary, rows, { optimalTimeLimitS: options.optimalTimeLimitS, ...(r.reproduced && { reproduced: r.reproduced }) }))}

## Mean cores, set × method

${egsHeldOutSummaryTable(summary, EGS_HELD_OUT_METHODS)}

## Per set

${egsHeldOutSetTables(summary, rows)}
${extra}## Training runs

Large policy: ${String(meta['command'] ?? 'see bench/egs-train.ts')}

Small policy: ${String(smallModel.meta['command'] ?? 'see bench/egs-train.ts')}
(${String(smallModel.meta['selection'] ?? '')}${String(smallModel.meta['command'] ?? '').includes('egs-train') ? '; its PPO log: `egs/train-small-ppo.log`, `egs/train-small-ppo-eval.jsonl`' : '; the ablation and its training log: `egs-learn.md`'}).
${r.curve !== undefined ? `\n![learning curve](${r.curve})\n` : ''}`;
}
