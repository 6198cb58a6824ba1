/**
 * `npm run bench -- egs [optimalLimit=S] [budget=S]`: the issue-16 evaluation of the shipped EGS
 * policies on the held-out sets of bench/data/egs-sets-v1.json (made by `npm run bench -- egs-sets`;
 * this only reads it), written to bench/results/egs.md and bench/results/egs.json (one row per set
 * and method), with the per-DAG rows in bench/results/egs/rows.json, the inference times and the
 * learning curve of the documented training run (bench/results/egs/, copied from the training
 * output folder).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { Rng } from '../src/core/rng.js';
import { loadEgsPolicyModel, type EgsPolicyModel } from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler, type EgsDecodeOptions } from '../src/deploy/egs-policy-scheduler.js';
import { egsWeightsHash } from '../src/experiments/egs-policy-train.js';
import { DagSampler } from '../src/envs/egs/dag-sampler.js';
import {
  EGS_HELD_OUT_METHODS,
  runEgsHeldOutBenchmark,
  summarizeEgsHeldOut,
} from '../src/experiments/egs-held-out-benchmark.js';
import { egsHeldOutMarkdown } from '../src/experiments/egs-held-out-markdown.js';
import {
  EGS_HELD_OUT_LIMITS,
  egsHeldOutPolicies,
  egsHeldOutRunOptions,
} from '../src/experiments/egs-held-out-run.js';
import { EGS_SET_DECLARATION } from '../src/experiments/egs-held-out-sets.js';
import { EGS_SET_FILE, readEgsSetFile } from '../src/experiments/egs-set-file.js';
import { renderLinePlotSvg } from '../src/report/line-plot-svg.js';
import { scheduleDag } from '../src/dag/schedule/schedule-dag.js';
import { describeMachine } from './machine.js';

const OUT = 'bench/results';
const FIG = path.join(OUT, 'egs');

// Whether `model` has the weights of the committed training output at `file` (false when absent).
function sameWeights(model: EgsPolicyModel, file: string): boolean {
  if (!existsSync(file)) return false;
  return egsWeightsHash(loadEgsPolicyModel(file).weights) === egsWeightsHash(model.weights);
}

/**
 * Greedy inference time on ten 50-node DAGs: per DAG the median of three runs (the machine is
 * shared), averaged over the DAGs; both shipped policies and a few speed settings of the large one.
 */
