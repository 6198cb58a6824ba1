import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import {
  arrivalRate,
  DEFAULT_JOB_DISTRIBUTION,
  expectedJobWork,
} from '../../../src/envs/jobs/job-arrivals.js';
import { JobsEnv, type JobsOptions, type JobTrace } from '../../../src/envs/jobs/jobs-env.js';

/** Runs one episode with uniformly random allowed actions (advance included), checking invariants every step. */
function runChecked(
  env: JobsEnv,
  seed: number,
  policySeed = seed,
): { ret: number; steps: number; info: Record<string, unknown> } {
  const rng = new Rng(policySeed);
  let { obs, info } = env.reset({ seed });
  const M = env.layout.windowSize;
  let ret = 0;
  for (let steps = 1; ; steps++) {
    const mask = info.actionMask!;
    expect(env.observationSpace.contains(obs)).toBe(true);
    expect(mask).toEqual(env.actionMasks());
    expect(mask[M]).toBe(1);
    const snap = env.snapshot();
    // Conservation: every arrived job is waiting, running or finished.
    expect(snap.arrived).toBe(snap.completed + snap.waiting + snap.running);
    for (let r = 0; r < snap.capacity.length; r++)
      expect(snap.usageNow[r]).toBeLessThanOrEqual(snap.capacity[r]!);
    // The mask is exactly "slot holds a job that fits now".
    for (let i = 0; i < M; i++) {
      const j = env.windowJob(i);
      let fits = j >= 0;
      for (let r = 0; fits && r < env.layout.resources; r++)
        fits = snap.usageNow[r]! + env.jobs.demand[j * env.layout.resources + r]! <= snap.capacity[r]!;
      expect(mask[i], `slot ${i}`).toBe(fits ? 1 : 0);
    }
    const action = env.actionSpace.sample(rng, mask);
    const r = env.step(action);
    ret += r.reward;
    obs = r.obs;
    info = r.info;
    if (r.terminated) return { ret, steps, info };
    if (steps > 100_000) throw new Error('episode did not end');
  }
}

