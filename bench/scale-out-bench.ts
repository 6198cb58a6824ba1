import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { runCellSweep, type RunCellSweepResult } from '../src/distributed/run-cell-sweep.js';
import { runSweep, type RunSweepResult } from '../src/distributed/run-sweep.js';
import { queueConnection } from '../src/distributed/trial-queue.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { REDIS_SERVER, startRedis } from '../test/helpers/redis-server.js';
import { describeMachine } from './machine.js';

// `npm run bench -- scale-out`: a 16-trial PPO CartPole sweep on 1 and 2 local trial processes and
// through Redis with 2 `arbiter worker` processes, the same for a sweep of HSoC benchmark cells,
// and BullMQ's bookkeeping rate with no-op jobs. Writes bench/results/scale-out.md. About 3
// minutes on 2 idle cores.

const SWEEP = {
  algo: 'ppo',
  env: 'CartPole-v1',
  steps: 8192,
  seeds: [1, 2, 3, 4, 5, 6, 7, 8],
  grid: { learningRate: [0.00025, 0.001] },
  evalEpisodes: 5,
};
// HSoC cells: both workloads × 3 loads × 4 policies × 40 seeds in cells of 10 = 96 cells.
const CELLS = {
  benchmark: 'hsoc',
  policies: ['uniform', 'uniform-running', 'seed-rules', 'ideal-static'],
  seeds: 40,
  seedsPerCell: 10,
  idealTaskSearch: false,
};
const NOOP_JOBS = 5000;
const NOOP_WORKERS = 4;
const NOOP_CONCURRENCY = 50;

interface Row {
  runner: string;
  wallS: number;
  trialsPerMin: number;
  trainS: number;
}

function row(runner: string, r: RunSweepResult): Row {
  return {
    runner,
    wallS: r.wallSeconds,
    trialsPerMin: (r.trials.length / r.wallSeconds) * 60,
    trainS: r.trials.reduce((a, t) => a + t.wallSeconds, 0),
  };
}

function startWorker(url: string, name: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--queue', url, '--name', name],
    {
      stdio: 'ignore',
    },
  );
}

async function noopRate(url: string): Promise<{ addPerS: number; endToEndPerS: number }> {
  const connection = queueConnection(url);
  const name = 'noop-bench';
  const queue = new Queue(name, { connection });
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  const workers = Array.from(
    { length: NOOP_WORKERS },
    () =>
      new Worker(name, async () => 1, {
        connection: queueConnection(url, true),
        concurrency: NOOP_CONCURRENCY,
      }),
  );
  for (const w of workers) w.on('completed', () => void (++done === NOOP_JOBS && finish()));
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const t0 = performance.now();
  for (let i = 0; i < NOOP_JOBS; i += 500)
    await queue.addBulk(
      Array.from({ length: 500 }, (_, k) => ({
        name: 'noop',
        data: { i: i + k },
        opts: { jobId: `j${i + k}` },
      })),
    );
  const tAdd = performance.now();
  await all;
  const t1 = performance.now();
  await Promise.all(workers.map((w) => w.close()));
  await queue.obliterate({ force: true });
  await queue.close();
  return { addPerS: NOOP_JOBS / ((tAdd - t0) / 1000), endToEndPerS: NOOP_JOBS / ((t1 - t0) / 1000) };
}

