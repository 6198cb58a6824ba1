import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { DagTaskSpec } from '../../../src/dag/dag-task.js';
import { parseJsonDag } from '../../../src/dag/io/json-format.js';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import {
  DEFAULT_SPEEDS,
  HSOC_LOAD_PRESETS,
  HSOC_LOADS,
  STOMP_PES,
  availablePes,
  peMix,
} from '../../../src/envs/hsoc/hsoc-platform.js';
import {
  hsocProfiledWorkloadDag,
  profiledAvDagSpec,
  profiledFiveTaskDagSpec,
} from '../../../src/envs/hsoc/hsoc-profiled-workloads.js';
import { HsocSimulator, TASK_DONE } from '../../../src/envs/hsoc/hsoc-simulator.js';
import { readTaskProfiles, subDeadlineRatios } from '../../../src/envs/hsoc/hsoc-task-profile.js';
import { fiveTaskDagSpec } from '../../../src/envs/hsoc/hsoc-workloads.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

const quiet = { ...HSOC_LOAD_PRESETS.light, otherShare: 0, highPriorityShare: 0 };

/** Runs with every busy PE asking for an equal share; returns the simulator at the end. */
function runEqual(sim: HsocSimulator, seed = 0): HsocSimulator {
  sim.reset(new Rng(seed));
  for (let k = 0; k < 10_000 && !sim.finished; k++) {
    const busy = sim.pes.map((_, p) => sim.isPeRunning(p));
    const n = busy.filter(Boolean).length;
    sim.setRequests(busy.map((b) => (b ? 100 / n : 0)));
    sim.advance();
  }
  expect(sim.finished).toBe(true);
  return sim;
}

/** A random DAG over n nodes (edges i → j, i < j) with random profiles, some types impossible. */
const profiledDag = fc
  .record({
    n: fc.integer({ min: 1, max: 7 }),
    edges: fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 12 }),
    times: fc.array(
      fc.tuple(
        fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: null }),
        fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: null }),
      ),
      { minLength: 7, maxLength: 7 },
    ),
  })
  .map(({ n, edges, times }): DagTaskSpec => ({
    name: 'random-profiled',
    nodes: Array.from({ length: n }, (_, i) => ({
      id: `v${i}`,
      wcet: 1,
      type: 'vision',
      // The CPU always can: every task stays runnable.
      times: { cpu: 1 + i / 10, gpu: times[i]![0], fft: times[i]![1] },
    })),
    edges: edges
      .filter(([a, b]) => a < n && b < n && a !== b)
      .map(([a, b]) => [`v${Math.min(a, b)}`, `v${Math.max(a, b)}`] as [string, string]),
  }));