async function inferenceTimes(small: EgsPolicyScheduler, large: EgsPolicyScheduler): Promise<string> {
  const rng = new Rng(0x7e57);
  const sampler = new DagSampler({ nodes: [50, 50], slack: [0, 0.3] });
  const dags = Array.from({ length: 10 }, () => sampler.sample(rng));
  const median3 = (run: () => number): number => {
    const t = [run(), run(), run()].sort((x, y) => x - y);
    return t[1]!;
  };
  const variants: [string, EgsPolicyScheduler, EgsDecodeOptions][] = [
    ['`egs` (small policy, the default)', small, {}],
    ['`egs --model large`', large, {}],
    ['`egs --model large --refresh 2`', large, { refresh: 2 }],
    ['`egs --model large --refresh 4 --stall 16`', large, { refresh: 4, stallLimit: 16 }],
  ];
  for (const d of dags.slice(0, 3)) {
    small.greedy(d); // JIT warm-up
    large.greedy(d);
  }
  const rows: string[] = [];
  for (const [name, scheduler, opts] of variants) {
    let ms = 0;
    let cores = 0;
    let edges = 0;
    for (const d of dags) {
      const r = scheduler.greedy(d, opts);
      ms += median3(() => scheduler.greedy(d, opts).timeMs);
      cores += r.cores;
      edges += r.addedEdges.length;
    }
    rows.push(
      `| ${name} | ${(ms / 10).toFixed(1)} | ${(edges / 10).toFixed(1)} | ${(cores / 10).toFixed(2)} |`,
    );
  }
  let greedyMs = 0;
  for (const d of dags) {
    const t: number[] = [];
    for (let k = 0; k < 3; k++) t.push((await scheduleDag(d, 'egs-greedy')).timeMs);
    greedyMs += t.sort((x, y) => x - y)[1]!;
  }
  rows.push(`| \`egs-greedy\` (non-learned, lookahead 24) | ${(greedyMs / 10).toFixed(1)} | - | - |`);
  return ['| method | ms per 50-node DAG | edges added | mean cores |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}

/** Learning curve of the documented run from its eval log (held-out mean cores vs phase). */
async function learningCurve(): Promise<string> {
  const lines = (await readFile(path.join(FIG, 'train-eval.jsonl'), 'utf8')).trim().split('\n');
  const evals = lines.map(
    (l) => JSON.parse(l) as { steps: number; phase?: string; bcEpoch?: number; 'egs/all': number },
  );
  const base = JSON.parse(await readFile(path.join(FIG, 'train-baselines.json'), 'utf8')) as Record<
    string,
    number
  >;
  const x = evals.map((_, i) => i);
  const svg = await renderLinePlotSvg({
    title: 'EGS training: held-out mean cores after each evaluation (BC epochs, then PPO)',
    xLabel: 'evaluation (0 = untrained, then one per BC epoch / PPO interval)',
    yLabel: 'mean cores on the validation set (lower is better)',
    series: [
      { name: 'egs (greedy)', x, y: evals.map((e) => e['egs/all']) },
      { name: 'egs-greedy', x, y: x.map(() => base['egs-greedy/all']!) },
      { name: 'listsched', x, y: x.map(() => base['listsched/all']!) },
    ],
  });
  await writeFileAtomic(path.join(FIG, 'learning-curve.svg'), svg);
  return 'egs/learning-curve.svg';
}

/** Parses `optimalLimit=S` and `budget=S` (seconds > 0). */
export function parseEgsBenchArgs(args: readonly string[]): { optimalTimeLimitS: number; budgetS: number } {
  const out: { optimalTimeLimitS: number; budgetS: number } = { ...EGS_HELD_OUT_LIMITS };
  for (const a of args) {
    const [key, value] = a.split('=');
    const x = Number(value);
    if (!(x > 0) || (key !== 'optimalLimit' && key !== 'budget'))
      throw new Error(`egs bench: unknown or bad argument '${a}' (optimalLimit=S, budget=S; S > 0 seconds)`);
    if (key === 'optimalLimit') out.optimalTimeLimitS = x;
    else out.budgetS = x;
  }
  return out;
}

/** Runs the EGS benchmark and writes bench/results/egs.md and egs.json. */
export async function runEgsBench(args: readonly string[] = []): Promise<void> {
  const limits = parseEgsBenchArgs(args);
  const t0 = performance.now();
  const loadStart = execSync('uptime').toString().trim();
  const file = await readEgsSetFile(EGS_SET_FILE, EGS_SET_DECLARATION);
  const policies = egsHeldOutPolicies();
  const options = egsHeldOutRunOptions(limits, policies);
  const rows = await runEgsHeldOutBenchmark(file, {
    ...options,
    onResult: (r) => {
      if (r.method === EGS_HELD_OUT_METHODS[0])
        console.log(`egs bench: ${r.set} ${r.dag} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    },
  });
  const summary = summarizeEgsHeldOut(rows, file.sets);
  await writeFileAtomic(path.join(OUT, 'egs.json'), JSON.stringify(summary, null, 1) + '\n');
  await writeFileAtomic(path.join(FIG, 'rows.json'), JSON.stringify(rows) + '\n');
  // The issue-4 acceptance curves belong to sets this benchmark no longer runs.
  for (const s of ['gen-10-20', 'gen-21-35', 'gen-36-50', 'stg-examples'])
    await rm(path.join(FIG, `acceptance-${s}.svg`), { force: true });
  const invalid = rows.filter((r) => !r.valid).length;
  const benchS = (performance.now() - t0) / 1000;
  const timing = await inferenceTimes(policies.scheduler, policies.searchScheduler);
  const curve = await learningCurve();
  const loadEnd = execSync('uptime').toString().trim();
  const wallS = (performance.now() - t0) / 1000;
  const md = egsHeldOutMarkdown({
    machine: describeMachine(),
    command: `npm run bench -- egs${args.length ? ' ' + args.join(' ') : ''}`,
    wallS,
    benchS,
    loadStart,
    loadEnd,
    machineNote:
      'The machine is shared (2 cores, several other jobs): times are comparable within this run only.',
    setFilePath: EGS_SET_FILE,
    file,
    rows,
    summary,
    options,
    policies,
    sections: [
      { title: 'Inference time (greedy, ten 50-node DAGs; per DAG the median of three runs)', body: timing },
    ],
    curve,
    reproduced: {
      small: sameWeights(policies.small, path.join(FIG, 'small-train', 'model.json')),
      large: sameWeights(policies.large, path.join(FIG, 'large-train', 'model.json')),
    },
  });
  await writeFileAtomic(path.join(OUT, 'egs.md'), md);
  console.log(`wrote ${OUT}/egs.md and egs.json (${invalid} invalid timetables, ${wallS.toFixed(0)} s)`);
}