/** Runs the scale-out benchmark and writes bench/results/scale-out.md. */
export async function runScaleOutBench(): Promise<void> {
  if (REDIS_SERVER === undefined)
    throw new Error('the scale-out bench needs redis-server (apt-get install redis-server)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-scale-out-'));
  const file = path.join(dir, 'ppo-cartpole-16.json');
  await writeFile(file, JSON.stringify(SWEEP));
  const cellFile = path.join(dir, 'hsoc-cells.json');
  await writeFile(cellFile, JSON.stringify(CELLS));
  const cellRows: { runner: string; r: RunCellSweepResult }[] = [];
  for (const workers of [1, 2]) {
    const r = await runCellSweep({ file: cellFile, out: path.join(dir, `cells-${workers}`), workers });
    cellRows.push({ runner: `local, ${workers} process${workers > 1 ? 'es' : ''}`, r });
    console.log(`cells local ${workers}: ${r.wallSeconds.toFixed(1)} s`);
  }
  const load0 = os.loadavg()[0]!;
  const rows: Row[] = [];
  const metric = (r: RunSweepResult): string => JSON.stringify(r.trials.map((t) => t.finalEvalMeanReturn));
  let reference: string | undefined;
  let same = true;
  for (const workers of [1, 2]) {
    const r = await runSweep({ file, out: path.join(dir, `local-${workers}`), workers });
    rows.push(row(`local, ${workers} process${workers > 1 ? 'es' : ''}`, r));
    reference ??= metric(r);
    same &&= metric(r) === reference;
    console.log(`local ${workers}: ${r.wallSeconds.toFixed(1)} s`);
  }
  const redis = await startRedis();
  const procs = [startWorker(redis.url, 'bench-a'), startWorker(redis.url, 'bench-b')];
  try {
    const r = await runSweep({ file, out: path.join(dir, 'queue'), queue: redis.url });
    rows.push(row('BullMQ on Redis, 2 `arbiter worker`s', r));
    same &&= metric(r) === reference;
    console.log(`queue: ${r.wallSeconds.toFixed(1)} s`);
    const rc = await runCellSweep({ file: cellFile, out: path.join(dir, 'cells-queue'), queue: redis.url });
    cellRows.push({ runner: 'BullMQ on Redis, 2 `arbiter worker`s', r: rc });
    console.log(`cells queue: ${rc.wallSeconds.toFixed(1)} s`);
    const figures = (x: RunCellSweepResult): string => JSON.stringify(x.figures);
    const sameCells = cellRows.every((c) => figures(c.r) === figures(cellRows[0]!.r));
    const noop = await noopRate(redis.url);
    const load1 = os.loadavg()[0]!;
    const local1 = rows[0]!;
    const local2 = rows[1]!;
    const queued = rows[2]!;
    const text = [
      '# Scale-out: sweeps on local processes and on BullMQ workers',
      '',
      'Command: `npm run bench -- scale-out` (bench/scale-out-bench.ts).',
      '',
      `Machine: ${describeMachine()}; 1-minute load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end`,
      '(other work shares these cores: the figures are only as steady as that load).',
      '',
      `Sweep: PPO on CartPole-v1, ${SWEEP.steps} steps per trial, learning rate ∈ {0.00025, 0.001} × 8 seeds = 16 trials,`,
      'final evaluation 5 episodes. The worker processes are started before the sweep (each loads the library in its',
      'trial process on its first job, as the local runner does).',
      '',
      formatMarkdownTable(
        ['runner', 'wall s', 'trials/min', 'training s (sum over trials)'],
        rows.map((r) => [r.runner, r.wallS, r.trialsPerMin, r.trainS]),
      ),
      '',
      `- 2 vs 1 local processes: ${(local1.wallS / local2.wallS).toFixed(2)}× faster (${os.availableParallelism()} logical cores).`,
      `- Through Redis with 2 workers vs 2 local processes: ${(((queued.wallS - local2.wallS) / local2.wallS) * 100).toFixed(1)} % wall time (target ≤ 5 % overhead).`,
      `- Every runner gave the same final evaluation for every trial: ${same ? 'yes' : 'NO'}.`,
      '',
      `HSoC benchmark cells (\`arbiter sweep\` of a \`"benchmark": "hsoc"\` file): ${JSON.stringify(CELLS)}, ` +
        `${cellRows[0]!.r.total} cells (a policy on a workload at a load over 10 seeds). Same runners; the workers were warm from the sweep above.`,
      '',
      formatMarkdownTable(
        ['runner', 'wall s', 'cells/s', 'cell s (sum over cells)'],
        cellRows.map(({ runner, r }) => [
          runner,
          r.wallSeconds,
          r.cells.length / r.wallSeconds,
          r.cells.reduce((a, c) => a + c.wallSeconds, 0),
        ]),
      ),
      '',
      `- 2 vs 1 local processes: ${(cellRows[0]!.r.wallSeconds / cellRows[1]!.r.wallSeconds).toFixed(2)}× faster; Redis with 2 workers vs 2 local processes: ${(((rc.wallSeconds - cellRows[1]!.r.wallSeconds) / cellRows[1]!.r.wallSeconds) * 100).toFixed(1)} % wall time.`,
      `- Every runner gave the same benchmark rows (summary figures): ${sameCells ? 'yes' : 'NO'}.`,
      '',
      `Bookkeeping: ${NOOP_JOBS} no-op jobs through the same Redis, ${NOOP_WORKERS} BullMQ workers × ${NOOP_CONCURRENCY} concurrent: ` +
        `${Math.round(noop.addPerS)} jobs/s added, ${Math.round(noop.endToEndPerS)} jobs/s added and completed (target ≥ 1,000/s).`,
      '',
    ].join('\n');
    await writeFileAtomic('bench/results/scale-out.md', text);
    console.log(text);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
