import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlMetricsSink, readMetricsJsonl } from '../../src/report/jsonl-metrics-sink.js';

const root = mkdtempSync(join(tmpdir(), 'arbiter-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `run${n++}`, 'metrics.jsonl');

describe('JsonlMetricsSink', () => {
  it('writes one {step, wallTime, ...metrics} object per line, flushed at each write', async () => {
    const path = fresh();
    let t = 1000.5;
    const sink = new JsonlMetricsSink(path, { now: () => t++ });
    expect(readFileSync(path, 'utf8')).toBe('');
    sink.write(0, { 'rollout/ep_rew_mean': 9.5 });
    sink.write(2048, { 'rollout/ep_rew_mean': 20, 'train/loss': NaN, big: -Infinity });
    expect(readFileSync(path, 'utf8')).toBe(
      '{"step":0,"wallTime":1000.5,"rollout/ep_rew_mean":9.5}\n' +
        '{"step":2048,"wallTime":1001.5,"rollout/ep_rew_mean":20,"train/loss":null,"big":null}\n',
    );
    await sink.close();
    expect(() => sink.write(1, {})).toThrow(expect.objectContaining({ code: 'metrics/closed' }));
    expect(() => new JsonlMetricsSink(fresh()).write(1, { wallTime: 1 })).toThrow(
      expect.objectContaining({ code: 'metrics/reserved-key' }),
    );
  });

  it('reads records back; non-finite values come back as NaN', async () => {
    const path = fresh();
    const sink = new JsonlMetricsSink(path, { now: () => 3 });
    sink.write(5, { a: 1, b: Infinity });
    await sink.close();
    const [rec] = readMetricsJsonl(path);
    expect(rec).toEqual({ step: 5, wallTime: 3, metrics: { a: 1, b: NaN } });
  });

  it('appends on resume, dropping records after truncateAfterStep and a half-written line', async () => {
    const path = fresh();
    const first = new JsonlMetricsSink(path, { now: () => 1 });
    for (const s of [10, 20, 30]) first.write(s, { a: s });
    await first.close();
    appendFileSync(path, '{"step":40,"wallTi'); // crash mid-line
    expect(readMetricsJsonl(path).map((r) => r.step)).toEqual([10, 20, 30]); // the reader skips it
    const resumed = new JsonlMetricsSink(path, { append: true, truncateAfterStep: 20, now: () => 2 });
    resumed.write(30, { a: 31 });
    await resumed.close();
    expect(readMetricsJsonl(path).map((r) => [r.step, r.metrics.a, r.wallTime])).toEqual([
      [10, 10, 1],
      [20, 20, 1],
      [30, 31, 2],
    ]);
    // Plain append keeps everything.
    const again = new JsonlMetricsSink(path, { append: true, now: () => 3 });
    again.write(40, { a: 40 });
    await again.close();
    expect(readMetricsJsonl(path)).toHaveLength(4);
  });

  it('names file and line of a corrupt record', () => {
    const path = fresh();
    const sink = new JsonlMetricsSink(path);
    void sink.close();
    writeFileSync(path, '{"step":1,"a":2}\n\nnot json\n{"step":3}\n');
    expect(() => readMetricsJsonl(path)).toThrow(/metrics\.jsonl:3: jsonl-syntax/);
    writeFileSync(path, '{"a":2}\n');
    expect(() => readMetricsJsonl(path)).toThrow(
      expect.objectContaining({ code: 'invalid-input/jsonl-record', line: 1 }),
    );
  });
});