describe('JobsEnv', () => {
  it('has the documented layout and DeepRM-like defaults', () => {
    const env = new JobsEnv();
    const L = env.layout;
    expect(L).toMatchObject({ resources: 2, horizon: 20, windowSize: 5, slotFeatures: 4, maxDuration: 15 });
    expect(L.size).toBe(2 * 20 + 5 * 4 + 2);
    expect(env.observationSpace.size).toBe(L.size);
    expect(env.actionSpace.n).toBe(6);
    expect(env.load).toBe(0.6);
    // E[duration] = 0.8·2 + 0.2·12.5 = 4.1; per-resource share = (7.5/10 + 1.5/10)/2 = 0.45.
    expect(expectedJobWork([10, 10], DEFAULT_JOB_DISTRIBUTION)).toBeCloseTo(4.1 * 0.45, 12);
    expect(env.arrivalRate).toBeCloseTo(0.6 / (4.1 * 0.45), 12);
  });

  it('hand-computed slowdowns: two jobs that cannot share a resource', () => {
    // A (duration 2) and B (duration 1) both need all of resource 0 and arrive at time 0.
    const jobs: JobTrace = {
      arrival: [0, 0],
      duration: [2, 1],
      demand: [
        [10, 1],
        [10, 1],
      ],
    };
    const env = new JobsEnv();
    const first = env.reset({ options: { jobs } });
    expect(Array.from(first.info.actionMask!)).toEqual([1, 1, 0, 0, 0, 1]);
    // Window features of slot 1 (job B): demands 1.0 and 0.1, duration 1/15, waited 0.
    const o = env.layout.windowOffset + env.layout.slotFeatures;
    expect(Array.from(first.obs.slice(o, o + 4))).toEqual(Array.from(Float32Array.from([1, 0.1, 1 / 15, 0])));

    // Shortest first: B runs [0,1) (slowdown 1), A runs [1,3) (slowdown 3/2): mean 1.25, return −2.5.
    let r = env.step(1);
    expect(r.reward).toBeCloseTo(-(1 / 2 + 1 / 1), 12); // auto-advance to t = 1 charged both jobs
    expect(env.snapshot().time).toBe(1);
    expect(Array.from(r.info.actionMask!)).toEqual([1, 0, 0, 0, 0, 1]);
    r = env.step(0);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBeCloseTo(-2 * (1 / 2), 12);
    expect(r.info['meanSlowdown']).toBeCloseTo(1.25, 12);
    expect(r.info['completedJobs']).toBe(2);
    expect(() => env.step(5)).toThrow(/reset/);

    // FIFO order: A runs [0,2), B runs [2,3): slowdowns 1 and 3, mean 2, return −4.
    env.reset({ options: { jobs } });
    let ret = env.step(0).reward;
    const last = env.step(0);
    ret += last.reward;
    expect(last.info['meanSlowdown']).toBeCloseTo(2, 12);
    expect(ret).toBeCloseTo(-4, 12);
  });

  it('several jobs start in the same time step when they fit together', () => {
    const jobs: JobTrace = {
      arrival: [0, 0, 0],
      duration: [3, 3, 3],
      demand: [
        [6, 1],
        [1, 6],
        [4, 4],
      ],
    };
    const env = new JobsEnv();
    env.reset({ options: { jobs } });
    const afterA = env.step(0).obs; // A: 6/1 starts now
    expect(env.snapshot().time).toBe(0);
    // Cluster image: resource 0 at 0.6 and resource 1 at 0.1 for A's 3 slots, then free.
    const T = env.layout.horizon;
    expect(Array.from(afterA.slice(0, 4))).toEqual(Array.from(Float32Array.from([0.6, 0.6, 0.6, 0])));
    expect(Array.from(afterA.slice(T, T + 4))).toEqual(Array.from(Float32Array.from([0.1, 0.1, 0.1, 0])));
    const r = env.step(0); // B (now in slot 0): 1/6, total 7/7; C (4/4) no longer fits → time advances
    expect(env.snapshot().running).toBe(0);
    expect(env.snapshot().time).toBe(3);
    expect(r.reward).toBeCloseTo(-3 * (3 * (1 / 3)), 12); // 3 steps × 3 jobs × 1/3
  });

  it('voluntary advance, masked actions and the invalidAction option', () => {
    const jobs: JobTrace = {
      arrival: [0, 0],
      duration: [2, 1],
      demand: [
        [10, 1],
        [10, 1],
      ],
    };
    const env = new JobsEnv();
    env.reset({ options: { jobs } });
    const wait = env.step(5); // wait one step with both jobs queued
    expect(wait.reward).toBeCloseTo(-1.5, 12);
    expect(env.snapshot().time).toBe(1);
    env.step(0); // A runs [1, 3); B no longer fits, so time auto-advances to 3
    expect(env.snapshot().time).toBe(3);
    expect(() => env.step(1)).toThrow(/masked/); // slot 1 is empty
    expect(() => env.step(7)).toThrow(/action/);

    const lenient = new JobsEnv({ invalidAction: 'advance' });
    lenient.reset({ options: { jobs } });
    lenient.step(0);
    expect(lenient.snapshot().time).toBe(2);
    lenient.step(1); // slot 1 is empty: treated as advance
    expect(lenient.snapshot().time).toBe(3);
  });

  it('property: conservation, capacity, exact masks and return = −Σ slowdown under random play', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom<JobsOptions>(
          { load: 'low', arrivalSteps: 40 },
          { load: 'high', arrivalSteps: 40 },
          { load: 1.5, arrivalProcess: 'poisson', arrivalSteps: 30 },
          { resources: 3, capacity: [8, 12, 5], windowSize: 3, arrivalSteps: 40, autoAdvance: false },
        ),
        (seed, options) => {
          const env = new JobsEnv(options);
          const { ret, info } = runChecked(env, seed);
          const snap = env.snapshot();
          expect(snap.completed).toBe(snap.totalJobs);
          expect(info['completedJobs']).toBe(snap.totalJobs);
          expect(ret).toBeCloseTo(-(info['meanSlowdown'] as number) * snap.totalJobs, 8);
          expect(info['meanSlowdown'] as number).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it("reward 'value': the undiscounted return is the total work of all jobs", () => {
    const env = new JobsEnv({ reward: 'value', arrivalSteps: 50 });
    const { ret } = runChecked(env, 3);
    const { count, duration, demand } = env.jobs;
    let work = 0;
    for (let j = 0; j < count; j++) work += duration[j]! * (demand[2 * j]! / 10 + demand[2 * j + 1]! / 10);
    expect(ret).toBeCloseTo(work, 8);
  });

  it('with autoAdvance every non-terminal state offers a job that fits', () => {
    const env = new JobsEnv({ load: 'high', arrivalSteps: 60 });
    let { info } = env.reset({ seed: 4 });
    for (;;) {
      const m = info.actionMask!;
      expect(Array.from(m.subarray(0, 5)).some((x) => x === 1)).toBe(true);
      const r = env.step(m.indexOf(1));
      if (r.terminated) break;
      info = r.info;
    }
  });

  it('seeded: same seed, same sequence and observations; arrivals follow the load', () => {
    const a = new JobsEnv();
    const b = new JobsEnv();
    expect(a.reset({ seed: 12 }).obs).toEqual(b.reset({ seed: 12 }).obs);
    expect(Array.from(a.jobs.duration)).toEqual(Array.from(b.jobs.duration));
    a.reset({ seed: 13 });
    expect(Array.from(a.jobs.arrival)).not.toEqual(Array.from(b.jobs.arrival));

    let jobs = 0;
    let long = 0;
    const episodes = 40;
    for (let s = 0; s < episodes; s++) {
      a.reset({ seed: s });
      jobs += a.jobs.count;
      for (let j = 0; j < a.jobs.count; j++) if (a.jobs.duration[j]! >= 10) long++;
    }
    const rate = arrivalRate(0.6, [10, 10], DEFAULT_JOB_DISTRIBUTION);
    expect(jobs / episodes / 200).toBeGreaterThan(rate * 0.93);
    expect(jobs / episodes / 200).toBeLessThan(rate * 1.07);
    expect(long / jobs).toBeGreaterThan(0.17);
    expect(long / jobs).toBeLessThan(0.23);
  });

  it('shows the backlog beyond the window and returns fresh observations', () => {
    const n = 12;
    const jobs: JobTrace = {
      arrival: new Array<number>(n).fill(0),
      duration: new Array<number>(n).fill(5),
      demand: new Array(n).fill([10, 10]),
    };
    const env = new JobsEnv({ backlogScale: 10 });
    const { obs } = env.reset({ options: { jobs } });
    expect(obs[env.layout.backlogOffset]).toBeCloseTo(7 / 10, 6);
    const r = env.step(0);
    expect(r.obs).not.toBe(obs);
    expect(obs[env.layout.backlogOffset]).toBeCloseTo(7 / 10, 6); // the old observation is unchanged
    // The first job holds the whole cluster for 5 steps; time auto-advances until the next fits.
    expect(env.snapshot().time).toBe(5);
    expect(r.obs[env.layout.backlogOffset]).toBeCloseTo(6 / 10, 6);
    expect(r.obs[env.layout.windowOffset + 3]).toBeCloseTo(5 / 20, 6); // waited 5 of T = 20
  });

  it('rejects bad options and traces with typed errors', () => {
    expect(() => new JobsEnv({ load: 2 })).toThrow(/poisson/);
    expect(() => new JobsEnv({ load: 'extreme' as 'low' })).toThrow(/load/);
    expect(() => new JobsEnv({ load: 'toString' as 'low' })).toThrow(/load/);
    expect(() => new JobsEnv({ capacity: [10] })).toThrow(/capacity/);
    expect(() => new JobsEnv({ windowSize: 0 })).toThrow(/windowSize/);
    const env = new JobsEnv();
    expect(() =>
      env.reset({
        options: {
          jobs: {
            arrival: [1, 0],
            duration: [1, 1],
            demand: [
              [1, 1],
              [1, 1],
            ],
          },
        },
      }),
    ).toThrow(/non-decreasing/);
    expect(() =>
      env.reset({ options: { jobs: { arrival: [0], duration: [1], demand: [[11, 1]] } } }),
    ).toThrow(/demand/);
    expect(() =>
      env.reset({ options: { jobs: { arrival: [0], duration: [99], demand: [[1, 1]] } } }),
    ).toThrow(/duration/);
  });
});
