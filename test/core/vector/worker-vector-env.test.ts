import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { makeEnv } from '../../../src/core/make-env.js';
import { Rng } from '../../../src/core/rng.js';
import { Discrete } from '../../../src/core/spaces.js';
import { SyncVectorEnv } from '../../../src/core/vector/sync-vector-env.js';
import { WorkerVectorEnv } from '../../../src/core/vector/worker-vector-env.js';
import type { VectorEnv, VectorStepResult } from '../../../src/core/vector-env.js';
import { makeCountingEnv, makeDriftEnv } from '../fixtures/counting-env.js';
import '../fixtures/register-fixtures.js';

const fixtures = new URL('../fixtures/counting-env.ts', import.meta.url).href;
const register = new URL('../fixtures/register-fixtures.ts', import.meta.url).href;

// Steps both vector envs with the same seeded (masked) actions and compares every field.
async function expectSameRun(a: VectorEnv, b: VectorEnv, steps: number, seed: number): Promise<number> {
  let ra = await a.reset(seed);
  const rb = await b.reset(seed);
  expect(rb).toEqual(ra);
  const rng = new Rng(seed);
  const space = a.singleActionSpace;
  let ends = 0;
  for (let t = 0; t < steps; t++) {
    let actions: Int32Array | Float32Array;
    if (space instanceof Discrete) {
      const n = space.n;
      actions = Int32Array.from({ length: a.numEnvs }, (_, i) =>
        space.sample(rng, ra.actionMasks?.subarray(i * n, (i + 1) * n)),
      );
    } else actions = Float32Array.from({ length: a.numEnvs }, () => rng.uniform(-1, 1));
    const sa: VectorStepResult = await a.step(actions);
    const sb: VectorStepResult = await b.step(actions);
    expect(sb).toEqual(sa);
    ends += sa.finalObs.filter((f) => f !== null).length;
    ra = sa;
  }
  return ends;
}

describe('WorkerVectorEnv', () => {
  it('equals SyncVectorEnv step for step (exported factory, masks, uneven chunks)', async () => {
    const options = { target: 6 };
    const sync = new SyncVectorEnv(Array.from({ length: 5 }, () => () => makeCountingEnv(options)));
    const workers = await WorkerVectorEnv.create(
      { module: fixtures, export: 'makeCountingEnv', options },
      5,
      {
        numWorkers: 2,
      },
    );
    try {
      expect(workers.numWorkers).toBe(2);
      expect(workers.obsDim).toBe(2);
      expect(workers.singleActionSpace).toEqual(sync.singleActionSpace);
      const ends = await expectSameRun(sync, workers, 80, 7);
      expect(ends).toBeGreaterThan(10);
    } finally {
      await workers.close();
    }
  });

  it('builds registered ids (with their TimeLimit) and Box actions the same way', async () => {
    const sync = new SyncVectorEnv([0, 1, 2].map(() => () => makeEnv('Drift-v0')));
    const workers = await WorkerVectorEnv.create({ id: 'Drift-v0', module: register }, 3, { numWorkers: 2 });
    try {
      const ends = await expectSameRun(sync, workers, 12, 3);
      expect(ends).toBe(6); // every copy truncates at steps 5 and 10
    } finally {
      await workers.close();
    }
    const sync2 = new SyncVectorEnv([0, 1].map(() => () => makeDriftEnv()));
    const w2 = await WorkerVectorEnv.create({ module: fixtures, export: 'makeDriftEnv' }, 2, {
      numWorkers: 1,
    });
    try {
      await expectSameRun(sync2, w2, 5, 0);
    } finally {
      await w2.close();
    }
  });

  it('reports worker-side errors as rejections with codes', async () => {
    await expect(WorkerVectorEnv.create({ module: fixtures, export: 'noSuchFactory' }, 2)).rejects.toThrow(
      /no exported function 'noSuchFactory'/,
    );
    await expect(WorkerVectorEnv.create({ id: 'Nope-v0', module: register }, 1)).rejects.toMatchObject({
      code: 'unknown-env',
    });
    const w = await WorkerVectorEnv.create({ module: fixtures, export: 'makeCountingEnv' }, 2, {
      numWorkers: 2,
    });
    try {
      await expect(w.step(Int32Array.of(0, 0))).rejects.toThrow(ArbiterError);
      await w.reset(0);
      // Action 5 is outside Discrete(3): the env throws inside its worker.
      await expect(w.step(Int32Array.of(1, 5))).rejects.toThrow(/invalid action 5/);
    } finally {
      await w.close();
    }
    await expect(w.reset(0)).rejects.toThrow(/closed/);
  });
});
