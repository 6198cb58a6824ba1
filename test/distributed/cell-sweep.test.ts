import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellId, parseBenchCell, type BenchCell } from '../../src/distributed/bench-cell.js';
import { cellFigures, type CellFigures } from '../../src/distributed/cell-summary.js';
import {
  expandCellSweep,
  parseCellSweepSpec,
  readCellSweepSpec,
} from '../../src/distributed/cell-sweep-spec.js';
import { computeBenchCell, runBenchCell } from '../../src/distributed/run-bench-cell.js';
import { runCellSweep } from '../../src/distributed/run-cell-sweep.js';
import { TrialPool } from '../../src/distributed/trial-pool.js';
import {
  queueConnection,
  TRIAL_QUEUE_NAME,
  TrialQueueDispatcher,
} from '../../src/distributed/trial-queue.js';
import { startTrialWorker, type TrialWorker } from '../../src/distributed/trial-worker.js';
import { runEgsBenchmark, summarizeEgsBenchmark } from '../../src/experiments/egs-benchmark.js';
import { heldOutEgsSets } from '../../src/experiments/egs-benchmark-sets.js';
import { runHsocBenchmark } from '../../src/experiments/hsoc-benchmark.js';
import { loadEgsPolicyModel, resolveEgsModelPath } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import type { KnowledgeBaseSpec } from '../../src/logic/knowledge-base-spec.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis-server.js';

// A tiny HSoC grid: one workload, two loads, five policies (the control and the ideal split among
// them, so every comparison column is filled), 4 seeds in cells of 2, LNN rules trained briefly.
const HSOC = {
  benchmark: 'hsoc',
  workloads: ['5-task'],
  loads: ['light', 'heavy'],
  policies: ['uniform', 'uniform-running', 'lnn-rules', 'dynamic-rules', 'ideal-static'],
  seeds: 4,
  seedsPerCell: 2,
  jobs: { '5-task': 2 },
  restarts: 1,
  trainEpisodes: 20,
  idealTaskSearch: false,
};
// A tiny EGS grid: two sets of 2 DAGs × four methods (optimal proves the small set's optima).
const EGS = {
  benchmark: 'egs',
  count: 2,
  sets: ['gen-10-20', 'gen-21-35'],
  methods: ['egs', 'listsched', 'graham', 'optimal'],
  timeLimit: 5,
};

/** Figures without wall times (the only part that depends on the machine and the moment). */
function timeless(f: CellFigures): unknown {
  if (f.benchmark !== 'egs') return f;
  return {
    rows: f.rows.map(({ timeMs: _t, ...r }) => r),
    summary: f.summary.map(({ meanTimeMs: _t, ...s }) => s),
  };
}

/** The figures of `cells` computed one after the other in this process (in reverse order). */
async function inProcess(cells: readonly BenchCell[]): Promise<CellFigures> {
  const outcomes = [];
  for (const c of [...cells].reverse()) outcomes.push(await computeBenchCell(c));
  return cellFigures(cells[0]!.benchmark, outcomes);
}

