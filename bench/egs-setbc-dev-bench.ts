/**
 * `npm run bench -- egs-setbc-dev [key=value…]`: does cloning the *set* of the teachers' acceptable
 * edges (`targets: 'set'`, loss −log Σ_{a∈T} π(a|s)) make the learned EGS policy alone better than
 * cloning the one edge each teacher happened to pick? The small policy's chain
 * (`trainEgsPolicy`: best-teacher cloning, DAgger, PPO fine-tune) is trained with either target for
 * each seed; its models after cloning, after DAgger and at the end are evaluated
 * - on the development set of `egs-search-dev-set.ts` (its own seeds, never the held-out sets or
 *   the STG samples): the policy alone (greedy, no heuristic seed) against `listsched`, every answer
 *   checked with `checkSchedule`;
 * - by their negative log-likelihood of the teachers' decisions on the chain's validation DAGs:
 *   of the one recorded edge and of the set.
 * Written to bench/results/egs-setbc-dev.md and .json (one row per target, seed, stage).
 *
 * Keys: `seeds` (default 1,2,3), `per` (development DAGs per generator and size, default 4),
 * `cache` (deadlines, default bench/results/egs-search-dev-deadlines.json), `out` (folder),
 * `trainDags` and `fineTuneSteps` (smaller chains for a quick check; default the chain's own).
 */
import path from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { Rng } from '../src/core/rng.js';
import { PadGraphObservation, padGraphInto } from '../src/core/wrappers/pad-graph-observation.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../src/dag/schedule/schedule-dag.js';
import type { EgsPolicyModel } from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../src/deploy/egs-policy-scheduler.js';
import { EgsEnv } from '../src/envs/egs/egs-env.js';
import { collectTeacherDemonstrations, type EgsDemonstrations } from '../src/experiments/egs-imitation.js';
import {
  EGS_SMALL_POLICY,
  egsTrainValidationDags,
  trainEgsPolicy,
} from '../src/experiments/egs-policy-train.js';
import { packActionSets } from '../src/nn/action-sets.js';
import { GraphPolicy } from '../src/nn/graph-policy.js';
import { initTf } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { devSetPer, egsSearchDevSet, type DevTask } from './egs-search-dev-set.js';
import { describeMachine, loadAverages } from './machine.js';

const KEYS = ['seeds', 'per', 'cache', 'out', 'trainDags', 'fineTuneSteps'];
const TARGETS = ['action', 'set'] as const;
const STAGES = ['bc', 'dagger', 'final'] as const;

/** One evaluated model. */
interface Row {
  targets: (typeof TARGETS)[number];
  seed: number;
  stage: (typeof STAGES)[number];
  /** Mean cores of the policy alone on the development tasks (an invalid answer counts n). */
  devCores: number;
  /** Tasks where it needs fewer / more cores than listsched. */
  wins: number;
  losses: number;
  invalid: number;
  /** Mean −log π of the recorded teacher edge, and of the set (the edge alone where none). */
  nllAction: number;
  nllSet: number;
  /** Greedy mean cores on the chain's own validation DAGs (DAgger and final stages). */
  validationCores: number | null;
  /** Training wall seconds of the whole chain (on the final row). */
  trainS: number | null;
}

// Mean −log π of the teachers' recorded edges and of their sets under `model`.
function nlls(model: EgsPolicyModel, demos: EgsDemonstrations, env: EgsEnv): { action: number; set: number } {
  const layout = new PadGraphObservation(env).layout;
  const policy = new GraphPolicy(layout, env.actionSpace, EGS_SMALL_POLICY, new Rng(0));
  policy.setWeights(model.weights);
  const N = layout.maxNodes;
  const B = 64;
  const obs = new Float32Array(B * layout.size);
  const masks = new Uint8Array(B * N * N);
  const actions = new Int32Array(B);
  let action = 0;
  let set = 0;
  for (let s0 = 0; s0 < demos.steps.length; s0 += B) {
    const rows = demos.steps.slice(s0, s0 + B);
    obs.fill(0);
    rows.forEach((d, b) => {
      padGraphInto(d.obs, layout, obs, b * layout.size);
      masks.set(d.mask, b * N * N);
      actions[b] = d.action;
    });
    // The host pass returns a buffer it reuses: read each result before the next call.
    const one = policy.evaluateActionsHost(obs, rows.length, actions, masks);
    for (let b = 0; b < rows.length; b++) action -= one.logProb[b]!;
    const sets = packActionSets(rows.map((d) => d.targets ?? [d.action]));
    const many = policy.evaluateActionsHost(obs, rows.length, actions, masks, sets);
    for (let b = 0; b < rows.length; b++) set -= many.logProb[b]!;
  }
  policy.dispose();
  return { action: action / demos.steps.length, set: set / demos.steps.length };
}

