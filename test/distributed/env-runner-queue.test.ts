/**
 * Env runners on queue workers through a real redis-server (our own, 127.0.0.1, free port): a
 * fixed-seed PPO run with runners on `arbiter worker`s is bit-identical to K = 0 (CartPole, an
 * EGS-v0 graph policy, HSoC-v0 with its runner's worker killed mid-rollout and replaced); no
 * worker to take the runner jobs fails the iteration with an error naming the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../src/agents/ppo.js';
import { makeEnv } from '../../src/core/make-env.js';
import { QueueEvents } from 'bullmq';
import type { Env } from '../../src/core/env.js';
import { makeFlatEnv, paddedLayoutOf } from '../../src/core/make-flat-env.js';
import { QueueEnvRunners, rolloutQueueName } from '../../src/distributed/env-runner-queue.js';
import { GraphPolicy } from '../../src/nn/graph-policy.js';
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
    'a graph policy on EGS-v0 (registered id, padded on the worker): K = 2 through Redis gives the K = 0 run',
    { timeout: 60_000 },
    async () => {
      const w = await startTrialWorker({ url: redis.url, name: 'w-egs', concurrency: 2 });
      try {
        const options = { maxNodes: 8, sampler: { nodes: [5, 8] } };
        const config = {
          numEnvs: 2,
          numSteps: 16,
          updateEpochs: 2,
          numMinibatches: 2,
          seed: 5,
          clipVloss: false,
        };
        const layout = paddedLayoutOf(makeFlatEnv('EGS-v0', { options }))!;
        const policy = GraphPolicy.factory(layout, {
          hiddenDim: 8,
          numHeads: 2,
          numLayers: 1,
          valueHiddenDim: 8,
        });
        const env = (): Env => makeFlatEnv('EGS-v0', { options });
        const reference = await ppoRunFingerprint(env, config, 2 * 2 * 16, undefined, policy);
        const got = await ppoRunFingerprint(
          env,
          config,
          2 * 2 * 16,
          (numEnvs) =>
            QueueEnvRunners.start({ url: redis.url, env: { id: 'EGS-v0', options }, numEnvs, runners: 2 }),
          policy,
        );
        expectSameRun(got, reference, 'EGS-v0 graph policy, K = 2 through Redis');
      } finally {
        await w.close();
      }
    },
  );

  it(
    "a runner's worker killed (kill -9) mid-rollout is replaced on a live worker: HSoC-v0, same run as K = 0",
    { timeout: 90_000 },
    async () => {
      const options = { jobs: 4 };
      const config = { numEnvs: 2, numSteps: 256, updateEpochs: 1, numMinibatches: 2, seed: 3 };
      const steps = 3 * 2 * 256;
      const env = (): Env => makeEnv('HSoC-v0', { options });
      const reference = await ppoRunFingerprint(env, config, steps);
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
          '--concurrency',
          '1',
          '--lock-ms',
          '1500',
          '--stalled-ms',
          '500',
        ],
        { stdio: 'ignore', detached: true },
      );
      let source: QueueEnvRunners | undefined;
      let watcher: QueueEvents | undefined;
      const got = await ppoRunFingerprint(env, config, steps, async (numEnvs) => {
        source = await QueueEnvRunners.start({
          url: redis.url,
          env: { id: 'HSoC-v0', options },
          numEnvs,
          runners: 1,
          pollMs: 200,
        });
        // Kill the worker as soon as it takes the second rollout (its runner holds the envs' state).
        watcher = new QueueEvents(rolloutQueueName(source.runId, 0), { connection: { url: redis.url } });
        watcher.on('active', ({ jobId }) => {
          if (jobId !== 'rollout-1' || killed!.exitCode !== null || killed!.signalCode !== null) return;
          process.kill(-killed!.pid!, 'SIGKILL');
          // A live worker with short locks finds the runner job stalled and takes the replacement.
          void startTrialWorker({
            url: redis.url,
            name: 'live',
            concurrency: 1,
            lockDurationMs: 1500,
            stalledIntervalMs: 500,
          }).then((w) => (worker = w));
        });
        await watcher.waitUntilReady();
        return source;
      });
      await watcher?.close();
      expect(killed.signalCode).toBe('SIGKILL');
      expect(source!.restarts).toBe(1);
      expectSameRun(got, reference, 'HSoC-v0, K = 1 through Redis, its worker killed mid-run');
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
