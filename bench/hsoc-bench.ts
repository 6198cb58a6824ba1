/**
 * `npm run bench -- hsoc`: the seed's claims on the profiled 5-task and AV-42 DAGs, STOMP's PE mix
 * and the `per-type` load presets, written to bench/results/hsoc.md and bench/results/hsoc.json
 * (learned rules in bench/results/hsoc/lnn-rules.json). Sizes from the environment:
 * HSOC_SEEDS (paired evaluation seeds, default 200), HSOC_EPISODES (REINFORCE episodes per LNN
 * training, default 1000), HSOC_RESTARTS (LNN trainings, default 4); ppo-shared trains until its
 * learning curve is flat or HSOC_PPO_CAP steps (default 4 000 000), evaluated every HSOC_PPO_EVAL
 * steps (default 200 000) on HSOC_PANEL_SEEDS episodes per cell (default 10), LNN curves every
 * HSOC_LNN_EVAL episodes (default 100).
 *
 * `npm run bench -- hsoc ppo-only`: only the ppo-shared training, its learning curve and the
 * sample-efficiency comparison; its rows of hsoc.json / hsoc.md are replaced (re-evaluated on the
 * same paired seeds against a re-run control, gaps from the stored static-target and lower-bound
 * means) and its sections rewritten, everything else kept. Both modes keep the hand-written
 * Reading, the block between `<!-- hsoc-reading:start -->` and `<!-- hsoc-reading:end -->`.
 */
import { readFile } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { selectLnnRulePolicy } from '../src/agents/select-lnn-rule-policy.js';
import { HsocEnv } from '../src/envs/hsoc/hsoc-env.js';
import type { HsocPerTypeArrivalRates } from '../src/envs/hsoc/hsoc-per-type-load.js';
import { HSOC_LOADS, STOMP_PES } from '../src/envs/hsoc/hsoc-platform.js';
import { HSOC_PROFILED_WORKLOADS } from '../src/envs/hsoc/hsoc-profiled-workloads.js';
import { measureHsocDecisionLatency } from '../src/experiments/hsoc-decision-latency.js';
import { HsocEvalPanel } from '../src/experiments/hsoc-eval-panel.js';
import { lnnRuleLearningCurves } from '../src/experiments/hsoc-lnn-learning-curve.js';
import { trainPpoUntilFlat } from '../src/experiments/hsoc-ppo-until-flat.js';
import type { PlateauRule } from '../src/core/learning-plateau.js';
import { mean, pairedDifference } from '../src/core/statistics.js';
import type { HsocEnvOptions } from '../src/envs/hsoc/hsoc-env.js';
import { runHsocEpisode, type HsocPolicy } from '../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../src/envs/hsoc/policies/uniform-policy.js';
import {
  HSOC_PPO_SECTION_HEADING,
  hsocLearningEfficiencyMarkdown,
} from '../src/report/hsoc-learning-efficiency-markdown.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import type { HsocProfiledRow } from '../src/report/hsoc-profiled-row.js';
import {
  LOWER_BOUND,
  STATIC_TARGET,
  profiledTrainingEnv,
  runHsocProfiledComparison,
} from '../src/experiments/hsoc-profiled-comparison.js';
import type { KnowledgeBaseSpec } from '../src/logic/knowledge-base-spec.js';
import { hsocProfiledMarkdown, hsocProfiledRowLine } from '../src/report/hsoc-profiled-markdown.js';
import { describeMachine } from './machine.js';
import { HSOC_HAND_BLOCKS, rewriteKeepingMarkedSections } from './marked-section.js';

const OUT = 'bench/results';
const SEED_BASE = 3000;
const JOBS = { '5-task-profiled': 12, 'av-42-profiled': 4 } as const;

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined ? fallback : Number.parseInt(v, 10);
}

/** The flatness rule of ppo-shared's training. */
const PPO_RULE: PlateauRule = { window: 3, tolerance: 0.01 };
const PANEL_SEED_BASE = 5000;

interface PpoSection {
  policy: HsocPolicy;
  markdown: string;
  steps: number;
  flat: boolean;
  cap: number;
  seconds: number;
}

/**
 * ppo-shared trained until flat (or capped), the LNN trainings' curves on the same panel, the two
 * plots and the numbers (bench/results/hsoc/learning-curves.json), and the Markdown section.
 */
