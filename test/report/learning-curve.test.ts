import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetricsJsonl } from '../../src/report/jsonl-metrics-sink.js';
import { aggregateCurves, curveOf, writeLearningCurve } from '../../src/report/learning-curve.js';
import { createRunDirectory } from '../../src/report/run-directory.js';
import { checkXml, svgTexts } from '../helpers/check-xml.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'ppo-cartpole-seed1');
const tmp = mkdtempSync(join(tmpdir(), 'arbiter-curve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('curveOf', () => {
  it('takes the finite values of one key by step from the fixture (half-written last line skipped)', () => {
    const records = readMetricsJsonl(join(FIXTURE, 'metrics.jsonl'));
    expect(records).toHaveLength(15);
    expect(curveOf(records, 'eval/mean_return')).toEqual({
      x: [4096, 8192, 12288, 16384, 20480],
      y: [27.94, 48.95, 99.88, 206.8, 332.09],
    });
    const loss = curveOf(records, 'train/loss'); // step 8192 logged null (non-finite)
    expect(loss.x).toHaveLength(9);
    expect(loss.x).not.toContain(8192);
    expect(curveOf(records, 'nope')).toEqual({ x: [], y: [] });
  });

  it('sorts by step and keeps the last value logged at a step', () => {
    const rec = (step: number, v: number) => ({ step, wallTime: 0, metrics: { k: v } });
    expect(curveOf([rec(20, 1), rec(10, 2), rec(20, 3)], 'k')).toEqual({ x: [10, 20], y: [2, 3] });
  });
});

describe('aggregateCurves', () => {
  it('averages on the union of steps inside the common range, interpolating linearly', () => {
    const a = { x: [0, 10, 20, 30], y: [0, 10, 20, 30] };
    const b = { x: [5, 15, 25], y: [100, 200, 100] };
    const agg = aggregateCurves([a, b]);
    expect(agg.x).toEqual([5, 10, 15, 20, 25]);
    // a at 5..25 = 5,10,15,20,25; b interpolated = 100,150,200,150,100.
    expect(agg.mean).toEqual([52.5, 80, 107.5, 85, 62.5]);
    expect(agg.lo).toEqual([5, 10, 15, 20, 25]);
    expect(agg.hi).toEqual([100, 150, 200, 150, 100]);
    expect(aggregateCurves([a, { x: [40, 50], y: [1, 2] }]).x).toEqual([]); // no overlap
    expect(aggregateCurves([]).x).toEqual([]);
  });

  it('lo ≤ mean ≤ hi everywhere, and one curve aggregates to itself', () => {
    const curve = fc
      .uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 })
      .chain((xs) => {
        const x = [...xs].sort((p, q) => p - q);
        return fc
          .array(
            fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v + 0),
            { minLength: x.length, maxLength: x.length },
          )
          .map((y) => ({ x, y }));
      });
    fc.assert(
      fc.property(fc.array(curve, { minLength: 1, maxLength: 4 }), (curves) => {
        const agg = aggregateCurves(curves);
        agg.x.forEach((_, i) => {
          expect(agg.lo[i]!).toBeLessThanOrEqual(agg.mean[i]! + 1e-6);
          expect(agg.mean[i]!).toBeLessThanOrEqual(agg.hi[i]! + 1e-6);
        });
        const self = aggregateCurves([curves[0]!]);
        expect(self.x).toEqual(curves[0]!.x);
        expect(self.mean).toEqual(curves[0]!.y);
      }),
    );
  });
});

describe('writeLearningCurve', () => {
  it('plots the fixture run to <run>/learning-curve.svg with the default keys', async () => {
    const run = join(tmp, 'single');
    cpSync(FIXTURE, run, { recursive: true });
    const result = await writeLearningCurve({ runDirs: [run], hline: { y: 475, label: 'target 475' } });
    expect(result.path).toBe(join(run, 'learning-curve.svg'));
    expect(result.missingKeys).toEqual([]);
    expect(result.series.map((s) => [s.name, s.x.length, s.band])).toEqual([
      ['rollout/ep_rew_mean', 10, undefined],
      ['eval/mean_return', 5, undefined],
    ]);
    const svg = readFileSync(result.path, 'utf8');
    checkXml(svg);
    expect(svgTexts(svg)).toEqual(
      expect.arrayContaining([
        'ppo on CartPole-v1',
        'env steps',
        'return',
        'rollout/ep_rew_mean',
        'eval/mean_return',
        'target 475',
      ]),
    );
  });

  it('averages several seeds with a min–max band and reports missing keys', async () => {
    const dirs: string[] = [];
    for (const seed of [1, 2, 3]) {
      const run = await createRunDirectory({
        root: join(tmp, 'seeds'),
        config: { algo: 'a2c', env: 'GridWorld', seed },
        sinks: { csv: false, tensorboard: false },
      });
      for (const step of [100, 200, 300]) run.sink.write(step, { 'eval/mean_return': step * seed });
      await run.close();
      dirs.push(run.paths.dir);
    }
    const out = join(tmp, 'seeds', 'curve.svg');
    const result = await writeLearningCurve({
      runDirs: dirs,
      out,
      keys: ['eval/mean_return', 'missing/key'],
    });
    expect(result.missingKeys).toEqual(['missing/key']);
    const [s] = result.series;
    expect(s!.name).toBe('eval/mean_return (mean of 3 runs, min–max band)');
    expect(s!.x).toEqual([100, 200, 300]);
    expect(s!.y).toEqual([200, 400, 600]);
    expect(s!.band).toEqual({ lo: [100, 200, 300], hi: [300, 600, 900] });
    const svg = readFileSync(out, 'utf8');
    checkXml(svg);
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['a2c on GridWorld (3 runs)', s!.name]));
    await expect(writeLearningCurve({ runDirs: dirs })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid-input/learning-curve' }),
    );
  });
});
