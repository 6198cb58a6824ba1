import { execSync } from 'node:child_process';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { makeEnv } from '../src/core/make-env.js';
import type { Env } from '../src/core/env.js';
import { PPO, type PpoConfig } from '../src/agents/ppo.js';
import { LocalEnvRunners } from '../src/distributed/env-runner-pool.js';
import { QueueEnvRunners } from '../src/distributed/env-runner-queue.js';
import { startTrialWorker } from '../src/distributed/trial-worker.js';
import type { RunnerEnvSpec } from '../src/distributed/env-runner.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { initTf } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { hsocRunnerEnv } from './hsoc-runner-env.js';
import { EGS_RUNNER_MAX_NODES, egsRunnerEnv } from './egs-runner-env.js';
import type { PolicyFactory } from '../src/agents/on-policy-algorithm.js';
import { PadGraphObservation } from '../src/core/wrappers/pad-graph-observation.js';
import { EgsEnv } from '../src/envs/egs/egs-env.js';
import { GraphPolicy } from '../src/nn/graph-policy.js';
import { REDIS_SERVER, startRedis } from '../test/helpers/redis-server.js';
import { describeMachine } from './machine.js';

// `npm run bench -- env-runners`: PPO (fast learner) steps/s with K = 0 (the algorithm steps its
// own envs), 1 and 2 local env-runner threads, on CartPole-v1 (cheap env: runners cannot pay),
// Jobs-v0, HSoC (5-task, 4 jobs; the costliest MLP env) and EGS-v0 (10–14-node DAGs, graph
// policy; threads only), and K = 1, 2 through Redis. Each cell trains a fixed number of
// iterations after one warm-up iteration (runner start-up excluded, reported apart), best of two
// rounds; the final weights of every K are compared with K = 0's. Writes
// bench/results/env-runners.md. About 2 minutes on 2 cores.

/** One env of the table. */
export interface Case {
  name: string;
  env: RunnerEnvSpec;
  make: () => () => Env;
  config: Partial<PpoConfig>;
  iterations: number;
  /** The policy (the MLP actor-critic when absent). */
  policy?: PolicyFactory;
}

/** The table's envs, in order. */
export const CASES: Case[] = [
  {
    name: 'CartPole-v1',
    env: { id: 'CartPole-v1' },
    make: () => () => makeEnv('CartPole-v1'),
    config: { numEnvs: 4, numSteps: 128 },
    iterations: 60,
  },
  {
    name: 'Jobs-v0',
    env: { id: 'Jobs-v0' },
    make: () => () => makeEnv('Jobs-v0'),
    config: { numEnvs: 4, numSteps: 128 },
    iterations: 30,
  },
  {
    name: 'HSoC (5-task, 4 jobs)',
    env: { module: new URL('./hsoc-runner-env.ts', import.meta.url).href, export: 'hsocRunnerEnv' },
    // Copy i gets index i, as the runners' factory sees it.
    make: () => {
      let i = 0;
      return () => hsocRunnerEnv(undefined, i++);
    },
    config: { numEnvs: 4, numSteps: 256 },
    iterations: 16,
  },
  {
    name: 'EGS-v0 (10–14 nodes, graph policy)',
    env: { module: new URL('./egs-runner-env.ts', import.meta.url).href, export: 'egsRunnerEnv' },
    make: () => egsRunnerEnv,
    config: { numEnvs: 4, numSteps: 64, clipVloss: false },
    iterations: 10,
    policy: GraphPolicy.factory(
      new PadGraphObservation(new EgsEnv({ maxNodes: EGS_RUNNER_MAX_NODES })).layout,
      {
        hiddenDim: 16,
        numHeads: 2,
      },
    ),
  },
];
/** K and where the runners run: local threads, or slots of an `arbiter worker` through Redis. */
const RUNNERS: { k: number; via: 'threads' | 'redis' }[] = [
  { k: 0, via: 'threads' },
  { k: 1, via: 'threads' },
  { k: 2, via: 'threads' },
  { k: 1, via: 'redis' },
  { k: 2, via: 'redis' },
];
const ROUNDS = 2;

/** What one cell measured. */
export interface Cell {
  stepsPerS: number;
  startS: number;
  weights: string;
}

/** One cell: `c` trained with K = `k` runners (local threads, or through Redis at `redisUrl`). */
export async function cell(c: Case, k: number, redisUrl: string | undefined): Promise<Cell> {
  const model = new PPO(c.make(), { ...c.config, seed: 1 }, c.policy);
  const perIter = model.config.numEnvs * model.config.numSteps;
  const numEnvs = model.config.numEnvs;
  const t0 = performance.now();
  const source =
    k === 0
      ? undefined
      : redisUrl === undefined
        ? await LocalEnvRunners.start({ env: c.env, numEnvs, runners: k })
        : await QueueEnvRunners.start({ url: redisUrl, env: c.env as { id: string }, numEnvs, runners: k });
  const startS = (performance.now() - t0) / 1000;
  try {
    model.useRolloutSource(source);
    await model.learn({ totalTimesteps: perIter, horizon: perIter * (c.iterations + 1) });
    const t1 = performance.now();
    await model.learn({ totalTimesteps: perIter * c.iterations, horizon: perIter * (c.iterations + 1) });
    const s = (performance.now() - t1) / 1000;
    const w = Object.values(model.policy.getWeights());
    let h = 0x811c9dc5;
    for (const a of w)
      for (const b of new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) h = Math.imul(h ^ b, 0x01000193);
    return { stepsPerS: (perIter * c.iterations) / s, startS, weights: (h >>> 0).toString(16) };
  } finally {
    await source?.close();
    await model.close();
  }
}

