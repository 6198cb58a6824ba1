import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBenchCell } from '../../src/distributed/bench-cell.js';
import { cellFigures } from '../../src/distributed/cell-summary.js';
import {
  expandCellSweep,
  parseCellSweepSpec,
  readCellSweepSpec,
} from '../../src/distributed/cell-sweep-spec.js';
import { computeBenchCell } from '../../src/distributed/run-bench-cell.js';
import { runCellSweep } from '../../src/distributed/run-cell-sweep.js';
import { TrialPool } from '../../src/distributed/trial-pool.js';
import { TrialQueueDispatcher } from '../../src/distributed/trial-queue.js';
import { startTrialWorker } from '../../src/distributed/trial-worker.js';
import { SOUNDNESS_SEED } from '../../src/experiments/soundness-dags.js';
import { soundnessRows } from '../../src/experiments/soundness-rows.js';
import { REDIS_SERVER, startRedis } from '../helpers/redis-server.js';
import {
  runSoundnessShard,
  SOUNDNESS_METHODS,
  type SoundnessShardResult,
} from '../../src/experiments/soundness-shard.js';

// A tiny soundness set: 3 tasks per shape (12 tasks) in shards of 5 tasks (the last one short) ×
// 4 methods (10 methods: 4, 4, 2), few simulations, egs on every 3rd task and optimal on every
// 5th, so every kind of check runs.
const SPEC = {
  benchmark: 'soundness',
  perShape: 3,
  tasksPerCell: 5,
  methodsPerCell: 4,
  draws: 2,
  budget: 10,
  staticBudget: 10,
  egsEvery: 3,
  optimalEvery: 5,
};
const ALL = [...SOUNDNESS_METHODS];
const COUNTS = {
  methods: ALL,
  perShape: 3,
  draws: 2,
  budget: 10,
  staticBudget: 10,
  egsEvery: 3,
  optimalEvery: 5,
};

