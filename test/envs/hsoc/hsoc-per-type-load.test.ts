import { describe, expect, it } from 'vitest';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import {
  HSOC_PER_TYPE_LOAD_PRESETS,
  type HsocPerTypeArrivalRates,
} from '../../../src/envs/hsoc/hsoc-per-type-load.js';
import { DEFAULT_PES, HSOC_LOADS, STOMP_PES, type PeType } from '../../../src/envs/hsoc/hsoc-platform.js';
import { HSOC_PROFILED_WORKLOADS } from '../../../src/envs/hsoc/hsoc-profiled-workloads.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

describe('HSoC per-type load calibration', () => {
  for (const pes of [STOMP_PES, DEFAULT_PES] as readonly (readonly PeType[])[])
    it(`the bottleneck PE type sits exactly at the preset's utilization (${pes.length} PEs), every PE available`, () => {
      for (const workload of HSOC_PROFILED_WORKLOADS)
        for (const load of HSOC_LOADS) {
          const env = new HsocEnv({ workload, load, pes, calibration: 'per-type' });
          const rates = env.sim.arrivalRates as HsocPerTypeArrivalRates;
          const rho = Math.max(...rates.perType.map((t) => t.utilization));
          expect(rho).toBeCloseTo(HSOC_PER_TYPE_LOAD_PRESETS[load].utilization, 12);
          expect(env.sim.available.every((a) => a)).toBe(true);
          // Background DAGs offer `otherShare` of the best-case work.
          const work = rates.perType.reduce((a, t) => a + t.workloadDemand, 0);
          const other = rates.perType.reduce((a, t) => a + t.otherDemand, 0);
          expect(other / (work + other)).toBeCloseTo(HSOC_PER_TYPE_LOAD_PRESETS[load].otherShare, 12);
        }
    });

  it('heavier presets offer more work; deadlines are 1.5 × the isolated completion time', () => {
    const offered = HSOC_LOADS.map((load) => {
      const env = new HsocEnv({
        workload: 'av-42-profiled',
        load,
        pes: STOMP_PES,
        jobs: 2,
        calibration: 'per-type',
      });
      env.reset({ seed: 1 });
      const iso = env.sim.isolatedMakespan(env.sim.workload);
      for (const job of env.sim.jobs)
        if (job.kind === 'workload') expect(job.deadline - job.arrival).toBeCloseTo(1.5 * iso, 9);
      const r = env.sim.arrivalRates as HsocPerTypeArrivalRates;
      return r.perType.reduce((a, t) => a + t.workloadDemand + t.otherDemand, 0);
    });
    expect(offered[0]!).toBeLessThan(offered[1]!);
    expect(offered[1]!).toBeLessThan(offered[2]!);
  });

  it('the isolated time is the DAG alone under equal sharing among running PEs', () => {
    const env = new HsocEnv({
      workload: '5-task-profiled',
      load: { ...HSOC_PER_TYPE_LOAD_PRESETS.light, otherShare: 0 },
      jobs: 1,
      pes: STOMP_PES,
      contentionModel: 'none',
      calibration: 'per-type',
    });
    const m = runHsocEpisode(env, new UniformPolicy({ readinessAware: true }), 0);
    expect(m.meanCompletion).toBeCloseTo(env.sim.isolatedMakespan(env.sim.workload), 9);
  });

  it('the nominal calibration is unchanged (accelerators withheld at heavy load, deadline 1.5 · L)', () => {
    const env = new HsocEnv({ workload: '5-task', load: 'heavy', jobs: 2 });
    env.reset({ seed: 0 });
    expect(env.sim.calibration).toBe('nominal');
    expect(env.sim.available.filter((a) => a).length).toBe(5);
    const job = env.sim.jobs.find((j) => j.kind === 'workload')!;
    expect(job.deadline - job.arrival).toBeCloseTo(1.5 * job.criticalPath, 12);
  });

  it('rejects an unknown calibration', () => {
    expect(() => new HsocEnv({ calibration: 'x' as never })).toThrow(
      /calibration must be nominal or per-type/,
    );
  });
});
