import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvMetricsSink, formatCsvNumber, parseCsv } from '../../src/report/csv-metrics-sink.js';

const root = mkdtempSync(join(tmpdir(), 'arbiter-csv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `run${n++}`, 'metrics.csv');
const clock = (): (() => number) => {
  let t = 100;
  return () => t++;
};

describe('CsvMetricsSink', () => {
  it('writes a header at once and one wide row per write', async () => {
    const path = fresh();
    const sink = new CsvMetricsSink(path, { now: clock() });
    expect(readFileSync(path, 'utf8')).toBe('step,wallTime\n');
    sink.write(0, { a: 1, b: 0.5 });
    sink.write(10, { a: 2, b: -3e-7 });
    // Rows reach the file before close (a crash loses nothing already written).
    expect(readFileSync(path, 'utf8')).toBe('step,wallTime,a,b\n0,100,1,0.5\n10,101,2,-3e-7\n');
    await sink.close();
    await sink.close();
    expect(() => sink.write(1, {})).toThrow(expect.objectContaining({ code: 'metrics/closed' }));
  });

  it('widens the header when new keys appear, leaving earlier cells empty', async () => {
    const path = fresh();
    const sink = new CsvMetricsSink(path, { now: clock() });
    sink.write(1, { 'rollout/ep_rew_mean': 10 });
    sink.write(2, { 'train/loss': 0.25 });
    sink.write(3, { 'eval/mean_return': 50, 'rollout/ep_rew_mean': 12 });
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe(
      'step,wallTime,rollout/ep_rew_mean,train/loss,eval/mean_return\n' +
        '1,100,10,,\n' +
        '2,101,,0.25,\n' +
        '3,102,12,,50\n',
    );
    expect(readdirSync(join(path, '..'))).toEqual(['metrics.csv']); // no temp files left behind
  });

  it('quotes odd key names and writes non-finite values as NaN, inf, -inf', async () => {
    const path = fresh();
    const sink = new CsvMetricsSink(path, { now: () => 1.5 });
    sink.write(7, { 'a,b': NaN, 'say "hi"': Infinity, plain: -Infinity });
    await sink.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toBe('step,wallTime,"a,b","say ""hi""",plain\n7,1.5,NaN,inf,-inf\n');
    expect(parseCsv(text)).toEqual([
      ['step', 'wallTime', 'a,b', 'say "hi"', 'plain'],
      ['7', '1.5', 'NaN', 'inf', '-inf'],
    ]);
  });

  it('appends on resume, keeping the header, and widens it there too', async () => {
    const path = fresh();
    const first = new CsvMetricsSink(path, { now: clock() });
    first.write(1, { a: 1 });
    first.write(2, { a: 2 });
    await first.close();
    const resumed = new CsvMetricsSink(path, { append: true, now: () => 500 });
    resumed.write(3, { a: 3 });
    resumed.write(4, { b: 4 });
    await resumed.close();
    expect(readFileSync(path, 'utf8')).toBe('step,wallTime,a,b\n1,100,1,\n2,101,2,\n3,500,3,\n4,500,,4\n');
  });

  it('on resume drops rows after truncateAfterStep and a half-written last line', async () => {
    const path = fresh();
    const first = new CsvMetricsSink(path, { now: clock() });
    for (const s of [1, 2, 3, 4]) first.write(s, { a: s });
    await first.close();
    appendFileSync(path, '5,104,'); // a crash in the middle of a row
    const resumed = new CsvMetricsSink(path, { append: true, truncateAfterStep: 2, now: () => 9 });
    resumed.write(3, { a: 30 });
    await resumed.close();
    expect(readFileSync(path, 'utf8')).toBe('step,wallTime,a\n1,100,1\n2,101,2\n3,9,30\n');
  });

  it('starts anew without append, and creates the file when append finds none', async () => {
    const path = fresh();
    mkdirSync(dirname(path));
    writeFileSync(path, 'step,wallTime,old\n1,1,1\n');
    await new CsvMetricsSink(path).close();
    expect(readFileSync(path, 'utf8')).toBe('step,wallTime\n');
    const other = fresh();
    await new CsvMetricsSink(other, { append: true }).close();
    expect(readFileSync(other, 'utf8')).toBe('step,wallTime\n');
  });

  it('rejects a foreign CSV on resume, reserved keys and bad steps', async () => {
    const path = fresh();
    mkdirSync(dirname(path));
    writeFileSync(path, 'time,value\n1,2\n');
    expect(() => new CsvMetricsSink(path, { append: true })).toThrow(
      expect.objectContaining({ code: 'invalid-input/csv-header' }),
    );
    const sink = new CsvMetricsSink(fresh());
    expect(() => sink.write(1, { step: 3 })).toThrow(
      expect.objectContaining({ code: 'metrics/reserved-key' }),
    );
    expect(() => sink.write(-2, { a: 3 })).toThrow(expect.objectContaining({ code: 'metrics/invalid-step' }));
    await sink.close();
  });

  it('formats numbers so that they parse back exactly (shortest round trip)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Number(formatCsvNumber(v))).toBe(v === 0 ? 0 : v);
      }),
    );
  });

  it('parseCsv inverts quoting for any header cells', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 5 }), (cells) => {
        const path = fresh();
        const keys = cells.map((c, i) => `${c}#${i}`); // distinct, non-reserved keys
        const sink = new CsvMetricsSink(path, { now: () => 0 });
        sink.write(1, Object.fromEntries(keys.map((k, i) => [k, i])));
        void sink.close();
        const [header, row] = parseCsv(readFileSync(path, 'utf8'));
        expect(header).toEqual(['step', 'wallTime', ...keys]);
        expect(row).toEqual(['1', '0', ...keys.map((_, i) => String(i))]);
      }),
      { numRuns: 30 },
    );
  });
});
