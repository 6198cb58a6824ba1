import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PPO, tinySweep } from '../helpers/tiny-sweep.js';
import { expandSweep } from '../../src/distributed/expand-sweep.js';
import { runSweep } from '../../src/distributed/run-sweep.js';
import { parseSweepSpec } from '../../src/distributed/sweep-spec.js';
import { trialId, type SweepTrial } from '../../src/distributed/sweep-trial.js';
import { TrialFailedError, TrialPool } from '../../src/distributed/trial-pool.js';
import {
  queueConnection,
  TRAIN_TRIAL_JOB,
  TRIAL_QUEUE_NAME,
  TrialQueueDispatcher,
} from '../../src/distributed/trial-queue.js';
import { startTrialWorker, type TrialWorker } from '../../src/distributed/trial-worker.js';
import { REDIS_SERVER, REQUIRE_SYSTEM_DEPS, startRedis, type TestRedis } from '../helpers/redis-server.js';

const SMALL = TINY_PPO;
const SWEEP = tinySweep(512);
// Short locks, so that a killed worker's job is found stalled within about two seconds.
const LOCKS = { lockDurationMs: 1500, stalledIntervalMs: 500 };

describe('redis-server for the queue tests', () => {
  it.runIf(REQUIRE_SYSTEM_DEPS)(
    'is installed (ARBITER_REQUIRE_SYSTEM_DEPS=1: apt-get install redis-server)',
    () => {
      expect(REDIS_SERVER).toBeDefined();
    },
  );
});

if (REDIS_SERVER === undefined && !REQUIRE_SYSTEM_DEPS)
  console.warn(
    'skipping the BullMQ queue tests: redis-server is not installed (apt-get install redis-server)',
  );

