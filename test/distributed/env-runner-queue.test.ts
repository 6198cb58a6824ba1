/**
 * Env runners on queue workers through a real redis-server (our own, 127.0.0.1, free port): a
 * fixed-seed PPO CartPole run with K = 2 runners on an `arbiter worker` is bit-identical to
 * K = 0; a runner's worker killed mid-run, or no worker to take the runner jobs, fails the
 * iteration with an error naming the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

  let worker: TrialWorker | undefined;
  let killed: ChildProcess | undefined;

  beforeAll(async () => {
    await initTf();
    registerBuiltinEnvs();
    redis = await startRedis();
  });
  afterAll(async () => {
    // The worker process we spawned, if a failure left it running (ESRCH: it is gone already).
    if (killed?.pid !== undefined)
      try {
        process.kill(-killed.pid, 'SIGKILL');
      } catch {
        // gone
      }
    await worker?.close();
    await redis?.stop();
  });

  it('K = 2 runners on a worker give bit for bit the K = 0 run', { timeout: 120_000 }, async () => {
    // Two slots: each runner holds one for the whole run.
    const w = await startTrialWorker({ url: redis.url, name: 'w1', concurrency: 2 });
    try {
      const reference = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS);
      const got = await ppoRunFingerprint('CartPole-v1', CONFIG, STEPS, (numEnvs) =>
        QueueEnvRunners.start({ url: redis.url, env: { id: 'CartPole-v1' }, numEnvs, runners: 2 }),
      );
      expectSameRun(got, reference, 'K = 2 through Redis');
    } finally {
      await w.close();
    }
  });

  it(
    "a runner's worker killed (kill -9) between iterations fails the next one, naming the runner",
    { timeout: 90_000 },
    async () => {
      killed = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'worker',
          '--queue',
          redis.url,
          '--name',
          'doomed',
          '--lock-ms',
          '1500',
          '--stalled-ms',
          '500',
        ],
        { stdio: 'ignore', detached: true },
      );
      const model = new PPO(() => makeEnv('CartPole-v1'), CONFIG);
      const source = await QueueEnvRunners.start({
        url: redis.url,
        env: { id: 'CartPole-v1' },
        numEnvs: 4,
        runners: 1,
      });
      try {
        model.useRolloutSource(source);
        const learning = model.learn({
          totalTimesteps: STEPS,
          // After the first update: the runner has served a rollout and holds its envs' state.
          progress: () => {
            if (killed!.exitCode === null && killed!.signalCode === null) {
              process.kill(-killed!.pid!, 'SIGKILL');
              // A live worker with short locks finds the runner job stalled (and may restart it).
              void startTrialWorker({
                url: redis.url,
                name: 'live',
                concurrency: 1,
                lockDurationMs: 1500,
                stalledIntervalMs: 500,
              }).then((w) => (worker = w));
            }
          },
        });
        await expect(learning).rejects.toThrow(
          /env runner 0 \(env copies 0…3 of 4\) failed: (its worker stopped renewing its job lock|its rollout failed: .*restarted runner)/,
        );
        expect(model.counters.numUpdates).toBe(1);
      } finally {
        await source.close();
        await model.close();
      }
    },
  );

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
        /env runner [01] \(env copies (0…1|2…3) of 4\) failed: no rollout within 1500 ms/,
      );
    } finally {
      await source.close();
      await model.close();
    }
  });
});
