import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { volume } from '../../../src/dag/analysis/timing.js';
import { hsocArrivalRates } from '../../../src/envs/hsoc/hsoc-arrival-rates.js';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import { HSOC_LOAD_PRESETS, HSOC_LOADS, hsocLoadPreset } from '../../../src/envs/hsoc/hsoc-platform.js';
import { HsocSimulator } from '../../../src/envs/hsoc/hsoc-simulator.js';
import { OTHER_DAG_MEAN_VOLUME, otherDag } from '../../../src/envs/hsoc/hsoc-workloads.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

describe('HSoC load presets as utilizations', () => {
  it('the rates offer exactly the preset utilization of the nominal capacity m^(1−α)', () => {
    for (const load of HSOC_LOADS) {
      const p = HSOC_LOAD_PRESETS[load];
      const r = hsocArrivalRates(p, 15.5, 5, 0.5);
      expect(r.capacity).toBeCloseTo(Math.sqrt(5), 12);
      expect(r.workloadRate * 15.5 + r.otherRate * OTHER_DAG_MEAN_VOLUME).toBeCloseTo(
        p.utilization * r.capacity,
        12,
      );
      expect((r.otherRate * OTHER_DAG_MEAN_VOLUME) / (p.utilization * r.capacity)).toBeCloseTo(
        p.otherShare,
        12,
      );
    }
  });

  it('presets are stable (ρ < 1) and ordered light < medium < heavy', () => {
    const rho = HSOC_LOADS.map((l) => HSOC_LOAD_PRESETS[l].utilization);
    expect(rho.every((x) => x > 0 && x < 1)).toBe(true);
    expect(rho[0]!).toBeLessThan(rho[1]!);
    expect(rho[1]!).toBeLessThan(rho[2]!);
  });

  it('OTHER_DAG_MEAN_VOLUME is the mean volume of the other-DAG generator', () => {
    const rng = new Rng(7);
    let sum = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) sum += volume(otherDag(rng, i % 2 === 0, i));
    // Volume std ≈ 1.6, so the mean of 4000 draws is within ±0.1 at > 4 σ.
    expect(Math.abs(sum / n - OTHER_DAG_MEAN_VOLUME)).toBeLessThan(0.1);
  });

  it('the simulator draws arrivals at the preset rates', () => {
    const sim = new HsocSimulator({ workload: '5-task', load: 'heavy', jobs: 2000 });
    sim.reset(new Rng(3));
    const work = sim.jobs.filter((j) => j.kind === 'workload');
    const last = Math.max(...work.map((j) => j.arrival));
    expect(work.length / last).toBeCloseTo(sim.arrivalRates.workloadRate, 2);
    const others = sim.jobs.filter((j) => j.kind !== 'workload').length;
    // Other DAGs arrive over [0, last workload arrival + L].
    const expected = sim.arrivalRates.otherRate * (last + sim.workloadCriticalPath);
    expect(Math.abs(others - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('heavy load is stable: 4× the jobs lengthen the uniform completion by far less than 4×', () => {
    const mean = (jobs: number): number => {
      const env = new HsocEnv({ workload: '5-task', load: 'heavy', jobs });
      let c = 0;
      for (let s = 0; s < 4; s++) c += runHsocEpisode(env, new UniformPolicy(), 1000 + s).meanCompletion;
      return c / 4;
    };
    // Overloaded (the former heavy preset, ρ ≈ 1.9) this ratio was 2.3 from 12 to 48 jobs.
    expect(mean(48) / mean(12)).toBeLessThan(1.4);
  });

  it('rejects a custom preset without a valid utilization or other share', () => {
    expect(() => hsocLoadPreset({ ...HSOC_LOAD_PRESETS.light, utilization: 0 })).toThrow(/utilization/);
    expect(() => hsocLoadPreset({ ...HSOC_LOAD_PRESETS.light, otherShare: 1 })).toThrow(/otherShare/);
  });
});

describe('HsocEnv warmupJobs', () => {
  it('leaves the first workload jobs (arrival order) out of the metrics', () => {
    const all = new HsocEnv({ workload: '5-task', load: 'medium', jobs: 6 });
    const warm = new HsocEnv({ workload: '5-task', load: 'medium', jobs: 6, warmupJobs: 2 });
    const m = runHsocEpisode(all, new UniformPolicy(), 5);
    const w = runHsocEpisode(warm, new UniformPolicy(), 5);
    const jobs = all.sim.jobs.filter((j) => j.kind === 'workload');
    const after = jobs.slice(2).map((j) => j.completedAt - j.arrival);
    expect(m.jobs).toBe(6);
    expect(w.jobs).toBe(4);
    expect(w.meanCompletion).toBeCloseTo(after.reduce((a, b) => a + b, 0) / 4, 12);
    expect(w.makespan).toBe(m.makespan); // same episode, only the metric window differs
  });

  it('rejects a warm-up that leaves no job to measure', () => {
    expect(() => new HsocEnv({ jobs: 3, warmupJobs: 3 })).toThrow(
      /warmupJobs must be an integer in \[0, jobs − 1\]/,
    );
    expect(() => new HsocEnv({ jobs: 3, warmupJobs: -1 })).toThrow(/warmupJobs/);
  });
});