async function ppoSection(trainEnv: HsocEnvOptions, episodes: number, restarts: number): Promise<PpoSection> {
  const cap = envInt('HSOC_PPO_CAP', 4_000_000);
  const evalEvery = envInt('HSOC_PPO_EVAL', 200_000);
  const panelSeeds = envInt('HSOC_PANEL_SEEDS', 10);
  const lnnEvalEvery = envInt('HSOC_LNN_EVAL', 100);
  // Finer resolution early in training, for the steps-to-reach figures.
  const extraEvals = {
    ppoSteps: [10_000, 25_000, 50_000, 100_000, 150_000].filter((x) => x < evalEvery),
    lnnEpisodes: [5, 10, 25, 50].filter((x) => x < lnnEvalEvery),
  };
  const t0 = performance.now();
  const panel = new HsocEvalPanel({
    env: trainEnv,
    jobs: JOBS,
    seeds: panelSeeds,
    seedBase: PANEL_SEED_BASE,
  });
  const ppo = await trainPpoUntilFlat({
    cap,
    evalEvery,
    rule: PPO_RULE,
    extraEvalSteps: extraEvals.ppoSteps,
    panel,
    env: trainEnv,
    onEval: (p) =>
      console.log(
        `hsoc bench: ppo-shared at ${p.steps} steps, score ${p.score.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      ),
  });
  const ppoSeconds = (performance.now() - t0) / 1000;
  const lnn = lnnRuleLearningCurves({
    restarts,
    train: { episodes, env: { ...trainEnv, jobs: 4 } },
    evalEvery: lnnEvalEvery,
    extraEvalEpisodes: extraEvals.lnnEpisodes,
    panel,
  });
  console.log(`hsoc bench: LNN learning curves at ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const cellName = (i: number): string => `${panel.cells[i]!.workload} ${panel.cells[i]!.load}`;
  const ppoSvg = await renderLinePlotSvg({
    title: 'ppo-shared learning curve: panel mean completion / control, per cell',
    xLabel: 'env steps (agent decisions)',
    yLabel: 'mean completion / control (lower is better)',
    series: [
      ...panel.cells.map((_, i) => ({
        name: cellName(i),
        x: ppo.curve.map((p) => p.steps),
        y: ppo.curve.map((p) => p.meanCompletion[i]! / panel.cells[i]!.control),
      })),
      { name: 'score (mean of cells)', x: ppo.curve.map((p) => p.steps), y: ppo.curve.map((p) => p.score) },
    ],
    hline: { y: 1, label: 'control' },
  });
  const effSvg = await renderLinePlotSvg({
    title: 'Sample efficiency: panel score vs env steps, ppo-shared and LNN rule trainings',
    xLabel: 'env steps (agent decisions; LNN: sampled + baseline episodes)',
    yLabel: 'mean over cells of completion / control',
    series: [
      { name: 'ppo-shared', x: ppo.curve.map((p) => p.steps), y: ppo.curve.map((p) => p.score) },
      ...lnn.map((c) => ({
        name: `LNN seed ${c.seed}`,
        x: c.points.map((p) => p.envSteps),
        y: c.points.map((p) => p.score),
      })),
    ],
    hline: { y: 1, label: 'control' },
  });
  await writeFileAtomic(path.join(OUT, 'hsoc', 'ppo-learning-curve.svg'), ppoSvg);
  await writeFileAtomic(path.join(OUT, 'hsoc', 'sample-efficiency.svg'), effSvg);
  await writeFileAtomic(
    path.join(OUT, 'hsoc', 'learning-curves.json'),
    JSON.stringify(
      {
        rule: PPO_RULE,
        cap,
        evalEvery,
        panel: { seeds: panelSeeds, seedBase: PANEL_SEED_BASE, cells: panel.cells },
        extraEvals,
        ppo: { flat: ppo.flat, steps: ppo.steps, curve: ppo.curve, trainingReturns: ppo.returns },
        lnn: { episodes, evalEvery: lnnEvalEvery, curves: lnn },
      },
      null,
      1,
    ) + '\n',
  );
  const markdown = hsocLearningEfficiencyMarkdown({
    cells: panel.cells,
    panel: { seeds: panelSeeds, seedBase: PANEL_SEED_BASE },
    ppo,
    rule: PPO_RULE,
    cap,
    evalEvery,
    ppoSeconds,
    lnn,
    lnnEpisodes: episodes,
    lnnEvalEvery,
    extraEvals,
    plots: { ppo: 'hsoc/ppo-learning-curve.svg', efficiency: 'hsoc/sample-efficiency.svg' },
  });
  return { policy: ppo.policy, markdown, steps: ppo.steps, flat: ppo.flat, cap, seconds: ppoSeconds };
}

const ppoDescription = (s: PpoSection): string =>
  `\`ppo-shared\` (one PPO MLP shared by all agents, trained on the profiled 5-task DAG until its learning curve was ${
    s.flat ? `flat: ${s.steps} steps` : `flat or ${s.cap} steps: not flat, ${s.steps} steps`
  })`;

/**
 * `md` (hsoc.md without its hand-written blocks) with ppo-shared's description, table rows and
 * section replaced by `ppo`'s.
 */
export function hsocPpoOnlyMarkdown(
  md: string,
  ppo: { description: string; markdown: string; rows: readonly Omit<HsocProfiledRow, 'perSeed'>[] },
): string {
  let out = md.replace(/`ppo-shared` \(one PPO MLP shared by all agents,[^)]*\)/, ppo.description);
  for (const r of ppo.rows) {
    const w = out.indexOf(`### Workload ${r.workload}\n`);
    const line = new RegExp(`^\\| ${r.load} \\| ppo-shared \\|.*$`, 'm');
    out = out.slice(0, w) + out.slice(w).replace(line, hsocProfiledRowLine({ ...r, perSeed: [] }));
  }
  const a = out.indexOf(HSOC_PPO_SECTION_HEADING);
  const b = out.indexOf('\nDecision latency of the LNN rule policy');
  if (a < 0 || b < a) throw new Error('hsoc ppo-only: hsoc.md has no ppo-shared section; run the full bench');
  return out.slice(0, a) + ppo.markdown + out.slice(b);
}

/**
 * `hsoc ppo-only`: re-trains ppo-shared, re-evaluates its rows on the paired seeds of hsoc.json and
 * rewrites its rows and sections of hsoc.md / hsoc.json, keeping the rest.
 */
async function runHsocPpoOnly(): Promise<void> {
  const episodes = envInt('HSOC_EPISODES', 1000);
  const restarts = envInt('HSOC_RESTARTS', 4);
  const loadBefore = execSync('uptime').toString().trim();
  const t0 = performance.now();
  const json = JSON.parse(await readFile(path.join(OUT, 'hsoc.json'), 'utf8')) as {
    env: Record<string, number>;
    rows: Omit<HsocProfiledRow, 'perSeed'>[];
    [k: string]: unknown;
  };
  const stored = json.env['HSOC_SEEDS'] ?? 200;
  const seeds = envInt('HSOC_SEEDS', stored); // fewer only for a smoke run (then the control check is skipped)
  const trainEnv = profiledTrainingEnv();
  const section = await ppoSection(trainEnv, episodes, restarts);
  const newRows: Omit<HsocProfiledRow, 'perSeed'>[] = [];
  for (const workload of HSOC_PROFILED_WORKLOADS)
    for (const load of HSOC_LOADS) {
      const env = new HsocEnv({ ...trainEnv, workload, load, jobs: JOBS[workload], pes: STOMP_PES });
      const run = (p: HsocPolicy): { c: number[]; miss: number } => {
        const c: number[] = [];
        let miss = 0;
        for (let s = 0; s < seeds; s++) {
          const m = runHsocEpisode(env, p, SEED_BASE + s);
          c.push(m.meanCompletion);
          miss += m.deadlineMissRatio;
        }
        return { c, miss: miss / seeds };
      };
      const control = run(new UniformPolicy()).c;
      const ppo = run(section.policy);
      const ref = (policy: string): number =>
        json.rows.find((r) => r.workload === workload && r.load === load && r.policy === policy)!
          .meanCompletion;
      const uniform = ref('uniform');
      if (seeds === stored && Math.abs(mean(control) - uniform) > 1e-9 * uniform)
        throw new Error(
          `hsoc ppo-only: the control of ${workload}/${load} differs from hsoc.json; run the full bench`,
        );
      const d = pairedDifference(ppo.c, control);
      const m = mean(ppo.c);
      newRows.push({
        workload,
        load,
        policy: 'ppo-shared',
        seeds,
        meanCompletion: m,
        vsControlPct: d.mean,
        ci95: d.ci95,
        gapToIdealPct: (100 * (m - ref(STATIC_TARGET))) / ref(STATIC_TARGET),
        gapToLowerBoundPct: (100 * (m - ref(LOWER_BOUND))) / ref(LOWER_BOUND),
        deadlineMissRatio: ppo.miss,
      });
      console.log(`hsoc bench: ppo-shared ${workload}/${load} ${d.mean.toFixed(2)} % vs control`);
    }
  const loadAfter = execSync('uptime').toString().trim();
  const totalS = (performance.now() - t0) / 1000;
  const isPpo = (r: { policy: string }): boolean => r.policy === 'ppo-shared';
  json.rows = json.rows.map((r) =>
    isPpo(r) ? newRows.find((n) => n.workload === r.workload && n.load === r.load)! : r,
  );
  const { HSOC_PPO_STEPS: _old, ...envRest } = json.env;
  json.env = { ...envRest, HSOC_PPO_CAP: section.cap, HSOC_PPO_STEPS_TRAINED: section.steps };
  json['ppoOnly'] = {
    command: 'npm run bench -- hsoc ppo-only',
    uptimeBefore: loadBefore,
    uptimeAfter: loadAfter,
    seconds: Math.round(totalS),
    flat: section.flat,
  };
  await writeFileAtomic(path.join(OUT, 'hsoc.json'), JSON.stringify(json, null, 1) + '\n');
  const provenance = `Rows and section from \`npm run bench -- hsoc ppo-only\` (${totalS.toFixed(0)} s; \`uptime\` before: \`${loadBefore}\`; after: \`${loadAfter}\`); ppo-shared rows re-evaluated on the same ${seeds} paired seeds.\n`;
  await rewriteKeepingMarkedSections(path.join(OUT, 'hsoc.md'), HSOC_HAND_BLOCKS, (md) =>
    hsocPpoOnlyMarkdown(md, {
      description: ppoDescription(section),
      markdown: section.markdown.replace('\n\n', `\n\n${provenance}\n`),
      rows: newRows,
    }),
  );
  console.log(`wrote ${OUT}/hsoc.md and ${OUT}/hsoc.json (ppo-shared rows and sections)`);
}

/** Runs the HSoC comparison and writes bench/results/hsoc.md and hsoc.json (`ppo-only`: see the module comment). */
export async function runHsocBench(sections: readonly string[] = []): Promise<void> {
  if (sections.includes('ppo-only')) return runHsocPpoOnly();
  const seeds = envInt('HSOC_SEEDS', 200);
  const episodes = envInt('HSOC_EPISODES', 1000);
  const restarts = envInt('HSOC_RESTARTS', 4);
  const loadBefore = execSync('uptime').toString().trim();
  const t0 = performance.now();
  const lap = (what: string): void =>
    console.log(`hsoc bench: ${what} at ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const kb = JSON.parse(await readFile('examples/logic/light-load.json', 'utf8')) as KnowledgeBaseSpec;
  const trainEnv = profiledTrainingEnv();
  const selection = selectLnnRulePolicy({
    restarts,
    train: { episodes, env: { ...trainEnv, jobs: 4 } },
    env: trainEnv,
  });
  lap(`LNN rules (${restarts} × ${episodes} episodes)`);
  const section = envInt('HSOC_PPO_CAP', 1) > 0 ? await ppoSection(trainEnv, episodes, restarts) : undefined;
  const ppo = section?.policy;
  lap(`ppo-shared (${section?.steps ?? 0} steps) and the learning curves`);
  const tCompare = performance.now();
  const rows = runHsocProfiledComparison({
    seeds,
    seedBase: SEED_BASE,
    jobs: JOBS,
    rules: selection.policy,
    knowledgeBase: kb,
    ...(ppo && { extraPolicies: [ppo] }),
    onCell: (d, t) => lap(`comparison cell ${d}/${t}`),
  });
  const compareS = (performance.now() - tCompare) / 1000;
  const loads = HSOC_PROFILED_WORKLOADS.flatMap((workload) =>
    HSOC_LOADS.map((load) => {
      const env = new HsocEnv({ ...trainEnv, workload, load, jobs: JOBS[workload], pes: STOMP_PES });
      const rates = env.sim.arrivalRates as HsocPerTypeArrivalRates;
      const isolated = env.sim.isolatedMakespan(env.sim.workload);
      return {
        workload,
        load,
        perType: rates.perType,
        workloadRate: rates.workloadRate,
        otherRate: rates.otherRate,
        isolated,
        deadline: env.sim.deadlineFactor * isolated,
      };
    }),
  );
  const rules = selection.policy.rules().map((r) => r.text);
  const latencyUs = measureHsocDecisionLatency(selection.policy);
  const loadAfter = execSync('uptime').toString().trim();
  const totalS = (performance.now() - t0) / 1000;
  await writeFileAtomic(
    path.join(OUT, 'hsoc', 'lnn-rules.json'),
    JSON.stringify(selection.policy.toJSON(), null, 1) + '\n',
  );
  await writeFileAtomic(
    path.join(OUT, 'hsoc.json'),
    JSON.stringify(
      {
        command: 'npm run bench -- hsoc',
        env: {
          HSOC_SEEDS: seeds,
          HSOC_EPISODES: episodes,
          HSOC_RESTARTS: restarts,
          HSOC_PPO_CAP: section?.cap ?? 0,
          HSOC_PPO_STEPS_TRAINED: section?.steps ?? 0,
        },
        machine: describeMachine(),
        uptimeBefore: loadBefore,
        uptimeAfter: loadAfter,
        seconds: Math.round(totalS),
        rules,
        rows: rows.map(({ perSeed: _perSeed, ...r }) => r),
      },
      null,
      1,
    ) + '\n',
  );
  const md = `# HSoC power sharing on the profiled workloads: the seed's claims, measured

Machine: ${describeMachine()}  
Command: \`${seeds === 200 && episodes === 1000 && restarts === 4 && section?.cap === 4_000_000 ? '' : `HSOC_SEEDS=${seeds} HSOC_EPISODES=${episodes} HSOC_RESTARTS=${restarts} HSOC_PPO_CAP=${section?.cap ?? 0} `}npm run bench -- hsoc\` (${totalS.toFixed(0)} s in all, the comparison ${compareS.toFixed(0)} s; one process).  
\`uptime\` before: \`${loadBefore}\`; after: \`${loadAfter}\` (the machine is shared: timings are not comparable across runs, results are deterministic).

Setup: the profiled DAGs (\`examples/hsoc/5-task-profiled.json\`, \`av-42-profiled.json\`) on STOMP's PE mix
(3 CPUs, 3 GPUs, 3 FFT accelerators), STOMP's token model (1,000 tokens, t ∝ (100/share)^0.5), memory
contention \`all\`, the \`per-type\` load calibration (table below), ${JOBS['5-task-profiled']} workload jobs per 5-task
episode and ${JOBS['av-42-profiled']} per AV-42 episode plus the preset's background DAGs. Paired over seeds
${SEED_BASE}–${SEED_BASE + seeds - 1} (every policy sees the same arrivals); LNN training uses seeds ≥ 100 000 and
validation ≥ 200 000. Times in the simulator's time units.

Policies: \`uniform\` (the seed's control: equal shares for every PE holding a task, reserved ones
included), \`uniform-running\` (equal shares among the PEs running a task), \`seed-rules\` (the seed's
hand-written rules: 0 % unless running, 100 % alone in its DAG, else the token need balanced between
siblings), \`slack-peak\` (requests where the seed's \`Slack\` predicate peaks: completion-time ratio of
siblings = ratio of their sub-deadlines), \`lnn-rules\` (3 LNN rules learned with REINFORCE on the profiled
5-task DAG, ${restarts} trainings × ${episodes} episodes, best on validation kept), \`dynamic-rules\` (the LNN rules,
switched to uniform sharing among running PEs when the PLNN on \`examples/logic/light-load.json\` infers light
load from the agent's partial observations)${section ? `, ${ppoDescription(section)}` : ''}.

References (not runnable policies):
- \`static-target\` — the seed's "ideal target": the control's PE assignment of the same episode fixed up front
  and known to every agent, token split chosen offline with hindsight as the best of 5 split rules. It is a
  **heuristic**: it neither optimises the assignment nor finds the optimal split, and binding tasks to the
  control's PEs can make it slower than a runnable policy. It guarantees nothing.
- \`lower-bound\` — a **true lower bound** on the mean DAG completion time of every policy on the same
  episode (\`src/envs/hsoc/hsoc-lower-bound.ts\`): each job alone, every task on its fastest PE type with no
  queueing or contention, power shared optimally along the critical path and the other tasks (concave speed
  factor), and the SoC's total power-limited throughput as one SRPT machine. A property test (fast-check,
  random DAGs, times, PE mixes, power models, loads) checks that no policy ever beats it. It is loose under load
  (it ignores queueing for PEs and between jobs except through SRPT), so a large gap to it says little; being
  below it would be a bug. Its deadline-miss ratio is the share of jobs no policy can finish in time.

Statistics: "vs control" is the mean over seeds of the per-seed % difference to \`uniform\`, with its 95 %
Student CI; a claim "faster" needs the whole CI below 0.

${hsocProfiledMarkdown({
  rows,
  loads,
  rules,
  candidates: selection.candidates,
  chosen: selection.chosen,
  ...(section && { ppoSection: section.markdown }),
  lnnCurve: selection.curve,
  latencyUs,
})}`;
  // The hand-written Reading is a marked block of the old report: carried over, never regenerated.
  await rewriteKeepingMarkedSections(path.join(OUT, 'hsoc.md'), HSOC_HAND_BLOCKS, () => md);
  console.log(`wrote ${OUT}/hsoc.md and ${OUT}/hsoc.json`);
}