describe.skipIf(REDIS_SERVER === undefined)('sweeps through BullMQ on a real redis-server', () => {
  let redis: TestRedis;
  let root: string;
  let file: string;
  let queue: Queue;
  let events: QueueEvents;
  let dispatcher: TrialQueueDispatcher;
  let w2: TrialWorker | undefined;
  // One trial process for the in-test worker and the local reference run (each loads TF.js once).
  const pool = new TrialPool({ size: 1, crashRetries: 0 });
  const startW2 = (): Promise<TrialWorker> =>
    startTrialWorker({ url: redis.url, name: 'w2', concurrency: 1, pool, ...LOCKS });

  beforeAll(async () => {
    redis = await startRedis();
    root = await mkdtemp(join(tmpdir(), 'arbiter-queue-'));
    file = join(root, 'lr.json');
    await writeFile(file, JSON.stringify(SWEEP));
    queue = new Queue(TRIAL_QUEUE_NAME, { connection: queueConnection(redis.url) });
    events = new QueueEvents(TRIAL_QUEUE_NAME, { connection: queueConnection(redis.url) });
    queue.on('error', () => undefined); // the Redis restart below
    events.on('error', () => undefined);
    dispatcher = new TrialQueueDispatcher(redis.url);
  });
  afterAll(async () => {
    await w2?.close();
    await pool.close();
    await dispatcher?.close();
    await events?.close();
    await queue?.close();
    await redis?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('two workers: one killed (kill -9) mid-job, the other completes its job; every trial once, as the local run', async () => {
    const w1 = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'worker',
        '--queue',
        redis.url,
        '--name',
        'w1',
        '--lock-ms',
        '1500',
        '--stalled-ms',
        '500',
      ],
      // Its own process group: the kill below takes its trial process too, as when a machine dies
      // (an orphaned trial process would load TF.js for nothing before it notices).
      { stdio: 'ignore', detached: true },
    );
    const out = join(root, 'queued');
    const sweep = runSweep({ file, out, dispatcher });
    // Kill w1 as soon as it holds a job, then start w2, which must also finish w1's job.
    let killedJob: string | undefined;
    const deadline = Date.now() + 30_000;
    while (killedJob === undefined && Date.now() < deadline) {
      killedJob = (await queue.getActive()).find((j) => j.processedBy === 'w1')?.id;
      if (killedJob === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(-w1.pid!, 'SIGKILL');
    expect(killedJob).toBeDefined();
    // The local reference run shares w2's trial process: it fills the wait for w1's lock to expire.
    const local = runSweep({ file, out: join(root, 'local'), dispatcher: pool });
    w2 = await startW2();
    const result = await sweep;

    expect(result.failed).toEqual([]);
    expect(result.trials).toHaveLength(4);
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait');
    expect(counts).toEqual({ completed: 4, failed: 0, active: 0, wait: 0 });
    const done = await queue.getJob(killedJob!);
    expect(done?.processedBy).toBe('w2');
    expect(done?.returnvalue).toEqual(result.trials.find((t) => t.id === killedJob));
    // One folder per trial, each with its one result.
    expect(
      readdirSync(join(out, 'trials'))
        .filter((d) => d.startsWith('t'))
        .sort(),
    ).toEqual(result.trials.map((t) => t.id).sort());

    const metric = (r: typeof result): [string, number, number][] =>
      r.trials.map((t) => [t.id, t.finalEvalMeanReturn, t.finalEvalStdReturn]);
    expect(metric(result)).toEqual(metric(await local));
  }, 90_000);

  it('adding a trial again is a no-op: its finished job answers with the stored result, nothing trains', async () => {
    const trial = expandSweep(parseSweepSpec(SWEEP, 'lr.json'), 'lr.json')[0]!;
    const resultFile = join(root, 'queued', 'trials', trial.id, 'trial.json');
    const before = statSync(resultFile).mtimeMs;
    const job = await queue.getJob(trial.id);
    const again = await dispatcher.run(trial, join(root, 'elsewhere'));
    expect(again.result).toEqual(job?.returnvalue);
    await queue.add(
      TRAIN_TRIAL_JOB,
      { trial: { ...trial, seed: 99 }, trialsRoot: root },
      { jobId: trial.id },
    );
    expect((await queue.getJob(trial.id))?.data).toEqual(job?.data);
    expect(await queue.getJobCounts('completed', 'wait')).toEqual({ completed: 4, wait: 0 });
    expect(statSync(resultFile).mtimeMs).toBe(before);
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
  }, 30_000);

  it('a trial that fails deterministically is reported once with its error, not retried', async () => {
    const run = {
      seed: 3,
      algo: 'ppo' as const,
      env: 'CartPole-v1',
      steps: 256,
      envOptions: {},
      evalEpisodes: 1,
    };
    const config = { ...SMALL, learningRate: -1 };
    const bad: SweepTrial = { id: trialId({ ...run, config }), params: { learningRate: -1 }, ...run, config };
    const e = await dispatcher.run(bad, join(root, 'bad')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TrialFailedError);
    expect((e as Error).message).toMatch(/learningRate.*range/);
    const job = await queue.getJob(bad.id);
    expect([await job?.getState(), job?.attemptsMade, job?.opts.attempts]).toEqual(['failed', 1, 3]);

    // Jobs are data only: an unknown kind, or a payload with anything more, fails once too.
    const good = { ...bad, config: SMALL, id: trialId({ ...run, config: SMALL }) };
    const odd = [
      await queue.add('run-shell', { cmd: 'rm -rf /' }, { jobId: 'odd-kind', attempts: 3 }),
      await queue.add(
        TRAIN_TRIAL_JOB,
        { trial: good, trialsRoot: root, code: 'x' },
        { jobId: 'odd-key', attempts: 3 },
      ),
    ];
    for (const j of odd) {
      const reason = await j.waitUntilFinished(events).catch((x: Error) => x.message);
      expect(reason).toMatch(/unknown job kind|no option 'code'/);
      const stored = await queue.getJob(j.id!);
      expect([await stored?.getState(), stored?.attemptsMade]).toEqual(['failed', 1]);
    }
  }, 30_000);

  it('a coordinator killed (kill -9) after queueing is replaced with --resume: every job runs once', async () => {
    const file3 = join(root, 'coordinator.json');
    const spec = { ...SWEEP, seeds: [11, 12] };
    await writeFile(file3, JSON.stringify(spec));
    const ids = expandSweep(parseSweepSpec(spec, 'coordinator.json'), 'coordinator.json').map((t) => t.id);
    const out = join(root, 'coordinator');
    const coordinator = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sweep', file3, '--queue', redis.url, '--out', out, '--json'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    const queued = async (): Promise<number> =>
      (await Promise.all(ids.map((id) => queue.getJob(id)))).filter((j) => j !== undefined).length;
    while ((await queued()) < ids.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    coordinator.kill('SIGKILL');
    await new Promise((r) => coordinator.once('exit', r));
    expect(await queued()).toBe(ids.length);
    w2 ??= await startW2();
    const result = await runSweep({ file: file3, out, resume: true, dispatcher });
    expect(result.failed).toEqual([]);
    expect(result.trials.map((t) => t.id)).toEqual(ids);
    for (const id of ids) {
      const job = await queue.getJob(id);
      expect([await job?.getState(), job?.attemptsMade]).toEqual(['completed', 1]);
    }
    expect(
      readdirSync(join(out, 'trials'))
        .filter((d) => d.startsWith('t'))
        .sort(),
    ).toEqual([...ids].sort());
  }, 60_000);

  it('a Redis restart mid-sweep (no persistence: the queue is lost) still ends with every trial once', async () => {
    const file2 = join(root, 'restart.json');
    await writeFile(file2, JSON.stringify({ ...SWEEP, seeds: [7, 8] }));
    const out = join(root, 'restart');
    const d2 = new TrialQueueDispatcher(redis.url, { pollMs: 250 });
    w2 ??= await startW2();
    const trialFiles = (): string[] =>
      existsSync(join(out, 'trials'))
        ? readdirSync(join(out, 'trials')).filter((d) => existsSync(join(out, 'trials', d, 'trial.json')))
        : [];
    try {
      const sweep = runSweep({ file: file2, out, dispatcher: d2 });
      const deadline = Date.now() + 30_000;
      while (trialFiles().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const before = trialFiles();
      expect(before.length).toBeGreaterThan(0);
      expect(before.length).toBeLessThan(4); // the restart falls mid-sweep
      const mtimes = before.map((d) => statSync(join(out, 'trials', d, 'trial.json')).mtimeMs);
      await redis.stop(true);
      await new Promise((r) => setTimeout(r, 100));
      await redis.restart();
      const result = await sweep;
      expect(result.failed.map((f) => f.error)).toEqual([]);
      expect(result.trials).toHaveLength(4);
      expect(trialFiles().sort()).toEqual(result.trials.map((t) => t.id).sort());
      // The trials finished before the restart were answered from their folders, not trained again.
      expect(before.map((d) => statSync(join(out, 'trials', d, 'trial.json')).mtimeMs)).toEqual(mtimes);
    } finally {
      await d2.close();
    }
  }, 60_000);
});