let root: string;
let file: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arbiter-soundness-cells-'));
  file = join(root, 'soundness.json');
  await writeFile(file, JSON.stringify(SPEC));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('soundness shards as benchmark cells', () => {
  it('shards are contiguous slices named by their input; a cell is checked on receipt', async () => {
    const cells = await expandCellSweep(parseCellSweepSpec(SPEC, 'f.json'), 'f.json');
    const slices = [
      [0, 5],
      [5, 10],
      [10, 12],
    ];
    const runs = [ALL.slice(0, 4), ALL.slice(4, 8), ALL.slice(8)];
    expect(
      cells.map((c) => c.benchmark === 'soundness' && [c.input.from, c.input.to, c.input.methods]),
    ).toEqual(slices.flatMap(([from, to]) => runs.map((m) => [from, to, m])));
    expect(new Set(cells.map((c) => c.id)).size).toBe(9);
    const again = await expandCellSweep(
      parseCellSweepSpec({ ...SPEC, seed: SOUNDNESS_SEED }, 'f.json'),
      'f.json',
    );
    expect(again.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    const other = await expandCellSweep(parseCellSweepSpec({ ...SPEC, draws: 3 }, 'f.json'), 'f.json');
    expect(other.map((c) => c.id)).not.toContain(cells[0]!.id);
    const c = cells[0]!;
    expect(parseBenchCell(JSON.parse(JSON.stringify(c)), 'x')).toEqual(c);
    expect(() => parseBenchCell({ ...c, input: { ...c.input, to: 6 } }, 'job 1')).toThrow(/does not match/);
    expect(() => parseBenchCell({ ...c, input: { ...c.input, to: 13 } }, 'job 1')).toThrow(/input\.to/);
    expect(() => parseCellSweepSpec({ ...SPEC, tasksPerCell: 0 }, 'f.json')).toThrow(/f\.json.*tasksPerCell/);
    expect(() => parseCellSweepSpec({ ...SPEC, methods: ['graham', 'nope'] }, 'f.json')).toThrow(/methods/);
    expect(() => parseBenchCell({ ...c, input: { ...c.input, methods: [] } }, 'job 1')).toThrow(/methods/);
    const some = await expandCellSweep(
      parseCellSweepSpec({ ...SPEC, methods: ['optimal', 'graham'], methodsPerCell: undefined }, 'f.json'),
      'f.json',
    );
    expect(some.map((x) => x.benchmark === 'soundness' && x.input.methods)).toEqual(
      slices.map(() => ['graham', 'optimal']),
    );
    // The shipped example: the committed bench run's 4000 tasks in 40 slices of all methods.
    const example = 'examples/sweeps/soundness-cells.json';
    expect(await expandCellSweep(await readCellSweepSpec(example), example)).toHaveLength(40);
  });

  it('the rows of shards put together equal those of one shard over the whole set', async () => {
    const whole = soundnessRows([
      await runSoundnessShard({ ...COUNTS, seed: SOUNDNESS_SEED, from: 0, to: 12 }),
    ]);
    expect(whole.rows.some((r) => r.method === 'optimal')).toBe(true);
    expect(whole.rows.some((r) => r.method === 'egs-search' && r.dags > 0)).toBe(true);
    const parts: SoundnessShardResult[] = [];
    for (const [from, to] of [
      [7, 12],
      [0, 1],
      [1, 7],
    ] as const)
      for (const methods of [ALL.slice(0, 3), ALL.slice(3, 7), ALL.slice(7)])
        parts.push(await runSoundnessShard({ ...COUNTS, seed: SOUNDNESS_SEED, from, to, methods }));
    expect(soundnessRows(parts)).toEqual(whole);
    expect(() => soundnessRows([parts[1]!, parts[1]!])).toThrow(/overlap/);
    // A shard computes only its methods' rows.
    expect(new Set(parts[0]!.groups.map(([k]) => k.split('|')[0]))).toEqual(new Set(ALL.slice(0, 3)));
  }, 60_000);
});

describe('a soundness cell sweep on local processes', () => {
  const pool = new TrialPool({ size: 2 });
  afterAll(() => pool.close());

  it('on 2 processes gives the figures of the same shards run in one process', async () => {
    const out = join(root, 'local');
    const result = await runCellSweep({ file, out, dispatcher: pool });
    expect(result.failed).toEqual([]);
    const cells = await expandCellSweep(parseCellSweepSpec(SPEC, 'f.json'), 'f.json');
    expect(result.cells).toHaveLength(cells.length);
    const here = [];
    for (const c of [...cells].reverse()) here.push(await computeBenchCell(c));
    expect(result.figures).toEqual(cellFigures('soundness', here));
    // …which are the rows `npm run bench -- soundness` computes for the same counts.
    const bench = soundnessRows([
      await runSoundnessShard({ ...COUNTS, seed: SOUNDNESS_SEED, from: 0, to: 12 }),
    ]);
    const { rows, tasks, examples } = bench;
    expect(tasks).toBe(12);
    expect(result.figures).toEqual({ benchmark: 'soundness', rows, tasks, examples });
    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('## Analytic bounds, dynamic dispatch on boundCores');
    expect(md).toMatch(/\| graham \(random order\) \| \d+ \|/);
    expect(md).toContain('## Timetables, static-order dispatch');
    expect(
      readdirSync(join(out, 'cells'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(cells.map((c) => `${c.id}.json`).sort());
  }, 120_000);
});

describe.skipIf(REDIS_SERVER === undefined)(
  'a soundness cell sweep through BullMQ on a real redis-server',
  () => {
    it('a queue worker gives the figures of one process', async () => {
      const redis = await startRedis();
      const pool = new TrialPool({ size: 2, crashRetries: 0 });
      const dispatcher = new TrialQueueDispatcher(redis.url);
      const worker = await startTrialWorker({ url: redis.url, concurrency: 2, pool, name: 'soundness' });
      try {
        const result = await runCellSweep({ file, out: join(root, 'queue'), dispatcher });
        expect(result.failed).toEqual([]);
        const cells = await expandCellSweep(parseCellSweepSpec(SPEC, 'f.json'), 'f.json');
        const here = [];
        for (const c of cells) here.push(await computeBenchCell(c));
        expect(result.figures).toEqual(cellFigures('soundness', here));
      } finally {
        await worker.close();
        await pool.close();
        await dispatcher.close();
        await redis.stop();
      }
    }, 120_000);
  },
);