/** Runs the benchmark and writes bench/results/env-runners.md. */
export async function runEnvRunnersBench(): Promise<void> {
  await initTf();
  registerBuiltinEnvs();
  const loadBefore = execSync('uptime').toString().trim();
  // Our own redis-server and one in-process worker with a slot per runner (queue overhead only).
  const redis = REDIS_SERVER === undefined ? undefined : await startRedis();
  const worker = redis && (await startTrialWorker({ url: redis.url, name: 'bench', concurrency: 2 }));
  const runners = RUNNERS.filter((r) => r.via === 'threads' || redis !== undefined);
  // Redis rows for the registered envs (a queue job names an env id, not a module).
  const cases = (via: string): Case[] => CASES.filter((c) => via === 'threads' || 'id' in c.env);
  const best = new Map<string, Cell>();
  try {
    for (let round = 0; round < ROUNDS; round++)
      for (const { k, via } of runners)
        for (const c of cases(via)) {
          const r = await cell(c, k, via === 'redis' ? redis!.url : undefined);
          const key = `${c.name}/${k}/${via}`;
          const prev = best.get(key);
          if (prev && prev.weights !== r.weights)
            throw new Error(`${key}: two rounds ended with different weights`);
          if (!prev || r.stepsPerS > prev.stepsPerS) best.set(key, r);
          console.log(`${key}: ${Math.round(r.stepsPerS)} steps/s (start ${r.startS.toFixed(2)} s)`);
        }
  } finally {
    await worker?.close();
    await redis?.stop();
  }
  const loadAfter = execSync('uptime').toString().trim();
  const rows = CASES.flatMap((c) => {
    const base = best.get(`${c.name}/0/threads`)!;
    return runners.flatMap(({ k, via }) => {
      const r = best.get(`${c.name}/${k}/${via}`);
      if (r === undefined) return [];
      return [
        [
          c.name,
          k === 0 ? '0 (own envs)' : `${k} (${via === 'threads' ? 'threads' : 'Redis worker'})`,
          `${c.config.numEnvs} × ${c.config.numSteps}`,
          Math.round(r.stepsPerS),
          `${(r.stepsPerS / base.stepsPerS).toFixed(2)}×`,
          k === 0 ? '-' : r.startS.toFixed(2),
          k === 0 ? '-' : r.weights === base.weights ? 'yes' : 'NO',
        ],
      ];
    });
  });
  const md = `# Env runners: PPO steps/s with K runners (local threads, or through Redis)

\`npm run bench -- env-runners\` (bench/env-runners-bench.ts) on ${describeMachine()}.

Load: before \`${loadBefore}\`; after \`${loadAfter}\`.

PPO, fast learner, default MLP policy (EGS-v0: the graph policy, d = 16, 2 heads), seed 1. Steps/s over a fixed number of iterations after one
warm-up iteration, best of ${ROUNDS} rounds (rounds interleave the cells); start = seconds to start the
runners and build their envs (once per run, not in steps/s). Redis rows: our own redis-server on
127.0.0.1 and one \`arbiter worker\` (in this process, a slot per runner), so they measure the
queue's overhead (base64 JSON jobs, a round trip per iteration), not more cores; registered
envs only (a queue job names an env id). "Same as K = 0": the final
weights' hash equals the K = 0 run's.

${formatMarkdownTable(['env', 'K', 'envs × steps', 'steps/s', 'vs K = 0', 'start s', 'same as K = 0'], rows)}

Reading: a runner runs the same forward pass and env steps the learner would (rollout work is
not reduced, only moved), and the learner waits for the rollout while the runners step, then the
runners wait while it trains. So K runners can at best overlap the envs' stepping across cores;
CartPole's step is far cheaper than the per-iteration message and merge, so runners cost there.
EGS-v0 has thread rows only: queue runners take the MLP actor-critic, not the graph policy. A Redis row's start is only adding the jobs: its
worker builds the envs at the first rollout, inside the warm-up iteration.

Noise: on a 2-core machine shared with other jobs (load 8–10), the same cell moves by tens of
percent between runs (K = 0 CartPole: 14,595 steps/s in one run, 10,510 in the next; a 1-runner
row above 1.0× is such noise, since one runner does the learner's own rollout work plus a message).
What holds in every run: every K, local or through Redis, ends with K = 0's weights, and K = 2
on two loaded cores (learner plus two runner threads) is no faster than K = 0 for any env.
`;
  await writeFileAtomic('bench/results/env-runners.md', md);
  console.log(md);
}
