import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkpointTensor,
  loadCheckpoint,
  saveCheckpoint,
  type Checkpoint,
} from '../../src/agents/checkpoint.js';
import { Rng } from '../../src/core/rng.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-ckpt-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function sample(): Checkpoint {
  const rng = new Rng(3);
  rng.normal();
  return {
    algo: 'test',
    config: { lr: 0.001, sizes: [64, 64] },
    counters: { numTimesteps: 1234, numUpdates: 5, numEpisodes: 17 },
    rngState: rng.getState(),
    tensors: {
      'w/0': Float32Array.of(1.5, -2.25, Math.PI, 1e-30),
      empty: new Float32Array(0),
      'adam/step': Float32Array.of(7),
    },
    extra: { note: 'hello', nested: { x: [1, 2] } },
  };
}

describe('checkpoint', () => {
  it('round-trips every field exactly, leaves no temporary files', async () => {
    const dir = path.join(tmp, 'a', 'b');
    const ckpt = sample();
    await saveCheckpoint(dir, ckpt);
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', 'tensors.bin']);
    const back = await loadCheckpoint(dir);
    expect(back).toEqual(ckpt);
    expect(checkpointTensor(back, 'w/0', 4)).toEqual(ckpt.tensors['w/0']);
    expect(() => checkpointTensor(back, 'w/0', 5)).toThrow(/expected 5/);
    expect(() => checkpointTensor(back, 'missing')).toThrow(/missing tensor/);
    // Overwriting an existing checkpoint works.
    await saveCheckpoint(dir, { ...ckpt, counters: { ...ckpt.counters, numUpdates: 6 } });
    expect((await loadCheckpoint(dir)).counters.numUpdates).toBe(6);
  });

  it('detects a torn checkpoint (tensors.bin from another save) and names the file', async () => {
    const dir = path.join(tmp, 'torn');
    await saveCheckpoint(dir, sample());
    const other = path.join(tmp, 'other');
    const s = sample();
    s.tensors['w/0'] = Float32Array.of(0, 0, 0, 0);
    await saveCheckpoint(other, s);
    await writeFile(path.join(dir, 'tensors.bin'), await readFile(path.join(other, 'tensors.bin')));
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({
      code: 'checkpoint-corrupt',
      message: expect.stringContaining('tensors.bin'),
    });
  });

  it('reports a missing directory or bad JSON with the file name', async () => {
    await expect(loadCheckpoint(path.join(tmp, 'nothing'))).rejects.toMatchObject({
      code: 'checkpoint-missing',
      message: expect.stringContaining('checkpoint.json'),
    });
    const dir = path.join(tmp, 'badjson');
    await saveCheckpoint(dir, sample());
    await writeFile(path.join(dir, 'checkpoint.json'), '{ not json');
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({ code: 'checkpoint-corrupt' });
  });
});
