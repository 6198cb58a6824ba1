import { describe, expect, it } from 'vitest';
import type { MetricsSink } from '../../src/core/metrics-sink.js';
import { MultiSink } from '../../src/report/multi-sink.js';

class MemorySink implements MetricsSink {
  rows: [number, Record<string, number>][] = [];
  closed = 0;
  write(step: number, metrics: Readonly<Record<string, number>>): void {
    this.rows.push([step, { ...metrics }]);
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

describe('MultiSink', () => {
  it('forwards every write to every sink in order, and closes them all', async () => {
    const a = new MemorySink();
    const b = new MemorySink();
    const noClose: MetricsSink = { write: () => undefined };
    const multi = new MultiSink([a, noClose, b]);
    multi.write(1, { x: 1 });
    multi.write(2, { y: 2 });
    expect(a.rows).toEqual([
      [1, { x: 1 }],
      [2, { y: 2 }],
    ]);
    expect(b.rows).toEqual(a.rows);
    await multi.close();
    expect([a.closed, b.closed]).toEqual([1, 1]);
  });

  it('still feeds and closes the other sinks when one fails, then rethrows', async () => {
    const good = new MemorySink();
    const bad: MetricsSink = {
      write: () => {
        throw new Error('disk full');
      },
      close: () => {
        throw new Error('close failed');
      },
    };
    const multi = new MultiSink([bad, good]);
    expect(() => multi.write(3, { z: 3 })).toThrow('disk full');
    expect(good.rows).toEqual([[3, { z: 3 }]]);
    await expect(multi.close()).rejects.toThrow('close failed');
    expect(good.closed).toBe(1);
  });
});
