/**
 * Learning results of the policy-gradient algorithms on CartPole-v1 (not run in CI): PPO must
 * reach a deterministic evaluation mean return ≥ 475 within 200k steps for 3 of 3 seeds, A2C ≥ 400
 * for 2 of 3; plus the wall time of 100k PPO steps and PPO samples/s including updates.
 */
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { A2C, type A2cConfig } from '../src/agents/a2c.js';
import { EvalCallback, type EvalPoint } from '../src/agents/callbacks.js';
import type { OnPolicyAlgorithm, OnPolicyConfig } from '../src/agents/on-policy-algorithm.js';
import { PPO, type PpoConfig } from '../src/agents/ppo.js';
import { makeEnv } from '../src/core/make-env.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { initTf } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine } from './machine.js';

/** PPO configuration used for the results (CleanRL's CartPole defaults). */
export const PPO_CARTPOLE: Partial<PpoConfig> = {
  numEnvs: 4,
  numSteps: 128,
  learningRate: 2.5e-4,
  annealLr: true,
  updateEpochs: 4,
  numMinibatches: 4,
  clipCoef: 0.2,
  entCoef: 0.01,
  gaeLambda: 0.95,
  gamma: 0.99,
  policy: { hiddenSizes: [64, 64], activation: 'tanh' },
};

/** A2C configuration used for the results. */
export const A2C_CARTPOLE: Partial<A2cConfig> = {};

/** Outcome of one training run. */
export interface LearningRun {
  algo: string;
  seed: number;
  /** First evaluation step with mean return ≥ target, or null. */
  reachedAt: number | null;
  /** Mean return of the last evaluation. */
  finalMeanReturn: number;
  /** Best evaluation mean return. */
  bestMeanReturn: number;
  /** Wall time of the whole run (training + evaluations), seconds. */
  seconds: number;
  /** Every evaluation. */
  curve: EvalPoint[];
}

/** Options of {@link trainAndEvaluate}. */
export interface LearningRunOptions {
  /** Step budget. Default 200 000. */
  maxSteps?: number;
  /** Evaluate every this many steps. Default 5 000. */
  evalEvery?: number;
  /** Evaluation episodes. Default 10. */
  evalEpisodes?: number;
  /** Success threshold. */
  target: number;
  /** Stop once the target is reached. Default false (train the whole budget, report the final value). */
  stopAtTarget?: boolean;
  /** Called after each evaluation. */
  onEval?: (step: number, meanReturn: number) => void;
}

/** Trains one algorithm on CartPole-v1 with periodic deterministic evaluation. */
export async function trainAndEvaluate(
  algo: 'ppo' | 'a2c',
  seed: number,
  config: Partial<OnPolicyConfig> & Record<string, unknown>,
  opts: LearningRunOptions,
): Promise<LearningRun> {
  await initTf();
  registerBuiltinEnvs();
  const env = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');
  const model: OnPolicyAlgorithm<OnPolicyConfig> =
    algo === 'ppo' ? new PPO(env, { ...config, seed }) : new A2C(env, { ...config, seed });
  const evalCb = new EvalCallback({
    env,
    everySteps: opts.evalEvery ?? 5_000,
    episodes: opts.evalEpisodes ?? 10,
    seed: 10_000 + seed,
    ...(opts.stopAtTarget ? { stopAboveReturn: opts.target } : {}),
    onEval: (step, r) => opts.onEval?.(step, r.meanReturn),
  });
  const t0 = performance.now();
  await model.learn({ totalTimesteps: opts.maxSteps ?? 200_000, callbacks: [evalCb] });
  const seconds = (performance.now() - t0) / 1000;
  await model.close();
  const curve = evalCb.history;
  const hit = curve.find((p) => p.meanReturn >= opts.target);
  return {
    algo,
    seed,
    reachedAt: hit ? hit.step : null,
    finalMeanReturn: curve[curve.length - 1]?.meanReturn ?? Number.NaN,
    bestMeanReturn: evalCb.bestMeanReturn,
    seconds,
    curve,
  };
}

/** Wall time of `steps` PPO steps on CartPole-v1 (no evaluation), and samples/s including updates. */
export async function measurePpoThroughput(
  steps = 100_000,
  seed = 1,
): Promise<{ seconds: number; samplesPerSecond: number }> {
  await initTf();
  registerBuiltinEnvs();
  const model = new PPO(() => makeEnv('CartPole-v1'), { ...PPO_CARTPOLE, seed });
  const t0 = performance.now();
  await model.learn({ totalTimesteps: steps });
  const seconds = (performance.now() - t0) / 1000;
  const done = model.counters.numTimesteps;
  await model.close();
  return { seconds, samplesPerSecond: done / seconds };
}

/** Runs everything; returns a Markdown section (also echoed to stderr). */
export async function runRlLearningBench(
  options: { seeds?: number[]; algos?: ('ppo' | 'a2c')[]; maxSteps?: number } = {},
): Promise<string> {
  const seeds = options.seeds ?? [1, 2, 3];
  const algos = options.algos ?? ['ppo', 'a2c'];
  const out: string[] = [];
  const log = (s: string): void => {
    out.push(s);
    process.stderr.write(s + '\n');
  };
  log('## Policy gradient on CartPole-v1');
  log('');
  log(`- machine: ${describeMachine()}`);
  log('- command: `npx tsx bench/rl-learning.ts [ppo|a2c|all] [seeds, e.g. 1,2,3] [out.md]`');
  log('- evaluation: every 5 000 steps, 10 deterministic episodes on a separate env');
  log('');
  const rows: (string | number)[][] = [];
  for (const algo of algos) {
    const target = algo === 'ppo' ? 475 : 400;
    const config = algo === 'ppo' ? PPO_CARTPOLE : A2C_CARTPOLE;
    log(`${algo} config: \`${JSON.stringify(config)}\``);
    log('');
    for (const seed of seeds) {
      const r = await trainAndEvaluate(algo, seed, config, {
        target,
        maxSteps: options.maxSteps ?? 200_000,
        onEval: (step, ret) =>
          process.stderr.write(`  ${algo} seed ${seed} step ${step}: ${ret.toFixed(1)}\n`),
      });
      rows.push([
        algo,
        seed,
        `≥ ${target}`,
        r.reachedAt ?? 'not reached',
        r.finalMeanReturn.toFixed(1),
        r.bestMeanReturn.toFixed(1),
        r.seconds.toFixed(1),
      ]);
      process.stderr.write(`${algo} seed ${seed}: reached ${r.reachedAt}, final ${r.finalMeanReturn}\n`);
    }
  }
  log(
    formatMarkdownTable(
      ['algo', 'seed', 'target', 'first step ≥ target', 'final eval', 'best eval', 'wall s'],
      rows,
    ),
  );
  log('');
  const tp = await measurePpoThroughput();
  log(
    `PPO throughput: 100k steps in ${tp.seconds.toFixed(1)} s (${Math.round(tp.samplesPerSecond)} samples/s including updates; target ≤ 120 s).`,
  );
  return out.join('\n');
}

// Direct run: `npx tsx bench/rl-learning.ts [ppo|a2c|all] [1,2,3] [out.md]`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const which = process.argv[2] ?? 'all';
  const seeds = (process.argv[3] ?? '1,2,3').split(',').map(Number);
  const md = await runRlLearningBench({
    seeds,
    algos: which === 'all' ? ['ppo', 'a2c'] : [which as 'ppo' | 'a2c'],
  });
  if (process.argv[4]) await writeFileAtomic(process.argv[4], md + '\n');
}
