/**
 * Env runners on queue workers through a real redis-server (our own, 127.0.0.1, free port): a
 * fixed-seed PPO CartPole run with K = 2 runners on an `arbiter worker` is bit-identical to
 * K = 0; with no worker to take the runner jobs, the iteration fails with a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../src/agents/ppo.js';
import { makeEnv } from '../../src/core/make-env.js';
import { QueueEnvRunners } from '../../src/distributed/env-runner-queue.js';
import { startTrialWorker, type TrialWorker } from '../../src/distributed/trial-worker.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { expectSameRun, ppoRunFingerprint } from '../helpers/ppo-run-fingerprint.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis-server.js';

const CONFIG = { numEnvs: 4, numSteps: 64, updateEpochs: 2, numMinibatches: 2, seed: 11 };
const STEPS = 3 * 4 * 64;

describe.skipIf(REDIS_SERVER === undefined)('env runners on BullMQ workers', () => {
  let redis: TestRedis;
  let worker: TrialWorker;

  beforeAll(async () => {
    await initTf();
    registerBuiltinEnvs();
    redis = await startRedis();
    // Two slots: each runner holds one for the whole run.
    worker = await startTrialWorker({ url: redis.url, name: 'w1', concurrency: 2 });
  });
  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
  });

  it('K = 2 runners on a worker give bit for bit the K = 0 run', { timeout: 120_000 }, async () => {
    const reference = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS);
    const got = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS, (numEnvs) =>
      QueueEnvRunners.start({ url: redis.url, env: { id: 'CartPole-v1' }, numEnvs, runners: 2 }),
    );
    expectSameRun(got, reference, 'K = 2 through Redis');
  });

  it('fails the iteration naming the runner when no worker takes its job', { timeout: 30_000 }, async () => {
    const model = new PPO(() => makeEnv('CartPole-v1'), CONFIG);
    const source = await QueueEnvRunners.start({
      url: redis.url,
      env: { id: 'CartPole-v1' },
      numEnvs: 4,
      runners: 2,
      queueName: 'nobody-listens',
      timeoutMs: 1500,
    });
    try {
      model.useRolloutSource(source);
      await expect(model.learn({ totalTimesteps: STEPS })).rejects.toThrow(
        /env runner 0 \(env copies 0…1 of 4\) failed: no rollout within 1500 ms/,
      );
    } finally {
      await source.close();
      await model.close();
    }
  });
});
