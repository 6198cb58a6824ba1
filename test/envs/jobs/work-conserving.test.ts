import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { evaluateJobPolicy } from '../../../src/envs/jobs/evaluate-job-policy.js';
import { JobsEnv, type JobsOptions, type JobTrace } from '../../../src/envs/jobs/jobs-env.js';

/** Whether some window job fits now (recomputed from the snapshot, not from the mask). */
function someJobFits(env: JobsEnv): boolean {
  const snap = env.snapshot();
  const R = env.layout.resources;
  for (let i = 0; i < env.layout.windowSize; i++) {
    const j = env.windowJob(i);
    if (j < 0) continue;
    let fits = true;
    for (let r = 0; fits && r < R; r++)
      fits = snap.usageNow[r]! + env.jobs.demand[j * R + r]! <= snap.capacity[r]!;
    if (fits) return true;
  }
  return false;
}

describe('Jobs workConserving option', () => {
  it('masks "advance" exactly while some window job fits; a masked advance throws or advances', () => {
    const jobs: JobTrace = {
      arrival: [0, 0],
      duration: [2, 1],
      demand: [
        [10, 1],
        [10, 1],
      ],
    };
    const env = new JobsEnv({ workConserving: true });
    const { info } = env.reset({ options: { jobs } });
    expect(Array.from(info.actionMask!)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(() => env.step(5)).toThrow(/workConserving/);
    expect(env.snapshot().time).toBe(0);

    const manual = new JobsEnv({ workConserving: true, autoAdvance: false });
    manual.reset({ options: { jobs } });
    const started = manual.step(0); // A runs [0, 2): B no longer fits, so advancing is allowed
    expect(started.info.actionMask![5]).toBe(1);
    expect(Array.from(started.info.actionMask!.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);

    const lenient = new JobsEnv({ workConserving: true, invalidAction: 'advance' });
    lenient.reset({ options: { jobs } });
    const waited = lenient.step(5); // masked advance, treated as advance
    expect(waited.reward).toBeCloseTo(-1.5, 12);
    expect(lenient.snapshot().time).toBe(1);
  });

  it('property: under random allowed play the mask never offers "advance" while a job fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom<JobsOptions>(
          { load: 'medium', arrivalSteps: 40 },
          { load: 'high', arrivalSteps: 40, autoAdvance: false },
        ),
        (seed, options) => {
          const env = new JobsEnv({ ...options, workConserving: true });
          const rng = new Rng(seed);
          let { info } = env.reset({ seed });
          let ret = 0;
          for (;;) {
            const mask = info.actionMask!;
            expect(mask[env.layout.windowSize]).toBe(someJobFits(env) ? 0 : 1);
            const r = env.step(env.actionSpace.sample(rng, mask));
            ret += r.reward;
            info = r.info;
            if (r.terminated) break;
          }
          const snap = env.snapshot();
          expect(snap.completed).toBe(snap.totalJobs);
          expect(ret).toBeCloseTo(-(info['meanSlowdown'] as number) * snap.totalJobs, 8);
        },
      ),
      { numRuns: 30, seed: 11 },
    );
  });

  it('leaves the work-conserving baselines unchanged', () => {
    for (const name of ['fifo', 'sjf', 'random'] as const) {
      const plain = evaluateJobPolicy(name, { episodes: 5, seed: 3 });
      const wc = evaluateJobPolicy(name, { episodes: 5, seed: 3, workConserving: true });
      expect(wc.slowdowns).toEqual(plain.slowdowns);
    }
  });
});
