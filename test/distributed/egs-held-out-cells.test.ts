import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellId, parseBenchCell } from '../../src/distributed/bench-cell.js';
import { cellFigures, type CellFigures } from '../../src/distributed/cell-summary.js';
import { expandCellSweep, parseCellSweepSpec } from '../../src/distributed/cell-sweep-spec.js';
import { computeBenchCell } from '../../src/distributed/run-bench-cell.js';
import { runCellSweep } from '../../src/distributed/run-cell-sweep.js';
import { TrialPool } from '../../src/distributed/trial-pool.js';
import {
  runEgsHeldOutBenchmark,
  summarizeEgsHeldOut,
  type EgsHeldOutDagRow,
  type EgsHeldOutSummaryRow,
} from '../../src/experiments/egs-held-out-benchmark.js';
import { egsHeldOutRunOptions, openEgsHeldOutSetFile } from '../../src/experiments/egs-held-out-run.js';
import { writeTinyEgsSetFile } from '../helpers/tiny-egs-set-file.js';

let root: string;
let setFile: string;
let spec: Record<string, unknown>;
const METHODS = ['egs', 'listsched', 'graham'] as const;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arbiter-egs-cells-'));
  setFile = join(root, 'tiny-sets.json');
  await writeTinyEgsSetFile(setFile);
  spec = { benchmark: 'egs-held-out', setFile, methods: [...METHODS], dagsPerCell: 2, budget: 5 };
  await writeFile(join(root, 'cells.json'), JSON.stringify(spec));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Rows and summary without the times (the only part that depends on the machine and the moment). */
function timeless(rows: readonly EgsHeldOutDagRow[], summary: readonly EgsHeldOutSummaryRow[]): unknown {
  return { rows: rows.map(({ timeMs: _t, ...r }) => r), summary: summary.map(({ msPerDag: _t, ...s }) => s) };
}

/** The benchmark run directly on the whole set file, in this process. */
async function direct(): Promise<unknown> {
  const { file } = await openEgsHeldOutSetFile(setFile);
  const rows = await runEgsHeldOutBenchmark(file, egsHeldOutRunOptions({ methods: METHODS, budgetS: 5 }));
  return timeless(rows, summarizeEgsHeldOut(rows, file.sets));
}

function figuresOf(f: CellFigures): unknown {
  if (f.benchmark !== 'egs-held-out') throw new Error(`not egs-held-out figures: ${f.benchmark}`);
  return timeless(f.rows, f.summary);
}

describe('egs-held-out benchmark cells (issue 16 over workers)', () => {
  it('expand to set × DAG slice × method cells that name the file and its hash; a received cell is checked', async () => {
    const cells = await expandCellSweep(parseCellSweepSpec(spec, 'cells.json'), 'cells.json');
    // gen-10-m2: DAGs 0–1 and 2; gen-10-m3: DAGs 0–1; three methods each.
    expect(
      cells.map((c) =>
        c.benchmark === 'egs-held-out'
          ? `${c.input.set} ${c.input.from}-${c.input.to} ${c.input.method}`
          : '',
      ),
    ).toEqual([
      'gen-10-m2 0-2 egs',
      'gen-10-m2 0-2 listsched',
      'gen-10-m2 0-2 graham',
      'gen-10-m2 2-3 egs',
      'gen-10-m2 2-3 listsched',
      'gen-10-m2 2-3 graham',
      'gen-10-m3 0-2 egs',
      'gen-10-m3 0-2 listsched',
      'gen-10-m3 0-2 graham',
    ]);
    for (const c of cells) expect(parseBenchCell(JSON.parse(JSON.stringify(c)), 'q')).toEqual(c);
    const c0 = cells[0]!;
    // Data only, strict: an unknown key, an empty DAG range and a bad hash are refused.
    expect(() => parseBenchCell({ ...c0, input: { ...c0.input, extra: 1 } }, 'q')).toThrow(/extra/);
    const empty = { benchmark: 'egs-held-out' as const, input: { ...c0.input, from: 2, to: 2 } };
    expect(() => parseBenchCell({ ...empty, id: cellId(empty as never) }, 'q')).toThrow(/non-empty range/);
    const wrong = { benchmark: 'egs-held-out' as const, input: { ...c0.input, sha256: '0'.repeat(64) } };
    const forged = parseBenchCell({ ...wrong, id: cellId(wrong as never) }, 'q');
    await expect(computeBenchCell(forged)).rejects.toThrow(/differs from the one the sweep was made from/);
    // An unknown set in `only` names the sweep file.
    await expect(
      expandCellSweep(parseCellSweepSpec({ ...spec, only: ['gen-99-m4'] }, 'cells.json'), 'cells.json'),
    ).rejects.toThrow(/cells\.json.*no set 'gen-99-m4'/);
  });

  it('cells computed in any order give the rows and summary of the direct run', async () => {
    const cells = await expandCellSweep(parseCellSweepSpec(spec, 'cells.json'), 'cells.json');
    const outcomes = [];
    for (const c of [...cells].reverse()) outcomes.push(await computeBenchCell(c));
    expect(figuresOf(cellFigures('egs-held-out', outcomes))).toEqual(await direct());
  }, 60_000);

  it('arbiter sweep over 2 worker processes gives the same figures and the set × method tables', async () => {
    const pool = new TrialPool({ size: 2 });
    try {
      const out = join(root, 'sweep');
      const result = await runCellSweep({ file: join(root, 'cells.json'), out, dispatcher: pool });
      expect(result.failed).toEqual([]);
      expect(result.cells).toHaveLength(9);
      expect(figuresOf(result.figures)).toEqual(await direct());
      const md = await readFile(join(out, 'summary.md'), 'utf8');
      expect(md).toContain('## Mean cores, set × method');
      expect(md).toContain('gen-10-m2 DAGs 2–2 listsched');
    } finally {
      await pool.close();
    }
  }, 120_000);
});
