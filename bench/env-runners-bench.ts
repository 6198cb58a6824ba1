import { execSync } from 'node:child_process';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { makeEnv } from '../src/core/make-env.js';
import type { Env } from '../src/core/env.js';
import { PPO, type PpoConfig } from '../src/agents/ppo.js';
import { LocalEnvRunners } from '../src/distributed/env-runner-pool.js';
import type { RunnerEnvSpec } from '../src/distributed/env-runner.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { initTf } from '../src/nn/tf-backend.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { hsocRunnerEnv } from './hsoc-runner-env.js';
import { describeMachine } from './machine.js';

// `npm run bench -- env-runners`: PPO (fast learner) steps/s with K = 0 (the algorithm steps its
// own envs), 1 and 2 local env-runner threads, on CartPole-v1 (cheap env: runners cannot pay),
// Jobs-v0 and HSoC (5-task, 4 jobs; the costliest MLP env). Each cell trains a fixed number of
// iterations after one warm-up iteration (runner start-up excluded, reported apart), best of two
// rounds; the final weights of every K are compared with K = 0's. Writes
// bench/results/env-runners.md. About 2 minutes on 2 cores.

interface Case {
  name: string;
  env: RunnerEnvSpec;
  make: () => () => Env;
  config: Partial<PpoConfig>;
  iterations: number;
}

const CASES: Case[] = [
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
];
const RUNNERS = [0, 1, 2];
const ROUNDS = 2;

interface Cell {
  stepsPerS: number;
  startS: number;
  weights: string;
}

async function cell(c: Case, k: number): Promise<Cell> {
  const model = new PPO(c.make(), { ...c.config, seed: 1 });
  const perIter = model.config.numEnvs * model.config.numSteps;
  const t0 = performance.now();
  const source =
    k > 0
      ? await LocalEnvRunners.start({ env: c.env, numEnvs: model.config.numEnvs, runners: k })
      : undefined;
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
  const best = new Map<string, Cell>();
  for (let round = 0; round < ROUNDS; round++)
    for (const c of CASES)
      for (const k of RUNNERS) {
        const r = await cell(c, k);
        const key = `${c.name}/${k}`;
        const prev = best.get(key);
        if (prev && prev.weights !== r.weights)
          throw new Error(`${key}: two rounds ended with different weights`);
        if (!prev || r.stepsPerS > prev.stepsPerS) best.set(key, r);
        console.log(`${key}: ${Math.round(r.stepsPerS)} steps/s (start ${r.startS.toFixed(2)} s)`);
      }
  const loadAfter = execSync('uptime').toString().trim();
  const rows = CASES.flatMap((c) => {
    const base = best.get(`${c.name}/0`)!;
    return RUNNERS.map((k) => {
      const r = best.get(`${c.name}/${k}`)!;
      return [
        c.name,
        k,
        `${c.config.numEnvs} × ${c.config.numSteps}`,
        Math.round(r.stepsPerS),
        `${(r.stepsPerS / base.stepsPerS).toFixed(2)}×`,
        k === 0 ? '-' : r.startS.toFixed(2),
        k === 0 ? '-' : r.weights === base.weights ? 'yes' : 'NO',
      ];
    });
  });
  const md = `# Env runners: PPO steps/s with K local runner threads

\`npm run bench -- env-runners\` (bench/env-runners-bench.ts) on ${describeMachine()}.

Load: before \`${loadBefore}\`; after \`${loadAfter}\`.

PPO, fast learner, default MLP policy, seed 1. Steps/s over a fixed number of iterations after one
warm-up iteration, best of ${ROUNDS} rounds (rounds interleave the cells); start = seconds to start the
runner threads and build their envs (once per run, not in steps/s). "Same as K = 0": the final
weights' hash equals the K = 0 run's.

${formatMarkdownTable(['env', 'K', 'envs × steps', 'steps/s', 'vs K = 0', 'start s', 'same as K = 0'], rows)}

Reading: a runner runs the same forward pass and env steps the learner would (rollout work is
not reduced, only moved), and the learner waits for the rollout while the runners step, then the
runners wait while it trains. So K runners can at best overlap the envs' stepping across cores;
CartPole's step is far cheaper than the per-iteration message and merge, so runners cost there.
EGS-v0 is not in the table: its graph observations need the graph policy, which env runners do not
support yet (they run the MLP actor-critic).
`;
  await writeFileAtomic('bench/results/env-runners.md', md);
  console.log(md);
}