let root: string;
const files = { hsoc: '', egs: '' };
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arbiter-cells-'));
  files.hsoc = join(root, 'hsoc.json');
  files.egs = join(root, 'egs.json');
  await writeFile(files.hsoc, JSON.stringify(HSOC));
  await writeFile(files.egs, JSON.stringify(EGS));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('benchmark cells', () => {
  it('a cell id is a hash of its input: stable, different for different inputs, checked on receipt', async () => {
    const cells = await expandCellSweep(parseCellSweepSpec(HSOC, 'hsoc.json'), 'hsoc.json');
    expect(cells).toHaveLength(2 * 5 * 2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    const again = await expandCellSweep(parseCellSweepSpec(HSOC, 'hsoc.json'), 'hsoc.json');
    expect(again.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    const c = cells[0]!;
    expect(parseBenchCell(JSON.parse(JSON.stringify(c)), 'x')).toEqual(c);
    expect(() => parseBenchCell({ ...c, input: { ...c.input, seeds: 3 } }, 'job 1')).toThrow(
      /does not match/,
    );
    expect(() => parseBenchCell({ ...c, code: 'x' }, 'job 1')).toThrow(/code/);
    expect(cellId({ benchmark: c.benchmark, input: { ...c.input } } as BenchCell)).toBe(c.id);
    expect(() => parseCellSweepSpec({ ...HSOC, policies: ['uniform', 'nope'] }, 'f.json')).toThrow(
      /f\.json.*policies/,
    );
    expect(() => parseCellSweepSpec({ ...EGS, sets: ['gen-10-20'], extra: 1 }, 'f.json')).toThrow(/extra/);
    // The shipped examples are valid sweep files.
    for (const [file, n] of [
      ['examples/sweeps/hsoc-cells.json', 2 * 3 * 6 * 2],
      ['examples/sweeps/egs-cells.json', 3 * 8],
      // Three 16-DAG sets in slices of 4 and three 1-DAG STG sets, all ten methods (50 nodes).
      ['examples/sweeps/egs-held-out-cells.json', (3 * 4 + 3) * 10],
    ] as const)
      expect(await expandCellSweep(await readCellSweepSpec(file), file)).toHaveLength(n);
  });

  it('running a cell twice gives its one outcome: the second attempt reads the first one back', async () => {
    const [cell] = await expandCellSweep(parseCellSweepSpec(EGS, 'egs.json'), 'egs.json');
    const dir = join(root, 'twice');
    const [a, b] = await Promise.all([runBenchCell(cell!, dir), runBenchCell(cell!, dir)]);
    expect(a.outcome).toEqual(b.outcome);
    expect([a.reused, b.reused].filter(Boolean)).toHaveLength(1);
    expect((await runBenchCell(cell!, dir)).reused).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([`${cell!.id}.json`]);
  });
});

describe('benchmark-cell sweeps on local processes', () => {
  const pool = new TrialPool({ size: 2 });
  afterAll(() => pool.close());

  it('HSoC cells on 2 processes give the rows of the whole benchmark run in one process', async () => {
    const result = await runCellSweep({ file: files.hsoc, out: join(root, 'hsoc-local'), dispatcher: pool });
    expect(result.failed).toEqual([]);
    expect(result.cells).toHaveLength(20);
    const cells = await expandCellSweep(parseCellSweepSpec(HSOC, 'hsoc.json'), 'hsoc.json');
    expect(result.figures).toEqual(await inProcess(cells));
    // …and the rows `arbiter bench hsoc` computes for the same settings, cell for cell.
    const kb = JSON.parse(await readFile('examples/logic/light-load.json', 'utf8')) as KnowledgeBaseSpec;
    const whole = await runHsocBenchmark({
      seeds: 4,
      jobs: { '5-task': 2, 'av-42': 1 },
      restarts: 1,
      trainEpisodes: 20,
      ppoSteps: 0,
      poweredSeeds: 0,
      idealTaskSearch: false,
      knowledgeBase: kb,
    });
    const expected = whole.rows.filter(
      (r) => r.workload === '5-task' && r.load !== 'medium' && HSOC.policies.includes(r.policy),
    );
    expect(result.figures.benchmark === 'hsoc' && result.figures.rows).toEqual(expected);
    const md = await readFile(join(root, 'hsoc-local', 'summary.md'), 'utf8');
    expect(md).toContain('### Workload 5-task');
    expect(md).toContain('| heavy | ideal-static |');
    expect(readdirSync(join(root, 'hsoc-local', 'cells')).sort()).toEqual(
      cells.map((c) => `${c.id}.json`).sort(),
    );
  }, 120_000);

  it('EGS cells on 2 processes give the rows and tables of the benchmark run in one process', async () => {
    const result = await runCellSweep({ file: files.egs, out: join(root, 'egs-local'), dispatcher: pool });
    expect(result.failed).toEqual([]);
    const cells = await expandCellSweep(parseCellSweepSpec(EGS, 'egs.json'), 'egs.json');
    expect(timeless(result.figures)).toEqual(timeless(await inProcess(cells)));
    const sets = heldOutEgsSets(2).filter((s) => EGS.sets.includes(s.name));
    const rows = (
      await runEgsBenchmark(sets, {
        scheduler: new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath(undefined, 'egs'))),
        searchScheduler: new EgsPolicyScheduler(
          loadEgsPolicyModel(resolveEgsModelPath(undefined, 'egs-search')),
        ),
      })
    ).filter((r) => EGS.methods.includes(r.method));
    const byKey = (r: { set: string; method: string; dag: string }): string =>
      `${r.set}|${r.method}|${r.dag}`;
    const f = result.figures.benchmark === 'egs' ? result.figures : undefined;
    expect(
      timeless({
        benchmark: 'egs',
        rows: [...f!.rows].sort((a, b) => byKey(a).localeCompare(byKey(b))),
        summary: f!.summary,
      }),
    ).toEqual(
      timeless({
        benchmark: 'egs',
        rows: [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b))),
        summary: summarizeEgsBenchmark(rows),
      }),
    );
    expect(await readFile(join(root, 'egs-local', 'summary.md'), 'utf8')).toMatch(
      /### gen-10-20[\s\S]*\| optimal \| 2 \|/,
    );
  }, 120_000);

  it('a resumed cell sweep runs nothing again', async () => {
    let reused = 0;
    const result = await runCellSweep({
      file: files.egs,
      out: join(root, 'egs-local'),
      resume: true,
      dispatcher: pool,
      onCell: (e) => void (reused += e.reused ? 1 : 0),
    });
    expect([reused, result.cells.length]).toEqual([8, 8]);
  });
});