// The policy alone on the development tasks, against listsched's cores.
function devFigures(
  model: EgsPolicyModel,
  tasks: readonly DevTask[],
  listsched: readonly number[],
): Pick<Row, 'devCores' | 'wins' | 'losses' | 'invalid'> {
  const scheduler = new EgsPolicyScheduler(model);
  let sum = 0;
  let wins = 0;
  let losses = 0;
  let invalid = 0;
  tasks.forEach((t, k) => {
    const r = scheduler.greedy(t.dag, { heuristicSeed: false });
    const ok = r.feasible && checkSchedule(t.dag, r).ok;
    if (!ok) invalid++;
    const cores = ok ? r.cores : t.dag.n;
    sum += cores;
    if (cores < listsched[k]!) wins++;
    if (cores > listsched[k]!) losses++;
  });
  return { devCores: sum / tasks.length, wins, losses, invalid };
}

/** Runs the benchmark (see the file comment). */
export async function runEgsSetBcDevBench(args: readonly string[] = []): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
  for (const k of Object.keys(opt))
    if (!KEYS.includes(k)) throw new Error(`egs-setbc-dev bench: unknown key ${k} (${KEYS.join('=, ')}=)`);
  const seeds = (opt['seeds'] ?? '1,2,3').split(',').map((s) => {
    const x = Number(s);
    if (!Number.isInteger(x) || x < 1)
      throw new Error(`seeds=${opt['seeds']}: each seed must be an integer ≥ 1`);
    return x;
  });
  const outDir = opt['out'] ?? 'bench/results';
  const chainSize = (k: 'trainDags' | 'fineTuneSteps'): { [key: string]: number } => {
    if (opt[k] === undefined) return {};
    const x = Number(opt[k]);
    if (!Number.isInteger(x) || x < 1) throw new Error(`${k}=${opt[k]}: must be an integer ≥ 1`);
    return { [k]: x };
  };
  const loadAtStart = loadAverages();
  const t0 = performance.now();
  await initTf();
  const tasks = await egsSearchDevSet({
    perGenerator: devSetPer(opt['per'] ?? '4'),
    cache: opt['cache'] ?? 'bench/results/egs-search-dev-deadlines.json',
  });
  const listsched: number[] = [];
  for (const t of tasks) listsched.push((await scheduleDag(t.dag, 'listsched')).cores);
  const listschedMean = listsched.reduce((a, b) => a + b, 0) / tasks.length;
  // The teachers' decisions on the validation DAGs of seed 1's chain (training distribution).
  const env = new EgsEnv({ maxNodes: 40, features: 'v2' });
  const demos = await collectTeacherDemonstrations({
    dags: egsTrainValidationDags(1, 48),
    teachers: ['egs-greedy', 'listsched', 'incumbent'],
    tries: 2,
    rng: new Rng(12345),
    features: 'v2',
    maxNodes: 40,
    expertTargets: true,
  });
  const withSet = demos.steps.filter((s) => s.targets).length;
  const meanSet = demos.steps.reduce((a, s) => a + (s.targets?.length ?? 1), 0) / demos.steps.length;

  const rows: Row[] = [];
  for (const seed of seeds)
    for (const targets of TARGETS) {
      const models = new Map<string, EgsPolicyModel>();
      const t1 = performance.now();
      const r = await trainEgsPolicy({
        targets,
        seed,
        ...chainSize('trainDags'),
        ...chainSize('fineTuneSteps'),
        onLog: (l) => process.stderr.write(`[egs-setbc-dev ${targets} seed ${seed}] ${l}\n`),
        onCheckpoint: (name, m) =>
          void (name === 'bc' || name === 'dagger' ? models.set(name, m) : undefined),
      });
      const trainS = (performance.now() - t1) / 1000;
      models.set('final', r.model);
      for (const stage of STAGES) {
        const m = models.get(stage)!;
        const nll = nlls(m, demos, env);
        const validation =
          stage === 'dagger'
            ? (r.curve[0]?.meanCores ?? null)
            : stage === 'final'
              ? (r.curve.at(-1)?.meanCores ?? null)
              : null;
        rows.push({
          targets,
          seed,
          stage,
          ...devFigures(m, tasks, listsched),
          nllAction: nll.action,
          nllSet: nll.set,
          validationCores: validation,
          trainS: stage === 'final' ? trainS : null,
        });
      }
    }

  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const f3 = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
  const summary = TARGETS.flatMap((targets) =>
    STAGES.map((stage) => {
      const rs = rows.filter((r) => r.targets === targets && r.stage === stage);
      const val = rs.map((r) => r.validationCores).filter((x): x is number => x !== null);
      return [
        targets,
        stage,
        f3(mean(rs.map((r) => r.devCores))),
        `${rs.reduce((a, r) => a + r.wins, 0)} / ${rs.reduce((a, r) => a + r.losses, 0)}`,
        f3(mean(rs.map((r) => r.nllAction))),
        f3(mean(rs.map((r) => r.nllSet))),
        val.length ? f3(mean(val)) : '—',
      ];
    }),
  );
  const lines = [
    '# Set-valued behaviour cloning of the EGS policy (development set)',
    '',
    `Machine: ${describeMachine()}. Command: \`npm run bench -- egs-setbc-dev${args.length ? ' ' + args.join(' ') : ''}\`.`,
    `Load average at start ${loadAtStart}, at end ${loadAverages()}; wall ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
    '',
    `Chains: \`trainEgsPolicy\` with its defaults (the small policy's chain: 160 training DAGs of 10–40 nodes, best-teacher cloning, 2 DAgger rounds, PPO fine-tune), seeds ${seeds.join(', ')}, \`targets: 'action'\` (the shipped chain) or \`'set'\`. Development tasks: ${tasks.length} of bench/egs-search-dev-set.ts (per=${opt['per'] ?? 4}), listsched ${listschedMean.toFixed(3)} mean cores; the policy alone = greedy, no heuristic seed; every answer checked (an invalid one counts n cores). NLL: the teachers' decisions on the 48 validation DAGs of seed 1's chain, ${demos.steps.length} states, ${withSet} with a set (mean |T| ${meanSet.toFixed(2)} over all states). Validation cores: the chain's own greedy mean on its validation DAGs.`,
    '',
    formatMarkdownTable(
      [
        'targets',
        'stage',
        'dev mean cores (policy alone)',
        'fewer / more cores than listsched (tasks, all seeds)',
        'NLL of the recorded edge',
        'NLL of the set',
        'validation mean cores',
      ],
      summary,
    ),
    '',
    '<details><summary>per seed</summary>',
    '',
    formatMarkdownTable(
      [
        'targets',
        'seed',
        'stage',
        'dev mean cores',
        'fewer / more',
        'invalid',
        'NLL edge',
        'NLL set',
        'validation cores',
        'train s',
      ],
      rows.map((r) => [
        r.targets,
        r.seed,
        r.stage,
        f3(r.devCores),
        `${r.wins} / ${r.losses}`,
        r.invalid,
        f3(r.nllAction),
        f3(r.nllSet),
        f3(r.validationCores),
        r.trainS === null ? '—' : r.trainS.toFixed(0),
      ]),
    ),
    '',
    '</details>',
    '',
  ];
  await writeFileAtomic(path.join(outDir, 'egs-setbc-dev.md'), lines.join('\n'));
  await writeFileAtomic(path.join(outDir, 'egs-setbc-dev.json'), `${JSON.stringify(rows, null, 1)}\n`);
  process.stderr.write(
    `wrote ${path.join(outDir, 'egs-setbc-dev.md')} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
}
