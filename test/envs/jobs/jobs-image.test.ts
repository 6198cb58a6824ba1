import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../src/core/check-env.js';
import { Rng } from '../../../src/core/rng.js';
import { JobsEnv, type JobsOptions } from '../../../src/envs/jobs/jobs-env.js';

/** Number of set cells of channel `ch` in row `k` of a [T, U, C] image. */
function rowCount(obs: Float32Array, U: number, C: number, k: number, ch: number): number {
  let n = 0;
  for (let u = 0; u < U; u++) n += obs[(k * U + u) * C + ch]!;
  return n;
}

describe("Jobs-v0 with observation: 'image'", () => {
  it('is a Box [T, U, R·(M + 1) + 1] and passes checkEnv; the default stays flat', () => {
    const env = new JobsEnv({ observation: 'image', arrivalSteps: 40 });
    expect(env.observationSpace.shape).toEqual([20, 10, 2 * 6 + 1]);
    expect(checkEnv(env, { seed: 2 })).toEqual([]);
    expect(new JobsEnv().observationSpace.shape).toEqual([62]);
    expect(() => new JobsEnv({ observation: 'pixels' } as unknown as JobsOptions)).toThrow(/observation/);
  });

  it('tells the same state as the flat features: occupancy per row, each slot job as a duration × demand block, the backlog count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom<JobsOptions>({}, { resources: 3, capacity: [6, 10, 8], windowSize: 3, load: 'high' }),
        (seed, opts) => {
          const flat = new JobsEnv({ ...opts, arrivalSteps: 50 });
          const image = new JobsEnv({ ...opts, arrivalSteps: 50, observation: 'image' });
          const { rows: T, cols: U, channels: C, perResource, backlog } = image.imageChannels;
          const L = flat.layout;
          const cap = flat.snapshot().capacity;
          let a = flat.reset({ seed });
          let b = image.reset({ seed });
          const rng = new Rng(seed);
          for (let t = 0; t < 80; t++) {
            expect(b.obs.every((v) => v === 0 || v === 1)).toBe(true);
            for (let r = 0; r < L.resources; r++) {
              for (let k = 0; k < T; k++)
                expect(rowCount(b.obs, U, C, k, r * perResource)).toBe(
                  Math.round(a.obs[r * L.horizon + k]! * cap[r]!),
                );
              for (let i = 0; i < L.windowSize; i++) {
                const job = flat.windowJob(i);
                const ch = r * perResource + 1 + i;
                const want = job < 0 ? 0 : Math.min(T, flat.jobs.duration[job]!);
                let rowsUsed = 0;
                for (let k = 0; k < T; k++) if (rowCount(b.obs, U, C, k, ch) > 0) rowsUsed++;
                const units = job < 0 ? 0 : flat.jobs.demand[job * L.resources + r]!;
                expect(rowsUsed).toBe(units === 0 ? 0 : want);
                if (want > 0) expect(rowCount(b.obs, U, C, 0, ch)).toBe(units);
              }
            }
            let set = 0;
            for (let p = 0; p < T * U; p++) set += b.obs[p * C + backlog]!;
            expect(set).toBe(Math.min(T * U, Math.max(0, flat.snapshot().waiting - L.windowSize)));
            const mask = a.info.actionMask!;
            expect(b.info.actionMask).toEqual(mask);
            const allowed = [...mask.keys()].filter((j) => mask[j]);
            const act = allowed[rng.int(allowed.length)]!;
            const ra = flat.step(act);
            const rb = image.step(act);
            expect(rb.reward).toBe(ra.reward);
            if (ra.terminated) break;
            a = ra;
            b = rb;
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