describe.skipIf(REDIS_SERVER === undefined)(
  'benchmark-cell sweeps through BullMQ on a real redis-server',
  () => {
    let redis: TestRedis;
    let dispatcher: TrialQueueDispatcher;
    let worker: TrialWorker;
    let queue: Queue;
    const pool = new TrialPool({ size: 2, crashRetries: 0 });

    beforeAll(async () => {
      redis = await startRedis();
      dispatcher = new TrialQueueDispatcher(redis.url);
      worker = await startTrialWorker({ url: redis.url, concurrency: 2, pool, name: 'cells' });
      queue = new Queue(TRIAL_QUEUE_NAME, { connection: queueConnection(redis.url) });
    });
    afterAll(async () => {
      await worker?.close();
      await pool.close();
      await dispatcher?.close();
      await queue?.close();
      await redis?.stop();
    });

    it('HSoC and EGS cells through a queue worker give the figures of one process; a cell sent again is a no-op', async () => {
      for (const [name, spec] of [
        ['hsoc', HSOC],
        ['egs', EGS],
      ] as const) {
        const result = await runCellSweep({
          file: files[name],
          out: join(root, `${name}-queue`),
          dispatcher,
        });
        expect(result.failed).toEqual([]);
        const cells = await expandCellSweep(parseCellSweepSpec(spec, `${name}.json`), `${name}.json`);
        expect(timeless(result.figures)).toEqual(timeless(await inProcess(cells)));
        const again = await dispatcher.runCell(cells[0]!, join(root, 'elsewhere'));
        expect(again.outcome).toEqual(result.cells[0]);
      }
      expect(await queue.getJobCounts('completed', 'failed', 'wait')).toEqual({
        completed: 28,
        failed: 0,
        wait: 0,
      });
      expect(existsSync(join(root, 'elsewhere'))).toBe(false);
      // Jobs are data only: a cell payload that is not a cell fails once, naming the key.
      const failed = new Promise<string>((resolve) =>
        worker.worker.once('failed', (_j, e) => resolve(e.message)),
      );
      const bad = await queue.add(
        'bench-cell',
        { cell: { id: 'c0', benchmark: 'egs', input: {} }, cellsRoot: root },
        { jobId: 'bad-cell', attempts: 3 },
      );
      expect(await failed).toMatch(/^job bad-cell: key 'input\.sets': type/);
      const stored = await queue.getJob(bad.id!);
      expect([await stored?.getState(), stored?.attemptsMade]).toEqual(['failed', 1]);
    }, 180_000);
  },
);
