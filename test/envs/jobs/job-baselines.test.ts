import { describe, expect, it } from 'vitest';
import { evaluateJobPolicy } from '../../../src/envs/jobs/evaluate-job-policy.js';
import { fifoPolicy, randomPolicy, sjfPolicy, type JobPolicy } from '../../../src/envs/jobs/job-baselines.js';
import { JobsEnv, type JobTrace } from '../../../src/envs/jobs/jobs-env.js';

describe('Jobs baselines', () => {
  it('pick the documented slot on a hand-made window', () => {
    // Window: long job (15), short job (1), a job too big to fit next to the running one, short (2).
    const jobs: JobTrace = {
      arrival: [0, 1, 1, 1, 1],
      duration: [15, 15, 1, 3, 2],
      demand: [
        [6, 1],
        [2, 1],
        [2, 1],
        [5, 1],
        [2, 2],
      ],
    };
    const env = new JobsEnv();
    env.reset({ options: { jobs } });
    env.step(0); // the first job starts at t = 0; nothing else has arrived, so time advances to 1
    const obs = env.step(5).obs; // (already at t = 1 with four jobs; advance once more to t = 2)
    const mask = env.actionMasks();
    expect(Array.from(mask)).toEqual([1, 1, 0, 1, 0, 1]); // slot 2 (5 units) does not fit next to 6
    expect(fifoPolicy(env.layout)(obs, mask)).toBe(0);
    expect(sjfPolicy(env.layout)(obs, mask)).toBe(1); // duration 1
    const rnd = randomPolicy(env.layout, 1);
    const seen = new Set(Array.from({ length: 200 }, () => rnd(obs, mask)));
    expect([...seen].sort()).toEqual([0, 1, 3]);
    const none = Uint8Array.from([0, 0, 0, 0, 0, 1]);
    for (const p of [fifoPolicy(env.layout), sjfPolicy(env.layout), rnd]) expect(p(obs, none)).toBe(5);
  });

  it('medium load, fixed seeds: SJF beats FIFO and random; FIFO ≈ random', () => {
    const opts = { episodes: 12, seed: 2024, load: 'medium' as const };
    const fifo = evaluateJobPolicy('fifo', opts);
    const sjf = evaluateJobPolicy('sjf', opts);
    const random = evaluateJobPolicy('random', opts);
    expect(sjf.meanSlowdown).toBeLessThan(0.75 * fifo.meanSlowdown);
    expect(sjf.meanSlowdown).toBeLessThan(0.75 * random.meanSlowdown);
    // Neither FIFO nor random order looks at durations, so by Kleinrock's conservation law their
    // mean waits agree up to packing effects: no strict order between them is an invariant.
    expect(Math.abs(fifo.meanSlowdown - random.meanSlowdown)).toBeLessThan(0.25 * fifo.meanSlowdown);
    for (const r of [fifo, sjf, random]) {
      expect(r.truncatedEpisodes).toBe(0);
      expect(r.slowdowns).toHaveLength(12);
      expect(r.meanSlowdown).toBeGreaterThanOrEqual(1);
    }
  });

  it('SJF is better on every episode at medium and high load', () => {
    for (const load of ['medium', 'high'] as const) {
      const opts = { episodes: 6, seed: 77, load };
      const fifo = evaluateJobPolicy('fifo', opts).slowdowns;
      const sjf = evaluateJobPolicy('sjf', opts).slowdowns;
      sjf.forEach((s, k) => expect(s, `${load} episode ${k}`).toBeLessThanOrEqual(fifo[k]!));
    }
  });

  it('at a very low load jobs rarely wait, so every baseline is close to slowdown 1', () => {
    for (const p of ['fifo', 'sjf', 'random'] as const) {
      const r = evaluateJobPolicy(p, { episodes: 5, seed: 1, load: 0.05 });
      expect(r.meanSlowdown).toBeGreaterThanOrEqual(1);
      expect(r.meanSlowdown).toBeLessThan(1.15);
    }
  });

  it('evaluateJobPolicy: return = −Σ slowdown; a policy that never schedules is truncated', () => {
    const r = evaluateJobPolicy('fifo', { episodes: 3, seed: 5, arrivalSteps: 50 });
    const env = new JobsEnv({ arrivalSteps: 50 });
    let jobs = 0;
    for (let k = 0; k < 3; k++) {
      env.reset({ seed: 5 + k });
      jobs += env.jobs.count;
    }
    expect(r.completedJobs).toBe(jobs);
    const totalSlowdown = r.slowdowns.reduce((a, s, k) => {
      env.reset({ seed: 5 + k });
      return a + s * env.jobs.count;
    }, 0);
    expect(r.meanReturn * 3).toBeCloseTo(-totalSlowdown, 8);

    const lazy: JobPolicy = (_obs, mask) => mask.length - 1;
    const cut = evaluateJobPolicy(lazy, { episodes: 1, seed: 5, arrivalSteps: 50, maxSteps: 300 });
    expect(cut.truncatedEpisodes).toBe(1);
    expect(cut.completedJobs).toBe(0);
    expect(cut.meanSlowdown).toBeGreaterThan(10); // jobs waited for up to 300 steps
  });
});
