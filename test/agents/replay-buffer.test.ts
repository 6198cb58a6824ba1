import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/agents/replay-buffer.js';
import { ArbiterError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

/** Adds transition number t: obs = [t, -t], action t % 3, reward t, nextObs = [t + 1, -t - 1]. */
function addNumbered(buf: ReplayBuffer, t: number): void {
  buf.add([t, -t], t % 3, t, [t + 1, -t - 1], t % 5 === 0, buf.maskDim > 0 ? [1, t % 2, 1] : undefined);
}

describe('ReplayBuffer', () => {
  it('stores transitions in order and reports size and position', () => {
    const buf = new ReplayBuffer({ capacity: 4, obsDim: 2 });
    expect(buf.size).toBe(0);
    addNumbered(buf, 7);
    addNumbered(buf, 10);
    expect(buf.size).toBe(2);
    expect(buf.position).toBe(2);
    expect(Array.from(buf.obs.subarray(0, 4))).toEqual([7, -7, 10, -10]);
    expect(Array.from(buf.nextObs.subarray(0, 4))).toEqual([8, -8, 11, -11]);
    expect(Array.from(buf.actions.subarray(0, 2))).toEqual([1, 1]);
    expect(Array.from(buf.rewards.subarray(0, 2))).toEqual([7, 10]);
    expect(Array.from(buf.terminated.subarray(0, 2))).toEqual([0, 1]);
  });

  it('wrap-around overwrites the oldest transition first', () => {
    const buf = new ReplayBuffer({ capacity: 3, obsDim: 2 });
    for (let t = 1; t <= 5; t++) addNumbered(buf, t);
    // Slots after 5 adds into 3 slots: t=4 in slot 0, t=5 in slot 1, t=3 (oldest survivor) in slot 2.
    expect(buf.size).toBe(3);
    expect(buf.full).toBe(true);
    expect(buf.position).toBe(2);
    expect(Array.from(buf.rewards)).toEqual([4, 5, 3]);
    addNumbered(buf, 6);
    expect(Array.from(buf.rewards)).toEqual([4, 5, 6]);
    expect(buf.position).toBe(0);
  });

  it('property: after any number of adds, the buffer holds exactly the last min(n, capacity) transitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 70 }), (capacity, n) => {
        const buf = new ReplayBuffer({ capacity, obsDim: 2 });
        for (let t = 1; t <= n; t++) addNumbered(buf, t);
        const kept = Array.from(buf.rewards.subarray(0, buf.size)).sort((a, b) => a - b);
        const expected: number[] = [];
        for (let t = Math.max(1, n - capacity + 1); t <= n; t++) expected.push(t);
        expect(buf.size).toBe(Math.min(n, capacity));
        expect(kept).toEqual(expected);
      }),
    );
  });

  it('samples only from filled slots, rows consistent with what was stored', () => {
    const buf = new ReplayBuffer({ capacity: 100, obsDim: 2, maskDim: 3 });
    for (let t = 1; t <= 5; t++) addNumbered(buf, t);
    const batch = buf.createBatch(256);
    buf.sample(new Rng(3), batch);
    const seen = new Set<number>();
    for (let i = 0; i < batch.batchSize; i++) {
      const t = batch.rewards[i]!;
      seen.add(t);
      expect(batch.indices[i]).toBeLessThan(5);
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(5);
      expect(batch.obs[2 * i]).toBe(t);
      expect(batch.obs[2 * i + 1]).toBe(-t);
      expect(batch.nextObs[2 * i]).toBe(t + 1);
      expect(batch.actions[i]).toBe(t % 3);
      expect(batch.terminated[i]).toBe(t % 5 === 0 ? 1 : 0);
      expect(Array.from(batch.nextMasks!.subarray(3 * i, 3 * i + 3))).toEqual([1, t % 2, 1]);
    }
    // 256 uniform draws from 5 slots hit every slot (probability of missing one < 1e-23).
    expect(seen.size).toBe(5);
  });

  it('sampling is deterministic for a seed and differs across seeds', () => {
    const buf = new ReplayBuffer({ capacity: 50, obsDim: 2 });
    for (let t = 1; t <= 50; t++) addNumbered(buf, t);
    const a = buf.sample(new Rng(42), buf.createBatch(32));
    const b = buf.sample(new Rng(42), buf.createBatch(32));
    const c = buf.sample(new Rng(43), buf.createBatch(32));
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.obs)).toEqual(Array.from(b.obs));
    expect(Array.from(a.indices)).not.toEqual(Array.from(c.indices));
  });

  it('sampling an empty buffer throws a typed error', () => {
    const buf = new ReplayBuffer({ capacity: 4, obsDim: 1 });
    expect(() => buf.sample(new Rng(1), buf.createBatch(2))).toThrow(ArbiterError);
  });

  it('a mask-storing buffer requires the next mask', () => {
    const buf = new ReplayBuffer({ capacity: 4, obsDim: 1, maskDim: 2 });
    expect(() => buf.add([0], 0, 0, [0], false)).toThrow(/nextMask/);
  });

  it('capacity 1e6 with obsDim 4 allocates once: arrays keep their identity and memory stays flat', () => {
    const capacity = 1_000_000;
    const buf = new ReplayBuffer({ capacity, obsDim: 4 });
    expect(buf.obs.length).toBe(capacity * 4);
    expect(buf.nextObs.length).toBe(capacity * 4);
    const arrays = [buf.obs, buf.nextObs, buf.actions, buf.rewards, buf.terminated];
    const obs = new Float32Array(4);
    const next = new Float32Array(4);
    const before = process.memoryUsage().arrayBuffers;
    for (let t = 0; t < capacity + 12_345; t++) {
      obs[0] = t;
      next[0] = t + 1;
      buf.add(obs, t & 1, 1, next, false);
    }
    const after = process.memoryUsage().arrayBuffers;
    const now = [buf.obs, buf.nextObs, buf.actions, buf.rewards, buf.terminated];
    expect(now.every((a, i) => a === arrays[i])).toBe(true);
    // No typed-array memory was allocated per step (1e6 steps × 16 bytes would be 16 MB).
    expect(after - before).toBeLessThan(1_000_000);
    expect(buf.size).toBe(capacity);
    expect(buf.position).toBe(12_345);
    // Slot 0 was overwritten by transition 1e6; the oldest survivor (t = 12 345) sits at the cursor.
    expect(buf.obs[0]).toBe(capacity);
    expect(buf.obs[buf.position * 4]).toBe(12_345);
  });

  it('getState/setState round-trips the contents and the cursor', () => {
    const buf = new ReplayBuffer({ capacity: 6, obsDim: 2, maskDim: 3 });
    for (let t = 1; t <= 8; t++) addNumbered(buf, t);
    const copy = new ReplayBuffer({ capacity: 6, obsDim: 2, maskDim: 3 });
    copy.setState(buf.getState());
    expect(copy.size).toBe(buf.size);
    expect(copy.position).toBe(buf.position);
    expect(copy.obs).toEqual(buf.obs);
    expect(copy.nextMasks).toEqual(buf.nextMasks);
    const a = buf.sample(new Rng(9), buf.createBatch(10));
    const b = copy.sample(new Rng(9), copy.createBatch(10));
    expect(b).toEqual(a);
    expect(() => new ReplayBuffer({ capacity: 5, obsDim: 2, maskDim: 3 }).setState(buf.getState())).toThrow(
      ArbiterError,
    );
  });

  it('writeFile/readFile round-trips a partly filled buffer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-rb-'));
    try {
      const buf = new ReplayBuffer({ capacity: 10, obsDim: 3, maskDim: 3 });
      for (let t = 1; t <= 7; t++)
        buf.add([t, t + 0.5, -t], t % 3, t * 0.25, [t, 0, 1], t === 4, [1, 0, t % 2]);
      const path = join(dir, 'buffer.bin');
      buf.writeFile(path);
      const back = ReplayBuffer.readFile(path);
      expect(back.capacity).toBe(10);
      expect(back.size).toBe(7);
      expect(back.position).toBe(7);
      expect(back.getState()).toEqual(buf.getState());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
