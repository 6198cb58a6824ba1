import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from '../../src/dashboard/dashboard-api.js';
import { readMetricsFrom, watchMetrics } from '../../src/dashboard/metrics-tail.js';

const line = (step: number): string => JSON.stringify({ step, 'rollout/ep_rew_mean': step / 10 }) + '\n';

describe('readMetricsFrom', () => {
  it('reads complete lines only and continues after them', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'arbiter-tail-')), 'metrics.jsonl');
    writeFileSync(file, line(1) + line(2) + '{"step":3,"x"');
    const a = await readMetricsFrom(file, 0);
    expect(a.lines.map((l) => l.step)).toEqual([1, 2]);
    appendFileSync(file, ':1}\n' + line(4));
    const b = await readMetricsFrom(file, a.offset);
    expect(b.lines.map((l) => l.step)).toEqual([3, 4]);
    expect((await readMetricsFrom(file, b.offset)).lines).toEqual([]);
  });

  it('starts again with reset when the file was rewritten shorter (a resumed run)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'arbiter-tail-')), 'metrics.jsonl');
    writeFileSync(file, line(1) + line(2) + line(3));
    const a = await readMetricsFrom(file, 0);
    writeFileSync(file, line(1));
    const b = await readMetricsFrom(file, a.offset);
    expect(b).toMatchObject({ reset: true, lines: [{ step: 1 }] });
  });

  it('property: reading in any chunking yields every line once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
        async (cuts) => {
          const file = path.join(mkdtempSync(path.join(tmpdir(), 'arbiter-tail-')), 'metrics.jsonl');
          const text = Array.from({ length: 10 }, (_, k) => line(k)).join('');
          writeFileSync(file, '');
          let written = 0;
          let offset = 0;
          const steps: number[] = [];
          for (const cut of [...cuts, text.length]) {
            const end = Math.min(text.length, written + cut);
            appendFileSync(file, text.slice(written, end));
            written = end;
            const batch = await readMetricsFrom(file, offset);
            offset = batch.offset;
            steps.push(...batch.lines.map((l) => l.step));
          }
          expect(steps).toEqual(Array.from({ length: 10 }, (_, k) => k));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('watchMetrics', () => {
  it('hands over the existing lines, then each appended one', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'arbiter-tail-')), 'metrics.jsonl');
    writeFileSync(file, line(1));
    const batches: MetricsBatch[] = [];
    const stop = watchMetrics(file, (b) => batches.push(b), { intervalMs: 20 });
    try {
      await expect.poll(() => batches.length).toBe(1);
      appendFileSync(file, line(2));
      await expect.poll(() => batches.length).toBe(2);
      expect(batches.flatMap((b) => b.lines.map((l) => l.step))).toEqual([1, 2]);
    } finally {
      stop();
    }
  });
});