describe('HSoC per-type task profiles', () => {
  it('a profiled task takes its time of the PE type it runs on (alone, all tokens)', () => {
    const dag = buildDag({
      name: 'one',
      nodes: [{ id: 'A', wcet: 4, type: 'vision', times: { cpu: 4, gpu: 0.7, fft: null } }],
      edges: [],
    });
    const onGpu = runEqual(new HsocSimulator({ workload: dag, load: quiet, jobs: 1, pes: STOMP_PES }));
    expect(STOMP_PES[onGpu.jobs[0]!.pe[0]!]).toBe('gpu');
    expect(onGpu.jobs[0]!.finish[0]).toBeCloseTo(0.7, 12);
    const cpuOnly = STOMP_PES.map((p) => p === 'cpu');
    const onCpu = runEqual(
      new HsocSimulator({ workload: dag, load: quiet, jobs: 1, pes: STOMP_PES, available: cpuOnly }),
    );
    expect(onCpu.jobs[0]!.finish[0]).toBeCloseTo(4, 12);
  });

  it('property: no task ever runs on a PE type that cannot run it, and every job finishes', () => {
    fc.assert(
      fc.property(profiledDag, fc.integer({ min: 0, max: 1000 }), (spec, seed) => {
        const dag = buildDag(spec);
        const profiles = readTaskProfiles(dag);
        const sim = runEqual(
          new HsocSimulator({ workload: dag, load: 'light', jobs: 3, pes: STOMP_PES }),
          seed,
        );
        for (const job of sim.jobs) {
          if (job.kind !== 'workload') continue;
          for (let v = 0; v < dag.n; v++) {
            expect(job.state[v]).toBe(TASK_DONE);
            expect(Number.isFinite(profiles[v]!.times[STOMP_PES[job.pe[v]!]!])).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('times equal to the speed table reproduce the speed-table model', () => {
    const plain = fiveTaskDagSpec();
    const withTimes: DagTaskSpec = {
      ...plain,
      nodes: plain.nodes.map((n) => ({
        ...n,
        times: {
          cpu: n.wcet / DEFAULT_SPEEDS.cpu[n.type as 'sense']!,
          gpu: n.wcet / DEFAULT_SPEEDS.gpu[n.type as 'sense']!,
          dsp: n.wcet / DEFAULT_SPEEDS.dsp[n.type as 'sense']!,
        },
      })),
    };
    for (const load of HSOC_LOADS) {
      const a = runHsocEpisode(
        new HsocEnv({ workload: buildDag(plain), load, jobs: 6 }),
        new UniformPolicy(),
        7,
      );
      const b = runHsocEpisode(
        new HsocEnv({ workload: buildDag(withTimes), load, jobs: 6 }),
        new UniformPolicy(),
        7,
      );
      expect(b.meanCompletion).toBeCloseTo(a.meanCompletion, 9);
      expect(b.decisions).toBe(a.decisions);
    }
  });

  it('property: sub-deadline ratio = min over source→sink paths of best-case time / path time', () => {
    fc.assert(
      fc.property(profiledDag, (spec) => {
        const dag = buildDag(spec);
        const profiles = readTaskProfiles(dag);
        const bcet = profiles.map((p) => Math.min(p!.times.cpu, p!.times.gpu, p!.times.fft));
        const want = new Array<number>(dag.n).fill(Infinity);
        const walk = (path: number[]): void => {
          const v = path[path.length - 1]!;
          if (dag.succ[v]!.length === 0) {
            const total = path.reduce((s, u) => s + bcet[u]!, 0);
            for (const u of path) want[u] = Math.min(want[u]!, bcet[u]! / total);
          } else for (const w of dag.succ[v]!) walk([...path, w]);
        };
        for (let v = 0; v < dag.n; v++) if (dag.pred[v]!.length === 0) walk([v]);
        const got = subDeadlineRatios(dag);
        for (let v = 0; v < dag.n; v++) expect(got[v]).toBeCloseTo(want[v]!, 12);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects malformed profiles naming the source, the node and the rule', () => {
    const bad = (times: unknown, subDeadline?: unknown) =>
      buildDag({
        name: 'bad',
        nodes: [{ id: 'X', wcet: 1, times, ...(subDeadline !== undefined && { subDeadline }) }],
        edges: [],
      });
    expect(() => readTaskProfiles(bad({ cpu: -1 }))).toThrow(/bad.*node 'X'.*times.*'cpu'/);
    expect(() => readTaskProfiles(bad({ npu: 1 }))).toThrow(/unknown PE type 'npu'/);
    expect(() => readTaskProfiles(bad({ cpu: null, gpu: null }))).toThrow(/no PE type can run/);
    expect(() => readTaskProfiles(bad([1, 2]))).toThrow(/times must be an object/);
    expect(() => readTaskProfiles(bad({ cpu: 1 }, 1.5))).toThrow(/sub-deadline.*\[0, 1\]/);
    const gpuOnly = bad({ gpu: 1 });
    const cpuOnly = STOMP_PES.map((p) => p === 'cpu');
    expect(() => new HsocSimulator({ workload: gpuOnly, pes: STOMP_PES, available: cpuOnly })).toThrow(
      /task 'X' of DAG 'bad' can run on no available PE/,
    );
  });

  it('PE mixes: STOMP has 3 CPUs, 3 GPUs, 3 FFT accelerators; FFT availability follows the preset', () => {
    expect(peMix({ cpu: 3, gpu: 3, fft: 3 })).toEqual(STOMP_PES);
    expect(() => peMix({ gpu: 2 })).toThrow(/CPU/);
    expect(() => peMix({ cpu: 1.5 })).toThrow(/integer/);
    expect(availablePes(STOMP_PES, HSOC_LOAD_PRESETS.medium)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(
      availablePes(STOMP_PES, { ...HSOC_LOAD_PRESETS.heavy, accelerators: { gpu: 1, dsp: 0, fft: 2 } }),
    ).toEqual([true, true, true, true, false, false, true, true, false]);
  });

  it('ships the profiled 5-task and AV-42 DAGs in code and as JSON; they run at every load', () => {
    for (const [file, spec] of [
      ['examples/hsoc/5-task-profiled.json', profiledFiveTaskDagSpec()],
      ['examples/hsoc/av-42-profiled.json', profiledAvDagSpec()],
    ] as const) {
      const j = parseJsonDag(readFileSync(file, 'utf8'), file);
      const d = buildDag(spec);
      expect([...j.wcet]).toEqual([...d.wcet]);
      expect(j.edges).toEqual(d.edges);
      expect(readTaskProfiles(j)).toEqual(readTaskProfiles(d));
    }
    for (const w of ['5-task-profiled', 'av-42-profiled'] as const) {
      const dag = hsocProfiledWorkloadDag(w);
      expect(readTaskProfiles(dag).every((p) => p !== undefined)).toBe(true);
      for (const load of HSOC_LOADS) {
        const m = runHsocEpisode(
          new HsocEnv({ workload: w, load, jobs: 2, pes: STOMP_PES }),
          new UniformPolicy(),
          3,
        );
        expect(m.meanCompletion).toBeGreaterThan(0);
      }
    }
  });

  it('a trace sets each job’s DAG, arrival, relative deadline and priority', () => {
    const five = hsocProfiledWorkloadDag('5-task-profiled');
    const sim = new HsocSimulator({
      trace: [
        { dag: five, arrival: 0, deadline: 20, highPriority: true },
        { dag: five, arrival: 3, deadline: 9, highPriority: false },
      ],
      load: quiet,
      pes: STOMP_PES,
    });
    runEqual(sim);
    const w = sim.jobs.filter((j) => j.kind === 'workload');
    expect(w.map((j) => [j.arrival, j.deadline, j.highPriority])).toEqual([
      [0, 20, true],
      [3, 12, false],
    ]);
    expect(
      () =>
        new HsocSimulator({
          trace: [
            { dag: five, arrival: 2 },
            { dag: five, arrival: 1 },
          ],
        }),
    ).toThrow(/non-decreasing/);
  });
});
