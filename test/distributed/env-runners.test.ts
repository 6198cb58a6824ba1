/**
 * Local env runners against the algorithm's own rollouts: with K runners each owning a fixed
 * slice of the vector env, a fixed-seed PPO run is bit-identical to K = 0 (weights, optimizer
 * state, counters, logged metrics); a runner that dies fails the iteration with a clear error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PPO, type PpoConfig } from '../../src/agents/ppo.js';
import type { RolloutRequest } from '../../src/agents/rollout-source.js';
import { makeEnv } from '../../src/core/make-env.js';
import type { MetricsSink } from '../../src/core/metrics-sink.js';
import { LocalEnvRunners } from '../../src/distributed/env-runner-pool.js';
import { runnerSlices } from '../../src/distributed/env-runner.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
});

const CONFIG: Partial<PpoConfig> = { numEnvs: 5, numSteps: 64, updateEpochs: 2, numMinibatches: 2, seed: 7 };
// 4 iterations: CartPole episodes end (and autoreset) inside rollouts.
const STEPS = 4 * 5 * 64;

interface RunFingerprint {
  tensors: Record<string, number[]>;
  counters: unknown;
  metrics: string[];
  episodes: unknown;
}

async function train(
  config: Partial<PpoConfig>,
  runners: number,
  env = 'CartPole-v1',
): Promise<RunFingerprint> {
  const model = new PPO(() => makeEnv(env), config);
  const metrics: string[] = [];
  const sink: MetricsSink = {
    write(step, m) {
      const { 'time/fps': _fps, ...rest } = m;
      metrics.push(JSON.stringify([step, rest]));
    },
  };
  const runnersSource =
    runners > 0
      ? await LocalEnvRunners.start({ env: { id: env }, numEnvs: model.config.numEnvs, runners })
      : undefined;
  // Counts the rollouts the runners gave, so a run that ignored them cannot pass.
  let collected = 0;
  const source = runnersSource && {
    numEnvs: runnersSource.numEnvs,
    collect: (r: RolloutRequest) => (collected++, runnersSource.collect(r)),
    close: () => runnersSource.close(),
  };
  try {
    model.useRolloutSource(source);
    await model.learn({ totalTimesteps: STEPS, sink });
  } finally {
    await source?.close();
  }
  expect(collected).toBe(runners > 0 ? STEPS / (5 * 64) : 0);
  const ckpt = model.toCheckpoint();
  const tensors = Object.fromEntries(
    Object.entries(ckpt.tensors)
      .filter(([k]) => !k.startsWith('env/') && !k.startsWith('rollout/'))
      .map(([k, v]) => [k, Array.from(v)]),
  );
  const fp = { tensors, counters: ckpt.counters, metrics, episodes: model.episodes.getState() };
  await model.close();
  return fp;
}

describe('local env runners', () => {
  it('slices the vector env into balanced contiguous runs and refuses more runners than copies', () => {
    expect(runnerSlices(5, 2)).toEqual([
      { start: 0, count: 3, numEnvs: 5 },
      { start: 3, count: 2, numEnvs: 5 },
    ]);
    expect(() => runnerSlices(2, 3)).toThrow(/at least one env copy/);
  });

  it(
    'K = 1, 2, 5 runners give bit for bit the K = 0 run (CartPole, PPO, fixed seed)',
    { timeout: 120_000 },
    async () => {
      const reference = await train(CONFIG, 0);
      expect(reference.metrics.length).toBe(4);
      for (const k of [1, 2, 5]) {
        const got = await train(CONFIG, k);
        expect(got.counters, `K = ${k}`).toEqual(reference.counters);
        expect(got.episodes, `K = ${k}`).toEqual(reference.episodes);
        expect(got.metrics, `K = ${k}`).toEqual(reference.metrics);
        expect(got.tensors, `K = ${k}`).toEqual(reference.tensors);
      }
      // A run with another seed differs: the comparison can fail.
      const other = await train({ ...CONFIG, seed: 8 }, 2);
      expect(other.tensors).not.toEqual(reference.tensors);
    },
  );

  it('refuses observation normalization and a source of another width', async () => {
    const model = new PPO(() => makeEnv('CartPole-v1'), { ...CONFIG, normalizeObservation: true });
    const fake = {
      numEnvs: 5,
      collect: () => Promise.reject(new Error('unused')),
      close: async () => undefined,
    };
    expect(() => model.useRolloutSource(fake)).toThrow(/normalizeObservation/);
    const plain = new PPO(() => makeEnv('CartPole-v1'), CONFIG);
    expect(() => plain.useRolloutSource({ ...fake, numEnvs: 4 })).toThrow(/4 env copies, the algorithm 5/);
    await model.close();
    await plain.close();
  });

  it(
    'a runner thread that dies mid-rollout fails the iteration with an error naming it',
    { timeout: 60_000 },
    async () => {
      const model = new PPO(() => makeEnv('CartPole-v1'), CONFIG);
      const source = await LocalEnvRunners.start({
        env: {
          module: new URL('./fixtures/crashing-env.ts', import.meta.url).href,
          export: 'crashingCartPole',
          options: { crashCopy: 4, crashStep: 70 },
        },
        numEnvs: 5,
        runners: 2,
      });
      try {
        model.useRolloutSource(source);
        // Copy 4 belongs to runner 1 (copies 3…4) and dies in the second rollout.
        await expect(model.learn({ totalTimesteps: STEPS })).rejects.toThrow(
          /env runner 1 \(env copies 3…4 of 5\) failed: its thread exited \(code 3\)/,
        );
        expect(model.counters.numUpdates).toBe(1);
        await expect(model.learn({ totalTimesteps: STEPS })).rejects.toThrow(/env runner 1/);
      } finally {
        await source.close();
        await model.close();
      }
    },
  );
});
